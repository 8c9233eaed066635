/** Every error answers with a code from the one catalogue (errors.ts, docs/errors.md) and a Chinese message. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError, ERROR_CATALOGUE } from '../errors.ts';
import { DATABASE_RETRY_AFTER_S } from './ops.routes.ts';
import { validationMessage } from './validation-message.ts';

/** Fastify's own failures (body parsing, media type) in the catalogue's terms. */
const FASTIFY_CODES: Record<string, keyof typeof ERROR_CATALOGUE> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

export function mapErrors(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError | AppError, req, reply) => {
    // Every path's database failures in the catalogue's terms, whether or not its service translated them.
    const err = translatePgError(raw) as FastifyError | AppError;
    if (err instanceof AppError) {
      if (err.status === 503) reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
      return reply
        .code(err.status)
        .send({ code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      return reply.code(400).send({
        code: 'VALIDATION_FAILED',
        message: `请求参数不合法：${validationMessage(first, fe.validationContext ?? 'body')}`,
        details: fe.validation,
      });
    }
    const code = (fe.code && FASTIFY_CODES[fe.code]) || (fe instanceof SyntaxError ? 'INVALID_JSON' : undefined);
    if (code) return reply.code(ERROR_CATALOGUE[code].status).send({ code, message: ERROR_CATALOGUE[code].message });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply
        .code(fe.statusCode)
        .send({ code: 'VALIDATION_FAILED', message: `${ERROR_CATALOGUE.VALIDATION_FAILED.message}：${fe.message}` });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL_ERROR', message: ERROR_CATALOGUE.INTERNAL_ERROR.message });
  });
}
