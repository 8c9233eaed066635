/** The seats' linkage API (对接事项) and the operator's outbox: thin over LinkageService. */
import type { Actor } from '../auth/actor.ts';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BRIDGE_DISPOSITIONS,
  LINKAGE_KINDS,
  LINKAGE_STATUSES,
  NEGOTIATION_OUTCOMES,
  REJECT_REASONS,
  STATUS_VALUES,
  type MessageType,
} from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import { DistrictCode, Note, RevealBody, enumOf, errorResponses, pageWindow, strict } from '../http/schemas.ts';
import { serveEventStream, type NotifyStream } from '../shared/notify-stream.ts';
import type { LinkageService } from './linkage.service.ts';
import { presentItem, presentItemDetail } from './linkage.present.ts';

const Any = Type.Unknown();
const ItemParams = strict({ itemId: Type.String({ minLength: 3, maxLength: 200 }) });

/** A seat's steps: the endpoint, the message it sends, its summary and body. */
const STEPS: [path: string, type: MessageType, summary: string, body: ReturnType<typeof strict>][] = [
  ['accept', 'transfer.accept', '签收（在本平台生成工单或警情）', strict({})],
  [
    'reject',
    'transfer.reject',
    '拒收（须选原因）',
    strict({ reasonCode: enumOf(REJECT_REASONS), note: Type.Optional(Note) }),
  ],
  [
    'negotiate',
    'negotiation.open',
    '发起协商',
    strict({ note: Type.Optional(Note), deadline: Type.Optional(Type.String({ format: 'date-time' })) }),
  ],
  [
    'resolve',
    'negotiation.resolve',
    '协商结果：对方受理或首接负责',
    strict({ outcome: enumOf(NEGOTIATION_OUTCOMES), note: Type.Optional(Note) }),
  ],
  ['status', 'status.update', '处置进展', strict({ status: enumOf(STATUS_VALUES), note: Type.Optional(Note) })],
  ['feedback', 'feedback', '处置反馈', strict({ disposition: enumOf(BRIDGE_DISPOSITIONS), summary: Note })],
  ['confirm', 'closure.confirm', '确认闭环', strict({ note: Type.Optional(Note) })],
  ['dispute', 'closure.dispute', '对反馈有异议，重启', strict({ reason: Note })],
];

/** The item a local record's diversion opened, as the incident's answer shows it (null: nothing was sent). */
export const linkageSummaryFor = (linkage: LinkageService) => async (localRef: string, viewer: Actor) => {
  const item = await linkage.latestFor(localRef);
  return item && presentItem(item, viewer);
};

export const linkageRoutes =
  (linkage: LinkageService, stream: NotifyStream): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Server-sent events: `item` with the item's current summary whenever it changes. EventSource cannot
    // send headers, so this endpoint also takes the session token as ?access_token=.
    app.get(
      '/api/linkage/stream',
      {
        config: { streamToken: true },
        schema: {
          tags: ['bridge'],
          summary: '对接事项实时推送（Server-Sent Events）',
          querystring: strict({ access_token: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'linkage.read');
        await serveEventStream(req, reply, stream, (itemId, send) => {
          void linkage.find(itemId).then(
            (item) => {
              if (item) send('item', String(item.updated_at.getTime()), presentItem(item, req.actor));
            },
            () => undefined, // the database is away: the console reloads when its stream reconnects
          );
        });
      },
    );

    app.get(
      '/api/linkage/targets',
      {
        schema: {
          tags: ['bridge'],
          summary: '可转接的联动单位（119、120、水电气、综治中心、挪车）：编号、名称、类别',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => linkage.targets(req.actor),
    );

    app.get(
      '/api/linkage/items',
      {
        schema: {
          tags: ['bridge'],
          summary: '对接事项列表（待签收、协商中、超时等）',
          querystring: strict({
            status: Type.Optional(Type.Array(enumOf(LINKAGE_STATUSES), { maxItems: 9 })),
            side: Type.Optional(enumOf(['originator', 'receiver'] as const)),
            kind: Type.Optional(enumOf(LINKAGE_KINDS)),
            overdue: Type.Optional(Type.Boolean()),
            districtCode: Type.Optional(DistrictCode),
            dueWithin: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 1440, description: '即将超时：待签收且签收时限在此分钟数内' }),
            ),
            sort: Type.Optional(
              enumOf(['time', 'urgency'] as const, '排序：time 最新在前；urgency 紧急移交与紧急事项在前，再按时间'),
            ),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const { dueWithin, page: _p, pageSize: _s, ...q } = req.query;
        const { page, pageSize, limit, offset } = pageWindow(req.query);
        const { rows, total } = await linkage.list(req.actor, { ...q, dueWithinMinutes: dueWithin, limit, offset });
        return { items: rows.map((r) => presentItem(r, req.actor)), total, page, pageSize };
      },
    );

    app.get(
      '/api/linkage/items/:itemId',
      {
        schema: {
          tags: ['bridge'],
          summary: '对接事项详情与双方时间线',
          params: ItemParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => presentItemDetail(await linkage.get(req.actor, req.params.itemId), req.actor),
    );

    app.post(
      '/api/linkage/items',
      {
        schema: {
          tags: ['bridge'],
          summary: '发起对接：一键转接、紧急移交、请求警方协助、联合调处、分流',
          body: strict({
            kind: enumOf(LINKAGE_KINDS),
            workOrderId: Type.Optional(Type.String({ format: 'uuid' })),
            incidentId: Type.Optional(Type.String({ format: 'uuid' })),
            reason: Type.Optional(Note),
            need: Type.Optional(Note),
            danger: Type.Optional(Note),
            summary: Type.Optional(Note),
            callbackConsent: Type.Optional(Type.Boolean()),
            target: Type.Optional(
              Type.String({
                pattern: '^[a-z0-9][a-z0-9-]{1,40}$',
                description: '联动单位（119、120、水电气、综治中心、挪车）的接入编号；不填则为对方平台',
              }),
            ),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(presentItem(await linkage.open(req.actor, req.body), req.actor)),
    );

    app.post(
      '/api/linkage/items/:itemId/reveal-caller',
      {
        schema: {
          tags: ['bridge'],
          summary: '查看对接事项的来电人回访信息（须说明理由，留痕审计）',
          params: ItemParams,
          body: RevealBody,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => linkage.revealCaller(req.actor, req.params.itemId, req.body.reason),
    );

    for (const [path, type, summary, body] of STEPS) {
      app.post(
        `/api/linkage/items/:itemId/${path}`,
        { schema: { tags: ['bridge'], summary, params: ItemParams, body, response: { 200: Any, ...errorResponses } } },
        async (req) =>
          presentItem(
            await linkage.act(
              req.actor,
              (req.params as { itemId: string }).itemId,
              type,
              req.body as Record<string, unknown>,
            ),
            req.actor,
          ),
      );
    }

    app.post(
      '/api/bridge/outbox/:id/retry',
      {
        schema: {
          tags: ['bridge'],
          summary: '重发一条死信消息（管理员）',
          params: strict({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        await linkage.retry(req.actor, req.params.id);
        return { id: req.params.id, status: 'pending' };
      },
    );
    app.get(
      '/api/bridge/outbox',
      {
        schema: {
          tags: ['bridge'],
          summary: '发件箱（按状态）',
          querystring: strict({ status: enumOf(['pending', 'delivered', 'dead'] as const) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => linkage.outbox(req.actor, req.query.status),
    );
  };
