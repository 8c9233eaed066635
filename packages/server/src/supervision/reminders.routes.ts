import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../db/pool.ts';
import { IdParams, errorResponses } from '../http/schemas.ts';
import { serveEventStream, type NotifyStream } from '../shared/notify-stream.ts';
import { findReminder, type ReminderRow } from './reminders.repo.ts';
import type { ReminderService } from './reminders.service.ts';

export function presentReminder(r: ReminderRow) {
  return {
    id: r.id,
    workOrderId: r.work_order_id,
    linkageItemId: r.linkage_item_id,
    subject: r.subject,
    target: r.target_unit_id ? { unitId: r.target_unit_id, unitName: r.target_unit_name } : { role: r.target_role },
    message: r.message,
    sentBy: { id: r.sent_by, name: r.sender_name },
    sentAt: r.sent_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    readBy: r.reader_name,
  };
}

const Any = Type.Unknown();
const Body = Type.Object(
  { message: Type.String({ minLength: 1, maxLength: 500, description: '催办内容' }) },
  { additionalProperties: false },
);

export const reminderRoutes =
  (db: Db, service: ReminderService, stream: NotifyStream): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/work-orders/:id/remind',
      {
        schema: {
          tags: ['hotline'],
          summary: '催办工单（点对点送达承办单位）',
          params: IdParams,
          body: Body,
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            presentReminder(
              await service.remindWorkOrder(req.actor, req.params.id, req.body.message.trim() || '请尽快办理'),
            ),
          ),
    );

    app.get(
      '/api/work-orders/:id/reminders',
      {
        schema: {
          tags: ['hotline'],
          summary: '工单的催办记录',
          params: IdParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => (await service.forWorkOrder(req.actor, req.params.id)).map(presentReminder),
    );

    app.post(
      '/api/linkage/items/:itemId/remind',
      {
        schema: {
          tags: ['bridge'],
          summary: '催办对接事项（送达本平台专席）',
          params: Type.Object(
            { itemId: Type.String({ minLength: 3, maxLength: 200 }) },
            { additionalProperties: false },
          ),
          body: Body,
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(
            presentReminder(
              await service.remindLinkageItem(req.actor, req.params.itemId, req.body.message.trim() || '请尽快签收'),
            ),
          ),
    );

    app.get(
      '/api/reminders',
      {
        schema: {
          tags: ['hotline'],
          summary: '发给我（本单位或本岗位）的催办，及未读数',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const { rows, unread } = await service.addressedTo(req.actor);
        return { items: rows.map(presentReminder), unread };
      },
    );

    app.get(
      '/api/reminders/sent',
      {
        schema: { tags: ['hotline'], summary: '我发出的催办及阅读情况', response: { 200: Any, ...errorResponses } },
      },
      async (req) => (await service.sentBy(req.actor)).map(presentReminder),
    );

    app.post(
      '/api/reminders/:id/read',
      {
        schema: {
          tags: ['hotline'],
          summary: '标记催办已读',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await service.read(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );

    // Server-sent events: `reminder` whenever a reminder addressed to the user's unit or role is sent.
    app.get(
      '/api/reminders/stream',
      {
        config: { streamToken: true },
        schema: {
          tags: ['hotline'],
          summary: '催办实时推送（Server-Sent Events）',
          querystring: Type.Object(
            { access_token: Type.Optional(Type.String({ maxLength: 200 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const actor = req.actor;
        await serveEventStream(req, reply, stream, (id, send) => {
          void findReminder(db, id).then(
            (r) => {
              if (r && service.isFor(actor, r)) send('reminder', r.id, presentReminder(r));
            },
            () => undefined, // the database is away: the console reloads when its stream reconnects
          );
        });
      },
    );
  };
