/**
 * What the dispatch model reads of an order: words (from the segmenter, or the spaces of a text that
 * comes already segmented), the title's words apart, word bigrams, character n-grams within clauses
 * (spaces skipped, so a raw and a segmented text give the same ones) and the district. Which of these
 * a model uses is its feature set; `dispatch train` measures several and keeps the best.
 */
import type { FeatureBag } from '../../learn/hashing.ts';
import { hashCodes, hashRange, hashString } from '../../learn/hashing.ts';

/** Word end offsets of a text (the domain's DictionarySegmenter.cut, or jieba's). */
export type WordCutter = (text: string) => ArrayLike<number>;

export interface FeatureSet {
  words: boolean;
  wordBigrams: boolean;
  /** Character n-gram lengths (1–3). */
  chars: number[];
  district: boolean;
}

/** The variants `train` measures, by name. */
export const FEATURE_VARIANTS: Record<string, FeatureSet> = {
  words: { words: true, wordBigrams: false, chars: [], district: true },
  'words+bigrams': { words: true, wordBigrams: true, chars: [], district: true },
  'chars1-3': { words: false, wordBigrams: false, chars: [1, 2, 3], district: true },
  'words+chars2': { words: true, wordBigrams: false, chars: [2], district: true },
  'words+chars2-3': { words: true, wordBigrams: false, chars: [2, 3], district: true },
};

const NS_WORD = 11,
  NS_TITLE = 12,
  NS_WBIGRAM = 13,
  NS_CHAR = 20,
  NS_DISTRICT = 30;

/** A long text is read at its opening and its end (where the request is). */
const HEAD_CHARS = 600,
  TAIL_CHARS = 300;

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}
/** Han, Latin letters and digits: what features are made of. */
function meaningful(c: number): boolean {
  return isHan(c) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
}

/** NFKC (full-width → half-width), lower case, an injected traditional → simplified conversion. */
export function normaliseOrderText(s: string, toSimplified?: (s: string) => string): string {
  let t = s.normalize('NFKC').toLowerCase();
  if (toSimplified) t = toSimplified(t);
  if (t.length > HEAD_CHARS + TAIL_CHARS) t = `${t.slice(0, HEAD_CHARS)}\n${t.slice(t.length - TAIL_CHARS)}`;
  return t;
}

/** Does the text come segmented (words separated by spaces)? Han characters next to spaces decide. */
export function looksSegmented(s: string): boolean {
  let han = 0,
    gaps = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHan(c)) han++;
    else if (c === 0x20 && i > 0 && i + 1 < s.length && isHan(s.charCodeAt(i - 1)) && isHan(s.charCodeAt(i + 1)))
      gaps++;
  }
  return han >= 4 && gaps * 4 >= han;
}

/** Word end offsets: the spaces of a segmented text, else the cutter's. */
function wordEnds(s: string, cut: WordCutter): ArrayLike<number> {
  if (!looksSegmented(s)) return cut(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09) {
      if (out.length === 0 || out[out.length - 1]! < i) out.push(i);
      out.push(i + 1);
    }
  }
  if (out[out.length - 1] !== s.length) out.push(s.length);
  return Int32Array.from(out);
}

function addText(s: string, ns: number, set: FeatureSet, cut: WordCutter, bag: FeatureBag): void {
  if (set.words || set.wordBigrams) {
    const ends = wordEnds(s, cut);
    let start = 0;
    let prev = 0;
    for (let w = 0; w < ends.length; w++) {
      const end = ends[w]!;
      if (end > start && meaningful(s.charCodeAt(start))) {
        const h = hashRange(ns, s, start, end);
        if (set.words) bag.add(h, 1);
        if (set.wordBigrams && prev !== 0) bag.add(hashCodes(NS_WBIGRAM, prev & 0xffff, prev >>> 16, h & 0xffff), 0.5);
        prev = h;
      } else if (end > start && s.charCodeAt(start) !== 0x20) prev = 0;
      start = end;
    }
  }
  if (set.chars.length) {
    // The last three meaningful characters of the clause (spaces do not end a clause; punctuation does).
    let a = -1,
      b = -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20) continue;
      if (!meaningful(c)) {
        a = b = -1;
        continue;
      }
      for (const n of set.chars) {
        if (n === 1 && isHan(c)) bag.add(hashCodes(NS_CHAR + 1, c), 0.5);
        else if (n === 2 && b >= 0) bag.add(hashCodes(NS_CHAR + 2, b, c), 0.5);
        else if (n === 3 && a >= 0) bag.add(hashCodes(NS_CHAR + 3, a, b, c), 0.5);
      }
      a = b;
      b = c;
    }
  }
}

/** The features of an order (normalised text and title), into `bag` (cleared first). */
export function orderFeatures(
  text: string,
  title: string | null,
  district: string | null,
  set: FeatureSet,
  cut: WordCutter,
  bag: FeatureBag,
): FeatureBag {
  bag.clear();
  if (title) addText(title, NS_TITLE, set, cut, bag);
  addText(text, NS_WORD, set, cut, bag);
  if (set.district && district) bag.add(hashString(NS_DISTRICT, district), 1);
  return bag;
}
