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
  desks: string[];
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  /** bigint: pg hands it over as a string */
  totp_last_step: string | null;
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const r = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return r.rows[0] ?? null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const r = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return r.rows[0] ?? null;
}

export async function insertSession(db: Queryable, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);
}

export type SessionUserRow = UserRow & { expires_at: Date; revoked_at: Date | null; last_seen_at: Date };

export async function findSessionUser(db: Queryable, tokenHash: string): Promise<SessionUserRow | null> {
  const r = await db.query<SessionUserRow>(
    `SELECT u.*, s.expires_at, s.revoked_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
    [tokenHash],
  );
  return r.rows[0] ?? null;
}

export async function touchSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
}

export async function revokeSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
}

/** A log-in waiting for its second factor: the challenge's user, the secret offered for enrolment, attempts so far. */
export async function insertChallenge(
  db: Queryable,
  c: { tokenHash: string; userId: string; pendingSecret: string | null; expiresAt: Date; address: string },
): Promise<void> {
  await db.query(
    'INSERT INTO auth_challenges (token_hash, user_id, pending_secret, expires_at, address) VALUES ($1, $2, $3, $4, $5)',
    [c.tokenHash, c.userId, c.pendingSecret, c.expiresAt, c.address],
  );
}

/** Counts an attempt on a live challenge and returns it (null: unknown, expired or used up). */
export async function takeChallenge(
  db: Queryable,
  tokenHash: string,
  maxAttempts: number,
): Promise<{ user_id: string; pending_secret: string | null } | null> {
  const r = await db.query<{ user_id: string; pending_secret: string | null }>(
    `UPDATE auth_challenges SET attempts = attempts + 1
    WHERE token_hash = $1 AND expires_at > now() AND attempts < $2 RETURNING user_id, pending_secret`,
    [tokenHash, maxAttempts],
  );
  return r.rows[0] ?? null;
}

export async function deleteChallenge(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM auth_challenges WHERE token_hash = $1', [tokenHash]);
}
