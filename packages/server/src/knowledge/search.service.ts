/**
 * Knowledge search: a caller's words → normalised (dialect, typos, synonyms, homophones) → jieba tokens
 * → a plan weighted by how rare each word is → PostgreSQL full-text search over what is published, in
 * effect today and applies in the caller's district → the candidates scored by how much of the
 * question they cover → ranked results with highlighted snippets, and whether the best one answers.
 */
import {
  answers,
  beijingDate,
  bodyText,
  makeSnippet,
  planQuery,
  scoreCandidate,
  termWeight,
  type ArticleContent,
  type KnowledgeAnalyzer,
  type Scored,
  type SearchPlan,
  type SpellingCorrector,
} from '@liandong/domain';
import type { Db, Queryable } from '../db/pool.ts';
import { createCorrector, getKnowledgeAnalyzer } from './analyzer.ts';
import { indexGeneration, loadVocabulary, searchIndex, upsertSearchRow, type SearchHit } from './search.repo.ts';

/** Today's date in Beijing time (articles take and lose effect by the calendar day in China). */
export const beijingDay = (at: Date = new Date()): string => beijingDate(at);

export interface SearchOptions {
  district?: string | null;
  limit?: number;
  /** The day to judge effect on (YYYY-MM-DD); today in Beijing by default. */
  day?: string;
  topic?: string | null;
}

export interface SearchResult {
  articleId: string;
  version: number;
  title: string;
  snippet: string;
  score: number;
  coverage: number;
  titleCoverage: number;
  phrasing: number;
  titleWeight: number;
  answer: string;
  topic: string;
  department: string;
  districts: string[];
  sourceRef: string | null;
  effectiveFrom: string;
  expiresAt: string | null;
}

export interface SearchOutcome {
  items: SearchResult[];
  /** Whether the best result answers the question (the chat's "I don't know" when false). */
  answerable: boolean;
  plan: SearchPlan;
  corrections: [string, string][];
}

/** Candidates taken from the database before scoring by coverage. */
const CANDIDATES = 30;
const VOCABULARY_CHECK_MS = 2000;
const PHRASING_CACHE = 50_000;

/** What the index holds for a version: its tokens by field. */
export function indexTokens(analyzer: KnowledgeAnalyzer, c: ArticleContent) {
  return {
    title: [c.title, ...c.questions].flatMap((s) => analyzer.tokens(s)),
    answer: analyzer.tokens(c.answer),
    body: analyzer.tokens(bodyText(c.body)),
    meta: analyzer.tokens(`${c.topic} ${c.department}`),
  };
}

/** Puts a published version into the index (in the caller's transaction). */
export async function indexVersion(
  db: Queryable,
  articleId: string,
  version: number,
  c: ArticleContent,
): Promise<void> {
  await upsertSearchRow(
    db,
    {
      articleId,
      version,
      title: c.title,
      topic: c.topic,
      department: c.department,
      districts: c.districts,
      effectiveFrom: c.effectiveFrom,
      expiresAt: c.expiresAt,
      sourceRef: c.sourceRef,
      questions: c.questions,
      answer: c.answer,
      bodyText: bodyText(c.body),
    },
    indexTokens(getKnowledgeAnalyzer(), c),
  );
}

export class KnowledgeSearch {
  private readonly analyzer = getKnowledgeAnalyzer();
  private vocabulary: Awaited<ReturnType<typeof loadVocabulary>> | null = null;
  private corrector: SpellingCorrector | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;
  private readonly phrasingCache = new Map<string, string[][]>();

  constructor(
    private readonly db: Db,
    private readonly today: () => string = () => beijingDay(),
  ) {}

  /** Word statistics, reloaded when another process (or this one) has changed the index. */
  private async ensureVocabulary(): Promise<void> {
    const now = Date.now();
    if (this.vocabulary && now - this.checkedAt < VOCABULARY_CHECK_MS) return;
    this.loading ??= (async () => {
      const generation = await indexGeneration(this.db);
      if (!this.vocabulary || generation !== this.vocabulary.generation) {
        this.vocabulary = await loadVocabulary(this.db);
        this.corrector = createCorrector(this.vocabulary.df);
      }
      this.checkedAt = Date.now();
    })().finally(() => {
      this.loading = null;
    });
    await this.loading;
  }

  /** Forget the word statistics (after this process changed the index). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  async search(text: string, opts: SearchOptions = {}): Promise<SearchOutcome> {
    await this.ensureVocabulary();
    const vocab = this.vocabulary!;
    const normalised = this.analyzer.normalise(text);
    const { text: corrected, corrections } = this.corrector!.correct(normalised);
    const plan = planQuery(this.analyzer.queryWords(corrected), vocab);
    const limit = opts.limit ?? 5;
    const hits = await searchIndex(this.db, {
      match: plan.retrieve,
      flags: plan.match,
      day: opts.day ?? this.today(),
      district: opts.district ?? null,
      limit: Math.max(CANDIDATES, limit),
      topic: opts.topic ?? null,
    });
    const weightOf = (t: string) => termWeight(t, vocab);
    const scored = hits
      .map((h) => ({
        h,
        s: scoreCandidate(
          plan,
          {
            rank: h.rank,
            matched: h.matched,
            matchedTitle: h.matched_title,
            matchedAnswer: h.matched_answer,
            phrasings: this.phrasings(h),
          },
          weightOf,
        ),
      }))
      .sort((a, b) => b.s.score - a.s.score || b.h.rank - a.h.rank || a.h.article_id.localeCompare(b.h.article_id))
      .slice(0, limit);
    const highlight = plan.match.map((t) => ({ surfaces: this.analyzer.surfaces(t.term), weight: t.weight }));
    const items = scored.map(({ h, s }) => this.present(h, s, highlight));
    return { items, answerable: scored.length > 0 && answers(scored[0]!.s), plan, corrections };
  }

  /** Tokens of a result's title and phrasings, kept per article version. */
  private phrasings(h: SearchHit): string[][] {
    const key = `${h.article_id}:${h.version}`;
    let p = this.phrasingCache.get(key);
    if (!p) {
      p = [h.title, ...h.questions].map((s) => this.analyzer.queryWords(this.analyzer.normalise(s)).map((w) => w.word));
      if (this.phrasingCache.size > PHRASING_CACHE) this.phrasingCache.clear();
      this.phrasingCache.set(key, p);
    }
    return p;
  }

  private present(h: SearchHit, s: Scored, highlight: { surfaces: string[]; weight: number }[]): SearchResult {
    return {
      articleId: h.article_id,
      version: h.version,
      title: h.title,
      snippet: makeSnippet(`${h.answer} ${h.body_text}`, highlight),
      score: s.score,
      coverage: Math.round(s.coverage * 1000) / 1000,
      titleCoverage: Math.round(s.titleCoverage * 1000) / 1000,
      phrasing: Math.round(s.phrasing * 1000) / 1000,
      titleWeight: Math.round(s.titleWeight * 100) / 100,
      answer: h.answer,
      topic: h.topic,
      department: h.department,
      districts: h.districts,
      sourceRef: h.source_ref,
      effectiveFrom: h.effective_from,
      expiresAt: h.expires_at,
    };
  }
}
