/**
 * `POST /api/sms/inbound`: the SMS gateway posts a citizen's answer to a 回访 survey, signed with its
 * connector's inbound key (docs/sms.md). The signature covers the exact bytes, so the body is read raw.
 * Refusals are the API's error catalogue (SMS_SIGNATURE_INVALID, SMS_MESSAGE_UNKNOWN, …).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, errorResponses } from '../http/schemas.ts';
import type { SmsService } from './sms.service.ts';

export const SMS_INBOUND_LIMIT_BYTES = 16 * 1024;

const SmsText = Type.Object(
  {
    id: Type.String(),
    purpose: Type.Union([Type.Literal('receipt'), Type.Literal('reply'), Type.Literal('survey')]),
    purposeLabel: Type.String(),
    status: Type.Union([
      Type.Literal('not_sent'),
      Type.Literal('queued'),
      Type.Literal('sent'),
      Type.Literal('failed'),
      Type.Literal('delivered'),
      Type.Literal('undelivered'),
    ]),
    statusLabel: Type.String(),
    queuedAt: Type.String(),
    sentAt: Type.Union([Type.String(), Type.Null()]),
    deliveredAt: Type.Union([Type.String(), Type.Null()]),
    answer: Type.Union([
      Type.Object({ rating: Type.Integer(), level: Type.String(), at: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

/** `GET /api/work-orders/:id/texts`: the order's texts for those who may read the order (no number, no words). */
export const smsTextRoutes =
  (sms: SmsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/work-orders/:id/texts',
      {
        schema: {
          tags: ['sms'],
          summary: '工单的短信记录：受理、办结答复、回访短信的发送状态和市民评价（不含号码和短信内容）',
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(SmsText) }, { additionalProperties: false }),
            ...errorResponses,
          },
        },
      },
      async (req) => ({ items: await sms.textsOf(req.actor, req.params.id) }),
    );
  };

export const smsRoutes =
  (sms: SmsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SMS_INBOUND_LIMIT_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    app.post(
      '/api/sms/inbound',
      {
        config: { public: true },
        schema: {
          tags: ['sms'],
          summary: '短信网关上行：市民对回访短信的回复（网关签名）',
          response: {
            200: Type.Object({
              status: Type.Union([Type.Literal('recorded'), Type.Literal('duplicate')]),
              rating: Type.Optional(Type.Integer()),
              satisfaction: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => sms.inbound(req.headers, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
    );
    app.post(
      '/api/sms/reports',
      {
        config: { public: true },
        schema: {
          tags: ['sms'],
          summary: '短信网关状态报告：短信是否送达市民手机（网关签名）',
          response: {
            200: Type.Object({ status: Type.Union([Type.Literal('recorded'), Type.Literal('duplicate')]) }),
            ...errorResponses,
          },
        },
      },
      async (req) => sms.report(req.headers, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
    );
  };
