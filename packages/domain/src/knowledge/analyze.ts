/**
 * Text analysis for the knowledge base, the same for articles and for what a caller says: full-width →
 * half-width, traditional → simplified (injected), lower case, Chongqing dialect and common typos →
 * standard words, synonyms → one canonical word (医疗保险 → 医保), then segmentation (injected jieba)
 * into search tokens without punctuation or stop words.
 *
 * Tokens hold only Han characters, Latin letters and digits, so PostgreSQL's default text-search
 * parser reads each one as a single word whatever the cluster's locale (in the C locale it counts a
 * full-width comma as a letter; in C.UTF-8 it does not — joining our own clean tokens with spaces
 * makes both answer alike).
 */

export interface KnowledgeLexicon {
  about?: string;
  /** Each group: the canonical word first, then words that mean the same to a caller. */
  synonyms: string[][];
  /** Chongqing dialect → standard Mandarin (啷个 → 怎么). */
  dialect: [string, string][];
  /** Common typos → the intended word (社宝 → 社保). */
  typos: [string, string][];
  /** Words that carry no meaning for search (的, 请问, 怎么办 …). */
  stopwords: string[];
  /** Words the segmenter must keep whole (社保卡, 居住证 …). */
  words: string[];
}

export type Segmenter = (text: string) => string[];

export interface AnalyzerDeps {
  lexicon: KnowledgeLexicon;
  /** Segmentation in search mode (jieba cutForSearch: whole words and their dictionary parts), for articles. */
  segment: Segmenter;
  /** Precise segmentation (jieba cut), for questions: each word once. Search mode when not given. */
  segmentPrecise?: Segmenter;
  /**
   * Precise segmentation with parts of speech (jieba tag: n noun, v verb, r pronoun, m numeral, t time
   * …), for questions; preferred to `segmentPrecise` when given.
   */
  segmentTagged?: (text: string) => { word: string; tag: string }[];
  toSimplified?: (s: string) => string;
}

/** A word of a question, with its dictionary parts (used when the index does not have the whole word). */
export interface QueryWord {
  word: string;
  parts: string[];
  /** Part of speech (jieba's tags), when the segmenter gives it. */
  pos?: string;
}

const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{200D}]/gu;
/** A search token: Han characters, Latin letters and digits only. */
export const TOKEN = /^[\p{Script=Han}a-z0-9]+$/u;
const SEPARATORS = /[^\p{Script=Han}a-z0-9]+/gu;

export interface KnowledgeAnalyzer {
  /** Normalised text (before segmentation): what both tokens and spelling correction read. */
  normalise(text: string): string;
  /** Search tokens of a text, in order, repeats kept (term frequency counts). */
  tokens(text: string): string[];
  /** Tokens of already normalised text. */
  tokensOfNormalised(text: string): string[];
  /** The words of a question (normalised text), each once in order, with their parts. */
  queryWords(text: string): QueryWord[];
  /** Surface forms to highlight for a canonical token (the token and the words that map to it). */
  surfaces(token: string): string[];
  isStopword(token: string): boolean;
  /** The canonical word of a synonym, or the word itself. */
  canonical(word: string): string;
}

/** Replaces, longest match first, every `from` in the text by its `to`. */
export function replacer(pairs: readonly (readonly [string, string])[]): (s: string) => string {
  const sorted = [...pairs].filter(([f]) => f.length > 0).sort((a, b) => b[0].length - a[0].length);
  const byFirst = new Map<string, (readonly [string, string])[]>();
  for (const p of sorted) {
    const c = p[0][0]!;
    const list = byFirst.get(c);
    if (list) list.push(p);
    else byFirst.set(c, [p]);
  }
  return (s: string) => {
    let out = '';
    for (let i = 0; i < s.length;) {
      const candidates = byFirst.get(s[i]!);
      const hit = candidates?.find(([from]) => s.startsWith(from, i));
      if (hit) {
        out += hit[1];
        i += hit[0].length;
      } else {
        out += s[i];
        i += 1;
      }
    }
    return out;
  };
}

export function createKnowledgeAnalyzer(deps: AnalyzerDeps): KnowledgeAnalyzer {
  const { lexicon, segment } = deps;
  const toSimplified = deps.toSimplified ?? ((s: string) => s);
  const stop = new Set(lexicon.stopwords);
  const canonicalOf = new Map<string, string>();
  const synonymPairs: [string, string][] = [];
  for (const group of lexicon.synonyms) {
    const [head, ...rest] = group;
    if (!head) continue;
    for (const w of rest) {
      canonicalOf.set(w, head);
      synonymPairs.push([w, head]);
    }
  }
  const fixWords = replacer([...lexicon.typos, ...lexicon.dialect]);
  const toCanonical = replacer(synonymPairs);
  const surfaceMap = new Map<string, Set<string>>();
  const addSurface = (canon: string, surface: string) => {
    const s = surfaceMap.get(canon) ?? new Set<string>();
    s.add(surface);
    surfaceMap.set(canon, s);
  };
  for (const [w, head] of synonymPairs) addSurface(head, w);

  const normalise = (text: string): string => {
    const s = toSimplified(text.normalize('NFKC')).toLowerCase().replace(EMOJI, '').replace(/\s+/g, ' ').trim();
    return toCanonical(fixWords(s));
  };
  // Each run of word characters is segmented on its own: punctuation never reaches the output.
  const runs = (text: string) => text.split(SEPARATORS).filter(Boolean);
  const keep = (t: string) => TOKEN.test(t) && !stop.has(t);
  const tokensOfNormalised = (text: string): string[] => runs(text).flatMap((run) => segment(run).filter(keep));
  const precise = deps.segmentPrecise;
  const tagged = deps.segmentTagged ?? (precise ? (s: string) => precise(s).map((word) => ({ word, tag: '' })) : null);
  const queryWords = (text: string): QueryWord[] => {
    if (!tagged) return [...new Set(tokensOfNormalised(text))].map((word) => ({ word, parts: [] }));
    const seen = new Set<string>();
    const out: QueryWord[] = [];
    for (const run of runs(text)) {
      for (const { word, tag } of tagged(run)) {
        if (!keep(word) || seen.has(word)) continue;
        seen.add(word);
        const parts = word.length > 2 ? segment(word).filter((p) => p !== word && keep(p)) : [];
        out.push(tag ? { word, parts, pos: tag } : { word, parts });
      }
    }
    return out;
  };
  return {
    normalise,
    tokensOfNormalised,
    queryWords,
    tokens: (text) => tokensOfNormalised(normalise(text)),
    surfaces: (token) => [token, ...(surfaceMap.get(token) ?? [])],
    isStopword: (t) => stop.has(t),
    canonical: (w) => canonicalOf.get(w) ?? w,
  };
}
