/** SQL of the administration: working calendar, time limits, users. */
import type { Queryable } from '../db/pool.ts';

export interface CalendarDayRow {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  provisional: boolean;
}
export interface TimeLimitRow {
  orderType: string;
  urgent: boolean;
  amount: number;
  unit: 'hours' | 'working_days';
}
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unitId: string | null;
  districtCode: string | null;
  active: boolean;
  createdAt: Date;
  /** the desks the user logs in on: 'hotline' (12345), 'dispatch' (110) */
  desks: string[];
  totpEnabled: boolean;
}

const USER_COLUMNS = `id, username, display_name AS "displayName", role, unit_id AS "unitId", district_code AS "districtCode", active, created_at AS "createdAt", desks, totp_enabled_at IS NOT NULL AS "totpEnabled"`;

export async function listCalendarYear(db: Queryable, year: number): Promise<CalendarDayRow[]> {
  return (
    await db.query<CalendarDayRow>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name, provisional FROM calendar_days
    WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`,
      [year],
    )
  ).rows;
}

export async function upsertCalendarDay(
  db: Queryable,
  date: string,
  kind: string,
  name: string,
  by: string | null,
): Promise<CalendarDayRow> {
  return (
    await db.query<CalendarDayRow>(
      `INSERT INTO calendar_days (day, kind, name, provisional, updated_by) VALUES ($1, $2, $3, false, $4)
    ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, provisional = false, updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING to_char(day, 'YYYY-MM-DD') AS date, kind, name, provisional`,
      [date, kind, name, by],
    )
  ).rows[0]!;
}

/** True when there was a special arrangement to remove. */
export async function deleteCalendarDay(db: Queryable, date: string): Promise<boolean> {
  return ((await db.query('DELETE FROM calendar_days WHERE day = $1', [date])).rowCount ?? 0) > 0;
}

export async function listTimeLimits(db: Queryable): Promise<TimeLimitRow[]> {
  return (
    await db.query<TimeLimitRow>(
      `SELECT order_type AS "orderType", urgent, amount, unit FROM time_limits ORDER BY urgent DESC, order_type`,
    )
  ).rows;
}

export async function upsertTimeLimit(db: Queryable, l: TimeLimitRow, by: string | null): Promise<TimeLimitRow> {
  return (
    await db.query<TimeLimitRow>(
      `INSERT INTO time_limits (order_type, urgent, amount, unit, updated_by) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (order_type, urgent) DO UPDATE SET amount = EXCLUDED.amount, unit = EXCLUDED.unit, updated_by = EXCLUDED.updated_by, updated_at = now()
    RETURNING order_type AS "orderType", urgent, amount, unit`,
      [l.orderType, l.urgent, l.amount, l.unit, by],
    )
  ).rows[0]!;
}

/** Every user, with the names of their unit and district (the console shows names, not ids). */
export async function listUsers(
  db: Queryable,
): Promise<(UserView & { unitName: string | null; districtName: string | null; lockedUntil: Date | null })[]> {
  return (
    await db.query<UserView & { unitName: string | null; districtName: string | null; lockedUntil: Date | null }>(
      `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.unit_id AS "unitId", u.district_code AS "districtCode",
      u.active, u.created_at AS "createdAt", u.desks, u.totp_enabled_at IS NOT NULL AS "totpEnabled",
      un.name AS "unitName", d.name AS "districtName",
      (SELECT t.locked_until FROM auth_throttle t WHERE t.key = 'account:' || u.username AND t.locked_until > now()) AS "lockedUntil"
    FROM users u LEFT JOIN units un ON un.id = u.unit_id LEFT JOIN districts d ON d.code = u.district_code ORDER BY u.created_at`,
    )
  ).rows;
}

export interface UserScopeRow {
  username: string;
  role: string;
  unit_id: string | null;
  district_code: string | null;
  active: boolean;
  desks: string[];
}

export async function findUserScope(db: Queryable, id: string): Promise<UserScopeRow | null> {
  return (
    (
      await db.query<UserScopeRow>(
        'SELECT username, role, unit_id, district_code, active, desks FROM users WHERE id = $1',
        [id],
      )
    ).rows[0] ?? null
  );
}

export async function insertUser(
  db: Queryable,
  u: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: string;
    unitId: string | null;
    districtCode: string | null;
    desks: string[];
  },
): Promise<UserView> {
  return (
    await db.query<UserView>(
      `INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code, desks) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
      [u.username, u.displayName, u.passwordHash, u.role, u.unitId, u.districtCode, u.desks],
    )
  ).rows[0]!;
}

export async function updateUser(
  db: Queryable,
  id: string,
  u: {
    displayName: string | null;
    passwordHash: string | null;
    role: string;
    unitId: string | null;
    districtCode: string | null;
    active: boolean | null;
    desks: string[];
  },
): Promise<UserView> {
  return (
    await db.query<UserView>(
      `UPDATE users SET display_name = COALESCE($2, display_name), password_hash = COALESCE($3, password_hash), role = $4,
    unit_id = $5, district_code = $6, active = COALESCE($7, active), desks = $8 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [id, u.displayName, u.passwordHash, u.role, u.unitId, u.districtCode, u.active, u.desks],
    )
  ).rows[0]!;
}

export async function revokeUserSessions(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
}

/**
 * Refuses a change that leaves this desk without an active administrator who can log in on it
 * (`desk` 'both': on any desk). Run inside the change's transaction, after it: an advisory lock makes
 * two administrators demoting each other at once take turns.
 */
export async function ensureAnAdministratorRemains(
  db: Queryable,
  desk: 'hotline' | 'dispatch' | 'both',
): Promise<boolean> {
  await db.query('SELECT pg_advisory_xact_lock(4212345111)');
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active AND ($1 = 'both' OR $1 = ANY (desks))`,
    [desk],
  );
  return r.rows[0]!.n > 0;
}
