/** Administration: working calendar, time limits, users. Business knobs are data, edited here. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES, WORK_ORDER_TYPES } from '@liandong/domain';
import type { AuthService } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import type { DeadlinePolicy } from '../hotline/deadline-policy.ts';
import { DistrictCode, UnitId, Uuid, enumOf, errorResponses } from '../http/schemas.ts';
import { inTransaction } from '../db/pool.ts';
import { audit, listAudit } from './audit.repo.ts';

const Any = Type.Unknown();
const DateOnly = Type.String({ format: 'date' });
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Object(props, { additionalProperties: false });

const USER_COLUMNS = `id, username, display_name AS "displayName", role, unit_id AS "unitId", district_code AS "districtCode", active, created_at AS "createdAt"`;

async function checkScope(db: Db, role: string, unitId: string | null | undefined, districtCode: string | null | undefined): Promise<void> {
  if (role === 'department_handler' && !unitId) throw new AppError('ROLE_SCOPE_INVALID', '承办单位经办人须指定所属单位');
  if (role === 'district_agency' && !districtCode) throw new AppError('ROLE_SCOPE_INVALID', '区县热线机构用户须指定区县');
  if (unitId) {
    const u = await db.query<{ kind: string; district_code: string | null }>('SELECT kind, district_code FROM units WHERE id = $1', [unitId]);
    const unit = u.rows[0];
    if (!unit) throw new AppError('REFERENCE_NOT_FOUND', `单位不存在：${unitId}`);
    if (role === 'district_agency' && (unit.kind !== 'district_agency' || unit.district_code !== districtCode)) {
      throw new AppError('ROLE_SCOPE_INVALID', '区县热线机构用户的单位须为该区县的热线机构');
    }
  }
}

export const adminRoutes = (db: Db, deadlines: DeadlinePolicy, auth: AuthService): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/admin/calendar', {
    schema: { tags: ['admin'], summary: '节假日与调休安排', querystring: strict({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }), response: { 200: Any, ...errorResponses } },
  }, async (req) => {
    requirePermission(req.actor, 'admin.calendar');
    const r = await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name, provisional FROM calendar_days
      WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`, [req.query.year]);
    return r.rows;
  });

  app.put('/api/admin/calendar/:date', {
    schema: {
      tags: ['admin'], summary: '设置某日为节假日或调休上班日', params: strict({ date: DateOnly }),
      body: strict({ kind: enumOf(['holiday', 'workday'] as const), name: Type.String({ minLength: 1, maxLength: 50 }) }), response: { 200: Any, ...errorResponses },
    },
  }, async (req) => {
    requirePermission(req.actor, 'admin.calendar');
    const r = await inTransaction(db, async (tx) => {
      const q = await tx.query(`INSERT INTO calendar_days (day, kind, name, provisional, updated_by) VALUES ($1, $2, $3, false, $4)
        ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, provisional = false, updated_by = EXCLUDED.updated_by, updated_at = now()
        RETURNING to_char(day, 'YYYY-MM-DD') AS date, kind, name, provisional`, [req.params.date, req.body.kind, req.body.name, req.actor.id]);
      await audit(tx, req.actor.id, 'calendar.set', req.params.date, { kind: req.body.kind, name: req.body.name });
      return q;
    }).catch((e) => { throw translatePgError(e); });
    await deadlines.reload();
    return r.rows[0];
  });

  app.delete('/api/admin/calendar/:date', {
    schema: { tags: ['admin'], summary: '取消某日的特殊安排（恢复为普通工作日或周末）', params: strict({ date: DateOnly }), response: { 204: Type.Null(), ...errorResponses } },
  }, async (req, reply) => {
    requirePermission(req.actor, 'admin.calendar');
    await inTransaction(db, async (tx) => {
      const r = await tx.query('DELETE FROM calendar_days WHERE day = $1', [req.params.date]);
      if (r.rowCount === 0) throw new AppError('CALENDAR_DAY_NOT_FOUND');
      await audit(tx, req.actor.id, 'calendar.clear', req.params.date);
    }).catch((e) => { throw translatePgError(e); });
    await deadlines.reload();
    return reply.code(204).send(null);
  });

  app.get('/api/admin/time-limits', { schema: { tags: ['admin'], summary: '办理时限', response: { 200: Any, ...errorResponses } } }, async (req) => {
    requirePermission(req.actor, 'admin.time_limits');
    const r = await db.query(`SELECT order_type AS "orderType", urgent, amount, unit FROM time_limits ORDER BY urgent DESC, order_type`);
    return r.rows;
  });

  app.put('/api/admin/time-limits', {
    schema: {
      tags: ['admin'], summary: '设置某类工单的办理时限（紧急工单按小时，其余按工作日）',
      body: strict({ orderType: enumOf(['*', ...WORK_ORDER_TYPES] as const), urgent: Type.Boolean(), amount: Type.Integer({ minimum: 1, maximum: 720 }), unit: enumOf(['hours', 'working_days'] as const) }),
      response: { 200: Any, ...errorResponses },
    },
  }, async (req) => {
    requirePermission(req.actor, 'admin.time_limits');
    const b = req.body;
    if (b.unit === 'working_days' && b.amount > 60) throw new AppError('TIME_LIMIT_INVALID', '按工作日计算的时限不能超过60个工作日');
    const r = await inTransaction(db, async (tx) => {
      const q = await tx.query(`INSERT INTO time_limits (order_type, urgent, amount, unit, updated_by) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (order_type, urgent) DO UPDATE SET amount = EXCLUDED.amount, unit = EXCLUDED.unit, updated_by = EXCLUDED.updated_by, updated_at = now()
        RETURNING order_type AS "orderType", urgent, amount, unit`, [b.orderType, b.urgent, b.amount, b.unit, req.actor.id]);
      await audit(tx, req.actor.id, 'time_limit.set', `${b.orderType}/${b.urgent ? 'urgent' : 'normal'}`, { amount: b.amount, unit: b.unit });
      return q;
    });
    await deadlines.reload();
    return r.rows[0];
  });

  app.get('/api/admin/audit', {
    schema: { tags: ['admin'], summary: '管理操作审计记录', querystring: strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }), response: { 200: Any, ...errorResponses } },
  }, async (req) => {
    requirePermission(req.actor, 'admin.users');
    return listAudit(db, req.query.limit ?? 100);
  });

  app.get('/api/admin/users', { schema: { tags: ['admin'], summary: '用户列表', response: { 200: Any, ...errorResponses } } }, async (req) => {
    requirePermission(req.actor, 'admin.users');
    return (await db.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY created_at`)).rows;
  });

  app.post('/api/admin/users', {
    schema: {
      tags: ['admin'], summary: '新建用户',
      body: strict({
        username: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{2,31}$' }), displayName: Type.String({ minLength: 1, maxLength: 50 }),
        password: Type.String({ minLength: 8, maxLength: 200 }), role: enumOf(ROLES), unitId: Type.Optional(UnitId), districtCode: Type.Optional(DistrictCode),
      }),
      response: { 201: Any, ...errorResponses },
    },
  }, async (req, reply) => {
    requirePermission(req.actor, 'admin.users');
    const b = req.body;
    await checkScope(db, b.role, b.unitId, b.districtCode);
    try {
      const hash = await hashPassword(b.password);
      const row = await inTransaction(db, async (tx) => {
        const r = await tx.query(`INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
          [b.username, b.displayName, hash, b.role, b.unitId ?? null, b.districtCode ?? null]);
        await audit(tx, req.actor.id, 'user.create', b.username, { role: b.role, unitId: b.unitId ?? null, districtCode: b.districtCode ?? null });
        return r.rows[0];
      });
      return reply.code(201).send(row);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new AppError('USERNAME_TAKEN');
      throw translatePgError(err);
    }
  });

  app.patch('/api/admin/users/:id', {
    schema: {
      tags: ['admin'], summary: '修改用户（角色、范围、停用、重置密码）', params: strict({ id: Uuid }),
      body: strict({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
        role: Type.Optional(enumOf(ROLES)), unitId: Type.Optional(Type.Union([UnitId, Type.Null()])),
        districtCode: Type.Optional(Type.Union([DistrictCode, Type.Null()])), active: Type.Optional(Type.Boolean()),
      }, ),
      response: { 200: Any, ...errorResponses },
    },
  }, async (req) => {
    requirePermission(req.actor, 'admin.users');
    const cur = (await db.query<{ role: string; unit_id: string | null; district_code: string | null }>('SELECT role, unit_id, district_code FROM users WHERE id = $1', [req.params.id])).rows[0];
    if (!cur) throw new AppError('USER_NOT_FOUND');
    const b = req.body;
    const role = b.role ?? cur.role;
    const unitId = b.unitId !== undefined ? b.unitId : cur.unit_id;
    const districtCode = b.districtCode !== undefined ? b.districtCode : cur.district_code;
    await checkScope(db, role, unitId, districtCode);
    const hash = b.password ? await hashPassword(b.password) : null;
    const r = await inTransaction(db, async (tx) => {
      const q = await tx.query(`UPDATE users SET display_name = COALESCE($2, display_name), password_hash = COALESCE($3, password_hash), role = $4,
        unit_id = $5, district_code = $6, active = COALESCE($7, active) WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [req.params.id, b.displayName ?? null, hash, role, unitId, districtCode, b.active ?? null]);
      if (b.password || b.active === false) await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [req.params.id]);
      const { password: _pw, ...changes } = b;
      await audit(tx, req.actor.id, 'user.update', req.params.id, { ...changes, passwordReset: Boolean(b.password) });
      return q;
    }).catch((e) => { throw translatePgError(e); });
    auth.forgetUser(req.params.id);
    return r.rows[0];
  });
};
