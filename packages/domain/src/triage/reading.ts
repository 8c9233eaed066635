/**
 * A request as the engine reads it: normalised and cleaned, the title apart from the body, split into
 * sentences and clauses, with the segmenter's word boundaries so that patterns match whole words.
 */
import { createCleaner } from './clean.ts';
import { createNormaliser } from './normalize.ts';
import type { Lexicon } from './types.ts';

/** Cuts a text into words: the end offset of each word, in order (the last is the text's length). */
export type TriageSegmenter = (text: string) => ArrayLike<number>;

export interface Clause {
  start: number;
  end: number;
  sentence: number;
  title: boolean;
  /** Inside brackets: an aside about someone or something, not the event's course. */
  aside: boolean;
}

export interface Reading {
  /** The cleaned text: the title (when there is one), a line break, then the body. */
  text: string;
  /** [0, titleEnd) is the title; 0 when there is none. */
  titleEnd: number;
  /** Characters of the body (the length rule for long texts counts these). */
  bodyLength: number;
  /** The end offset of each word. */
  wordEnds: ArrayLike<number>;
  /** For each character: where its word starts and ends. */
  wordStart: Int32Array;
  wordEnd: Int32Array;
  clauses: Clause[];
  sentences: number;
  /**
   * Addresses ("北碚区天生街道", "渝北区回兴街道某社区"): [start, end) pairs. A word inside one names where,
   * not who or what ("街道" there is no street office, "社区" no community worker).
   */
  places: [number, number][];
}

/** A named street, town or community after its district or county. */
const PLACE =
  /[区县](?:[\u4e00-\u9fa5]{2,4}?(?:街道|镇|乡))(?:[\u4e00-\u9fa5]{2,5}?(?:社区|村))?|[区县][\u4e00-\u9fa5]{2,4}?(?:社区|村)/g;

function placesOf(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(PLACE)) out.push([m.index + 1, m.index + m[0].length]);
  return out;
}

const BREAK = new Uint8Array(65536);
for (const ch of '，,。；;！!？?\n、：: ()（）[]【】《》“”"\'') BREAK[ch.charCodeAt(0)] = 1;
for (const ch of '。；;！!？?\n') BREAK[ch.charCodeAt(0)] = 2;
const TITLE_PREFIX = /^(?:标题|主题|题目)[:：]\s*/;
const BODY_PREFIX = /(?:^|\n)(?:内容|正文|诉求内容|留言内容)[:：]\s*/;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/**
 * A heading inside the body ("关于孩子被同学欺负的求助", "投诉：…"): it names the matter as a topic and
 * tells no event of its own; it reads as a title.
 */
const HEADING =
  /^(?:关于[^，,。！？!?；;]{2,40}的(?:问题|求助|投诉|建议|反映|诉求|咨询|意见|请求|举报)|(?:投诉|建议|咨询|求助|询问|反映)[:：][^，,。！？!?；;\n]{2,40})$/;

export class Reader {
  private readonly normalise: (s: string) => string;
  private readonly clean: (s: string) => string;
  constructor(
    lexicon: Lexicon,
    private readonly segment: TriageSegmenter,
    toSimplified?: (s: string) => string,
  ) {
    this.normalise = createNormaliser(lexicon, toSimplified);
    this.clean = createCleaner(lexicon);
  }

  normaliseText(s: string): string {
    return this.normalise(s);
  }

  /** Normalised and cleaned (no title split): what the model and the corpus checks see. */
  cleanText(s: string): string {
    return this.clean(this.normalise(s));
  }

