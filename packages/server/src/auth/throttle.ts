/**
 * Log-in throttling: a rate limit of attempts per client address (in memory, per process: it only
 * smooths bursts) and the lock-out after repeated failures per account name and per address (in the
 * database, so every process of a desk sees it). Keys are `account:<name>` and `address:<ip>`.
 */
import type { Queryable } from '../db/pool.ts';

export const accountKey = (username: string) => `account:${username.toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

const MAX_TRACKED = 100_000;

/**
 * At most `perMinute` log-in attempts per address in each minute (a fixed window); 0: no limit. A
 * successful log-in gives its slot back (refund), so a centre whose seats all log in through one NAT
 * address at the change of shift is not held up: what is limited is the guessing, and the scrypt CPU
 * it costs, including a burst of parallel attempts that arrive before any failure is recorded.
 */
export class LoginRateLimit {
  private readonly windows = new Map<string, { start: number; n: number }>();
  constructor(private readonly perMinute: number) {}

  /** null: go ahead; otherwise the seconds until the next attempt is allowed. */
  take(address: string, now = Date.now()): number | null {
    if (this.perMinute <= 0) return null;
    let w = this.windows.get(address);
    if (!w || now - w.start >= 60_000) {
      if (!w && this.windows.size >= MAX_TRACKED) this.sweep(now);
      w = { start: now, n: 0 };
      this.windows.set(address, w);
    }
    w.n += 1;
    if (w.n <= this.perMinute) return null;
    return Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
  }

  refund(address: string): void {
    const w = this.windows.get(address);
    if (w && w.n > 0) w.n -= 1;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(k);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}

/** The key among `keys` that is locked now, with when the lock ends (the latest, if several). */
export async function lockedKey(db: Queryable, keys: string[]): Promise<{ key: string; until: Date } | null> {
  const r = await db.query<{ key: string; locked_until: Date }>(
    'SELECT key, locked_until FROM auth_throttle WHERE key = ANY($1) AND locked_until > now() ORDER BY locked_until DESC LIMIT 1',
    [keys],
  );
  const row = r.rows[0];
  return row ? { key: row.key, until: row.locked_until } : null;
}

/**
 * Counts one failure of `key` in a window of `minutes`; at `threshold` failures (0: never) the key is
 * locked for `minutes` and its count starts again. Returns when the lock ends if this failure locked it.
 */
export async function recordFailure(
  db: Queryable,
  key: string,
  threshold: number,
  minutes: number,
): Promise<Date | null> {
  const r = await db.query<{ failures: number }>(
    `INSERT INTO auth_throttle (key, failures, window_start) VALUES ($1, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN auth_throttle.window_start < now() - make_interval(mins => $2) THEN 1 ELSE auth_throttle.failures + 1 END,
      window_start = CASE WHEN auth_throttle.window_start < now() - make_interval(mins => $2) THEN now() ELSE auth_throttle.window_start END
    RETURNING failures`,
    [key, minutes],
  );
  if (threshold <= 0 || r.rows[0]!.failures < threshold) return null;
  const l = await db.query<{ locked_until: Date }>(
    `UPDATE auth_throttle SET locked_until = now() + make_interval(mins => $2), failures = 0, window_start = now()
    WHERE key = $1 RETURNING locked_until`,
    [key, minutes],
  );
  return l.rows[0]?.locked_until ?? null;
}

/** Forgets the failures and the lock of a key (a successful log-in, an administrator's unlock). */
export async function clearKey(db: Queryable, key: string): Promise<boolean> {
  return ((await db.query('DELETE FROM auth_throttle WHERE key = $1', [key])).rowCount ?? 0) > 0;
}

/** Rows whose window and lock have both passed, and expired log-in challenges: deleted. */
export async function purgeThrottle(db: Queryable, minutes: number): Promise<void> {
  await db.query(
    `DELETE FROM auth_throttle WHERE window_start < now() - make_interval(mins => $1)
    AND (locked_until IS NULL OR locked_until < now())`,
    [minutes],
  );
  await db.query('DELETE FROM auth_challenges WHERE expires_at < now()');
}
