/**
 * Augmentation of the written corpus: new wordings of the same request, with the same labels. What
 * cleaning and normalisation undo (intake boilerplate, dialect and typos the lexicon knows) would teach
 * the model nothing, so the variants change what survives them: paraphrased words, where and when it
 * was told, the order of clauses, punctuation, and for web messages the letter around the request.
 * A variant never adds a time marker that would change whether it is a danger now.
 */
import { rng } from '@liandong/domain';

export interface AugmentItem {
  text: string;
  title?: string;
  channel?: string;
  emergency: boolean | null;
}

/** Paraphrases that keep the meaning (and the route) of any request they appear in. */
const SYNONYMS: [string, string[]][] = [
  ['小区', ['社区', '院子', '住宅小区', '小区里']],
  ['马上', ['赶紧', '立刻', '赶快']],
  ['赶紧', ['马上', '快点', '尽快']],
  ['尽快', ['早点', '尽早', '赶快']],
  ['我家', ['我们家', '家里', '俺家']],
  ['楼下', ['楼底下', '下面一楼']],
  ['门口', ['门前', '大门外']],
  ['男子', ['男的', '一个男人', '男人']],
  ['女子', ['女的', '一个女人', '女人']],
  ['孩子', ['小孩', '小朋友', '娃']],
  ['老人', ['老年人', '老人家', '大爷']],
  ['很', ['非常', '特别', '好']],
  ['非常', ['很', '特别', '相当']],
  ['严重', ['厉害', '很严重', '特别严重']],
  ['希望', ['请求', '恳请', '盼望']],
  ['处理', ['解决', '管一管', '处置']],
  ['解决', ['处理', '落实', '解决一下']],
  ['反映', ['反应', '说明', '投诉']],
  ['问题', ['情况', '事情']],
  ['现在', ['这会儿', '此刻', '眼下']],
  ['已经', ['都已经', '早就']],
  ['一直', ['始终', '总是']],
  ['没有', ['没', '并没有']],
  ['相关部门', ['有关部门', '政府部门', '职能部门']],
  ['领导', ['政府', '有关领导']],
  ['附近', ['旁边', '周边', '边上']],
  ['路口', ['十字路口', '交叉口']],
  ['马路', ['路上', '街上', '公路']],
  ['电动车', ['电瓶车', '电摩']],
  ['手机', ['电话', '手机']],
  ['钱', ['钱款', '现金']],
  ['居民', ['住户', '街坊']],
  ['业主', ['住户', '居民']],
  ['晚上', ['夜里', '夜间']],
  ['半夜', ['深夜', '凌晨']],
  ['每天', ['天天', '每日']],
  ['经常', ['常常', '时常', '老是']],
  ['告诉', ['说', '讲']],
  ['看到', ['看见', '发现']],
  ['知道', ['晓得', '清楚']],
  ['怎么', ['如何', '咋']],
  ['什么', ['啥', '啥子']],
  ['需要', ['要', '得']],
  ['帮助', ['帮忙', '协助']],
  ['请', ['麻烦', '恳请']],
  ['谢谢', ['感谢', '多谢']],
  ['工作人员', ['办事人员', '窗口人员']],
  ['商家', ['店家', '老板']],
  ['老板', ['老板', '负责人', '店主']],
  ['医院', ['医院', '卫生院']],
  ['学校', ['学校', '校方']],
  ['车', ['车子', '车辆']],
  ['受伤', ['受了伤', '伤了']],
  ['流血', ['出血', '淌血']],
  ['报警', ['打110', '报案']],
];
const SYN = new Map(SYNONYMS);
const SYN_KEYS = [...SYN.keys()].sort((a, b) => b.length - a.length);

const DISTRICTS =
  '渝中 江北 南岸 沙坪坝 九龙坡 大渡口 渝北 巴南 北碚 万州 涪陵 永川 合川 江津 綦江 璧山 铜梁 潼南 荣昌 大足 长寿 南川 开州 梁平 武隆 城口 丰都 垫江 忠县 云阳 奉节 巫山 巫溪 石柱 秀山 酉阳 彭水 黔江'.split(
    ' ',
  );
