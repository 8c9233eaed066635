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

interface TrieNode {
  next: Map<number, TrieNode>;
  literals: number[] | null;
}

interface Literal {
  text: string;
  refs: Ref[];
  /** Composite terms this literal is the first or second part of. */
  firstOf: number[];
  secondOf: number[];
}
interface Composite {
  refs: Ref[];
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
  root: TrieNode;
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
/** What may stand between a negator and the word it negates ("没有人受伤", "未发现有人员受伤"). */
const NEGATION_GAP = new Set([...'有人员任何再被其他它她他们都也曾发现见到造成出现过']);
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
  return t.toLowerCase().normalize('NFKC').replace(/\.\.\./g, TERM_SPLIT);
}

/** Checks and compiles a catalogue with the lexicon's markers; refuses what cannot be read safely. */
export function compileCatalogue(c: Catalogue, lexicon: Lexicon): CompiledCatalogue {
  const root: TrieNode = { next: new Map(), literals: null };
  const literals: Literal[] = [];
  const byText = new Map<string, number>();
  const composites: Composite[] = [];
  const compositeByText = new Map<string, number>();

  const literal = (text: string): number => {
    let id = byText.get(text);
    if (id !== undefined) return id;
    id = literals.length;
    literals.push({ text, refs: [], firstOf: [], secondOf: [] });
    byText.set(text, id);
    let node = root;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let next = node.next.get(ch);
      if (!next) node.next.set(ch, (next = { next: new Map(), literals: null }));
      node = next;
    }
    (node.literals ??= []).push(id);
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
      composites.push({ refs: [], gap: MAX_GAP });
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
  };
  for (const m of MARKERS) for (const w of markerWords[m]) if (w) add(checkTerm(w, 'LEXICON'), { role: m, entry: -1, index: 0 });
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
      ? [...(e.linked ?? []), ...(e.linkedIf ?? []).map(([, r]) => r)]
      : [...(e.linked ?? []), ...(e.linkedIf ?? []).map(([, r]) => r)];
    for (const r of linkedRoutes)
      if (!ROUTES.includes(r)) throw invalid(`条目 ${e.code} 的联动去向无效：${r}`, e.code);
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
    if (!v1.patterns?.length || v1.patterns.some((p) => !p.trim())) throw invalid(`条目 ${e.code} 没有识别表达式`, e.code);
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
  return { version: c.version, entries, root, literals, composites };
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
}

interface Found {
  start: number;
  end: number;
  /** Where the event word is (a composite's second part), for negation and conditions before it. */
  at: number;
  refs: Ref[];
  composite?: boolean;
}

export interface ClauseState {
  modalityOf(start: number, end: number): Modality;
  ongoing(start: number): boolean;
  completed: boolean;
  outcome: boolean;
  request: boolean;
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
}

const has = (list: Found[], role: Role) => list.some((f) => f.refs.some((r) => r.role === role));

