import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/permissions.ts';
import { DateTime, IdParams, enumOf, errorResponses, strict } from '../http/schemas.ts';
import type { AgentUpdate, LiveAgent, LiveCall } from './call-center.ts';
import type { CallBackRow, CallEventRow, CallRow } from './telephony.repo.ts';
import type { TelephonyService } from './telephony.service.ts';

const Any = Type.Unknown();
const Phone = Type.String({ pattern: '^[0-9+]{3,20}$', description: '来电号码' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '月份，如 2026-12' });
const Period = { from: DateTime, to: DateTime };

export const presentAgent = (a: LiveAgent | null) =>
  a && {
    userId: a.userId,
    name: a.name,
    extension: a.extension,
    queues: a.queues,
    state: a.state,
    since: a.since.toISOString(),
  };

export const presentLiveCall = (c: LiveCall | null) =>
  c && {
    id: c.info.callId,
    callRef: c.info.callRef,
    line: c.info.line,
    queue: c.queueId,
    callerNumber: c.info.callerNumber,
    callerName: c.info.callerName,
    peerCallRef: c.info.peerCallRef,
    phase: c.phase,
    held: c.held,
    offeredAt: c.offeredAt.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    transferTarget: c.transferTarget,
  };

export const presentCall = (c: CallRow) => ({
  id: c.id,
  callRef: c.call_ref,
  source: c.source,
  line: c.line,
  queue: c.queue,
  caller: c.caller,
  callerName: c.caller_name,
  agent: c.agent_name ?? c.agent_label,
  extension: c.extension,
  offeredAt: c.offered_at.toISOString(),
  answeredAt: c.answered_at?.toISOString() ?? null,
  endedAt: c.ended_at?.toISOString() ?? null,
  waitSeconds:
    c.ended_at || c.answered_at
      ? Math.round(((c.answered_at ?? c.ended_at)!.getTime() - c.offered_at.getTime()) / 1000)
      : null,
  talkSeconds: c.answered_at && c.ended_at ? Math.round((c.ended_at.getTime() - c.answered_at.getTime()) / 1000) : null,
  endReason: c.end_reason,
  endedBy: c.ended_by,
  peerCallRef: c.peer_call_ref,
  transferredTo: c.transferred_to,
  linkageItemId: c.linkage_item_id,
  requestId: c.request_id,
  recordingRef: c.recording_ref,
});

export const presentEvent = (e: CallEventRow) => ({
  id: e.id,
  callId: e.call_id,
  type: e.type,
  extension: e.extension,
  agent: e.agent_name,
  detail: e.detail,
  at: e.at.toISOString(),
});

const presentCallBack = (b: CallBackRow) => ({
  callId: b.call_id,
  caller: b.caller,
  reason: b.reason,
  line: b.line,
  offeredAt: b.offered_at.toISOString(),
  createdAt: b.created_at.toISOString(),
  doneAt: b.done_at?.toISOString() ?? null,
  doneBy: b.done_by_name,
  outcome: b.outcome,
  note: b.note,
  requestId: b.request_id,
});

/** A server-sent-event stream fed by the call centre's in-process events (it runs where the switch runs). */
function sse(reply: FastifyReply, req: FastifyRequest) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('event: ready\ndata: {}\n\n');
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const cleanups: (() => void)[] = [() => clearInterval(keepAlive)];
  req.raw.on('close', () => cleanups.forEach((f) => f()));
  return {
    send: (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose: (f: () => void) => cleanups.push(f),
    end: () => res.end(),
  };
}