const PLACES = ['花园', '小区', '新村', '家园', '广场', '大道', '路', '街', '市场', '苑', '公寓', '村'];
const PLACE_HEADS = [
  '龙湖',
  '金科',
  '融创',
  '阳光',
  '滨江',
  '翠湖',
  '锦绣',
  '和平',
  '民主',
  '人和',
  '嘉陵',
  '长江',
  '青山',
  '桂花',
  '紫薇',
  '友谊',
  '光明',
  '新华',
  '红旗',
  '东风',
];
const WEB_OPEN = [
  '尊敬的领导：您好！',
  '领导您好，',
  '您好，',
  '各位领导：',
  '我是一名普通市民，',
  '我是附近的居民，',
  '我是本小区业主，',
];
const WEB_CLOSE = [
  '望领导重视，尽快处理，谢谢！',
  '盼回复。',
  '恳请相关部门尽快解决。',
  '希望能得到答复，谢谢。',
  '请领导关注一下这个问题。',
  '以上情况望核实，谢谢！',
];
const WEB_STORY = [
  '这个问题周边居民意见都很大。',
  '我们向社区反映过，至今没有结果。',
  '给大家的生活带来了很大不便。',
  '很多住户都有同样的情况。',
  '我们也打过电话，没有人管。',
  '这件事拖了很久了，大家都很着急。',
];

export function augment(item: AugmentItem, seed: number, count: number): AugmentItem[] {
  const random = rng(seed);
  const pick = <T>(l: readonly T[]) => l[Math.floor(random() * l.length)]!;
  const place = () => `${pick(DISTRICTS)}区${pick(PLACE_HEADS)}${pick(PLACES)}`;
  const out: AugmentItem[] = [];
  const seen = new Set([item.text]);
  for (let k = 0; k < count * 3 && out.length < count; k++) {
    let t = item.text;
    // 1. Paraphrase some words (each occurrence with a chance).
    t = paraphrase(t, random, 0.5);
    // 2. Where it was told.
    if (random() < 0.35 && t.length < 400) {
      const where = `在${place()}`;
      t = random() < 0.5 ? `${where}，${t}` : t.replace(/[，,]/, `，${where}，`);
    }
    // 3. Clause order within a sentence (two neighbouring clauses).
    if (random() < 0.3) t = swapClauses(t, random);
    // 4. Punctuation as callers type it, or none.
    const ch = item.channel ?? '';
    if (ch !== 'web' && random() < 0.25) t = t.replace(/[，,。！!？?；;]/g, random() < 0.5 ? ' ' : '').trim();
    // 5. A web message: the letter around the request (not for dangers: a danger is told as it is).
    let title = item.title;
    if (ch === 'web' && item.emergency !== true && random() < 0.6) {
      const story = random() < 0.6 ? pick(WEB_STORY) : '';
      t = `${random() < 0.6 ? pick(WEB_OPEN) : ''}${t}${/[。！!？?]$/.test(t) ? '' : '。'}${story}${pick(WEB_CLOSE)}`;
      if (title && random() < 0.4) title = paraphrase(title, random, 0.6);
    }
    if (t.length > 1000) t = t.slice(0, 1000);
    if (t.length < 10 || seen.has(t)) continue;
    seen.add(t);
    out.push({ ...item, text: t, ...(title ? { title } : {}) });
  }
  return out;
}

function paraphrase(t: string, random: () => number, p: number): string {
  let out = '';
  for (let i = 0; i < t.length;) {
    const key = SYN_KEYS.find((k) => t.startsWith(k, i));
    if (key && random() < p) {
      const alts = SYN.get(key)!;
      out += alts[Math.floor(random() * alts.length)]!;
      i += key.length;
      continue;
    }
    out += t[i];
    i += 1;
  }
  return out;
}

function swapClauses(t: string, random: () => number): string {
  const sentences = t.split(/(?<=[。！!？?；;])/);
  const i = Math.floor(random() * sentences.length);
  const s = sentences[i]!;
  const parts = s.split('，');
  if (parts.length < 3) return t;
  // The first clause stays first: it often carries the time ("昨晚，…") that the rest is read under.
  const j = 2 + Math.floor(random() * (parts.length - 2));
  if (/[。！!？?；;]$/.test(parts[j]!)) return t;
  [parts[j], parts[j - 1]] = [parts[j - 1]!, parts[j]!];
  sentences[i] = parts.join('，');
  return sentences.join('');
}
