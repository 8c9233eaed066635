/**
 * Texts to citizens (docs/sms.md): the receipt with the query code when a citizen-channel request is
 * accepted, the reply when the order is replied to, and the 回访 survey after it; and the citizen's answer
 * to the survey, which arrives from the gateway signed and is recorded as the order's 回访. Each text is
 * written with its outbox row in the caller's transaction; the outbox worker hands it to the gateway.
 * The number is sealed at rest and never logged; a 保密 request gets its texts like any other.
 */
import { randomUUID } from 'node:crypto';
import type { WorkOrderCommand } from '@liandong/domain';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { insertServiceOutbox, rememberNonce } from '../bridge/bridge.repo.ts';
import type { PeerDirectory } from '../bridge/peers.ts';
import { verify, type InboundKey } from '../bridge/signing.ts';
import { open, phoneHash } from '../crypto/pii.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { findWorkOrder, type WorkOrderRow } from '../hotline/work-orders.repo.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import type { SmsPurpose } from './sms-gateway.ts';
import {
  findForReport,
  findSurvey,
  insertSms,
  isCurrentSurvey,
  listOrderTexts,
  orderPhone,
  recordAnswer,
  recordDeliveryReport,
  unansweredSurveys,
} from './sms.repo.ts';
import {
  RATING_LEVELS,
  SMS_PURPOSE_LABELS,
  SMS_STATUS_LABELS,
  parseSurveyReply,
  phoneReceiptText,
  receiptText,
  replyText,
  satisfactionOfRating,
  surveyReminderText,
  surveyText,
} from './sms-texts.ts';

/** What the gateway posts to `POST /api/sms/inbound` (docs/sms.md). */
export interface InboundSms {
  id: string;
  replyTo: string;
  from: string;
  text: string;
  receivedAt?: string;
}

function parseInbound(raw: Buffer): InboundSms {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('INVALID_JSON');
  }
  const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  const str = (k: string, max: number) => {
    const x = o[k];
    if (typeof x !== 'string' || !x.length || x.length > max)
      throw new AppError('VALIDATION_FAILED', `${k} 须为 1–${max} 个字符的字符串`, { field: k });
    return x;
  };
  for (const k of Object.keys(o))
    if (!['id', 'replyTo', 'from', 'text', 'receivedAt'].includes(k))
      throw new AppError('VALIDATION_FAILED', `不允许的字段：${k}`, { field: k });
  return {
    id: str('id', 200),
    replyTo: str('replyTo', 100),
    from: str('from', 30),
    text: str('text', 500),
    ...(o.receivedAt !== undefined ? { receivedAt: str('receivedAt', 40) } : {}),
  };
}

/** What the gateway posts to `POST /api/sms/reports` (docs/sms.md). */
interface DeliveryReport {
  id: string;
  messageId: string;
  status: 'delivered' | 'undelivered';
  error?: string;
  at: Date;
}

function parseReport(raw: Buffer): DeliveryReport {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('INVALID_JSON');
  }
  const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  const bad = (k: string, why: string) => new AppError('VALIDATION_FAILED', `${k} ${why}`, { field: k });
  for (const k of Object.keys(o))
    if (!['id', 'messageId', 'status', 'error', 'at'].includes(k)) throw bad(k, '为不允许的字段');
  const str = (k: string, max: number) => {
    const x = o[k];
    if (typeof x !== 'string' || !x.length || x.length > max) throw bad(k, `须为 1–${max} 个字符的字符串`);
    return x;
  };
  const status = o.status;
  if (status !== 'delivered' && status !== 'undelivered') throw bad('status', '须为 delivered 或 undelivered');
  const at = new Date(str('at', 40));
  if (Number.isNaN(at.getTime())) throw bad('at', '须为 ISO 8601 时间');
  return {
    id: str('id', 200),
    messageId: str('messageId', 100),
    status,
    ...(o.error !== undefined ? { error: str('error', 200) } : {}),
    at,
  };
}

/** A mainland mobile number as texts are sent to it (11 digits; +86 or 0086 before it dropped), or null. */
export function mobileNumber(phone: string): string | null {
  const d = phone.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(d) ? d : null;
}

export class SmsService {
  private workOrders: WorkOrderService | null = null;

  constructor(
    private readonly db: Db,
    private readonly peers: PeerDirectory,
  ) {}

  /** The work-order service the survey's answer is recorded through (built after this one: app.ts). */
  attachWorkOrders(w: WorkOrderService): void {
    this.workOrders = w;
  }

