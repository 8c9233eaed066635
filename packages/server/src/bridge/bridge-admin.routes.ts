/** The administrators' view of the bridge (死信与拒收): dead letters with retry, and refusals. Thin over BridgeAdminService. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WIRE_ERRORS } from '@liandong/domain';
import { DateTime, PageQuery, enumOf, errorResponses, pageWindow, paged, strict } from '../http/schemas.ts';
import type { BridgeAdminService } from './bridge-admin.service.ts';

const When = DateTime;
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const DeadLetter = Type.Object({
  id: Type.String({ description: '消息编号（信封 id）' }),
  itemId: Type.String({ description: '对接事项编号' }),
  seq: Type.Integer(),
  type: Type.String({ description: '消息类型' }),
  peer: Type.String({ description: '收件方（对方平台或联动单位）' }),
  attempts: Type.Integer({ description: '已尝试次数' }),
  lastError: Nullable(Type.String({ description: '最后一次失败原因，如 “403 not_item_peer” 或 “no answer: …”' })),
  createdAt: When,
});
const Refusal = Type.Object({
  id: Type.String(),
  code: Type.String({ description: '拒收码（docs/errors.md，对接消息拒收）' }),
  peer: Nullable(Type.String({ description: '已验明身份的发送方；签名验证前拒收的为 null' })),
  keyId: Nullable(Type.String()),
  messageId: Nullable(Type.String()),
  itemId: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  count: Type.Integer({ description: '次数（签名验证前的拒收按小时合并计数）' }),
  firstAt: When,
  lastAt: When,
});

export const bridgeAdminRoutes =
  (admin: BridgeAdminService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/admin/bridge/dead-letters',
      {
        schema: {
          tags: ['admin', 'bridge'],
          summary: '死信：本平台未能送达的对接消息（对方永久拒收，或连续失败 24 小时），新的在前',
          querystring: strict(PageQuery),
          response: {
            200: paged(DeadLetter),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { page, pageSize, limit, offset } = pageWindow(req.query);
        const { rows, total } = await admin.deadLetters(req.actor, { limit, offset });
        return { items: rows, total, page, pageSize };
      },
    );

    app.post(
      '/api/admin/bridge/dead-letters/:id/retry',
      {
        schema: {
          tags: ['admin', 'bridge'],
          summary: '重发一条死信（排除原因后）；同一事项其后的消息随之按序发送；记入操作日志',
          params: strict({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 200: Type.Object({ id: Type.String(), status: Type.Literal('pending') }), ...errorResponses },
        },
      },
      async (req) => admin.retry(req.actor, req.params.id),
    );

    app.get(
      '/api/admin/bridge/refusals',
      {
        schema: {
          tags: ['admin', 'bridge'],
          summary: '拒收记录：本平台拒收的对接消息（签名、身份、收件方、内容、事项归属等），新的在前',
          querystring: strict({
            ...PageQuery,
            code: Type.Optional(enumOf(Object.keys(WIRE_ERRORS) as [string, ...string[]])),
            peer: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          }),
          response: {
            200: paged(Refusal),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const { page, pageSize, limit, offset } = pageWindow(req.query);
        const { rows, total } = await admin.refusals(req.actor, {
          code: req.query.code,
          peer: req.query.peer,
          limit,
          offset,
        });
        return { items: rows, total, page, pageSize };
      },
    );
  };
