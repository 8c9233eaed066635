import type { Queryable } from '../db/pool.ts';

/** Records an administrative change; secrets and password hashes never go into `details`. */
export async function audit(
  db: Queryable,
  actorId: string | null,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.query('INSERT INTO admin_audit (actor_id, action, target, details) VALUES ($1, $2, $3, $4)', [
    actorId,
    action,
    target,
    JSON.stringify(details),
  ]);
}

/** `admin`: the administration's changes; `auth`: log-ins, failures, lock-outs and the users' own security changes. */
export type AuditKind = 'admin' | 'auth';

export async function listAudit(db: Queryable, limit: number, kind?: AuditKind) {
  const where =
    kind === 'auth' ? "WHERE a.action LIKE 'auth.%'" : kind === 'admin' ? "WHERE a.action NOT LIKE 'auth.%'" : '';
  return (
    await db.query(
      `SELECT a.id, a.action, a.target, a.details, a.at, u.display_name AS "actorName", a.actor_id AS "actorId",
      CASE WHEN a.action LIKE 'user.%' OR a.action LIKE 'auth.%' THEN (SELECT t.display_name FROM users t WHERE t.id::text = a.target OR t.username = a.target LIMIT 1)
           WHEN a.action LIKE 'unit.%' THEN (SELECT t.name FROM units t WHERE t.id = a.target)
           WHEN a.action LIKE 'category.%' THEN (SELECT t.name FROM catalogue_categories t WHERE t.code = a.target)
           WHEN a.action LIKE 'connector.%' THEN (SELECT t.name FROM connectors t WHERE t.id = a.target)
           WHEN a.action LIKE 'phrase.%' THEN COALESCE((SELECT t.text FROM intake_phrases t WHERE t.id::text = a.target), a.details->>'text')
      END AS "targetName"
    FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id ${where} ORDER BY a.id DESC LIMIT $1`,
      [limit],
    )
  ).rows;
}
