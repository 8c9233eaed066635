/**
 * `POST /api/sms/inbound`: the SMS gateway posts a citizen's answer to a 回访 survey, signed with its
 * connector's inbound key (docs/sms.md). The signature covers the exact bytes, so the body is read raw.
 * Refusals are the API's error catalogue (SMS_SIGNATURE_INVALID, SMS_MESSAGE_UNKNOWN, …).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/schemas.ts';
import type { SmsService } from './sms.service.ts';

export const SMS_INBOUND_LIMIT_BYTES = 16 * 1024;

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
  };
