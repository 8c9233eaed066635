/**
 * The search index in PostgreSQL: one row per published article with its tsvector (our own jieba
 * tokens, joined by spaces, into to_tsvector('simple', …)), a GIN index, and the query that filters
 * by what is in effect and where, and ranks by inverse-document-frequency-weighted ts_rank.
 */
import type { QueryTerm } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import type { ContentColumns } from './articles.repo.ts';

export interface IndexedFields {
  /** Tokens of the title and the callers' phrasings (weight A). */
  title: string[];
  /** Tokens of the suggested spoken answer (weight B). */
  answer: string[];
  /** Tokens of the body (weight C). */
  body: string[];
  /** Tokens of the topic and department (weight D). */
  meta: string[];
}

export async function upsertSearchRow(
  db: Queryable,
  row: {
    articleId: string;
    version: number;
    title: string;
    topic: string;
    department: string;
    districts: string[];
    effectiveFrom: string;
    expiresAt: string | null;
    sourceRef: string | null;
    questions: string[];
    answer: string;
    bodyText: string;
  },
  t: IndexedFields,
): Promise<void> {
  await db.query(
    `INSERT INTO knowledge_search (article_id, version, topic, districts, effective_from, expires_at, search_vector)
     VALUES ($1, $2, $3, $4, $5, $6,
       setweight(to_tsvector('simple', $7), 'A') || setweight(to_tsvector('simple', $8), 'B')
       || setweight(to_tsvector('simple', $9), 'C') || setweight(to_tsvector('simple', $10), 'D'))
     ON CONFLICT (article_id) DO UPDATE SET version = EXCLUDED.version, topic = EXCLUDED.topic,
       districts = EXCLUDED.districts, effective_from = EXCLUDED.effective_from, expires_at = EXCLUDED.expires_at,
       search_vector = EXCLUDED.search_vector`,
    [
      row.articleId,
      row.version,
      row.topic,
      row.districts,
      row.effectiveFrom,
      row.expiresAt,
      t.title.join(' '),
      t.answer.join(' '),
      t.body.join(' '),
      t.meta.join(' '),
    ],
  );
  await db.query(
    `INSERT INTO knowledge_search_texts (article_id, title, department, source_ref, questions, answer, body_text)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, department = EXCLUDED.department,
       source_ref = EXCLUDED.source_ref, questions = EXCLUDED.questions, answer = EXCLUDED.answer,
       body_text = EXCLUDED.body_text`,
    [row.articleId, row.title, row.department, row.sourceRef, row.questions, row.answer, row.bodyText],
  );
}

export async function deleteSearchRow(db: Queryable, articleId: string): Promise<void> {
  await db.query('DELETE FROM knowledge_search WHERE article_id = $1', [articleId]);
}

export async function indexGeneration(db: Queryable): Promise<number> {
  const r = await db.query<{ generation: number }>('SELECT generation FROM knowledge_index_state');
  return r.rows[0]?.generation ?? 0;
}

/** Document frequency of every word in the index (the weights of a question's words). */
export async function loadVocabulary(
  db: Queryable,
): Promise<{ docs: number; df: Map<string, number>; dfLead: Map<string, number>; generation: number }> {
  const generation = await indexGeneration(db);
  const docs = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM knowledge_search')).rows[0]!.n;
  const all = await db.query<{ word: string; ndoc: number }>(
    `SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM knowledge_search')`,
  );
  // Title, phrasings and spoken answer only (weights A and B).
  const lead = await db.query<{ word: string; ndoc: number }>(
    `SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM knowledge_search', 'ab')`,
  );
  return {
    docs,
    df: new Map(all.rows.map((x) => [x.word, x.ndoc])),
    dfLead: new Map(lead.rows.map((x) => [x.word, x.ndoc])),
    generation,
  };
}

export interface SearchHit extends ContentColumns {
  article_id: string;
  version: number;
  body_text: string;
  rank: number;
  matched: boolean[];
  matched_title: boolean[];
  matched_answer: boolean[];
}

/** A word as a tsquery operand (our tokens hold only Han characters, Latin letters and digits). */
const lexeme = (t: string) => `'${t.replace(/'/g, "''")}'`;

/** Weights of A (title, phrasings), B (answer), C (body), D (topic, department), as ts_rank wants them: {D, C, B, A}. */
const RANK_WEIGHTS = '{0.05, 0.2, 0.45, 1.0}';

/**
 * Published articles in effect on `day` that apply in `district` (or everywhere when null), holding at
 * least one of the `match` words, best first by Σ weight × ts_rank of each (ranks normalised by
 * document length, 1 + log length); for the best `limit`, where each of the `flags` words stands.
 * Ranking touches only narrow rows; the texts are read for the best ones alone.
 */
export async function searchIndex(
  db: Queryable,
  q: {
    match: readonly QueryTerm[];
    flags: readonly QueryTerm[];
    day: string;
    district: string | null;
    limit: number;
    topic?: string | null;
  },
): Promise<SearchHit[]> {
  if (q.match.length === 0) return [];
  const args: unknown[] = [RANK_WEIGHTS, q.day, q.district, q.limit, q.match.map((t) => lexeme(t.term)).join(' | ')];
  const rankParts = q.match.map((t) => {
    args.push(lexeme(t.term), t.weight);
    return `ts_rank($1::real[], s.search_vector, $${args.length - 1}::tsquery) * $${args.length}::float8`;
  });
  const matched: string[] = [];
  const matchedTitle: string[] = [];
  const matchedAnswer: string[] = [];
  for (const t of q.flags) {
    args.push(lexeme(t.term), `${lexeme(t.term)}:A`, `${lexeme(t.term)}:B`);
    const n = args.length;
    matched.push(`x.search_vector @@ $${n - 2}::tsquery`);
    matchedTitle.push(`x.search_vector @@ $${n - 1}::tsquery`);
    matchedAnswer.push(`x.search_vector @@ $${n}::tsquery`);
  }
  let topicFilter = '';
  if (q.topic) {
    args.push(q.topic);
    topicFilter = ` AND s.topic = $${args.length}`;
  }
  const flags = (list: string[]) => (list.length ? `ARRAY[${list.join(', ')}]` : `'{}'::boolean[]`);
  const r = await db.query<SearchHit>(
    `WITH top AS (
       SELECT s.article_id, (${rankParts.join(' + ')})::float8 AS rank
       FROM knowledge_search s
       WHERE s.search_vector @@ $5::tsquery
         AND s.effective_from <= $2::date AND (s.expires_at IS NULL OR s.expires_at >= $2::date)
         AND ($3::text IS NULL OR s.districts @> '{*}' OR $3::text = ANY (s.districts))${topicFilter}
       ORDER BY rank DESC, s.article_id
       LIMIT $4
     )
     SELECT x.article_id, x.version, t.title, x.topic, t.department, x.districts, x.effective_from, x.expires_at,
       t.source_ref, t.questions, t.answer, t.body_text, top.rank,
       ${flags(matched)} AS matched, ${flags(matchedTitle)} AS matched_title, ${flags(matchedAnswer)} AS matched_answer
     FROM top JOIN knowledge_search x ON x.article_id = top.article_id
       JOIN knowledge_search_texts t ON t.article_id = top.article_id
     ORDER BY top.rank DESC, x.article_id`,
    args,
  );
  return r.rows;
}
