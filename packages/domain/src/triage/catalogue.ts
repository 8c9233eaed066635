/**
 * The jurisdiction catalogue (职责清单) compiled for reading: every entry's words and the lexicon's
 * markers (negation, time, modality) in one character trie, scanned once per request; what each word
 * found means is decided per clause, with the clause's time and modality (what happened, now or not).
 *
 * Format 2 entries hold words ("terms" for events, "cues" for places and objects); format 1 entries
 * hold regular expressions, still loadable, matched per clause with the same word-boundary rule, and
 * refused at publication when they could backtrack catastrophically.
 */
import { fail, ok, type Result } from '../shared/result.ts';
import { onWordBoundaries, type Reading } from './reading.ts';
import {
  ENTRY_KINDS,
  HARMS,
  ROUTES,
  URGENT_KINDS,
  isV2Entry,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueEntryV1,
  type CatalogueEntryV2,
  type Lexicon,
  type Route,
} from './types.ts';

/** How a clause tells an event. */
export type Modality = 'now' | 'past' | 'habitual' | 'hypothetical' | 'negated' | 'consult';

const MARKERS = [
  'negator',
  'past',
  'present',
  'today',
  'habitual',
  'hypothetical',
  'hypotheticalAfter',
  'conditional',
  'completed',
  'consult',
  'request',
  'outcome',
  'resolved',
  'redress',
  'nearMiss',
] as const;
type Marker = (typeof MARKERS)[number];

type Role = 'term' | 'cue' | 'context' | 'exclude' | 'linkedIf' | 'urgentIf' | 'calmIf' | 'mask' | Marker;
interface Ref {
  role: Role;
  /** Entry index (−1 for lexicon markers and masks). */
  entry: number;
  /** For linkedIf: which pair. */
  index: number;
}

/**
 * A character trie with its edges in one open-addressing table ((node, character) → child), so a scan
 * step is one probe into a flat array.
 */
class CharTrie {
  /** Per node: the literals ending there. */
  readonly ends: (number[] | null)[] = [null];
  /** Characters that begin a literal (a scan skips the others without a probe). */
  readonly starts = new Uint8Array(65536);
  private table = new Int32Array(3 * 4096).fill(-1);
  private mask = 4095;
  private edges = 0;

  child(node: number, ch: number): number {
    let s = (Math.imul(node, 0x9e3779b1) ^ Math.imul(ch, 0x85ebca6b)) & this.mask;
    const t = this.table;
    for (;;) {
      const o = s * 3;
      const n = t[o]!;
      if (n === -1) return -1;
      if (n === node && t[o + 1] === ch) return t[o + 2]!;
      s = (s + 1) & this.mask;
    }
  }

  /** Adds `text`; returns its end node. */
  insert(text: string): number {
    this.starts[text.charCodeAt(0)] = 1;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let next = this.child(node, ch);
      if (next < 0) {
        next = this.ends.length;
        this.ends.push(null);
        this.put(node, ch, next);
      }
      node = next;
    }
    return node;
  }

  private put(node: number, ch: number, child: number): void {
    if ((this.edges + 1) * 2 > this.mask + 1) this.grow();
    let s = (Math.imul(node, 0x9e3779b1) ^ Math.imul(ch, 0x85ebca6b)) & this.mask;
    while (this.table[s * 3] !== -1) s = (s + 1) & this.mask;
    this.table[s * 3] = node;
    this.table[s * 3 + 1] = ch;
    this.table[s * 3 + 2] = child;
    this.edges++;
  }

  private grow(): void {
    const old = this.table;
    this.mask = this.mask * 2 + 1;
    this.table = new Int32Array(3 * (this.mask + 1)).fill(-1);
    this.edges = 0;
    for (let o = 0; o < old.length; o += 3) if (old[o] !== -1) this.put(old[o]!, old[o + 1]!, old[o + 2]!);
  }
}

interface Literal {
  text: string;
  refs: Ref[];
  flags: number;
  /** The refs that count when the literal lies inside a longer word (context and exclusion). */
  insideRefs: Ref[];
  /** Composite terms this literal is the first or second part of. */
  firstOf: number[];
  secondOf: number[];
}
interface Composite {
  refs: Ref[];
  flags: number;
  /** Most characters between the two parts. */
  gap: number;
}

interface CompiledV1 {
  patterns: RegExp[];
  context: RegExp[];
  exclude: RegExp[];
  linkedIf: [RegExp, Route][];
  urgentIf: RegExp | null;
}

export interface CompiledEntry {
  entry: CatalogueEntry;
  index: number;
  v1: CompiledV1 | null;
  weight: number;
}

export interface CompiledCatalogue {
  version: number;
  entries: CompiledEntry[];
  /** The format 1 entries (regular expressions), matched apart. */
  v1Entries: CompiledEntry[];
  trie: CharTrie;
  literals: Literal[];
  composites: Composite[];
}

export class CatalogueError extends Error {
  constructor(
    readonly code: 'CATALOGUE_INVALID',
    message: string,
    readonly entryCode?: string,
  ) {
    super(message);
  }
}

const invalid = (message: string, code?: string) => new CatalogueError('CATALOGUE_INVALID', message, code);

/**
 * Could this expression backtrack catastrophically? Refused: a quantified group that itself holds a
 * quantifier or an alternation ("(a+)+", "(a|ab)*"), and back-references.
 */
export function riskyPattern(src: string): string | null {
  if (/\\[1-9]|\\k</.test(src)) return '不允许反向引用';
  const stack: { inner: boolean }[] = [];
  let inner = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '[') {
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === '(') {
      stack.push({ inner });
      inner = false;
      continue;
    }
    const quantified = (j: number) => {
      const q = src[j];
      if (q === '*' || q === '+') return true;
      if (q === '{') {
        const m = src.slice(j).match(/^\{(\d*),?(\d*)\}/);
        return !!m && (m[2] === '' || Number(m[2]) > 1);
      }
      return false;
    };
    if (ch === '|' && stack.length) inner = true;
    if (ch === ')') {
      const groupInner = inner;
      inner = stack.pop()?.inner ?? false;
      if (quantified(i + 1) && groupInner) return '不允许嵌套的重复（可能导致灾难性回溯）';
      if (groupInner) inner = true;
      continue;
    }
    if (quantified(i)) inner = true;
  }
  return null;
}

