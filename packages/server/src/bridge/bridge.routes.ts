/**
 * The wire endpoints (bridge-protocol.md) and the seats' linkage API.
 * POST/GET /bridge/v1/messages authenticate by signature, not by log-in; every refusal is logged.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BRIDGE_DISPOSITIONS,
  LINKAGE_KINDS,
  LINKAGE_KIND_LABELS,
  LINKAGE_STATUSES,
  LINKAGE_STATUS_LABELS,
  NEGOTIATION_OUTCOMES,
  REJECT_REASONS,
  STATUS_VALUES,
  allowedLinkageMessages,
  validateEnvelope,
  type MessageType,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { DistrictCode, Note, enumOf, errorResponses } from '../http/schemas.ts';
import {
  findItem,
  insertRefusal,
  listEvents,
  listItems,
  listOutbox,
  rememberNonce,
  replayAfter,
  retryDead,
  type ItemRow,
} from './bridge.repo.ts';
import type { BridgeService } from './bridge.service.ts';
import type { PeerDirectory } from './peers.ts';
import { verify } from './signing.ts';
import { serveEventStream, type NotifyStream } from '../shared/notify-stream.ts';
import { listActiveTargets } from './connectors.repo.ts';

const Any = Type.Unknown();
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const ItemParams = strict({ itemId: Type.String({ minLength: 3, maxLength: 200 }) });

const SEATS = new Set(['specialist_seat', 'call_taker', 'dispatcher', 'admin']);
const seat = (a: Actor) => {
  if (!SEATS.has(a.role)) throw new AppError('FORBIDDEN');
};
/** Supervisors watch the linkage queue (overdue items, 催办) and analysts read it; only seats act on it. */
const READERS = new Set([...SEATS, 'supervisor', 'analyst']);
const reader = (a: Actor) => {
  if (!READERS.has(a.role)) throw new AppError('FORBIDDEN');
};

export function presentItem(i: ItemRow) {
  const now = Date.now();
  return {
    itemId: i.item_id,
    kind: i.kind,
    kindLabel: LINKAGE_KIND_LABELS[i.kind],
    side: i.side,
    peer: i.peer,
    status: i.status,
    statusLabel: LINKAGE_STATUS_LABELS[i.status],
    keptByFirstReceiver: i.kept_by_first_receiver,
    opening: i.opening,
    localRef: i.local_ref,
    localNo: i.local_no,
    peerRef: i.peer_ref,
    districtCode: i.district_code,
    acceptDeadline: i.accept_deadline?.toISOString() ?? null,
    negotiationDeadline: i.negotiation_deadline?.toISOString() ?? null,
    acceptOverdue:
      i.accept_overdue || (i.status === 'requested' && !!i.accept_deadline && i.accept_deadline.getTime() < now),
    acceptedAt: i.accepted_at?.toISOString() ?? null,
    feedbackAt: i.feedback_at?.toISOString() ?? null,
    closedAt: i.closed_at?.toISOString() ?? null,
    secondsToAccept: i.accepted_at ? Math.round((i.accepted_at.getTime() - i.created_at.getTime()) / 1000) : null,
    secondsToFeedback: i.feedback_at ? Math.round((i.feedback_at.getTime() - i.created_at.getTime()) / 1000) : null,
    createdAt: i.created_at.toISOString(),
    updatedAt: i.updated_at.toISOString(),
    allowedSteps: allowedLinkageMessages(
      { kind: i.kind, status: i.status, keptByFirstReceiver: i.kept_by_first_receiver },
      i.side,
    ),
  };
}