export const telephonyRoutes =
  (service: TelephonyService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of streams) end();
    });
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get(
      '/api/telephony/status',
      {
        schema: {
          tags: ['telephony'],
          summary: '本平台话务是否启用（SIP）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async () => service.status(),
    );

    app.get(
      '/api/telephony/me',
      { schema: { tags: ['telephony'], summary: '我的坐席状态与当前通话', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        const { agent, call } = service.me(req.actor);
        return { agent: presentAgent(agent), call: presentLiveCall(call) };
      },
    );

    app.post(
      '/api/telephony/agent/sign-in',
      {
        schema: {
          tags: ['telephony'],
          summary: '签入坐席（话机须已注册）',
          body: strict({
            extension: Type.String({ pattern: '^[0-9]{3,8}$', description: '坐席分机号' }),
            standby: Type.Optional(Type.Boolean({ description: '同时加入应急备用坐席组' })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => presentAgent(await service.signIn(req.actor, req.body.extension, req.body.standby ?? false)),
    );

    app.post(
      '/api/telephony/agent/state',
      {
        schema: {
          tags: ['telephony'],
          summary: '示闲、小休或签出',
          body: strict({ state: enumOf(['ready', 'break', 'offline'] as const) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => ({ agent: presentAgent(service.setState(req.actor, req.body.state)) }),
    );

    // The agent's live stream: the call offered to her (with the caller's number for the pop-up), answered,
    // moved, ended; and her own state. Supervisors also get the wallboard.
    app.get(
      '/api/telephony/stream',
      {
        config: { streamToken: true },
        schema: {
          tags: ['telephony'],
          summary: '坐席与监控大屏实时推送（Server-Sent Events）',
          querystring: strict({ access_token: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        const actor: Actor = req.actor;
        const center = service.center;
        const s = sse(reply, req);
        streams.add(s.end);
        s.onClose(() => streams.delete(s.end));
        if (!center) return;
        const onAgent = (u: AgentUpdate) => {
          if (u.agent.userId === actor.id)
            s.send('agent', { event: u.event, agent: presentAgent(u.agent), call: presentLiveCall(u.call) });
        };
        center.on('agent', onAgent);
        s.onClose(() => center.off('agent', onAgent));
        if (can(actor, 'telephony.supervise')) {
          const onBoard = () =>
            void service.wallboard(actor).then(
              (w) => s.send('wallboard', w),
              () => undefined,
            );
          center.on('wallboard', onBoard);
          s.onClose(() => center.off('wallboard', onBoard));
          onBoard();
        }
      },
    );

    app.post(
      '/api/telephony/calls/:id/transfer',
      {
        schema: {
          tags: ['telephony'],
          summary: '一键转接：把当前通话转到对方平台专席（与对接事项一同）',
          params: IdParams,
          body: strict({ linkageItemId: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.transfer(req.actor, req.params.id, req.body.linkageItemId ?? null),
    );

    app.post(
      '/api/telephony/calls/:id/consult',
      {
        schema: {
          tags: ['telephony'],
          summary: '咨询转接：来电人保持，先与对方平台专席通话（答复时专席已接听）',
          params: IdParams,
          body: strict({ linkageItemId: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.consult(req.actor, req.params.id, req.body.linkageItemId ?? null),
    );

    app.post(
      '/api/telephony/calls/:id/consult/complete',
      {
        schema: {
          tags: ['telephony'],
          summary: '咨询转接完成：把保持中的来电人交给正在通话的对方专席，本坐席释放',
          params: IdParams,
          body: strict({}),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.completeConsult(req.actor, req.params.id),
    );

    app.post(
      '/api/telephony/calls/:id/consult/cancel',
      {
        schema: {
          tags: ['telephony'],
          summary: '取消咨询转接：挂断对方专席，与来电人恢复通话',
          params: IdParams,
          body: strict({}),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.cancelConsult(req.actor, req.params.id),
    );

    app.post(
      '/api/telephony/calls/:id/request',
      {
        schema: {
          tags: ['telephony'],
          summary: '把通话关联到受理的诉求（通话记录进入诉求时间线）',
          params: IdParams,
          body: strict({ requestId: Type.String({ format: 'uuid' }) }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await service.linkRequest(req.actor, req.params.id, req.body.requestId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/telephony/calls',
      {
        schema: {
          tags: ['telephony'],
          summary: '话单查询',
          querystring: strict({
            ...Period,
            line: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            caller: Type.Optional(Phone),
            page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const r = await service.calls(req.actor, {
          from: new Date(q.from),
          to: new Date(q.to),
          line: q.line,
          caller: q.caller,
          page: q.page ?? 1,
          pageSize: q.pageSize ?? 50,
        });
        return { items: r.rows.map(presentCall), total: r.total };
      },
    );

    app.get(
      '/api/telephony/calls/:id',
      {
        schema: {
          tags: ['telephony'],
          summary: '一通电话及其各段',
          params: IdParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const r = await service.call(req.actor, req.params.id);
        return { call: presentCall(r.call), events: r.events.map(presentEvent) };
      },
    );

    app.get(
      '/api/telephony/calls/by-ref/:ref',
      {
        schema: {
          tags: ['telephony'],
          summary: '按通话标识（callRef）查本平台的通话，含对方平台转来的',
          params: strict({ ref: Type.String({ minLength: 3, maxLength: 200 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const r = await service.callByRef(req.actor, req.params.ref);
        return { calls: r.calls.map(presentCall), events: r.events.map(presentEvent) };
      },
    );

    app.get(
      '/api/requests/:id/calls',
      {
        schema: {
          tags: ['telephony'],
          summary: '诉求的通话记录（时间线上的通话各段）',
          params: IdParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const r = await service.legsForRequest(req.actor, req.params.id);
        return { calls: r.calls.map(presentCall), events: r.events.map(presentEvent) };
      },
    );

    app.get(
      '/api/telephony/callers/:number',
      {
        schema: {
          tags: ['telephony'],
          summary: '来电弹屏：该号码的历史诉求与关注标记',
          params: strict({ number: Phone }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.callerHistory(req.actor, req.params.number),
    );

    app.get(
      '/api/telephony/call-backs',
      {
        schema: {
          tags: ['telephony'],
          summary: '漏接回拨队列',
          querystring: strict({ status: Type.Optional(enumOf(['open', 'done'] as const)) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => (await service.callBacks(req.actor, req.query.status !== 'done')).map(presentCallBack),
    );

    app.post(
      '/api/telephony/call-backs/:id/done',
      {
        schema: {
          tags: ['telephony'],
          summary: '登记回拨结果',
          params: IdParams,
          body: strict({
            outcome: enumOf(['reached', 'no_answer', 'wrong_number'] as const),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await service.completeCallBack(req.actor, req.params.id, req.body.outcome, req.body.note?.trim() || null);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/telephony/wallboard',
      { schema: { tags: ['telephony'], summary: '话务监控大屏', response: { 200: Any, ...errorResponses } } },
      async (req) => service.wallboard(req.actor),
    );

    app.put(
      '/api/telephony/queues/:id/surge',
      {
        schema: {
          tags: ['telephony'],
          summary: '应急状态（溢出到备用坐席组、话后整理坐席也接听）开启或关闭',
          params: strict({ id: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,30}$' }) }),
          body: strict({ surge: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 200 })) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.setSurge(req.actor, req.params.id, req.body.surge, req.body.note?.trim() || null),
    );

    app.post(
      '/api/telephony/call-records/import',
      {
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags: ['telephony'],
          summary: '导入其他热线交换机的话单（CSV，UTF-8）',
          description:
            '列：line, call_id, caller, queue, agent, offered_at, answered_at, ended_at（line、call_id、offered_at、ended_at 必填；时间为 ISO 8601 或北京时间 “YYYY-MM-DD HH:MM:SS”）。任何一行有误则整个文件不导入。',
          querystring: strict({ filename: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
          body: Type.String({ minLength: 1 }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await service.importCsv(req.actor, req.query.filename ?? 'call-records.csv', req.body)),
    );

    app.get(
      '/api/telephony/assessment',
      {
        schema: {
          tags: ['telephony'],
          summary: '热线归并评估：各线路人工接通率与7×24小时人工服务',
          querystring: strict(Period),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.assessment(req.actor, new Date(req.query.from), new Date(req.query.to)),
    );

    app.get(
      '/api/telephony/capacity',
      {
        schema: {
          tags: ['telephony'],
          summary: '接话能力规划：按半小时所需坐席数（Erlang C）',
          querystring: strict({
            ...Period,
            line: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
            serviceLevel: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.99, default: 0.8 })),
            targetSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 120, default: 15 })),
            wrapUpSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600, default: 30 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) =>
        service.capacity(req.actor, {
          from: new Date(req.query.from),
          to: new Date(req.query.to),
          line: req.query.line,
          serviceLevel: req.query.serviceLevel ?? 0.8,
          targetSeconds: req.query.targetSeconds ?? 15,
          wrapUpSeconds: req.query.wrapUpSeconds ?? 30,
        }),
    );

    app.get(
      '/api/telephony/seats',
      { schema: { tags: ['telephony'], summary: '坐席分机及注册情况', response: { 200: Any, ...errorResponses } } },
      async (req) => service.seats(req.actor),
    );

    app.put(
      '/api/admin/telephony/seats/:extension',
      {
        schema: {
          tags: ['admin'],
          summary: '设置坐席分机（话机以分机号和密码注册）',
          params: strict({ extension: Type.String({ pattern: '^[0-9]{3,8}$' }) }),
          body: strict({
            label: Type.String({ minLength: 1, maxLength: 50 }),
            password: Type.String({ minLength: 8, maxLength: 64 }),
          }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await service.putSeat(req.actor, req.params.extension, req.body.label, req.body.password);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/training/sessions',
      {
        schema: {
          tags: ['telephony'],
          summary: '登记一次话务员培训及参训人员',
          body: strict({
            title: Type.String({ minLength: 1, maxLength: 100 }),
            topic: Type.Optional(Type.String({ maxLength: 200 })),
            trainer: Type.Optional(Type.String({ maxLength: 50 })),
            heldOn: Type.String({ format: 'date' }),
            minutes: Type.Integer({ minimum: 10, maximum: 600, description: '时长（分钟），每45分钟计1课时' }),
            attendees: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(
          await service.addTraining(req.actor, {
            ...req.body,
            topic: req.body.topic?.trim() || null,
            trainer: req.body.trainer?.trim() || null,
          }),
        ),
    );

    app.get(
      '/api/training/sessions',
      {
        schema: {
          tags: ['telephony'],
          summary: '某月的培训',
          querystring: strict({ month: Month }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.trainingSessions(req.actor, req.query.month),
    );

    app.get(
      '/api/training/check',
      {
        schema: {
          tags: ['telephony'],
          summary: '月度培训课时核查（每人每月不少于5课时）',
          querystring: strict({ month: Month }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.trainingCheck(req.actor, req.query.month),
    );
  };