const compileRegex = (src: string, code: string) => {
  const risk = riskyPattern(src);
  if (risk) throw invalid(`条目 ${code} 的表达式 ${src} ${risk}`, code);
  try {
    return new RegExp(src, 'gu');
  } catch (err) {
    throw invalid(`条目 ${code} 的表达式无效：${src}（${(err as Error).message}）`, code);
  }
};

const TERM_SPLIT = '…';
/** Most characters between the two parts of a composite term. */
const MAX_GAP = 14;
/**
 * What may stand between a negator and the word it negates ("没有人受伤", "未发现有人员受伤", "没得哪个动手", "不需要叫救护车"), including
 * a verb of intention or motion before the event ("不是来闹事的", "不是要打架", "不想去闹") and a verb of
 * smelling ("闻不到味道", "没闻到煤气味"; "到" also: "看不到火").
 */
const NEGATION_GAP = new Set([...'有人员任何再被其他它她他们都也曾发现见到造成出现过来要想去会哪个需用叫喊闻与和跟同']);
/** The experiential 过 right after a word ("摔倒过"), not 过 of motion ("过来", "过马路") or time ("过年"). */
const experienced = (text: string, end: number) =>
  text[end] === '过' && !'来去马河桥街路年节完后头了得'.includes(text[end + 1] ?? '');
/** Redress words that only ask who handles a matter. */
const WHO_HANDLES =
  /^(?:找哪个|找谁|该找谁|该找哪个|找哪个部门|找哪个管|哪个管|谁管|归哪个管|归谁管|哪个部门管|找哪里|找什么部门|向哪个部门)$/;
/** Past words that order events rather than date them. */
const SEQUENCE = new Set(['之后', '以后', '过后', '后来', '然后', '随后', '事后']);
/** "过去" as a verb's complement ("走过去", "晕过去", "冲过去"): a motion or a faint, not the past. */
const PAST_AS_COMPLEMENT = new Set([...'走跑冲扑游爬开看望飘飞追赶翻滚倒晕昏死睡绕跨跳递传拿送转挤溜扔砸踢撞漂']);
/** "曾" as a surname ("曾先生", "曾XX"), not "once". */
const SURNAME_AFTER = /^(?:先生|女士|小姐|某|阿姨|师傅|大爷|大妈|老师|经理|[xX＊*])/;
/** A past word that here is no time word at all. */
function notATimeWord(text: string, f: Found): boolean {
  const w = text.slice(f.start, f.end);
  if (w === '过去') return PAST_AS_COMPLEMENT.has(text[f.start - 1] ?? '');
  if (w === '曾') return SURNAME_AFTER.test(text.slice(f.end, f.end + 2));
  return false;
}
/** How far before a word a near-miss word still tells of it ("差点就被车撞了"). */
const NEAR_MISS_REACH = 4;
function negationReaches(text: string, from: number, to: number): boolean {
  if (to - from > 4) return false;
  for (let i = from; i < to; i++) if (!NEGATION_GAP.has(text[i]!)) return false;
  return true;
}

function checkTerm(t: unknown, code: string): string {
  if (typeof t !== 'string' || !t.trim()) throw invalid(`条目 ${code} 有空的词语`, code);
  const parts = t.split(TERM_SPLIT);
  if (parts.length > 2 || parts.some((p) => !p.trim()))
    throw invalid(`条目 ${code} 的词语“${t}”无效（“…”只能连接两个部分）`, code);
  return t
    .toLowerCase()
    .normalize('NFKC')
    .replace(/\.\.\./g, TERM_SPLIT);
}