export const bridgeWireRoutes =
  (db: Db, peers: PeerDirectory, service: BridgeService): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The signature covers the exact bytes, so this plugin keeps the body as a string.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, body),
    );

    const refuse = async (
      status: number,
      error: string,
      keyId: string | null,
      messageId: string | null,
      detail: string,
    ) => {
      await insertRefusal(db, error, keyId, messageId, detail);
      app.log.warn({ error, keyId, messageId, detail }, 'bridge message refused');
      return { status, body: { error } };
    };

    app.post(
      '/bridge/v1/messages',
      { config: { public: true }, schema: { tags: ['bridge'], summary: '对接消息（签名）', hide: true } },
      async (req, reply) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const dir = await peers.fresh();
        const v = verify(req.headers, raw, dir.inboundKeys());
        const keyId = (req.headers['x-bridge-key-id'] as string | undefined) ?? null;
        if (!v.ok) {
          const r = await refuse(401, v.reason, keyId, null, 'POST');
          return reply.code(r.status).send(r.body);
        }
        if (!(await rememberNonce(db, v.keyId, v.nonce))) {
          const r = await refuse(401, 'replayed_nonce', keyId, null, v.nonce);
          return reply.code(r.status).send(r.body);
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          const r = await refuse(400, 'schema_invalid', keyId, null, 'body is not JSON');
          return reply.code(r.status).send(r.body);
        }
        const env = validateEnvelope(parsed);
        if (!env.ok) {
          const id = (parsed as { id?: unknown })?.id;
          const r = await refuse(400, env.code, keyId, typeof id === 'string' ? id : null, env.message);
          return reply.code(r.status).send(r.body);
        }
        // A key speaks for one peer only: a connector cannot send in the other desk's name.
        if (dir.ownerOf(v.keyId) !== env.value.from) {
          const r = await refuse(
            401,
            'unknown_key',
            keyId,
            env.value.id,
            `key ${v.keyId} does not belong to ${env.value.from}`,
          );
          return reply.code(r.status).send(r.body);
        }
        const res = await service.receive(env.value);
        if (res.status === 'gap') return reply.code(409).send({ error: 'sequence_gap', expected: res.expected });
        return reply.code(200).send({ ack: env.value.id, status: res.status });
      },
    );

    app.get(
      '/bridge/v1/messages',
      { config: { public: true }, schema: { tags: ['bridge'], summary: '故障恢复后重放（签名）', hide: true } },
      async (req, reply) => {
        const dir = await peers.fresh();
        const v = verify(req.headers, '', dir.inboundKeys());
        const keyId = (req.headers['x-bridge-key-id'] as string | undefined) ?? null;
        if (!v.ok) {
          const r = await refuse(401, v.reason, keyId, null, 'GET');
          return reply.code(r.status).send(r.body);
        }
        if (!(await rememberNonce(db, v.keyId, v.nonce))) {
          const r = await refuse(401, 'replayed_nonce', keyId, null, v.nonce);
          return reply.code(r.status).send(r.body);
        }
        const q = req.query as { after?: string; limit?: string };
        const after = Number(q.after ?? 0),
          limit = Math.min(Number(q.limit ?? 100), 1000);
        if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1)
          return reply.code(400).send({ error: 'schema_invalid' });
        const rows = await replayAfter(db, dir.ownerOf(v.keyId) ?? '', after, limit);
        return { messages: rows.map((r) => r.envelope), next: rows.length ? rows[rows.length - 1]!.out_no : after };
      },
    );
  };

