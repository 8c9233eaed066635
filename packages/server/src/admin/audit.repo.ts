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

export async function listAudit(db: Queryable, limit: number) {
  return (
    await db.query(
      `SELECT a.id, a.action, a.target, a.details, a.at, u.display_name AS "actorName", a.actor_id AS "actorId"
    FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.id DESC LIMIT $1`,
      [limit],
    )
  ).rows;
}