/** Checks and compiles a catalogue with the lexicon's markers; refuses what cannot be read safely. */
export function compileCatalogue(c: Catalogue, lexicon: Lexicon): CompiledCatalogue {
  const trie = new CharTrie();
  const literals: Literal[] = [];
  const byText = new Map<string, number>();
  const composites: Composite[] = [];
  const compositeByText = new Map<string, number>();

  const literal = (text: string): number => {
    let id = byText.get(text);
    if (id !== undefined) return id;
    id = literals.length;
    literals.push({ text, refs: [], flags: 0, insideRefs: [], firstOf: [], secondOf: [] });
    byText.set(text, id);
    const node = trie.insert(text);
    (trie.ends[node] ??= []).push(id);
    return id;
  };
  const add = (term: string, ref: Ref) => {
    const parts = term.split(TERM_SPLIT);
    if (parts.length === 1) {
      literals[literal(term)]!.refs.push(ref);
      return;
    }
    let id = compositeByText.get(term);
    if (id === undefined) {
      id = composites.length;
      composites.push({ refs: [], flags: 0, gap: MAX_GAP });
      compositeByText.set(term, id);
      literals[literal(parts[0]!)]!.firstOf.push(id);
      literals[literal(parts[1]!)]!.secondOf.push(id);
    }
    composites[id]!.refs.push(ref);
  };

  const markerWords: Record<Marker, string[]> = {
    negator: lexicon.negators,
    past: [...lexicon.past, '那天', '那年'],
    present: lexicon.present,
    today: lexicon.today ?? [],
    habitual: lexicon.habitual ?? [],
    hypothetical: lexicon.hypothetical ?? [],
    hypotheticalAfter: ['隐患', '风险', '危险性', '可能性'],
    conditional: ['如果', '要是', '万一', '一旦', '一但', '假如', '倘若', '若是', '如若', '假设', '如', '若'],
    completed: lexicon.completed ?? [],
    consult: lexicon.consult ?? [],
    request: lexicon.request ?? [],
    outcome: lexicon.outcome ?? [],
    resolved: lexicon.resolved ?? [],
    redress: lexicon.redress ?? [],
    // "差点翻了", "差一点被骗", "险些摔下去": told as what almost happened, it did not.
    nearMiss: ['差点', '差点儿', '差一点', '差一点点', '险些', '险些儿'],
  };
  for (const m of MARKERS)
    for (const w of markerWords[m]) if (w) add(checkTerm(w, 'LEXICON'), { role: m, entry: -1, index: 0 });
  for (const f of lexicon.figurative ?? []) add(checkTerm(f, 'LEXICON'), { role: 'mask', entry: -1, index: 0 });

  const seen = new Set<string>();
  const entries = c.entries.map((e, index): CompiledEntry => {
    if (!e || typeof e !== 'object') throw invalid(`第 ${index + 1} 个条目无效`);
    if (!e.code || seen.has(e.code)) throw invalid(`条目编码缺失或重复：${e.code}`, e.code);
    seen.add(e.code);
    if (!ROUTES.includes(e.route)) throw invalid(`条目 ${e.code} 的去向无效：${e.route}`, e.code);
    if (!ENTRY_KINDS.includes(e.kind)) throw invalid(`条目 ${e.code} 的类型无效：${e.kind}`, e.code);
    if (e.urgentKind && !URGENT_KINDS.includes(e.urgentKind))
      throw invalid(`条目 ${e.code} 的紧急工单类型无效：${e.urgentKind}`, e.code);
    const linkedRoutes = isV2Entry(e)
      ? [...(e.linked ?? []), ...(e.linkedIf ?? []).map(([, r]) => r), ...(e.defers ?? [])]
      : [...(e.linked ?? []), ...(e.linkedIf ?? []).map(([, r]) => r)];
    for (const r of linkedRoutes) if (!ROUTES.includes(r)) throw invalid(`条目 ${e.code} 的联动去向无效：${r}`, e.code);
    if (isV2Entry(e)) {
      if (!e.terms.length) throw invalid(`条目 ${e.code} 没有识别词语`, e.code);
      if (e.harm && !HARMS.includes(e.harm)) throw invalid(`条目 ${e.code} 的危害对象无效：${e.harm}`, e.code);
      const w = e.weight ?? 1;
      if (!(w > 0 && w <= 5)) throw invalid(`条目 ${e.code} 的权重须在 0–5 之间`, e.code);
      const reg = (list: string[] | undefined, role: Role, i = 0) =>
        (list ?? []).forEach((t) => add(checkTerm(t, e.code), { role, entry: index, index: i }));
      reg(e.terms, 'term');
      reg(e.cues, 'cue');
      reg(e.context, 'context');
      reg(e.exclude, 'exclude');
      reg(e.urgentIf, 'urgentIf');
      reg(e.calmIf, 'calmIf');
      (e.linkedIf ?? []).forEach(([terms, _r], i) => {
        if (!Array.isArray(terms)) throw invalid(`条目 ${e.code} 的 linkedIf 须为 [词语列表, 去向]`, e.code);
        reg(terms, 'linkedIf', i);
      });
      return { entry: e, index, v1: null, weight: w };
    }
    const v1 = e as CatalogueEntryV1;
    if (!v1.patterns?.length || v1.patterns.some((p) => !p.trim()))
      throw invalid(`条目 ${e.code} 没有识别表达式`, e.code);
    return {
      entry: e,
      index,
      weight: 1,
      v1: {
        patterns: v1.patterns.map((p) => compileRegex(p, e.code)),
        context: (v1.context ?? []).map((p) => compileRegex(p, e.code)),
        exclude: (v1.exclude ?? []).map((p) => compileRegex(p, e.code)),
        linkedIf: (v1.linkedIf ?? []).map(([p, r]) => [compileRegex(p, e.code), r] as [RegExp, Route]),
        urgentIf: v1.urgentIf ? compileRegex(v1.urgentIf, e.code) : null,
      },
    };
  });
  for (const l of literals) {
    l.insideRefs = l.refs.filter((x) => x.role === 'context' || x.role === 'exclude');
    l.flags = flagsOf(l.refs);
  }
  for (const c of composites) c.flags = flagsOf(c.refs);
  return { version: c.version, entries, v1Entries: entries.filter((e) => e.v1), trie, literals, composites };
}