export const linkageRoutes =
  (
    db: Db,
    service: BridgeService,
    local: { findRequestFor(kind: string, id: string): Promise<{ requestId: string; localNo: string } | null> },
    stream: NotifyStream,
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Server-sent events: `item` with the item's current summary whenever it changes. EventSource cannot
    // send headers, so this endpoint also takes the session token as ?access_token=.
    app.get(
      '/api/linkage/stream',
      {
        schema: {
          tags: ['bridge'],
          summary: '对接事项实时推送（Server-Sent Events）',
          querystring: strict({ access_token: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        reader(req.actor);
        await serveEventStream(req, reply, stream, (itemId, send) => {
          void findItem(db, itemId).then((item) => {
            if (item) send('item', String(item.updated_at.getTime()), presentItem(item));
          });
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
      async (req) => {
        reader(req.actor);
        return listActiveTargets(db);
      },
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
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        reader(req.actor);
        const q = req.query;
        const pageSize = q.pageSize ?? 20,
          page = q.page ?? 1;
        const { rows, total } = await listItems(db, {
          status: q.status,
          side: q.side,
          kind: q.kind,
          overdue: q.overdue,
          districtCode: q.districtCode,
          dueWithinMinutes: q.dueWithin,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items: rows.map(presentItem), total, page, pageSize };
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
      async (req) => {
        reader(req.actor);
        const item = await findItem(db, req.params.itemId);
        if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
        const events = await listEvents(db, item.item_id);
        return { ...presentItem(item), timeline: events.map((e) => ({ ...e, at: e.at.toISOString() })) };
      },
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
      async (req, reply) => {
        seat(req.actor);
        const b = req.body;
        if (!!b.workOrderId === !!b.incidentId)
          throw new AppError('VALIDATION_FAILED', '须且只能指定 workOrderId 或 incidentId 之一');
        const ref = b.workOrderId
          ? await local.findRequestFor('work_order', b.workOrderId)
          : await local.findRequestFor('incident', b.incidentId!);
        if (!ref) throw new AppError(b.workOrderId ? 'WORK_ORDER_NOT_FOUND' : 'INCIDENT_NOT_FOUND');
        const item = await service.open(req.actor, {
          kind: b.kind,
          requestId: ref.requestId,
          localRef: (b.workOrderId ?? b.incidentId)!,
          localNo: ref.localNo,
          reason: b.reason,
          need: b.need,
          danger: b.danger,
          summary: b.summary,
          callbackConsent: b.callbackConsent,
          target: b.target,
        });
        return reply.code(201).send(presentItem(item));
      },
    );

    const step = (path: string, type: MessageType, summary: string, body: ReturnType<typeof strict>) =>
      app.post(
        `/api/linkage/items/:itemId/${path}`,
        { schema: { tags: ['bridge'], summary, params: ItemParams, body, response: { 200: Any, ...errorResponses } } },
        async (req) => {
          seat(req.actor);
          return presentItem(
            await service.act(
              req.actor,
              (req.params as { itemId: string }).itemId,
              type,
              req.body as Record<string, unknown>,
            ),
          );
        },
      );
    step('accept', 'transfer.accept', '签收（在本平台生成工单或警情）', strict({}));
    step(
      'reject',
      'transfer.reject',
      '拒收（须选原因）',
      strict({ reasonCode: enumOf(REJECT_REASONS), note: Type.Optional(Note) }),
    );
    step(
      'negotiate',
      'negotiation.open',
      '发起协商',
      strict({ note: Type.Optional(Note), deadline: Type.Optional(Type.String({ format: 'date-time' })) }),
    );
    step(
      'resolve',
      'negotiation.resolve',
      '协商结果：对方受理或首接负责',
      strict({ outcome: enumOf(NEGOTIATION_OUTCOMES), note: Type.Optional(Note) }),
    );
    step('status', 'status.update', '处置进展', strict({ status: enumOf(STATUS_VALUES), note: Type.Optional(Note) }));
    step('feedback', 'feedback', '处置反馈', strict({ disposition: enumOf(BRIDGE_DISPOSITIONS), summary: Note }));
    step('confirm', 'closure.confirm', '确认闭环', strict({ note: Type.Optional(Note) }));
    step('dispute', 'closure.dispute', '对反馈有异议，重启', strict({ reason: Note }));

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
        if (req.actor.role !== 'admin') throw new AppError('FORBIDDEN');
        if (!(await retryDead(db, req.params.id))) throw new AppError('OUTBOX_MESSAGE_NOT_FOUND');
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
      async (req) => {
        if (req.actor.role !== 'admin') throw new AppError('FORBIDDEN');
        return listOutbox(db, req.query.status);
      },
    );
  };
