/** Knowledge articles, their versions and the history of each version's status. */
import type { ArticleContent, KnowledgeAction, KnowledgeStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export interface ArticleRow {
  id: string;
  owner_unit_id: string | null;
  owner_unit_name: string | null;
  demo: boolean;
  latest_version: number;
  published_version: number | null;
  created_at: Date;
}

/** What a version says, as its columns (knowledge_versions; knowledge_search holds the same, bar the body). */
export interface ContentColumns {
  title: string;
  topic: string;
  department: string;
  districts: string[];
  effective_from: string;
  expires_at: string | null;
  source_ref: string | null;
  questions: string[];
  answer: string;
}

export interface VersionRow extends ContentColumns {
  article_id: string;
  version: number;
  status: KnowledgeStatus;
  based_on: number | null;
  body: string;
  change_note: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: Date;
  status_changed_at: Date;
}

export interface SourceRow {
  ref: string;
  name: string;
  doc_no: string;
  issuer: string;
  issued_on: string;
  read_at: string;
}

const VERSION_COLUMNS = `v.article_id, v.version, v.status, v.based_on, v.title, v.topic, v.department, v.districts,
  v.effective_from, v.expires_at, v.source_ref, v.questions, v.answer, v.body, v.change_note, v.created_by,
  u.display_name AS created_by_name, v.created_at, v.status_changed_at`;

export async function findArticle(db: Queryable, id: string, lock = false): Promise<ArticleRow | null> {
  const r = await db.query<ArticleRow>(
    `SELECT a.id, a.owner_unit_id, un.name AS owner_unit_name, a.demo, a.latest_version, a.published_version, a.created_at
     FROM knowledge_articles a LEFT JOIN units un ON un.id = a.owner_unit_id WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function insertArticle(
  db: Queryable,
  a: { id: string; ownerUnitId: string | null; demo: boolean; createdBy: string | null },
): Promise<void> {
  await db.query('INSERT INTO knowledge_articles (id, owner_unit_id, demo, created_by) VALUES ($1, $2, $3, $4)', [
    a.id,
    a.ownerUnitId,
    a.demo,
    a.createdBy,
  ]);
}

export async function nextArticleId(db: Queryable): Promise<string> {
  const r = await db.query<{ n: number }>(
    `SELECT COALESCE(max((substring(id FROM '^kb-(\\d+)$'))::int), 0) + 1 AS n FROM knowledge_articles WHERE id ~ '^kb-\\d+$'`,
  );
  return `kb-${String(r.rows[0]!.n).padStart(4, '0')}`;
}

export async function insertVersion(
  db: Queryable,
  v: {
    articleId: string;
    version: number;
    status: KnowledgeStatus;
    basedOn: number | null;
    changeNote: string;
    createdBy: string | null;
  },
  c: ArticleContent,
): Promise<void> {
  await db.query(
    `INSERT INTO knowledge_versions (article_id, version, status, based_on, title, topic, department, districts,
       effective_from, expires_at, source_ref, questions, answer, body, change_note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      v.articleId,
      v.version,
      v.status,
      v.basedOn,
      c.title,
      c.topic,
      c.department,
      c.districts,
      c.effectiveFrom,
      c.expiresAt,
      c.sourceRef,
      c.questions,
      c.answer,
      c.body,
      v.changeNote,
      v.createdBy,
    ],
  );
  await db.query('UPDATE knowledge_articles SET latest_version = GREATEST(latest_version, $2) WHERE id = $1', [
    v.articleId,
    v.version,
  ]);
}

export async function findVersion(db: Queryable, articleId: string, version: number): Promise<VersionRow | null> {
  const r = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM knowledge_versions v LEFT JOIN users u ON u.id = v.created_by
     WHERE v.article_id = $1 AND v.version = $2`,
    [articleId, version],
  );
  return r.rows[0] ?? null;
}

export async function listVersions(db: Queryable, articleId: string): Promise<VersionRow[]> {
  const r = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM knowledge_versions v LEFT JOIN users u ON u.id = v.created_by
     WHERE v.article_id = $1 ORDER BY v.version DESC`,
    [articleId],
  );
  return r.rows;
}

