import type { Queryable } from '../db/pool.ts';

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  unit_id: string | null;
  district_code: string | null;
  active: boolean;
  created_at: Date;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const r = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return r.rows[0] ?? null;
}

export async function insertSession(db: Queryable, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

export async function findSessionUser(
  db: Queryable,
  tokenHash: string,
): Promise<(UserRow & { expires_at: Date; revoked_at: Date | null }) | null> {
  const r = await db.query<UserRow & { expires_at: Date; revoked_at: Date | null }>(
    `SELECT u.*, s.expires_at, s.revoked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
    [tokenHash],
  );
  return r.rows[0] ?? null;
}

export async function revokeSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
}
