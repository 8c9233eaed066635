/**
 * One guard for every route's text: a U+0000 or a lone UTF-16 surrogate in a header value, the path, the
 * query or the body is refused with 400 TEXT_INVALID naming where it was, before authentication or any
 * handler runs. PostgreSQL cannot store U+0000 (22021/22P05) and jsonb refuses a lone surrogate, and a
 * text column would silently turn it into U+FFFD; refusing at the door means no path reaches the database
 * with either (the error handler still maps those codes, as a safety net).
 *
 * The bridge wire (/bridge/) is left to its own checks: bridge-protocol.md fixes their order (signature
 * before content) and their answers (`{"error": "schema_invalid"}`), which a guard in front would break.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/** True when `s` holds U+0000 or a surrogate half without its pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isBadText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

const MAX_NODES = 100_000;

/** The path (`body.caller.name`, `query.q`) of the first bad string or key in `value`, or null. */
export function findBadText(value: unknown, where: string): string | null {
  let seen = 0;
  const walk = (v: unknown, at: string): string | null => {
    if (++seen > MAX_NODES) return null;
    if (typeof v === 'string') return isBadText(v) ? at : null;
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const bad = walk(v[i], `${at}[${i}]`);
        if (bad) return bad;
      }
      return null;
    }
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      if (isBadText(k)) return `${at}（字段名）`;
      const bad = walk(inner, `${at}.${k}`);
      if (bad) return bad;
    }
    return null;
  };
  return walk(value, where);
}

function refuse(field: string): AppError {
  return new AppError('TEXT_INVALID', `请求中含有不允许的字符（空字符 U+0000 或不成对的代理字符）：${field}`, {
    field,
  });
}

const guarded = (url: string) => !url.startsWith('/bridge/');

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function guardInput(app: FastifyInstance): void {
  // Headers and the raw URL: before authentication, which reads the token and may query the database.
  app.addHook('onRequest', async (req) => {
    if (!guarded(req.url)) return;
    for (const [name, value] of Object.entries(req.headers)) {
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      if (values.some((x) => isBadText(x))) throw refuse(`headers.${name}`);
    }
    const q = req.url.indexOf('?');
    const path = safeDecode(q < 0 ? req.url : req.url.slice(0, q));
    if (path !== null && isBadText(path)) throw refuse('path');
    if (q >= 0) {
      for (const part of req.url.slice(q + 1).split('&')) {
        const decoded = safeDecode(part.replace(/\+/g, ' '));
        if (decoded !== null && isBadText(decoded)) throw refuse(`query.${decoded.split('=')[0] ?? ''}`);
      }
    }
  });
  // The parsed parts: after parsing, before schema validation and the handler.
  app.addHook('preValidation', async (req) => {
    if (!guarded(req.url)) return;
    const bad = findBadText(req.params, 'params') ?? findBadText(req.query, 'query') ?? findBadText(req.body, 'body');
    if (bad) throw refuse(bad);
  });
}