  read(text: string, title: string | null): Reading {
    let body = this.normalise(text);
    let head = title ? this.normalise(title) : '';
    if (!head) {
      // A leading title line: short, unpunctuated at its end, before a longer body.
      const m = body.match(TITLE_PREFIX);
      const nl = body.indexOf('\n');
      if (m && nl > 0) {
        head = body.slice(m[0].length, nl);
        body = body.slice(nl + 1);
      } else if (nl > 0 && nl <= 40 && body.length - nl > 2 * nl && !/[。！？!?；;，,]$/.test(body.slice(0, nl))) {
        head = body.slice(0, nl);
        body = body.slice(nl + 1);
      }
    }
    body = this.clean(body.replace(BODY_PREFIX, '\n'));
    head = head ? this.clean(head.replace(TITLE_PREFIX, '')) : '';
    const full = head ? `${head}\n${body}` : body;
    const titleEnd = head ? head.length : 0;
    const wordEnds = full ? this.segment(full) : [];
    const n = full.length;
    const wordStart = new Int32Array(n);
    const wordEnd = new Int32Array(n);
    let pos = 0;
    for (let w = 0; w < wordEnds.length; w++) {
      const end = Math.min(n, wordEnds[w]!);
      for (let i = pos; i < end; i++) {
        wordStart[i] = pos;
        wordEnd[i] = end;
      }
      if (end > pos) pos = end;
    }
    for (let i = pos; i < n; i++) {
      // A segmenter that did not cover the text: the rest is one character per word.
      wordStart[i] = i;
      wordEnd[i] = i + 1;
    }
    const clauses: Clause[] = [];
    let sentence = 0;
    let start = 0;
    let depth = 0;
    for (let i = 0; i <= n; i++) {
      // An ellipsis ("……", read as dots once normalised) ends a sentence: "都没批……算了，我不想活了".
      const dots =
        i < n &&
        (full.charCodeAt(i) === 0x2026 ||
          (full.charCodeAt(i) === 0x2e && (full.charCodeAt(i + 1) === 0x2e || full.charCodeAt(i - 1) === 0x2e)));
      const kind = i < n ? (dots ? 2 : BREAK[full.charCodeAt(i)]!) : 2;
      if (!kind) continue;
      const c = full.charCodeAt(i);
      // A decimal point or a time ("3.5万", "8:30") does not break a clause.
      if ((c === 0x2e || c === 0x3a) && isDigit(full.charCodeAt(i - 1)) && isDigit(full.charCodeAt(i + 1))) continue;
      if (i > start)
        clauses.push({
          start,
          end: i,
          sentence,
          title:
            start < titleEnd ||
            (c === 0x0a && (start === 0 || full.charCodeAt(start - 1) === 0x0a) && HEADING.test(full.slice(start, i))),
          aside: depth > 0,
        });
      if (c === 0x28 || c === 0xff08 || c === 0x3010 || c === 0x5b) depth++;
      else if ((c === 0x29 || c === 0xff09 || c === 0x3011 || c === 0x5d) && depth > 0) depth--;
      start = i + 1;
      if (kind === 2 || i === titleEnd) {
        sentence += 1;
        depth = 0;
      }
    }
    sentence -= 1;
    return {
      text: full,
      titleEnd,
      bodyLength: body.length,
      wordEnds,
      wordStart,
      wordEnd,
      clauses,
      sentences: sentence + 1,
      places: placesOf(full),
    };
  }
}

/** Grammatical particles a word may carry before a pattern ("被盗|走" still holds "盗走"). */
const PARTICLES = new Set([...'被了着过给把在的地得将遭又就都还也才已']);
/** Place and aspect endings a word may carry after a pattern ("水|里头" still holds "水里"). */
const SUFFIXES = new Set([...'里头上下边面了着过去来到住走掉起的']);

/**
 * Does [start, end) lie on word boundaries? A word may contain the whole match ("借酒滋事" holds
 * "滋事"), but a match may not cut into a word (杨先生|孩子 does not hold "生孩子"; 被|打扰 does not hold
 * "被打"), except to leave out one grammatical particle before it or a place or aspect ending after it.
 */
export function onWordBoundaries(r: Reading, start: number, end: number): boolean {
  if (end <= start) return false;
  const ws = r.wordStart[start]!;
  const we = r.wordEnd[end - 1]!;
  if (ws < start && r.wordEnd[start]! < end) {
    // Allowed: a particle left out before the match ("被盗|走"), or a particle the segmenter glued to
    // the word before ("包被|抢" in "包包被抢": the match begins with the particle).
    const glued = r.wordEnd[start]! - start === 1 && PARTICLES.has(r.text[start]!);
    if (!(start - ws === 1 && PARTICLES.has(r.text[ws]!)) && !glued) return false;
  }
  if (we > end && r.wordStart[end - 1]! > start) {
    if (we - end > 2) return false;
    for (let i = end; i < we; i++) if (!SUFFIXES.has(r.text[i]!)) return false;
  }
  return true;
}

/** The words of a reading, as strings (for tools and tests; the engine works on offsets). */
export function wordsOf(r: Reading): string[] {
  const out: string[] = [];
  let start = 0;
  for (let w = 0; w < r.wordEnds.length; w++) {
    out.push(r.text.slice(start, r.wordEnds[w]));
    start = r.wordEnds[w]!;
  }
  return out;
}
