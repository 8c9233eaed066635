/**
 * Administration use cases: each change and its audit entry commit together; the deadline policy
 * and the session cache learn of the change at once.
 */
import type { Actor } from '../auth/actor.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import type { DeadlinePolicy } from '../hotline/deadline-policy.ts';
import { findUnits } from '../shared/requests.repo.ts';
import {
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
import { audit, listAudit } from './audit.repo.ts';

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

  auditLog(limit: number) {
    return listAudit(this.db, limit);
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
    },
  ) {
    await this.checkScope(u.role, u.unitId, u.districtCode);
    const passwordHash = await hashPassword(u.password);
    return inTransaction(this.db, async (tx) => {
      const row = await insertUser(tx, {
        username: u.username,
        displayName: u.displayName,
        passwordHash,
        role: u.role,
        unitId: u.unitId ?? null,
        districtCode: u.districtCode ?? null,
      });
      await audit(tx, actor.id, 'user.create', u.username, {
        role: u.role,
        unitId: u.unitId ?? null,
        districtCode: u.districtCode ?? null,
      });
      return row;
    }).catch((err) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('USERNAME_TAKEN');
      return fail(err);
    });
  }

  /** Changing the password or disabling the user ends their sessions. */
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
    },
  ) {
    const cur = await findUserScope(this.db, id);
    if (!cur) throw new AppError('USER_NOT_FOUND');
    const role = b.role ?? cur.role;
    const unitId = b.unitId !== undefined ? b.unitId : cur.unit_id;
    const districtCode = b.districtCode !== undefined ? b.districtCode : cur.district_code;
    await this.checkScope(role, unitId, districtCode);
    const passwordHash = b.password ? await hashPassword(b.password) : null;
    const row = await inTransaction(this.db, async (tx) => {
      const r = await updateUser(tx, id, {
        displayName: b.displayName ?? null,
        passwordHash,
        role,
        unitId,
        districtCode,
        active: b.active ?? null,
      });
      if (b.password || b.active === false) await revokeUserSessions(tx, id);
      const { password: _pw, ...changes } = b;
      await audit(tx, actor.id, 'user.update', id, { ...changes, passwordReset: Boolean(b.password) });
      return r;
    }).catch(fail);
    this.auth.forgetUser(id);
    return row;
  }
}
