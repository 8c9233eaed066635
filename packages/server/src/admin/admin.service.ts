/**
 * Administration use cases: each change and its audit entry commit together; the deadline policy
 * and the session cache learn of the change at once.
 */
import type { Actor } from '../auth/actor.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { defaultDesks, type Desk, type Role } from '@liandong/domain';
import { hashPassword } from '../auth/passwords.ts';
import { checkPassword } from '../auth/password-policy.ts';
import { accountKey, clearKey } from '../auth/throttle.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import type { DeadlinePolicy } from '../hotline/deadline-policy.ts';
import { findUnits } from '../shared/requests.repo.ts';
import {
  ensureAnAdministratorRemains,
  deleteCalendarDay,
  findUserScope,
  insertUser,
  listCalendarYear,
  listTimeLimits,
  listUsers,
  revokeUserSessions,
  updateUser,
  upsertCalendarDay,
  upsertTimeLimit,
  type TimeLimitRow,
} from './admin.repo.ts';
import { audit, listAudit, type AuditKind } from './audit.repo.ts';

const fail = (err: unknown): never => {
  throw translatePgError(err);
};

export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly deadlines: DeadlinePolicy,
    private readonly auth: AuthService,
  ) {}

  /** A department handler belongs to a unit; a district agency to a district and that district's agency. */
  private async checkScope(
    role: string,
    unitId: string | null | undefined,
    districtCode: string | null | undefined,
  ): Promise<void> {
    if (role === 'department_handler' && !unitId)
      throw new AppError('ROLE_SCOPE_INVALID', '承办单位经办人须指定所属单位');
    if (role === 'district_agency' && !districtCode)
      throw new AppError('ROLE_SCOPE_INVALID', '区县热线机构用户须指定区县');
    if (!unitId) return;
    const [unit] = await findUnits(this.db, [unitId]);
    if (!unit) throw new AppError('REFERENCE_NOT_FOUND', `单位不存在：${unitId}`);
    if (role === 'district_agency' && (unit.kind !== 'district_agency' || unit.district_code !== districtCode)) {
      throw new AppError('ROLE_SCOPE_INVALID', '区县热线机构用户的单位须为该区县的热线机构');
    }
  }

  calendar(year: number) {
    return listCalendarYear(this.db, year);
  }

  async setCalendarDay(actor: Actor, date: string, kind: 'holiday' | 'workday', name: string) {
    const day = await inTransaction(this.db, async (tx) => {
      const row = await upsertCalendarDay(tx, date, kind, name, actor.id);
      await audit(tx, actor.id, 'calendar.set', date, { kind, name });
      return row;
    }).catch(fail);
    await this.deadlines.reload();
    return day;
  }

  async clearCalendarDay(actor: Actor, date: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      if (!(await deleteCalendarDay(tx, date))) throw new AppError('CALENDAR_DAY_NOT_FOUND');
      await audit(tx, actor.id, 'calendar.clear', date);
    }).catch(fail);
    await this.deadlines.reload();
  }

  timeLimits() {
    return listTimeLimits(this.db);
  }

  async setTimeLimit(actor: Actor, l: TimeLimitRow) {
    if (l.unit === 'working_days' && l.amount > 60)
      throw new AppError('TIME_LIMIT_INVALID', '按工作日计算的时限不能超过60个工作日');
    const row = await inTransaction(this.db, async (tx) => {
      const r = await upsertTimeLimit(tx, l, actor.id);
      await audit(tx, actor.id, 'time_limit.set', `${l.orderType}/${l.urgent ? 'urgent' : 'normal'}`, {
        amount: l.amount,
        unit: l.unit,
      });
      return r;
    });
    await this.deadlines.reload();
    return row;
  }

  auditLog(limit: number, kind?: AuditKind) {
    return listAudit(this.db, limit, kind);
  }
  users() {
    return listUsers(this.db);
  }

  async createUser(
    actor: Actor,
    u: {
      username: string;
      displayName: string;
      password: string;
      role: string;
      unitId?: string;
      districtCode?: string;
      desks?: Desk[];
    },
  ) {
    await this.checkScope(u.role, u.unitId, u.districtCode);
    checkPassword(u.password, u.username, this.auth.settings);
    const desks = u.desks?.length ? [...new Set(u.desks)] : defaultDesks(u.role as Role);
    const passwordHash = await hashPassword(u.password);
    return inTransaction(this.db, async (tx) => {
      const row = await insertUser(tx, {
        username: u.username,
        displayName: u.displayName,
        passwordHash,
        role: u.role,
        unitId: u.unitId ?? null,
        districtCode: u.districtCode ?? null,
        desks,
      });
      await audit(tx, actor.id, 'user.create', u.username, {
        role: u.role,
        unitId: u.unitId ?? null,
        districtCode: u.districtCode ?? null,
        desks,
      });
      return row;
    }).catch((err) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('USERNAME_TAKEN');
      return fail(err);
    });
  }

  /**
   * Changing the password or disabling the user ends their sessions. The last active administrator of
   * this desk cannot be disabled, demoted or moved off it (LAST_ADMIN_PROTECTED).
   */
  async updateUser(
    actor: Actor,
    id: string,
    b: {
      displayName?: string;
      password?: string;
      role?: string;
      unitId?: string | null;
      districtCode?: string | null;
      active?: boolean;
      desks?: Desk[];
    },
  ) {
    const cur = await findUserScope(this.db, id);
    if (!cur) throw new AppError('USER_NOT_FOUND');
    const role = b.role ?? cur.role;
    const unitId = b.unitId !== undefined ? b.unitId : cur.unit_id;
    const districtCode = b.districtCode !== undefined ? b.districtCode : cur.district_code;
    const desks = b.desks?.length ? [...new Set(b.desks)] : cur.desks;
    await this.checkScope(role, unitId, districtCode);
    if (b.password) checkPassword(b.password, cur.username, this.auth.settings);
    const touchesAdmin = cur.role === 'admin' && cur.active;
    const passwordHash = b.password ? await hashPassword(b.password) : null;
    const row = await inTransaction(this.db, async (tx) => {
      const r = await updateUser(tx, id, {
        displayName: b.displayName ?? null,
        passwordHash,
        role,
        unitId,
        districtCode,
        active: b.active ?? null,
        desks,
      });
      if (touchesAdmin && !(await ensureAnAdministratorRemains(tx, this.auth.desk)))
        throw new AppError('LAST_ADMIN_PROTECTED');
      if (b.password || b.active === false) await revokeUserSessions(tx, id);
      // an administrator's new password also lifts a lock-out
      if (b.password) await clearKey(tx, accountKey(cur.username));
      const { password: _pw, ...changes } = b;
      await audit(tx, actor.id, 'user.update', id, { ...changes, passwordReset: Boolean(b.password) });
      return r;
    }).catch(fail);
    this.auth.forgetUser(id);
    return row;
  }

  /** Lifts the lock-out of a user's account name (after repeated wrong passwords). */
  async unlockUser(actor: Actor, id: string): Promise<{ wasLocked: boolean }> {
    const cur = await findUserScope(this.db, id);
    if (!cur) throw new AppError('USER_NOT_FOUND');
    return inTransaction(this.db, async (tx) => {
      const wasLocked = await clearKey(tx, accountKey(cur.username));
      await audit(tx, actor.id, 'user.unlock', id, { wasLocked });
      return { wasLocked };
    });
  }

  /** Removes a user's TOTP (a lost phone): they enrol again, at their next log-in if their role must use it. */
  async resetTotp(actor: Actor, id: string): Promise<void> {
    const cur = await findUserScope(this.db, id);
    if (!cur) throw new AppError('USER_NOT_FOUND');
    await inTransaction(this.db, async (tx) => {
      await tx.query(
        'UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1',
        [id],
      );
      await tx.query('DELETE FROM totp_enrolments WHERE user_id = $1', [id]);
      await revokeUserSessions(tx, id);
      await audit(tx, actor.id, 'user.totp_reset', id);
    });
    this.auth.forgetUser(id);
  }
}
