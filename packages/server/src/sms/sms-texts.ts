/**
 * The words of the texts the desk sends (Chinese, signed 【重庆12345】 as the gateway's registered
 * signature 短信签名 requires), and the reading of a citizen's answer to the 回访 survey.
 */
import type { Satisfaction } from '@liandong/domain';

export const SMS_SIGNATURE = '【重庆12345】';
/** The longest reply quoted in a text (a long SMS is sent in parts; the status page has it all). */
export const REPLY_QUOTE_MAX = 300;

export const receiptText = (no: string, queryCode: string) =>
  `${SMS_SIGNATURE}您的诉求已受理，工单编号${no}，查询码${queryCode}。请凭工单编号和查询码在12345网上诉求页面查询办理进度，查询码请勿告知他人。如遇紧急情况请立即拨打110。`;

/**
 * 受理短信 for an order filed by telephone: the order number only. A caller gets no query code (the status
 * page is the web channel's; a caller asks 12345 by the number), so nothing here opens the order to anyone.
 */
export const phoneReceiptText = (no: string) =>
  `${SMS_SIGNATURE}您来电反映的诉求已受理，工单编号${no}。办理结果将以短信告知，如需查询进度请拨打12345并提供工单编号。如遇紧急情况请立即拨打110。`;

export function replyText(no: string, reply: string): string {
  const r = reply.trim();
  const quoted = r.length > REPLY_QUOTE_MAX ? `${r.slice(0, REPLY_QUOTE_MAX)}……（全文请在查询页面查看）` : r;
  return `${SMS_SIGNATURE}您反映的诉求（工单编号${no}）已办结，答复如下：${quoted}`;
}

/** The one reminder of a survey nobody answered. */
export const surveyReminderText = (no: string) =>
  `${SMS_SIGNATURE}您对工单${no}的办理结果还未评价。请直接回复数字：5非常满意，4满意，3基本满意，2不满意，1非常不满意。如已通过电话回访评价，请忽略本短信。`;

export const surveyText = (no: string) =>
  `${SMS_SIGNATURE}请对工单${no}的办理结果进行评价，直接回复数字：5非常满意，4满意，3基本满意，2不满意，1非常不满意；也可回复“满意”或“不满意”。感谢您的支持！`;

/** What each text is, as the console names it. */
export const SMS_PURPOSE_LABELS = { receipt: '受理短信', reply: '办结答复短信', survey: '回访短信' } as const;

/**
 * A text's state: not_sent (no gateway was configured), queued, sent (the gateway took it), failed
 * (dead-lettered), delivered / undelivered (the gateway's delivery report: 状态报告).
 */
export const SMS_STATUS_LABELS = {
  not_sent: '未发送（未配置短信网关）',
  queued: '待发送',
  sent: '已发送',
  failed: '发送失败',
  delivered: '已送达',
  undelivered: '未送达',
} as const;

/** 好差评's five levels (国办发〔2019〕51号), by rating. */
export const RATING_LEVELS: Record<number, string> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};

/** The 12345 follow-up's three levels from a five-level rating. */
export function satisfactionOfRating(rating: number): Satisfaction {
  return rating >= 4 ? 'satisfied' : rating === 3 ? 'basically_satisfied' : 'unsatisfied';
}

/** A rating for a follow-up made by phone (three levels), so 好差评 always gets one of its five. */
export const RATING_OF_SATISFACTION: Record<Satisfaction, number> = {
  satisfied: 4,
  basically_satisfied: 3,
  unsatisfied: 2,
};

const WORDS: Record<string, number> = { 非常满意: 5, 满意: 4, 基本满意: 3, 不满意: 2, 非常不满意: 1 };

/**
 * A citizen's answer: one digit 1–5 (full-width too) or one of the five words, with spaces and
 * punctuation around it ignored. Anything else (a 6, a sentence, two answers) is null: not recorded.
 */
export function parseSurveyReply(text: string): number | null {
  const t = text
    .normalize('NFKC')
    .replace(/[\s。.!！,，、~～"“”']/g, '')
    .trim();
  if (/^[1-5]$/.test(t)) return Number(t);
  return WORDS[t] ?? null;
}
