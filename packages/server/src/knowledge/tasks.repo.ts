/** 待补知识: draft-article tasks made from the weekly high-frequency consultation clusters no article answers. */
import { KNOWLEDGE_TASK_STATUSES, type KnowledgeTaskStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export const TASK_STATUSES = KNOWLEDGE_TASK_STATUSES;
export type TaskStatus = KnowledgeTaskStatus;

export interface TaskRow {
  id: string;
  period: string;
  label: string;
  terms: string[];
  request_count: number;
  examples: string[];
  category_code: string | null;
  category_name: string | null;
  owner_unit_id: string | null;
  owner_unit_name: string | null;
  due_at: Date;
  status: TaskStatus;
  article_id: string | null;
  article_title: string | null;
  note: string | null;
  created_at: Date;
  closed_at: Date | null;
  closed_by_name: string | null;
}

export interface NewTask {
  period: string;
  label: string;
  terms: string[];
  count: number;
  examples: string[];
  categoryCode: string | null;
  ownerUnitId: string | null;
  dueAt: Date;
  createdBy: string | null;
}

const SELECT = `SELECT t.id::text, t.period, t.label, t.terms, t.request_count, t.examples, t.category_code,
    c.name AS category_name, t.owner_unit_id, u.name AS owner_unit_name, t.due_at, t.status, t.article_id,
    (SELECT v.title FROM knowledge_versions v JOIN knowledge_articles a ON a.id = v.article_id
      WHERE v.article_id = t.article_id AND v.version = coalesce(a.published_version, a.latest_version)) AS article_title,
    t.note, t.created_at, t.closed_at, cu.display_name AS closed_by_name
  FROM knowledge_tasks t
  LEFT JOIN catalogue_categories c ON c.code = t.category_code
  LEFT JOIN units u ON u.id = t.owner_unit_id
  LEFT JOIN users cu ON cu.id = t.closed_by`;

/** Inserts the task unless the week already has one for the cluster; true when it was inserted. */
export async function insertTask(db: Queryable, t: NewTask): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO knowledge_tasks (period, label, terms, request_count, examples, category_code, owner_unit_id, due_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (period, label) DO NOTHING`,
    [t.period, t.label, t.terms, t.count, t.examples, t.categoryCode, t.ownerUnitId, t.dueAt, t.createdBy],
  );
  return r.rowCount === 1;
}

export interface TaskFilter {
  status: TaskStatus | 'active' | null;
  period: string | null;
  /** Only the tasks of units with this function (a department sees its own); null: all. */
  unitFunction: string | null;
}

export async function listTasks(db: Queryable, f: TaskFilter): Promise<TaskRow[]> {
  const r = await db.query<TaskRow>(
    `${SELECT}
     WHERE ($1::text IS NULL OR ($1 = 'active' AND t.status IN ('open', 'drafted')) OR t.status = $1)
       AND ($2::text IS NULL OR t.period = $2)
       AND ($3::text IS NULL OR substr(t.owner_unit_id, strpos(t.owner_unit_id, '.') + 1) = $3)
     ORDER BY t.status IN ('done', 'dismissed'), t.due_at, t.id
     LIMIT 500`,
    [f.status, f.period, f.unitFunction],
  );
  return r.rows;
}

export async function findTask(db: Queryable, id: string, forUpdate = false): Promise<TaskRow | null> {
  const r = await db.query<TaskRow>(`${SELECT} WHERE t.id = $1${forUpdate ? ' FOR UPDATE OF t' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** The week's tasks by cluster label (for the weekly list). */
export async function tasksOfPeriod(db: Queryable, period: string): Promise<Map<string, TaskRow>> {
  const r = await db.query<TaskRow>(`${SELECT} WHERE t.period = $1`, [period]);
  return new Map(r.rows.map((t) => [t.label, t]));
}

export async function setTaskDrafted(db: Queryable, id: string, articleId: string): Promise<void> {
  await db.query(`UPDATE knowledge_tasks SET status = 'drafted', article_id = $2 WHERE id = $1`, [id, articleId]);
}

export async function closeTask(
  db: Queryable,
  id: string,
  c: { status: 'done' | 'dismissed'; articleId: string | null; note: string | null; by: string | null },
): Promise<void> {
  await db.query(
    `UPDATE knowledge_tasks SET status = $2, article_id = coalesce($3, article_id), note = coalesce($4, note),
       closed_at = now(), closed_by = $5
     WHERE id = $1`,
    [id, c.status, c.articleId, c.note, c.by],
  );
}

/** A published article closes the tasks drafted as it. */
export async function closeDraftedTasks(db: Queryable, articleId: string, by: string | null): Promise<void> {
  await db.query(
    `UPDATE knowledge_tasks SET status = 'done', closed_at = now(), closed_by = $2
     WHERE article_id = $1 AND status = 'drafted'`,
    [articleId, by],
  );
}

/** The published article the answers to these orders cited most, with how often (null: none in force). */
export async function mostUsedArticle(db: Queryable, orderIds: string[]) {
  if (!orderIds.length) return null;
  const r = await db.query<{ article_id: string; version: number; title: string; uses: number }>(
    `SELECT u.article_id, a.published_version AS version, v.title, count(*)::int AS uses
       FROM knowledge_answer_uses u
       JOIN knowledge_articles a ON a.id = u.article_id AND a.published_version IS NOT NULL
       JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published_version
      WHERE u.work_order_id = ANY($1::uuid[])
      GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT 1`,
    [orderIds],
  );
  const u = r.rows[0];
  return u ? { articleId: u.article_id, version: u.version, title: u.title, uses: u.uses } : null;
}

/** The department that owns a dispatch category's subject: its lead city department, when there is one. */
export async function categoryOwner(db: Queryable, categoryCode: string | null): Promise<string | null> {
  if (!categoryCode) return null;
  const r = await db.query<{ id: string }>(
    `SELECT u.id FROM catalogue_categories c JOIN units u ON u.id = 'city.' || c.default_function AND u.active
      WHERE c.code = $1`,
    [categoryCode],
  );
  return r.rows[0]?.id ?? null;
}
