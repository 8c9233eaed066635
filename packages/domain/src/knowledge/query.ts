/**
 * From a caller's tokens to a search plan (which words to match, how much each one weighs), and from
 * the database's candidates to a ranking and a decision: answer, or say plainly that nothing fits.
 *
 * A word weighs its inverse document frequency over the articles' titles, callers' phrasings and
 * spoken answers (bodies share boilerplate such as "拨打12345咨询", which would make 12345 weigh
 * nothing). A word the knowledge base does not have still counts against every article: a question
 * about 股票 is not answered by an article that only shares 账户 with it. A match in an article's title
 * or phrasings counts in full, in its spoken answer less, in its body least.
 */

import type { QueryWord } from './analyze.ts';

export interface Vocabulary {
  /** Articles in the index. */
  docs: number;
  /** Word → number of articles that contain it anywhere. */
  df: ReadonlyMap<string, number>;
  /** Word → number of articles whose title, phrasings or spoken answer contain it. */
  dfLead: ReadonlyMap<string, number>;
}

export interface QueryTerm {
  term: string;
  /** How much the word tells. */
  weight: number;
  /** Articles holding it anywhere (0: the knowledge base does not have the word). */
  df: number;
}

export interface SearchPlan {
  /** Distinct words of the question, known ones first, heaviest first. */
  terms: QueryTerm[];
  /** Known words whose place in each candidate is checked (the heaviest, at most MAX_MATCH_TERMS). */
  match: QueryTerm[];
  /**
   * Words the index is searched and ranked by: the heaviest known words, as long as the articles they
   * bring in stay within the retrieval budget (a common word would bring in most of the index).
   */
  retrieve: QueryTerm[];
  totalWeight: number;
}

/** One candidate from the index: its text-search score and where it holds each word of `plan.match`. */
export interface Candidate {
  /** Σ weight × ts_rank per matched word, as computed by the database. */
  rank: number;
  /** Present anywhere. */
  matched: boolean[];
  /** In the title or the callers' phrasings (weight A). */
  matchedTitle: boolean[];
  /** In the spoken answer (weight B). */
  matchedAnswer: boolean[];
  /** Tokens of the title and of each callers' phrasing, one list each. */
  phrasings: readonly (readonly string[])[];
}

export interface Scored {
  score: number;
  /** Share of the question's weight the article covers, counting a body match less. */
  coverage: number;
  /** Share of the question's weight in the article's title or phrasings. */
  titleCoverage: number;
  /** Weight matched in the title or phrasings (how much the match says, whatever the question's length). */
  titleWeight: number;
  /** Similarity (0–1) to the closest of the article's title and phrasings: the same question asked in other words. */
  phrasing: number;
}

export const MAX_MATCH_TERMS = 12;
export const MAX_RETRIEVE_TERMS = 6;
/** How many articles the retrieval words may bring in, together: at least this many, or this share of the index. */
const RETRIEVE_BUDGET_MIN = 500;
const RETRIEVE_BUDGET_SHARE = 0.05;
/** Credit for a word found only in the spoken answer, or only in the body. */
const ANSWER_CREDIT = 0.75;
const BODY_CREDIT = 0.45;
/** A single character tells less than a word. */
const SINGLE_CHAR_SHARE = 0.6;
/** An unknown word weighs this share of a word found in a single article. */
const UNKNOWN_SHARE = 0.7;
/**
 * …or, by its part of speech: a thing the question is about (a noun: 狗, 公务员, 商标) that no article
 * mentions says the question is about something else; a pronoun, number, time or adverb (咋, 今天, 三年,
 * 天天) says little.
 */
const UNKNOWN_CONTENT_SHARE = 1.0;
const UNKNOWN_FUNCTION_SHARE = 0.3;
const CONTENT_POS = /^(n|nz|ng|nr|nrt|ns|nt|vn|l|i|eng|j)$/;
const FUNCTION_POS = /^(r|rr|rz|m|mq|t|tg|q|d|f|u.*|y|p|c|e|o|z|ad|dg|s)$/;

function unknownShare(pos: string | undefined): number {
  if (!pos) return UNKNOWN_SHARE;
  if (CONTENT_POS.test(pos)) return UNKNOWN_CONTENT_SHARE;
  if (FUNCTION_POS.test(pos)) return UNKNOWN_FUNCTION_SHARE;
  return UNKNOWN_SHARE;
}