  /**
   * One text, written with its outbox row in `tx`. No gateway configured: the text is kept (so the
   * reply still knows the number) but nothing is queued. Several: the first by id.
   */
  async queue(
    tx: Queryable,
    m: { workOrderId: string; purpose: SmsPurpose; phone: string; text: string; reminderOf?: string },
  ) {
    const gateway = (await this.peers.fresh()).servicesOf('sms_gateway')[0] ?? null;
    const id = randomUUID();
    await insertSms(tx, { id, ...m, gateway: gateway?.id ?? null });
    if (gateway)
      await insertServiceOutbox(tx, {
        id,
        itemId: `sms:${id}`,
        peer: gateway.id,
        type: `sms.${m.purpose}`,
        body: { smsId: id },
      });
    return id;
  }

  /**
   * 受理短信: the request number and the query code (the query code is not stored in the clear anywhere
   * else). Only a mobile number gets texts (an Open311 client may give a landline): null for another.
   */
  async receipt(tx: Queryable, order: { id: string; no: string }, phone: string, queryCode: string) {
    const mobile = mobileNumber(phone);
    if (!mobile) return null;
    return this.queue(tx, {
      workOrderId: order.id,
      purpose: 'receipt',
      phone: mobile,
      text: receiptText(order.no, queryCode),
    });
  }

  /**
   * Texts for an order filed at the telephone intake, with the caller's consent (docs/sms.md): filed as an
   * order, the receipt with its number (no query code); answered on the spot (直接答复, `answered`: the
   * reply), the reply and the survey at once — the transition's own hook ran before the number was known.
   * Only a mobile number gets texts: null for another.
   */
  async phoneIntake(tx: Queryable, order: { id: string; no: string }, phone: string, answered: string | null) {
    const mobile = mobileNumber(phone);
    if (!mobile) return null;
    if (answered !== null) return this.replyAndSurvey(tx, order, mobile, answered);
    return this.queue(tx, {
      workOrderId: order.id,
      purpose: 'receipt',
      phone: mobile,
      text: phoneReceiptText(order.no),
    });
  }

  /** The port of every work-order transition (app.ts): a reply goes to the citizen, then the survey. */
  async afterWorkOrderTransition(tx: Queryable, _actor: Actor, row: WorkOrderRow, cmd: WorkOrderCommand) {
    if (cmd.action !== 'reply' && cmd.action !== 'answer_directly') return;
    const phone = await orderPhone(tx, row.id);
    if (phone) await this.replyAndSurvey(tx, row, phone, cmd.reply);
  }

  /**
   * The one reminder of each 回访 survey nobody answered within `afterHours` while its order still waits
   * for its 回访 (docs/sms.md): a survey of its own naming the first; answering either one counts. Returns
   * how many were queued.
   */
  async remindUnanswered(afterHours: number, now = new Date()): Promise<number> {
    if (afterHours <= 0) return 0;
    return inTransaction(this.db, async (tx) => {
      const due = await unansweredSurveys(tx, new Date(now.getTime() - afterHours * 3_600_000), 500);
      let n = 0;
      for (const s of due) {
        const phone = open(s.phone_sealed, 'caller.phone');
        if (!phone) continue;
        await this.queue(tx, {
          workOrderId: s.work_order_id,
          purpose: 'survey',
          phone,
          text: surveyReminderText(s.no),
          reminderOf: s.id,
        });
        n += 1;
      }
      return n;
    });
  }

  private async replyAndSurvey(tx: Queryable, order: { id: string; no: string }, phone: string, reply: string) {
    await this.queue(tx, { workOrderId: order.id, purpose: 'reply', phone, text: replyText(order.no, reply) });
    return this.queue(tx, { workOrderId: order.id, purpose: 'survey', phone, text: surveyText(order.no) });
  }

  /**
   * The texts of an order its reader may see (GET /api/work-orders/:id/texts): purpose, state and times,
   * and a survey's answer. Neither the number nor the words: a web receipt holds the query code.
   */
  async textsOf(actor: Actor, workOrderId: string) {
    if (!this.workOrders) throw new AppError('WORK_ORDER_NOT_FOUND');
    await this.workOrders.getReadable(actor, workOrderId);
    return (await listOrderTexts(this.db, workOrderId)).map((r) => {
      const status = !r.gateway
        ? 'not_sent'
        : r.delivered_at
          ? 'delivered'
          : r.undelivered_at
            ? 'undelivered'
            : r.outbox_status === 'dead'
              ? 'failed'
              : r.sent_at || r.outbox_status === 'delivered'
                ? 'sent'
                : 'queued';
      return {
        id: r.id,
        purpose: r.purpose,
        purposeLabel: SMS_PURPOSE_LABELS[r.purpose],
        status,
        statusLabel: SMS_STATUS_LABELS[status],
        queuedAt: r.created_at.toISOString(),
        sentAt: r.sent_at?.toISOString() ?? null,
        deliveredAt: r.delivered_at?.toISOString() ?? null,
        answer:
          r.answer_rating !== null && r.answered_at
            ? { rating: r.answer_rating, level: RATING_LEVELS[r.answer_rating]!, at: r.answered_at.toISOString() }
            : null,
      };
    });
  }

