/** Administration: working calendar, time limits, users. Business knobs are data, edited here. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DESKS, ROLES, WORK_ORDER_TYPES } from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import { DistrictCode, UnitId, Uuid, enumOf, errorResponses } from '../http/schemas.ts';
import type { AdminService } from './admin.service.ts';

const Any = Type.Unknown();
/** The desks a user logs in on (at least one; none given: the role's, see defaultDesks). */
const Desks = Type.Array(enumOf(DESKS), { minItems: 1, maxItems: 2, uniqueItems: true });
const DateOnly = Type.String({ format: 'date' });
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });

export const adminRoutes =
  (admin: AdminService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/admin/calendar',
      {
        schema: {
          tags: ['admin'],
          summary: '节假日与调休安排',
          querystring: strict({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.calendar');
        return admin.calendar(req.query.year);
      },
    );

    app.put(
      '/api/admin/calendar/:date',
      {
        schema: {
          tags: ['admin'],
          summary: '设置某日为节假日或调休上班日',
          params: strict({ date: DateOnly }),
          body: strict({
            kind: enumOf(['holiday', 'workday'] as const),
            name: Type.String({ minLength: 1, maxLength: 50 }),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.calendar');
        return admin.setCalendarDay(req.actor, req.params.date, req.body.kind, req.body.name);
      },
    );

    app.delete(
      '/api/admin/calendar/:date',
      {
        schema: {
          tags: ['admin'],
          summary: '取消某日的特殊安排（恢复为普通工作日或周末）',
          params: strict({ date: DateOnly }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.calendar');
        await admin.clearCalendarDay(req.actor, req.params.date);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/admin/time-limits',
      { schema: { tags: ['admin'], summary: '办理时限', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        requirePermission(req.actor, 'admin.time_limits');
        return admin.timeLimits();
      },
    );

    app.put(
      '/api/admin/time-limits',
      {
        schema: {
          tags: ['admin'],
          summary: '设置某类工单的办理时限（紧急工单按小时，其余按工作日）',
          body: strict({
            orderType: enumOf(['*', ...WORK_ORDER_TYPES] as const),
            urgent: Type.Boolean(),
            amount: Type.Integer({ minimum: 1, maximum: 720 }),
            unit: enumOf(['hours', 'working_days'] as const),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.time_limits');
        return admin.setTimeLimit(req.actor, req.body);
      },
    );

    app.get(
      '/api/admin/audit',
      {
        schema: {
          tags: ['admin'],
          summary: '管理操作审计记录',
          querystring: strict({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            // admin: changes to the administration; auth: log-ins, failures, lock-outs (none: both)
            kind: Type.Optional(enumOf(['admin', 'auth'] as const)),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.users');
        return admin.auditLog(req.query.limit ?? 100, req.query.kind);
      },
    );

    app.get(
      '/api/admin/users',
      { schema: { tags: ['admin'], summary: '用户列表', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        requirePermission(req.actor, 'admin.users');
        return admin.users();
      },
    );

    app.post(
      '/api/admin/users',
      {
        schema: {
          tags: ['admin'],
          summary: '新建用户',
          body: strict({
            username: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{2,31}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 50 }),
            // the password policy (PASSWORD_*) answers with its own codes
            password: Type.String({ minLength: 1, maxLength: 200 }),
            role: enumOf(ROLES),
            unitId: Type.Optional(UnitId),
            districtCode: Type.Optional(DistrictCode),
            desks: Type.Optional(Desks),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.users');
        return reply.code(201).send(await admin.createUser(req.actor, req.body));
      },
    );

    app.patch(
      '/api/admin/users/:id',
      {
        schema: {
          tags: ['admin'],
          summary: '修改用户（角色、范围、停用、重置密码）',
          params: strict({ id: Uuid }),
          body: strict({
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(enumOf(ROLES)),
            unitId: Type.Optional(Type.Union([UnitId, Type.Null()])),
            districtCode: Type.Optional(Type.Union([DistrictCode, Type.Null()])),
            active: Type.Optional(Type.Boolean()),
            desks: Type.Optional(Desks),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.users');
        return admin.updateUser(req.actor, req.params.id, req.body);
      },
    );

    app.post(
      '/api/admin/users/:id/unlock',
      {
        schema: {
          tags: ['admin'],
          summary: '解除用户因多次登录失败而被锁定的状态',
          params: strict({ id: Uuid }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.users');
        return admin.unlockUser(req.actor, req.params.id);
      },
    );

    app.post(
      '/api/admin/users/:id/totp/reset',
      {
        schema: {
          tags: ['admin'],
          summary: '重置用户的动态验证码（如手机丢失）；其会话随之结束',
          params: strict({ id: Uuid }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.users');
        await admin.resetTotp(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
