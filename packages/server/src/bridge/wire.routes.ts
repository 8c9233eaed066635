/**
 * The wire endpoints (bridge-protocol.md): they authenticate by signature, not by log-in, and answer
 * in the protocol's shape (`{"error": code}`, `{"ack", "status"}`), not the API's error catalogue.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WireService } from './wire.service.ts';

/** The largest message body this desk reads (bridge-protocol.md, Trust rules: state it; Liandong: 256 KB). */
export const WIRE_BODY_LIMIT_BYTES = 256 * 1024;

export const bridgeWireRoutes =
  (wire: WireService): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The signature covers the exact bytes, so this plugin keeps the body as bytes (UTF-8 is checked by
    // the intake, and reported as schema_invalid); any content type is read the same way.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WIRE_BODY_LIMIT_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    // The wire answers in the protocol's shape only, whatever fails: an oversized body is 413
    // payload_too_large (never retried); a framework refusal of the request is schema_invalid.
    app.setErrorHandler(async (err: { statusCode?: number; code?: string }, req, reply) => {
      if (err.statusCode === 413) {
        const out = await wire.tooLarge(req.headers);
        return reply.code(413).send({ error: out.kind === 'refused' ? out.error : 'payload_too_large' });
      }
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        return reply.code(400).send({ error: 'schema_invalid' });
      req.log.error({ err }, 'bridge wire request failed');
      return reply.code(503).send({ error: 'unavailable' });
    });

    app.post(
      '/bridge/v1/messages',
      { config: { public: true }, schema: { tags: ['bridge'], summary: '对接消息（签名）', hide: true } },
      async (req, reply) => {
        const out = await wire.intake(req.headers, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        if (out.kind === 'refused') return reply.code(out.status).send({ error: out.error });
        if (out.kind === 'gap') return reply.code(409).send({ error: 'sequence_gap', expected: out.expected });
        return reply.code(200).send({ ack: out.ack, status: out.status });
      },
    );

    app.get(
      '/bridge/v1/messages',
      { config: { public: true }, schema: { tags: ['bridge'], summary: '故障恢复后重放（签名）', hide: true } },
      async (req, reply) => {
        const out = await wire.replay(req.headers, req.query as { after?: string; limit?: string });
        if (out.kind === 'refused') return reply.code(out.status).send({ error: out.error });
        return { messages: out.messages, next: out.next };
      },
    );
  };