  /** The gateways' inbound keys (their connectors' `inboundKeyId`), and whose each is. */
  private async inboundKeys(): Promise<{ keys: Map<string, InboundKey>; owner: Map<string, string> }> {
    const gateways = (await this.peers.fresh()).servicesOf('sms_gateway');
    return {
      keys: new Map(gateways.map((g) => [g.inboundKeyId, g.inboundKey])),
      owner: new Map(gateways.map((g) => [g.inboundKeyId, g.id])),
    };
  }

  /**
   * A citizen's answer to a survey: verified (signature, clock, nonce), matched to the survey it answers
   * (by our message id and the number it came from), read (1–5 or the words), and recorded as the
   * order's 回访 in one transaction. Any refusal changes nothing. The same inbound id twice: `duplicate`.
   */
  async inbound(headers: Record<string, string | string[] | undefined>, raw: Buffer) {
    const { keys, owner } = await this.inboundKeys();
    const v = verify(headers, raw.toString('utf8'), keys);
    if (!v.ok) throw new AppError('SMS_SIGNATURE_INVALID', undefined, { reason: v.reason });
    const msg = parseInbound(raw);
    const workOrders = this.workOrders;
    if (!workOrders) throw new AppError('SMS_MESSAGE_UNKNOWN');
    return inTransaction(this.db, async (tx) => {
      if (!(await rememberNonce(tx, v.keyId, v.nonce)))
        throw new AppError('SMS_SIGNATURE_INVALID', undefined, { reason: 'replayed_nonce' });
      const survey = await findSurvey(tx, msg.replyTo);
      // Not ours, not a survey, another gateway's, or not the number it was sent to: all alike to the sender.
      if (!survey || survey.gateway !== owner.get(v.keyId) || phoneHash(msg.from) !== survey.phone_hash)
        throw new AppError('SMS_MESSAGE_UNKNOWN');
      if (survey.answer_ref === msg.id) return { status: 'duplicate' as const };
      if (survey.answered_at) throw new AppError('SMS_SURVEY_CLOSED', '该回访短信已评价过');
      const rating = parseSurveyReply(msg.text);
      if (rating === null) throw new AppError('SMS_REPLY_INVALID');
      const order = await findWorkOrder(tx, survey.work_order_id, true);
      if (!order || order.status !== 'replied' || !(await isCurrentSurvey(tx, order.id, survey.id)))
        throw new AppError('SMS_SURVEY_CLOSED', '该工单已回访或已重新办理，此条评价不再记录');
      const satisfaction = satisfactionOfRating(rating);
      await recordAnswer(tx, survey.id, { ref: msg.id, rating, satisfaction });
      await workOrders.transition(tx, SYSTEM_ACTOR, order, {
        action: 'follow_up',
        satisfaction,
        note: `短信回访：市民回复“${rating}”（${RATING_LEVELS[rating]}）`,
      });
      return { status: 'recorded' as const, rating, satisfaction };
    });
  }

  /**
   * A delivery report (状态报告) from the gateway the text went through: delivered (final) or not
   * delivered, with the gateway's reason. Verified as an answer is; the same report id twice: duplicate.
   */
  async report(headers: Record<string, string | string[] | undefined>, raw: Buffer) {
    const { keys, owner } = await this.inboundKeys();
    const v = verify(headers, raw.toString('utf8'), keys);
    if (!v.ok) throw new AppError('SMS_SIGNATURE_INVALID', undefined, { reason: v.reason });
    const r = parseReport(raw);
    return inTransaction(this.db, async (tx) => {
      if (!(await rememberNonce(tx, v.keyId, v.nonce)))
        throw new AppError('SMS_SIGNATURE_INVALID', undefined, { reason: 'replayed_nonce' });
      const text = await findForReport(tx, r.messageId);
      if (!text || !text.gateway || text.gateway !== owner.get(v.keyId))
        throw new AppError('SMS_MESSAGE_UNKNOWN', '没有经该网关发送的这条短信');
      if (text.report_ref === r.id) return { status: 'duplicate' as const };
      // delivered is final: a later failure report (a retry's) changes nothing
      if (text.delivered_at) return { status: 'duplicate' as const };
      await recordDeliveryReport(tx, r.messageId, {
        ref: r.id,
        delivered: r.status === 'delivered',
        error: r.error ?? null,
        at: r.at,
      });
      return { status: 'recorded' as const };
    });
  }
}
