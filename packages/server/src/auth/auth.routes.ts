import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLE_LABELS, type Role } from '@liandong/domain';
import { errorResponses } from '../http/schemas.ts';
import type { Actor } from './actor.ts';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.ts';
import type { AuthService, SecondFactorChallenge, Session } from './auth.service.ts';
import { ROLE_PERMISSIONS } from './permissions.ts';

export function presentActor(a: Actor) {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    roleLabel: a.role === 'system' ? '系统' : ROLE_LABELS[a.role],
    unitId: a.unitId,
    districtCode: a.districtCode,
    permissions: a.role === 'system' ? [] : [...ROLE_PERMISSIONS[a.role as Role]],
  };
}

/** A lock-out or rate limit says when to come back (Retry-After), as the error's details do. */
async function withRetryAfter<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const wait = err instanceof AppError ? err.details?.retryAfterSeconds : undefined;
    if (typeof wait === 'number') reply.header('retry-after', String(wait));
    throw err;
  }
}

const TotpCode = Type.String({ pattern: '^\\s*\\d{6}\\s*$', description: '6位动态验证码' });

function presentLogin(r: Session | SecondFactorChallenge) {
  if (r.kind === 'session')
    return { token: r.token, expiresAt: r.expiresAt.toISOString(), user: presentActor(r.actor) };
  return {
    secondFactor: 'totp' as const,
    challenge: r.challenge,
    expiresAt: r.expiresAt.toISOString(),
    ...(r.enrol ? { enrol: r.enrol } : {}),
  };
}

export const authRoutes =
  (auth: AuthService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary:
            '登录，返回会话令牌（Authorization: Bearer <token>）；需动态验证码时返回 secondFactor 与 challenge（可直接附 code 一次登录）',
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 64 }),
              password: Type.String({ minLength: 1, maxLength: 200 }),
              code: Type.Optional(TotpCode),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req, reply) =>
        presentLogin(
          await withRetryAfter(reply, () =>
            auth.login(req.body.username, req.body.password, { address: req.ip }, req.body.code),
          ),
        ),
    );

    app.post(
      '/api/auth/login/totp',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: '登录第二步：动态验证码（首次登录时同时完成绑定）',
          body: Type.Object(
            { challenge: Type.String({ minLength: 1, maxLength: 100 }), code: TotpCode },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req, reply) =>
        presentLogin(
          await withRetryAfter(reply, () =>
            auth.loginSecondFactor(req.body.challenge, req.body.code, { address: req.ip }),
          ),
        ),
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null(), ...errorResponses } } },
      async (req, reply) => {
        await auth.logout(req.token!);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/auth/renew',
      {
        schema: {
          tags: ['auth'],
          summary: '继续工作：会话记为此刻使用（空闲计时重新开始），返回空闲时限与会话最迟结束时间',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => auth.renew(req.token!),
    );

    app.get(
      '/api/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: '当前用户与权限，及会话的空闲时限与剩余最长有效时间（秒）',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => {
        // Seconds, not a time of day: the console counts down from its own clock, whatever the skew.
        const end = req.token ? await auth.sessionEnd(req.token) : null;
        return {
          ...presentActor(req.actor),
          ...(req.actor.id ? await auth.security(req.actor.id) : {}),
          idleMinutes: auth.settings.idleMinutes,
          sessionHours: auth.ttlHours,
          sessionSecondsLeft: end ? Math.max(0, Math.floor((end.getTime() - Date.now()) / 1000)) : null,
        };
      },
    );

    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: '修改本人密码（其他会话随之结束）',
          body: Type.Object(
            {
              currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
              newPassword: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await withRetryAfter(reply, () =>
          auth.changePassword(
            req.actor,
            req.body.currentPassword,
            req.body.newPassword,
            { address: req.ip },
            req.token!,
          ),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/enrol',
      {
        schema: {
          tags: ['auth'],
          summary: '开始绑定动态验证码：返回密钥与 otpauth 地址，以首个验证码确认',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => auth.startTotpEnrolment(req.actor),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        schema: {
          tags: ['auth'],
          summary: '确认绑定动态验证码',
          body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await withRetryAfter(reply, () => auth.confirmTotp(req.actor, req.body.code, { address: req.ip }));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/disable',
      {
        schema: {
          tags: ['auth'],
          summary: '解除本人的动态验证码（须当前验证码；须使用动态验证码的角色不能解除）',
          body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await withRetryAfter(reply, () => auth.disableTotp(req.actor, req.body.code, { address: req.ip }));
        return reply.code(204).send(null);
      },
    );
  };