/** Finds every word of the catalogue and lexicon in each clause and reads each found word's modality. */
export function scan(cat: CompiledCatalogue, r: Reading): Scan {
  const text = r.text;
  const perClause: Found[][] = r.clauses.map(() => []);
  // 1. Literals, clause by clause, on word boundaries (a single character only as a whole word).
  const lits: { id: number; start: number; end: number; clause: number }[] = [];
  r.clauses.forEach((cl, ci) => {
    const found = perClause[ci]!;
    for (let i = cl.start; i < cl.end; i++) {
      let node: TrieNode | undefined = cat.root;
      for (let j = i; j < cl.end; j++) {
        node = node.next.get(text.charCodeAt(j));
        if (!node) break;
        if (!node.literals || !onWordBoundaries(r, i, j + 1)) continue;
        // A single character stands alone only as a whole word; as part of a composite it may be inside one.
        const whole = j > i || (r.wordStart[i] === i && r.wordEnd[i] === i + 1);
        for (const id of node.literals) {
          lits.push({ id, start: i, end: j + 1, clause: ci });
          const lit = cat.literals[id]!;
          // Context and exclusion words may lie inside a word ("有人" holds the person "人").
          const refs = whole ? lit.refs : lit.refs.filter((x) => x.role === 'context' || x.role === 'exclude');
          if (refs.length) found.push({ start: i, end: j + 1, at: i, refs });
        }
      }
    }
    // Format 1 entries: their expressions, within the clause.
    const clauseText = text.slice(cl.start, cl.end);
    for (const ce of cat.entries) {
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
            found.push({ start: st, end: st + m[0].length, at: st, refs: [{ role: 'term', entry: ce.index, index: 0 }] });
        }
      }
    }
  });
  // Composites ("身份证…扣留"): the two parts in order, in one clause or in two neighbouring clauses of a
  // sentence ("喝了酒，还开车走了"), the nearest first part before the second; found in the second part's clause.
  for (const l of lits) {
    const lit = cat.literals[l.id]!;
    for (const comp of lit.secondOf) {
      const sentence = r.clauses[l.clause]!.sentence;
      let best: (typeof lits)[number] | null = null;
      for (const a of lits)
        if (
          r.clauses[a.clause]!.sentence === sentence &&
          l.clause - a.clause <= 1 &&
          a.end <= l.start &&
          l.start - a.end <= cat.composites[comp]!.gap &&
          cat.literals[a.id]!.firstOf.includes(comp) &&
          (!best || a.start > best.start)
        )
          best = a;
      if (best)
        perClause[l.clause]!.push({ start: best.start, end: l.end, at: l.start, refs: cat.composites[comp]!.refs, composite: true });
    }
  }

  // 2. Masks (figures of speech) hide what lies within them.
  for (const found of perClause) {
    const masks = found.filter((f) => f.refs.some((x) => x.role === 'mask'));
    if (!masks.length) continue;
    for (let k = found.length - 1; k >= 0; k--) {
      const f = found[k]!;
      if (masks.includes(f)) continue;
      if (masks.some((m) => m.start <= f.start && f.end <= m.end))
        found[k] = { ...f, refs: f.refs.filter((x) => x.entry === -1 && x.role !== 'mask') };
    }
  }

  // A marker inside a longer word of the catalogue is part of that word ("一动不动" is not "动不动"),
  // except a word for now ("正在偷" is going on).
  for (const found of perClause) {
    const words = found.filter((f) => !f.composite && f.refs.some((x) => x.role === 'term' || x.role === 'cue'));
    if (!words.length) continue;
    for (let k = 0; k < found.length; k++) {
      const f = found[k]!;
      if (!f.refs.some((x) => x.entry === -1) || f.refs.some((x) => x.role === 'present' || x.role === 'today')) continue;
      if (words.some((w) => w !== f && w.start <= f.start && f.end <= w.end && w.end - w.start > f.end - f.start))
        found[k] = { ...f, refs: f.refs.filter((x) => x.entry !== -1) };
    }
  }

  // 3. Clause states. A time marker sets the time of what follows in its sentence ("昨晚，…"; "每天…");
  //    "now" or "today" sets it back ("…，刚刚…"); a sentence that says nothing of its time continues
  //    the one before. A condition ("如果", "一旦") makes the rest of its sentence hypothetical; a
  //    question the clause it is in and the next; a record's outcome everything after it.
  const states: ClauseState[] = [];
  let sentence = -1;
  let anchor: 'past' | 'habitual' | null = null;
  let conditional = false;
  let presentInSentence = false;
  let consultLeft = 0;
  let outcomeFrom = Infinity;
  let requestInSentence = false;
  let completedInSentence = false;
  const sentenceFound = new Map<number, Found[]>();
  perClause.forEach((found, ci) => {
    const sn = r.clauses[ci]!.sentence;
    sentenceFound.set(sn, [...(sentenceFound.get(sn) ?? []), ...found]);
  });
  // A record that says the matter is resolved ("秩序恢复", "已带回") tells an event already handled:
  // what it does not say is going on now is past.
  const resolved = perClause.some((f, ci) => !r.clauses[ci]!.title && has(f, 'resolved'));
  r.clauses.forEach((cl, ci) => {
    const found = perClause[ci]!;
    if (cl.sentence !== sentence) {
      sentence = cl.sentence;
      const all = sentenceFound.get(sentence) ?? [];
      const ownTime = ['present', 'today', 'past', 'habitual'].some((m) => has(all, m as Role));
      if (ownTime || cl.title) anchor = null;
      conditional = false;
      presentInSentence = false;
      consultLeft = 0;
      requestInSentence = false;
      completedInSentence = has(all, 'completed');
    }
    const present = has(found, 'present');
    if (present) presentInSentence = true;
    const goingOn = presentInSentence;
    const now = present || has(found, 'today');
    if (now) anchor = null;
    if (has(found, 'habitual')) anchor = 'habitual';
    else if (has(found, 'past')) anchor = 'past';
    if (has(found, 'outcome') && !cl.title) outcomeFrom = Math.min(outcomeFrom, cl.start);
    if (has(found, 'request')) requestInSentence = true;
    if (has(found, 'consult')) consultLeft = 2;
    const consult = consultLeft > 0 && !present;
    consultLeft = Math.max(0, consultLeft - 1);
    const clauseAnchor = now ? null : anchor;
    const negators = found.filter((f) => f.refs.some((x) => x.role === 'negator'));
    const hypos = found.filter((f) => f.refs.some((x) => x.role === 'hypothetical' || x.role === 'conditional'));
    const hypoAfter = found.filter((f) => f.refs.some((x) => x.role === 'hypotheticalAfter'));
    const conditionalBefore = conditional;
    const isOutcome = cl.start >= outcomeFrom;
    const request = requestInSentence;
    states.push({
      modalityOf: (at, end) => {
        if (negators.some((n) => n.end <= at && negationReaches(text, n.end, at))) return 'negated';
        if (
          conditionalBefore ||
          hypos.some((h) => h.end <= at) ||
          hypoAfter.some((h) => h.start >= end && h.start - end <= 2)
        )
          return 'hypothetical';
        if (consult) return 'consult';
        if (isOutcome || (resolved && !present)) return 'past';
        return clauseAnchor ?? 'now';
      },
      // Going on: "now" said in this clause or earlier in the sentence, or a progressive "在" before the verb.
      ongoing: (at) => goingOn || text[at - 1] === '在' || text[at - 1] === '正' || text.slice(at - 2, at) === '正在',
      completed: completedInSentence,
      outcome: isOutcome,
      request,
    });
    if (has(found, 'conditional')) conditional = true;
  });

  // 4. Entry words with their modality; context and exclusion within the sentence.
  const hits: Hit[] = [];
  const linkedIf: Scan['linkedIf'] = [];
  const urgentIf = new Set<CompiledEntry>();
  const calmed = new Set<CompiledEntry>();
  const bySentence = new Map<number, Found[]>();
  perClause.forEach((found, ci) => {
    const s = r.clauses[ci]!.sentence;
    bySentence.set(s, [...(bySentence.get(s) ?? []), ...found]);
  });
  const v1Context = (ce: CompiledEntry, list: RegExp[]) =>
    list.some((p) => {
      p.lastIndex = 0;
      return p.test(text);
    });
  perClause.forEach((found, ci) => {
    const cl = r.clauses[ci]!;
    const st = states[ci]!;
    const sentenceHits = bySentence.get(cl.sentence)!;
    for (const f of found) {
      for (const ref of f.refs) {
        if (ref.entry < 0) continue;
        const ce = cat.entries[ref.entry]!;
        const modality = st.modalityOf(f.at, f.end);
        if (ref.role === 'linkedIf') {
          if (modality === 'now')
            linkedIf.push({ entry: ce, route: (ce.entry as CatalogueEntryV2).linkedIf![ref.index]![1], text: text.slice(f.start, f.end) });
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
        if (ce.v1) {
          if (ce.v1.context.length && !v1Context(ce, ce.v1.context)) continue;
          if (ce.v1.exclude.length && v1Context(ce, ce.v1.exclude)) continue;
        } else {
          const e = ce.entry as CatalogueEntryV2;
          const inSentence = (role: Role) =>
            sentenceHits.some((h) => h !== f && h.refs.some((x) => x.entry === ce.index && x.role === role));
          if (e.context?.length && !inSentence('context')) continue;
          if (e.exclude?.length && inSentence('exclude')) continue;
        }
        hits.push({
          entry: ce,
          role: ref.role,
          clause: ci,
          start: f.start,
          end: f.end,
          text: text.slice(f.start, f.end),
          modality: ce.v1 ? v1Modality(ce.entry as CatalogueEntryV1, modality) : modality,
          ongoing: st.ongoing(f.at),
          completed: st.completed,
          outcome: st.outcome,
          request: st.request,
        });
      }
    }
  });
  // Format 1 linkedIf and urgentIf: anywhere in the text, not negated.
  for (const ce of cat.entries) {
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
  return { hits, linkedIf, urgentIf, calmed, clauses: states };
}

/** Format 1's flags: negation only where the entry allows it; past only where it is past-sensitive. */
function v1Modality(e: CatalogueEntryV1, m: Modality): Modality {
  if (m === 'negated' && !e.negatable) return 'now';
  if ((m === 'past' || m === 'habitual') && e.kind === 'danger' && !e.pastSensitive) return 'now';
  return m;
}

export type { CatalogueEntry };
