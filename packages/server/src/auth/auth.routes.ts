import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLE_LABELS, type Role } from '@liandong/domain';
import { errorResponses } from '../http/schemas.ts';
import type { Actor } from './actor.ts';
import type { AuthService } from './auth.service.ts';
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

export const authRoutes =
  (auth: AuthService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: '登录，返回会话令牌（Authorization: Bearer <token>）',
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 64 }),
              password: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => {
        const { token, expiresAt, actor } = await auth.login(req.body.username, req.body.password);
        return { token, expiresAt: expiresAt.toISOString(), user: presentActor(actor) };
      },
    );

    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null(), ...errorResponses } } },
      async (req, reply) => {
        await auth.logout(req.token!);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/auth/me',
      { schema: { tags: ['auth'], summary: '当前用户与权限', response: { 200: Type.Unknown(), ...errorResponses } } },
      async (req) => presentActor(req.actor),
    );
  };