/** The open (draft or reviewed) version of an article, if any. */
export async function findOpenVersion(db: Queryable, articleId: string): Promise<VersionRow | null> {
  const r = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM knowledge_versions v LEFT JOIN users u ON u.id = v.created_by
     WHERE v.article_id = $1 AND v.status IN ('draft', 'reviewed')`,
    [articleId],
  );
  return r.rows[0] ?? null;
}

export async function setVersionStatus(
  db: Queryable,
  articleId: string,
  version: number,
  status: KnowledgeStatus,
): Promise<void> {
  await db.query(
    'UPDATE knowledge_versions SET status = $3, status_changed_at = now() WHERE article_id = $1 AND version = $2',
    [articleId, version, status],
  );
}

export async function setPublishedVersion(db: Queryable, articleId: string, version: number | null): Promise<void> {
  await db.query('UPDATE knowledge_articles SET published_version = $2 WHERE id = $1', [articleId, version]);
}

export async function insertVersionAction(
  db: Queryable,
  a: {
    articleId: string;
    version: number;
    action: KnowledgeAction | 'create';
    from: KnowledgeStatus | null;
    to: KnowledgeStatus;
    note: string | null;
    actorId: string | null;
    actorName: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO knowledge_version_actions (article_id, version, action, from_status, to_status, note, actor_id, actor_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [a.articleId, a.version, a.action, a.from, a.to, a.note, a.actorId, a.actorName],
  );
}

export async function listVersionActions(db: Queryable, articleId: string) {
  const r = await db.query<{
    version: number;
    action: string;
    from_status: string | null;
    to_status: string;
    note: string | null;
    actor_name: string;
    at: Date;
  }>(
    `SELECT version, action, from_status, to_status, note, actor_name, at FROM knowledge_version_actions
     WHERE article_id = $1 ORDER BY id`,
    [articleId],
  );
  return r.rows;
}

export interface ArticleListFilter {
  q?: string;
  status?: KnowledgeStatus;
  topic?: string;
  ownerUnitIds?: string[];
  page: number;
  pageSize: number;
}

/** Articles with their newest version, filtered and paged on the server. */
/** A row of the article list: the article and its newest version's summary. */
export interface ArticleListRow {
  id: string;
  demo: boolean;
  owner_unit_id: string | null;
  owner_unit_name: string | null;
  published_version: number | null;
  version: number;
  status: KnowledgeStatus;
  title: string;
  topic: string;
  department: string;
  districts: string[];
  effective_from: string;
  expires_at: string | null;
  status_changed_at: Date;
}

/** A version's content as the domain and the search index take it. */
export const contentOf = (v: VersionRow): ArticleContent => ({
  title: v.title,
  topic: v.topic,
  department: v.department,
  districts: v.districts,
  effectiveFrom: v.effective_from,
  expiresAt: v.expires_at,
  sourceRef: v.source_ref,
  questions: v.questions,
  answer: v.answer,
  body: v.body,
});

export async function listArticles(db: Queryable, f: ArticleListFilter) {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.status) where.push(`v.status = ${arg(f.status)}`);
  if (f.topic) where.push(`v.topic = ${arg(f.topic)}`);
  if (f.q) where.push(`(v.title LIKE ${arg(`%${f.q}%`)} OR a.id = ${arg(f.q)})`);
  if (f.ownerUnitIds) where.push(`a.owner_unit_id = ANY(${arg(f.ownerUnitIds)})`);
  const sql = `FROM knowledge_articles a JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.latest_version
    LEFT JOIN units un ON un.id = a.owner_unit_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`, args)).rows[0]!.n;
  const rows = await db.query<ArticleListRow>(
    `SELECT a.id, a.demo, a.owner_unit_id, un.name AS owner_unit_name, a.published_version, v.version, v.status, v.title,
       v.topic, v.department, v.districts, v.effective_from, v.expires_at, v.status_changed_at
     ${sql} ORDER BY v.status_changed_at DESC, a.id LIMIT ${arg(f.pageSize)} OFFSET ${arg((f.page - 1) * f.pageSize)}`,
    args,
  );
  return { total, items: rows.rows };
}

export async function findSources(db: Queryable, refs?: string[]): Promise<SourceRow[]> {
  const r = await db.query<SourceRow>(
    `SELECT ref, name, doc_no, issuer, issued_on, read_at FROM knowledge_sources
     ${refs ? 'WHERE ref = ANY($1)' : ''} ORDER BY ref`,
    refs ? [refs] : [],
  );
  return r.rows;
}

export async function insertSource(db: Queryable, s: SourceRow): Promise<void> {
  await db.query(
    `INSERT INTO knowledge_sources (ref, name, doc_no, issuer, issued_on, read_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (ref) DO NOTHING`,
    [s.ref, s.name, s.doc_no, s.issuer, s.issued_on, s.read_at],
  );
}

export async function insertAnswerUse(
  db: Queryable,
  u: {
    articleId: string;
    version: number;
    channel: 'intake' | 'chat' | 'ivr';
    requestId: string | null;
    workOrderId: string | null;
    usedBy: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO knowledge_answer_uses (article_id, version, channel, request_id, work_order_id, used_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [u.articleId, u.version, u.channel, u.requestId, u.workOrderId, u.usedBy],
  );
}

export async function listAnswerUses(db: Queryable, workOrderId: string) {
  const r = await db.query<{ article_id: string; version: number; channel: string; used_at: Date }>(
    'SELECT article_id, version, channel, used_at FROM knowledge_answer_uses WHERE work_order_id = $1 ORDER BY id',
    [workOrderId],
  );
  return r.rows;
}