/** The same check as a Result, for the publication API. */
export function checkCatalogue(c: Catalogue, lexicon: Lexicon): Result<CompiledCatalogue> {
  try {
    return ok(compileCatalogue(c, lexicon));
  } catch (err) {
    if (err instanceof CatalogueError)
      return fail(err.code, err.message, err.entryCode ? { entry: err.entryCode } : undefined);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------
// Scanning a reading

export interface Hit {
  entry: CompiledEntry;
  role: 'term' | 'cue';
  clause: number;
  start: number;
  end: number;
  text: string;
  modality: Modality;
  /** The clause says it is going on now ("正在", "还在", "在撬"). */
  ongoing: boolean;
  /** The sentence says it is over or the offender gone ("就跑了", "已扑灭"). */
  completed: boolean;
  /** A police record's outcome ("民警到场后…"), not the event reported. */
  outcome: boolean;
  /** A clause that says what the request wants ("希望…", "请…"). */
  request: boolean;
  /** The clause or an earlier one of its sentence says "now" or "today". */
  toldNow: boolean;
  /** Told as what almost happened ("差点翻了", "险些相撞"): negated, though a hazard may remain. */
  nearMiss: boolean;
}

interface Found {
  start: number;
  end: number;
  /** Where the event word is (a composite's second part), for negation and conditions before it. */
  at: number;
  refs: Ref[];
  /** F_* bits of its refs. */
  flags: number;
  composite?: boolean;
  /** A composite's first part ends here. */
  firstEnd?: number;
}

const F_MASK = 1,
  F_WORD = 2,
  F_MARKER = 4,
  F_NOW = 8;
function flagsOf(refs: Ref[]): number {
  let f = 0;
  for (const x of refs) {
    if (x.role === 'mask') f |= F_MASK;
    else if (x.role === 'term' || x.role === 'cue') f |= F_WORD;
    if (x.entry === -1 && x.role !== 'mask') f |= F_MARKER;
    if (x.role === 'present' || x.role === 'today') f |= F_NOW;
  }
  return f;
}

/** How a clause tells what is in it (markers found, the time and mode carried from before). */
export interface ClauseState {
  negatorEnds: number[];
  /** Where each near-miss word ("差点", "险些") stands: what it tells of almost happened. */
  nearMisses: { start: number; end: number }[];
  hypotheticalEnds: number[];
  hypotheticalAfterStarts: number[];
  /** An earlier clause of the sentence set a condition ("如果…，"). */
  conditionalBefore: boolean;
  consult: boolean;
  /**
   * The question is carried from an earlier clause ("请问…，"), and this clause opens with who it is
   * about ("我…", "孩子…", "邻居…"): it tells of someone, not of the question. A danger told so is not
   * discounted as a question ("请问安眠药吃多少会死，我已经不想活了").
   */
  ownVoice: boolean;
  /** A record's outcome, or a resolved record's clause not told as going on. */
  past: boolean;
  /**
   * Past only because the record says something was resolved elsewhere in it ("持刀学生已被控制"), with
   * no time of its own and no outcome: an injury told in it may still be bleeding now.
   */
  pastByResolution: boolean;
  /** The clause names its own past or habitual time (rather than carrying the one before). */
  anchorOwn: boolean;
  anchor: 'past' | 'habitual' | null;
  /** "Now" said in this clause or earlier in its sentence. */
  goingOn: boolean;
  /** "Now" or "today" said in this clause or earlier in its sentence (what a long text must say of a danger). */
  toldNow: boolean;
  completed: boolean;
  outcome: boolean;
  request: boolean;
}

/** The injured person is in care, or out of danger: a record's resolution then covers the injury too. */
const INJURED_IN_CARE =
  /已送医|送往医院|送到医院|送医院|已就医|已包扎|包扎好|无生命危险|已脱险|脱离危险|现已安全|已无大碍|救护车已|120已|已被120|已由120|医护人员已|已死亡|已身亡|已经死亡/;

/** The end of a clause that names a matter as a problem or a practice ("…的问题", "…等现象"). */
const NAMED_PROBLEM = /(?:问题|现象|乱象|行为)$/;

/** Words of a routine (a habit by the clock or the calendar), as against a spell of days ("连续三天"). */
const ROUTINE = /每天|每晚|每夜|天天|夜夜|每到|每逢|每周|每个周|每次|经常|总是|老是|一到晚上|一到半夜/;

/** A clause that opens a new matter ("还有就是…", "另外…", "对了，…"). */
const TOPIC_SHIFT =
  /^\s*(?:还有就是|还有一件事|还有个事|还有一个事|另外还有|另外|对了|顺便说一下|顺便说|顺便问|再就是|再有就是|除此之外|此外|另一件事)/;
/**
 * A clause that opens with whom it tells of: the caller ("我", "我们"), someone close or near ("孩子",
 * "老公", "邻居"), a pronoun — after an optional connective or time word ("但是我…", "现在孩子…").
 */
const OWN_SUBJECT =
  /^\s*(?:但是?|可是|而且|现在|今天|刚才|因为|所以|然后|结果|其实|反正)?(?:我|咱|俺|本人|孩子|小孩|娃|儿子|女儿|宝宝|婴儿|老人|老公|老婆|丈夫|妻子|爱人|老伴|爸|妈|父亲|母亲|爷爷|奶奶|外公|外婆|姥姥|姥爷|婆婆|公公|邻居|隔壁|对门|楼上|楼下|他|她|家人|家里人|家里|朋友|同事|同学|室友|有人|有个)/;

/** The modality of the word at `at` (ending at `end`) in a clause. */
export function modalityOf(st: ClauseState, text: string, at: number, end: number): Modality {
  for (const e of st.negatorEnds) if (e <= at && negationReaches(text, e, at)) return 'negated';
  // A near miss just before the word or inside it ("车差点翻了", "差点被车撞了") did not happen.
  if (nearMissAt(st, at, end)) return 'negated';
  if (st.conditionalBefore) return 'hypothetical';
  for (const e of st.hypotheticalEnds) if (e <= at) return 'hypothetical';
  for (const b of st.hypotheticalAfterStarts) if (b >= end && b - end <= 2) return 'hypothetical';
  if (st.consult) return 'consult';
  if (st.past) return 'past';
  return st.anchor ?? 'now';
}

/** Is the word at `at` (ending at `end`) told as what almost happened? */
export function nearMissAt(st: ClauseState, at: number, end: number): boolean {
  return st.nearMisses.some((n) => n.end <= end && n.start >= at - NEAR_MISS_REACH);
}

/** Is the word at `at` going on: "now" in its clause or sentence, or a progressive "在" before the verb. */
export function ongoingAt(st: ClauseState, text: string, at: number): boolean {
  const c = text[at];
  return st.goingOn || c === '在' || c === '正' || text[at - 1] === '在' || text[at - 1] === '正';
}

const BIT = {
  negator: 1,
  past: 2,
  present: 4,
  today: 8,
  habitual: 16,
  hypothetical: 32,
  hypotheticalAfter: 64,
  conditional: 128,
  completed: 256,
  consult: 512,
  request: 1024,
  outcome: 2048,
  resolved: 4096,
  redress: 8192,
  nearMiss: 16384,
} satisfies Record<Marker, number>;

/**
 * An A-not-A question ("是不是漏气了", "有没有人受伤", "会不会倒") asks; it does not deny: the negator
 * stands between the same character twice, and the clause reads as a question.
 */
const asksEitherWay = (text: string, f: Found) => f.start > 0 && text[f.start - 1] === text[f.start + 1];

/** The markers in one clause's found words, in one pass. */
function markersOf(found: Found[], text: string) {
  let bits = 0;
  const negatorEnds: number[] = [];
  const nearMisses: { start: number; end: number }[] = [];
  const hypotheticalEnds: number[] = [];
  const hypotheticalAfterStarts: number[] = [];
  let asks = false;
  let redressOver = false;
  // Past words that only order what happened ("进去之后", "后来"), and the others.
  let sequenceWords = 0;
  let otherPastWords = 0;
  // "就在" names where as often as when ("就在这个路口", "就在车上"); other words for now name when.
  let placeNow = 0;
  let otherNow = 0;
  for (const f of found)
    for (const x of f.refs) {
      if (x.entry !== -1) continue;
      const bit = BIT[x.role as Marker];
      if (bit === undefined) continue;
      if (x.role === 'negator' && asksEitherWay(text, f)) {
        asks = true;
        continue;
      }
      // A time compared with ("今天比昨天又宽了", "比以前更吵") is not the time of the event.
      if ((x.role === 'past' || x.role === 'habitual') && text[f.start - 1] === '比') continue;
      // "不赔钱就…" is a threat's condition, not a question of who pays ("不赔钱就把店点了").
      if (x.role === 'redress' && /^(?:他|她|我|你|我们|他们)?就/.test(text.slice(f.end, f.end + 3))) continue;
      // "找哪个", "谁管" ask who handles it, which does not say it is over; "谁来赔" does.
      if (x.role === 'redress' && !WHO_HANDLES.test(text.slice(f.start, f.end))) redressOver = true;
      if (x.role === 'past') {
        if (notATimeWord(text, f)) continue;
        if (SEQUENCE.has(text.slice(f.start, f.end))) sequenceWords++;
        else otherPastWords++;
      }
      if (x.role === 'present') {
        if (text.slice(f.start, f.end) === '就在') placeNow++;
        else otherNow++;
      }
      bits |= bit;
      if (x.role === 'negator') negatorEnds.push(f.end);
      else if (x.role === 'nearMiss') nearMisses.push({ start: f.start, end: f.end });
      else if (x.role === 'hypothetical' || x.role === 'conditional') hypotheticalEnds.push(f.end);
      else if (x.role === 'hypotheticalAfter') hypotheticalAfterStarts.push(f.start);
    }
  const sequenceOnly = sequenceWords > 0 && otherPastWords === 0;
  const placeNowOnly = placeNow > 0 && otherNow === 0;
  return {
    bits,
    negatorEnds,
    nearMisses,
    hypotheticalEnds,
    hypotheticalAfterStarts,
    asks,
    sequenceOnly,
    redressOver,
    placeNowOnly,
  };
}

export interface Scan {
  hits: Hit[];
  /** linkedIf: routes whose trigger words are present now, with the words. */
  linkedIf: { entry: CompiledEntry; route: Route; text: string }[];
  /** urgentIf: entries whose words are present and not negated. */
  urgentIf: Set<CompiledEntry>;
  /** calmIf: dangers told as not having hurt anyone ("无人受伤"). */
  calmed: Set<CompiledEntry>;
  clauses: ClauseState[];
  /** The last sentence (of the body) that asks about redress ("该找哪个", "谁来赔"); −1 when none. */
  redressSentence: number;
  /**
   * The last sentence with a question that tells the event as over (who pays, who answers for it, whether
   * to call the police); not one that only asks who handles it ("找哪个"). −1 when none.
   */
  overSentence: number;
  /** A clause of the body says "now" or "today", not as a habit ("今天到现在还没回来"). */
  bodyToldNow: boolean;
  /**
   * Sentences of the body with a clause that says "now" (not as a habit): Chinese marks the time of a
   * sentence once, in any of its clauses ("翻到阳台栏杆外面站起，一直在挥手"; "敲门没人应，…，现在喊声没有了").
   */
  presentSentences: Set<number>;
}

/** Finds every word of the catalogue and lexicon in each clause and reads each found word's modality. */
export function scan(cat: CompiledCatalogue, r: Reading): Scan {
  const text = r.text;
  const perClause: Found[][] = r.clauses.map(() => []);
  // 1. Literals, clause by clause, on word boundaries (a single character only as a whole word).
  type Lit = { id: number; start: number; end: number; clause: number };
  const lits: Lit[] = [];
  /** Literals that are the first part of a composite, by clause. */
  const firsts: Lit[][] = r.clauses.map(() => []);
  const trie = cat.trie;
  for (let ci = 0; ci < r.clauses.length; ci++) {
    const cl = r.clauses[ci]!;
    const found = perClause[ci]!;
    for (let i = cl.start; i < cl.end; i++) {
      if (!trie.starts[text.charCodeAt(i)]) continue;
      let node = 0;
      for (let j = i; j < cl.end; j++) {
        node = trie.child(node, text.charCodeAt(j));
        if (node < 0) break;
        const ends = trie.ends[node];
        if (!ends || !onWordBoundaries(r, i, j + 1)) continue;
        // A single character stands alone only as a whole word; as part of a composite it may be inside one.
        const whole = j > i || (r.wordStart[i] === i && r.wordEnd[i] === i + 1);
        for (let k = 0; k < ends.length; k++) {
          const id = ends[k]!;
          const lit = cat.literals[id]!;
          if (lit.secondOf.length || lit.firstOf.length) {
            const part = { id, start: i, end: j + 1, clause: ci };
            if (lit.secondOf.length) lits.push(part);
            if (lit.firstOf.length) firsts[ci]!.push(part);
          }
          if (!lit.refs.length) continue;
          // Context and exclusion words may lie inside a word ("有人" holds the person "人").
          if (whole) found.push({ start: i, end: j + 1, at: i, refs: lit.refs, flags: lit.flags });
          else if (lit.insideRefs.length) found.push({ start: i, end: j + 1, at: i, refs: lit.insideRefs, flags: 0 });
        }
      }
    }
    // Format 1 entries: their expressions, within the clause.
    if (!cat.v1Entries.length) continue;
    const clauseText = text.slice(cl.start, cl.end);
    for (const ce of cat.v1Entries) {
      if (!ce.v1) continue;
      for (const p of ce.v1.patterns) {
        p.lastIndex = 0;
        for (let m = p.exec(clauseText); m; m = p.exec(clauseText)) {
          if (m[0].length === 0) {
            p.lastIndex += 1;
            continue;
          }
          const st = cl.start + m.index;
          if (onWordBoundaries(r, st, st + m[0].length))
            found.push({
              start: st,
              end: st + m[0].length,
              at: st,
              refs: [{ role: 'term', entry: ce.index, index: 0 }],
              flags: F_WORD,
            });
        }
      }
    }
  }
  // Composites ("身份证…扣留"): the two parts in order, in one clause or in two neighbouring clauses of a
  // sentence ("喝了酒，还开车走了"), the nearest first part before the second; found in the second part's clause.
  for (const l of lits) {
    const lit = cat.literals[l.id]!;
    for (const comp of lit.secondOf) {
      const sentence = r.clauses[l.clause]!.sentence;
      let best: Lit | null = null;
      for (let c = Math.max(0, l.clause - 1); c <= l.clause; c++) {
        if (r.clauses[c]!.sentence !== sentence) continue;
        for (const a of firsts[c]!)
          if (
            a.end <= l.start &&
            l.start - a.end <= cat.composites[comp]!.gap &&
            cat.literals[a.id]!.firstOf.includes(comp) &&
            (!best || a.start > best.start)
          )
            best = a;
      }
      if (best)
        perClause[l.clause]!.push({
          start: best.start,
          end: l.end,
          at: l.start,
          refs: cat.composites[comp]!.refs,
          flags: cat.composites[comp]!.flags,
          composite: true,
          firstEnd: best.end,
        });
    }
  }

  // 2. Masks (figures of speech) hide what lies within them; a marker inside a longer word of the
  //    catalogue is part of that word ("一动不动" is not "动不动"), except a word for now ("正在偷").
  // A composite whose first part lies in a figure, in its own clause or the one before, is hidden too:
  // "说法互相打架，两头都办不了" tells of no blow to the head (打…头).
  const maskSpans = perClause.flatMap((found) => found.filter((m) => m.flags & F_MASK));
  const firstInFigure = (f: Found) =>
    maskSpans.some((m) => m.start <= f.start && (f.firstEnd ?? f.at) <= m.end && m.end <= f.at);
  for (const found of perClause) {
    let all = 0;
    for (const f of found) all |= f.flags;
    if (maskSpans.length)
      for (let k = 0; k < found.length; k++) {
        const f = found[k]!;
        if (f.composite && !(f.flags & F_MASK) && firstInFigure(f)) {
          const refs = f.refs.filter((x) => x.entry === -1 && x.role !== 'mask');
          found[k] = { ...f, refs, flags: flagsOf(refs) };
        }
      }
    if (all & F_MASK)
      for (let k = 0; k < found.length; k++) {
        const f = found[k]!;
        // A figure inside a longer one is part of it: "油烟" (fumes, not smoke) inside "油烟机" (a
        // kitchen hood) says nothing of fumes, and does not undo a fire told beside it.
        const mask = (f.flags & F_MASK) !== 0;
        // A composite is hidden when its event word (the second part) lies in the figure ("偷偷").
        const from = f.composite ? f.at : f.start;
        for (const m of found)
          if (
            m !== f &&
            m.flags & F_MASK &&
            m.start <= from &&
            f.end <= m.end &&
            (!mask || m.end - m.start > f.end - f.start)
          ) {
            const refs = f.refs.filter((x) => x.entry === -1 && x.role !== 'mask');
            found[k] = { ...f, refs, flags: flagsOf(refs) };
            break;
          }
      }
    if (!(all & F_WORD) || !(all & F_MARKER)) continue;
    for (let k = 0; k < found.length; k++) {
      const f = found[k]!;
      if (!(f.flags & F_MARKER) || f.flags & F_NOW) continue;
      for (const w of found)
        if (
          w !== f &&
          w.flags & F_WORD &&
          !w.composite &&
          w.start <= f.start &&
          f.end <= w.end &&
          w.end - w.start > f.end - f.start
        ) {
          const refs = f.refs.filter((x) => x.entry !== -1);
          found[k] = { ...f, refs, flags: flagsOf(refs) };
          break;
        }
    }
  }

  // 3. Clause states. A time marker sets the time of what follows in its sentence ("昨晚，…"; "每天…");
  //    "now" or "today" sets it back ("…，刚刚…"); a sentence that says nothing of its time continues
  //    the one before. A condition ("如果", "一旦") makes the rest of its sentence hypothetical; a
  //    question the clause it is in and the next; a record's outcome everything after it.
  const marks = perClause.map((found) => markersOf(found, text));
  const sentenceMarks = new Int32Array(r.sentences);
  r.clauses.forEach((cl, ci) => (sentenceMarks[cl.sentence]! |= marks[ci]!.bits));
  // In a sentence told in the past ("上个月我的钱包就在车上被人偷了"; "10月17日傍晚，就在这个路口发生了一起车祸"),
  // "就在" says where it happened, not that it is happening.
  for (let ci = 0; ci < marks.length; ci++) {
    const m = marks[ci]!;
    if (m.placeNowOnly && sentenceMarks[r.clauses[ci]!.sentence]! & BIT.past) m.bits &= ~BIT.present;
  }
  const states: ClauseState[] = [];
  let sentence = -1;
  let anchor: 'past' | 'habitual' | null = null;
  let conditional = false;
  let presentInSentence = false;
  let todayInSentence = false;
  let consultLeft = 0;
  let outcomeFrom = Infinity;
  let requestInSentence = false;
  // A record that says the matter is resolved ("秩序恢复", "已带回") tells an event already handled:
  // what it does not say is going on now is past.
  const resolved = r.clauses.some((cl, ci) => !cl.title && marks[ci]!.bits & BIT.resolved);
  const TIME = BIT.present | BIT.today | BIT.past | BIT.habitual;
  let redressSentence = -1;
  let overSentence = -1;
  let bodyToldNow = false;
  const presentSentences = new Set<number>();
  r.clauses.forEach((cl, ci) => {
    const bits = marks[ci]!.bits;
    if (cl.title) return;
    if (bits & BIT.redress) redressSentence = cl.sentence;
    if (marks[ci]!.redressOver) overSentence = cl.sentence;
    if (bits & (BIT.present | BIT.today) && !(bits & BIT.habitual)) bodyToldNow = true;
    if (bits & BIT.present && !(bits & BIT.habitual)) presentSentences.add(cl.sentence);
  });
  r.clauses.forEach((cl, ci) => {
    const m = marks[ci]!;
    const bits = m.bits;
    if (cl.sentence !== sentence) {
      sentence = cl.sentence;
      // A sentence that says nothing of its time continues the one before, "today" too ("今天早上开始就
      // 没有声音了。敲门没人应"); one that names a time, or a title, starts afresh.
      const ownTime = (sentenceMarks[sentence]! & TIME) !== 0 || cl.title;
      if (ownTime) anchor = null;
      conditional = false;
      presentInSentence = false;
      todayInSentence = todayInSentence && !ownTime && anchor === null;
      consultLeft = 0;
      requestInSentence = false;
    }
    const present = (bits & BIT.present) !== 0;
    if (present) presentInSentence = true;
    const now = present || (bits & BIT.today) !== 0;
    if (now) todayInSentence = true;
    if (now) anchor = null;
    // An aside in brackets ("（患病三年）") tells of the person, not of when the event happened.
    if (!cl.aside) {
      if (bits & BIT.habitual) anchor = 'habitual';
      // "刚才进了婆婆家，进去之后门就关了": after "now", a word that orders the events keeps them now.
      else if (bits & BIT.past && !(m.sequenceOnly && todayInSentence)) anchor = 'past';
    }
    if (bits & BIT.outcome && !cl.title) outcomeFrom = Math.min(outcomeFrom, cl.start);
    if (bits & BIT.request) requestInSentence = true;
    const clauseText = text.slice(cl.start, cl.end);
    // A new matter ("还有就是…", "另外…", "对了…") ends the time and the question told before it: what
    // a complaint said of its own nuisance ("天天") does not carry to the next matter.
    if (TOPIC_SHIFT.test(clauseText)) {
      if (!now && !(bits & (BIT.past | BIT.habitual))) anchor = null;
      consultLeft = 0;
    }
    const carried = consultLeft > 0 && !(bits & BIT.consult);
    if (bits & BIT.consult) consultLeft = 2;
    // An A-not-A question asks in its own clause only ("是不是漏气了"); "请问" asks of the next too.
    const consult = (consultLeft > 0 || m.asks) && !present;
    consultLeft = Math.max(0, consultLeft - 1);
    const ownVoice = carried && !m.asks && OWN_SUBJECT.test(clauseText);
    const isOutcome = cl.start >= outcomeFrom;
    states.push({
      negatorEnds: m.negatorEnds,
      nearMisses: m.nearMisses,
      hypotheticalEnds: m.hypotheticalEnds,
      hypotheticalAfterStarts: m.hypotheticalAfterStarts,
      conditionalBefore: conditional,
      consult,
      ownVoice,
      // …except in a sentence that says it is going on now ("现在的情况是，…我让他停车他不停")
      past: isOutcome || (resolved && !present && !presentInSentence),
      pastByResolution: !isOutcome && resolved && !present && !presentInSentence && !anchor,
      anchorOwn: !cl.aside && (bits & (BIT.habitual | BIT.past)) !== 0,
      anchor: now ? null : anchor,
      goingOn: presentInSentence,
      toldNow: todayInSentence,
      completed: (sentenceMarks[sentence]! & BIT.completed) !== 0,
      outcome: isOutcome,
      request: requestInSentence,
    });
    if (bits & BIT.conditional) conditional = true;
  });

  /** Where each sentence starts. */
  const sentenceStart: number[] = [];
  for (const cl of r.clauses) if (sentenceStart[cl.sentence] === undefined) sentenceStart[cl.sentence] = cl.start;

  // 4. Entry words with their modality; context and exclusion within the sentence.
  const hits: Hit[] = [];
  const linkedIf: Scan['linkedIf'] = [];
  const urgentIf = new Set<CompiledEntry>();
  const calmed = new Set<CompiledEntry>();
  // Context and exclusion words present, by sentence: entry × 2 (+1 for exclusion).
  const sentenceWords: Set<number>[] = [];
  for (let k = 0; k < r.sentences; k++) sentenceWords.push(new Set());
  // A word inside an address names a place ("天生街道", "某某社区"): no topic, no person, no exclusion.
  const inPlace = (f: Found) => r.places.some(([a, b]) => a <= f.start && f.end <= b);
  for (let ci = 0; ci < perClause.length; ci++) {
    const set = sentenceWords[r.clauses[ci]!.sentence]!;
    for (const f of perClause[ci]!)
      if (!inPlace(f))
        for (const x of f.refs)
          if (x.role === 'context') set.add(x.entry * 2);
          else if (x.role === 'exclude') set.add(x.entry * 2 + 1);
  }
  perClause.forEach((found, ci) => {
    const cl = r.clauses[ci]!;
    const st = states[ci]!;
    const inThisSentence = sentenceWords[cl.sentence]!;
    for (const f of found) {
      for (const ref of f.refs) {
        if (ref.entry < 0) continue;
        const ce = cat.entries[ref.entry]!;
        let modality = modalityOf(st, text, f.at, f.end);
        // "摔倒过", "被打过": told as something that has happened before, not as what is happening.
        if (modality === 'now' && experienced(text, f.end)) modality = 'past';
        // A request that names the matter as a problem ("建议管一下外卖电瓶车逆行和闯红灯的问题") asks about
        // it: it tells no event.
        if (modality === 'now' && st.request && NAMED_PROBLEM.test(text.slice(f.end, cl.end))) modality = 'consult';
        // A composite reaching back into the clause before takes that clause's past: "去年车棚里的电瓶车
        // 被偷了，到现在车棚都还没装监控" — the "now" of the second clause is of what it says, not of the theft.
        let told = st;
        if (modality === 'now' && f.composite && ci > 0 && f.start < cl.start) {
          const before = states[ci - 1]!;
          if (before.anchorOwn && modalityOf(before, text, f.start, f.firstEnd ?? f.at) === 'past') {
            modality = 'past';
            told = before;
          }
        }
        // A habit named in an earlier clause does not reach a verb told in progress in its own ("连续下了三天
        // 雨，我们屋后面的山坡在往下垮泥巴"): that is happening now.
        // A routine named before ("每天半夜十二点过，…都有七八辆摩托在飙车") is the habit the verb in progress
        // belongs to: it stays a habit.
        if (
          modality === 'habitual' &&
          !st.anchorOwn &&
          (text[f.at - 1] === '在' || text[f.at - 1] === '正') &&
          !ROUTINE.test(text.slice(sentenceStart[cl.sentence]!, cl.start))
        )
          modality = 'now';
        // Someone's intent or state told in their own clause after a question ("请问…，我不想活了",
        // "想咨询一下，孩子现在嘴唇发紫") is what is happening, not the question: a danger keeps its time.
        if (modality === 'consult' && st.ownVoice && ce.entry.kind === 'danger')
          modality = st.past ? 'past' : (st.anchor ?? 'now');
        // A wound told in a record that is resolved only because the attacker is held ("被刺伤腹部，出血较
        // 多，持刀学生已被控制") still bleeds: what was resolved is the threat, not the injury — unless the
        // record says the injured person is in care.
        if (
          modality === 'past' &&
          st.pastByResolution &&
          ce.entry.kind === 'danger' &&
          ce.entry.route === '120' &&
          !INJURED_IN_CARE.test(text)
        )
          modality = 'now';
        if (ref.role === 'linkedIf') {
          if (modality === 'now')
            linkedIf.push({
              entry: ce,
              route: (ce.entry as CatalogueEntryV2).linkedIf![ref.index]![1],
              text: text.slice(f.start, f.end),
            });
          continue;
        }
        if (ref.role === 'urgentIf') {
          if (modality !== 'negated') urgentIf.add(ce);
          continue;
        }
        if (ref.role === 'calmIf') {
          if (modality === 'negated') calmed.add(ce);
          continue;
        }
        if (ref.role !== 'term' && ref.role !== 'cue') continue;
        if (inPlace(f)) continue;
        if (ce.v1) {
          if (ce.v1.context.length && !anyMatch(ce.v1.context, text)) continue;
          if (ce.v1.exclude.length && anyMatch(ce.v1.exclude, text)) continue;
        } else {
          const e = ce.entry as CatalogueEntryV2;
          // Who or what an event is about may be named in the sentence before ("我女儿今年14岁…。她手机
          // 关机…"): a pronoun carries it on.
          if (
            e.context?.length &&
            !inThisSentence.has(ce.index * 2) &&
            !(cl.sentence > 0 && sentenceWords[cl.sentence - 1]!.has(ce.index * 2))
          )
            continue;
          if (e.exclude?.length && inThisSentence.has(ce.index * 2 + 1)) continue;
        }
        hits.push({
          entry: ce,
          role: ref.role,
          clause: ci,
          start: f.start,
          end: f.end,
          text: text.slice(f.start, f.end),
          modality: ce.v1 ? v1Modality(ce.entry as CatalogueEntryV1, modality) : modality,
          ongoing: told === st ? ongoingAt(st, text, f.at) : ongoingAt(told, text, f.start),
          toldNow: told.toldNow,
          completed: st.completed,
          outcome: st.outcome,
          request: st.request,
          nearMiss: modality === 'negated' && nearMissAt(st, f.at, f.end),
        });
      }
    }
  });
  // Format 1 linkedIf and urgentIf: anywhere in the text, not negated.
  for (const ce of cat.v1Entries) {
    if (!ce.v1) continue;
    for (const [p, route] of ce.v1.linkedIf) {
      p.lastIndex = 0;
      const m = p.exec(text);
      if (m) linkedIf.push({ entry: ce, route, text: m[0] });
    }
    if (ce.v1.urgentIf) {
      ce.v1.urgentIf.lastIndex = 0;
      if (ce.v1.urgentIf.test(text)) urgentIf.add(ce);
    }
  }
  return {
    hits,
    linkedIf,
    urgentIf,
    calmed,
    clauses: states,
    redressSentence,
    overSentence,
    bodyToldNow,
    presentSentences,
  };
}

function anyMatch(list: RegExp[], text: string): boolean {
  for (const p of list) {
    p.lastIndex = 0;
    if (p.test(text)) return true;
  }
  return false;
}

/** Format 1's flags: negation only where the entry allows it; past only where it is past-sensitive. */
function v1Modality(e: CatalogueEntryV1, m: Modality): Modality {
  if (m === 'negated' && !e.negatable) return 'now';
  if ((m === 'past' || m === 'habitual') && e.kind === 'danger' && !e.pastSensitive) return 'now';
  return m;
}

export type { CatalogueEntry };
