/**
 * 并单 candidates: which open orders are the same matter told again — by another caller, on another
 * channel (国办函〔2025〕66号: repeated requests are merged). Similar text (the same topic in other words),
 * near in place and near in time; each part is scored 0–1 and weighted into one similarity.
 */

/** Han characters and letters/digits of a text, NFKC and lower case; punctuation and spaces dropped. */
export function mergeText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, '');
}

/** Character bigram counts (unigrams for a one-character text). */
export function charBigrams(s: string): Map<string, number> {
  const t = mergeText(s);
  const out = new Map<string, number>();
  if (t.length === 1) out.set(t, 1);
  for (let i = 0; i + 1 < t.length; i++) {
    const g = t.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/**
 * Cosine of two texts' bigram vectors, each bigram weighted by `idf` (a bigram common to every order —
 * 来电, 反映 — says nothing of the topic). Without `idf`, raw counts.
 */
export function textSimilarity(
  a: Map<string, number>,
  b: Map<string, number>,
  idf: (gram: string) => number = () => 1,
): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (const [g, x] of a) {
    const w = idf(g);
    na += (x * w) ** 2;
    const y = b.get(g);
    if (y) dot += x * y * w * w;
  }
  for (const [g, y] of b) nb += (y * idf(g)) ** 2;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** How many documents hold each term (a background corpus's, kept to weigh a few neighbours by). */
export interface TermCounts {
  n: number;
  df: Map<string, number>;
}
export function termCounts(docs: Map<string, number>[]): TermCounts {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of d.keys()) df.set(g, (df.get(g) ?? 0) + 1);
  return { n: docs.length, df };
}

/**
 * Smoothed inverse document frequency (as scikit-learn's default) over a set of texts and, when given,
 * a background corpus's counts: a handful of neighbours alone cannot tell 晚上 from 摊贩.
 */
export function bigramIdf(docs: Map<string, number>[], background?: TermCounts): (gram: string) => number {
  const own = termCounts(docs);
  const n = own.n + (background?.n ?? 0);
  return (g) => Math.log((1 + n) / (1 + (own.df.get(g) ?? 0) + (background?.df.get(g) ?? 0))) + 1;
}

/**
 * A text's terms for comparing topics: its character bigrams and its words (`cut` gives the words' end
 * offsets, as the triage segmenter does), with the place names taken out first — two orders at one
 * street corner share its name whatever they are about; the place is scored apart.
 */
export function mergeTerms(text: string, places: readonly string[], cut?: (s: string) => ArrayLike<number>) {
  let t = text.normalize('NFKC');
  for (const p of [...places].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length))
    t = t.split(p).join('，');
  const terms = charBigrams(t);
  if (cut) {
    let start = 0;
    for (const end of Array.from(cut(t))) {
      const w = t.slice(start, end);
      start = end;
      if (/[\p{Script=Han}\p{L}\p{N}]/u.test(w)) terms.set(`w:${w}`, (terms.get(`w:${w}`) ?? 0) + 1);
    }
  }
  return terms;
}

export interface MergePlace {
  districtCode: string | null;
  streetCode: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
}

/** Metres between two points (haversine). */
export function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lng - a.lng) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * 0–1: the same point (within 200 m) or the same address 1; the same street, or addresses sharing most
 * of their characters, 0.7; the same district 0.4; farther or unknown 0.
 */
export function placeSimilarity(a: MergePlace, b: MergePlace): number {
  if (a.lat !== null && a.lng !== null && b.lat !== null && b.lng !== null) {
    const d = metres({ lat: a.lat, lng: a.lng }, { lat: b.lat, lng: b.lng });
    if (d <= 200) return 1;
    if (d <= 1000) return 0.7;
  }
  const aa = mergeText(a.address),
    ba = mergeText(b.address);
  if (aa && aa === ba) return 1;
  const addressNear = aa.length >= 4 && ba.length >= 4 && textSimilarity(charBigrams(aa), charBigrams(ba)) >= 0.6;
  if (addressNear || (a.streetCode && a.streetCode === b.streetCode)) return 0.7;
  if (a.districtCode && a.districtCode === b.districtCode) return 0.4;
  return 0;
}

/** 0–1: the same day 1, halving every three days apart. */
export function timeSimilarity(a: Date, b: Date): number {
  const days = Math.abs(a.getTime() - b.getTime()) / 86_400_000;
  return days <= 1 ? 1 : 0.5 ** ((days - 1) / 3);
}

export const MERGE_WEIGHTS = { text: 0.6, place: 0.25, time: 0.15 } as const;

export interface MergeScore {
  score: number;
  text: number;
  place: number;
  time: number;
}

/**
 * The one similarity: weighted text, place and time, the text part counted in full only when the topic
 * is the same (an order near in place and time about something else is not a duplicate).
 */
export function mergeScore(parts: { text: number; place: number; time: number; sameCategory: boolean }): MergeScore {
  const text = Math.min(1, parts.text + (parts.sameCategory ? 0.1 : 0));
  const score =
    MERGE_WEIGHTS.text * text + (MERGE_WEIGHTS.place * parts.place + MERGE_WEIGHTS.time * parts.time) * text ** 0.5;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { score: r(score), text: r(parts.text), place: r(parts.place), time: r(parts.time) };
}