export function idf(df: number, docs: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/** How much a word tells. */
export function termWeight(term: string, vocab: Vocabulary, pos?: string): number {
  const docs = Math.max(vocab.docs, 1);
  const lead = vocab.dfLead.get(term) ?? 0;
  const base = lead > 0 ? idf(lead, docs) : idf(1, docs) * (vocab.df.has(term) ? UNKNOWN_SHARE : unknownShare(pos));
  return base * ([...term].length === 1 ? SINGLE_CHAR_SHARE : 1);
}

/**
 * A question's words (from precise segmentation: each word once, so 公积金 is not also counted as
 * 公积 and 积金) → the plan. A word the index does not have is replaced by its parts when it has
 * known ones (社会保障卡片 → 社会, 保障 …; its unknown parts stay, as unknown words), else kept as an
 * unknown word that no article covers.
 */
export function planQuery(words: readonly QueryWord[], vocab: Vocabulary): SearchPlan {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  const add = (term: string, pos?: string) => {
    if (seen.has(term)) return;
    seen.add(term);
    terms.push({ term, weight: termWeight(term, vocab, pos), df: vocab.df.get(term) ?? 0 });
  };
  for (const w of words) {
    const known = w.parts.filter((p) => vocab.df.has(p));
    if (vocab.df.has(w.word) || known.length === 0) add(w.word, w.pos);
    else {
      known.forEach((p) => add(p));
      // A part the index does not have still counts against every article (商标注册 → 注册, and 商标
      // unknown), unless the known parts hold all its characters but one (社保卡片 → 社保卡, not 卡片).
      const held = new Set(known.flatMap((p) => [...p]));
      for (const p of w.parts) if (!vocab.df.has(p) && [...p].filter((ch) => !held.has(ch)).length >= 2) add(p, w.pos);
    }
  }
  terms.sort((a, b) => Number(b.df > 0) - Number(a.df > 0) || b.weight - a.weight);
  const match = terms.filter((t) => t.df > 0).slice(0, MAX_MATCH_TERMS);
  // The heaviest words first, while the articles they bring in stay within the budget (at least one word).
  const budget = Math.max(RETRIEVE_BUDGET_MIN, vocab.docs * RETRIEVE_BUDGET_SHARE);
  const retrieve: QueryTerm[] = [];
  let postings = 0;
  for (const t of match) {
    if (retrieve.length >= MAX_RETRIEVE_TERMS || (retrieve.length > 0 && postings + t.df > budget)) break;
    retrieve.push(t);
    postings += t.df;
  }
  const totalWeight = terms.reduce((s, t) => s + t.weight, 0);
  return { terms, match, retrieve, totalWeight };
}

/**
 * Weighted cosine between the question and the closest phrasing (binary term frequency): a phrasing
 * that shares the question's heavy words and little else is the same question in other words.
 */
export function phrasingSimilarity(
  plan: SearchPlan,
  phrasings: readonly (readonly string[])[],
  weightOf: (term: string) => number,
): number {
  if (plan.totalWeight <= 0) return 0;
  const q = new Map(plan.terms.map((t) => [t.term, t.weight]));
  let best = 0;
  for (const p of phrasings) {
    let shared = 0;
    let own = 0;
    for (const t of new Set(p)) {
      const w = q.get(t) ?? weightOf(t);
      own += w;
      if (q.has(t)) shared += w;
    }
    if (own > 0) best = Math.max(best, shared / Math.sqrt(own * plan.totalWeight));
  }
  return best;
}

/** The score shown and ranked by (0–1). */
export function scoreCandidate(plan: SearchPlan, c: Candidate, weightOf: (term: string) => number): Scored {
  if (plan.totalWeight <= 0) return { score: 0, coverage: 0, titleCoverage: 0, titleWeight: 0, phrasing: 0 };
  let credit = 0;
  let titleWeight = 0;
  plan.match.forEach((t, i) => {
    if (c.matchedTitle[i]) {
      credit += t.weight;
      titleWeight += t.weight;
    } else if (c.matchedAnswer[i]) credit += t.weight * ANSWER_CREDIT;
    else if (c.matched[i]) credit += t.weight * BODY_CREDIT;
  });
  const coverage = credit / plan.totalWeight;
  const titleCoverage = titleWeight / plan.totalWeight;
  const maxRank = plan.match.reduce((s, t) => s + t.weight, 0) || 1;
  const rank = Math.min(1, c.rank / maxRank);
  const phrasing = phrasingSimilarity(plan, c.phrasings, weightOf);
  const score =
    SCORE_WEIGHTS.coverage * coverage +
    SCORE_WEIGHTS.titleCoverage * titleCoverage +
    SCORE_WEIGHTS.phrasing * phrasing +
    SCORE_WEIGHTS.rank * rank;
  return { score: Math.round(score * 10_000) / 10_000, coverage, titleCoverage, titleWeight, phrasing };
}

export const SCORE_WEIGHTS = { coverage: 0.35, titleCoverage: 0.15, phrasing: 0.4, rank: 0.1 } as const;

/** Below these the best article does not answer the question: the chat says it does not know. */
export const ANSWER_THRESHOLDS = {
  score: 0.4,
  coverage: 0.45,
  titleCoverage: 0.3,
  phrasing: 0.45,
  titleWeight: 4,
} as const;

export function answers(s: Scored): boolean {
  const t = ANSWER_THRESHOLDS;
  return (
    s.score >= t.score &&
    s.coverage >= t.coverage &&
    s.titleCoverage >= t.titleCoverage &&
    s.phrasing >= t.phrasing &&
    s.titleWeight >= t.titleWeight
  );
}
