/**
 * Security headers on every answer (docs/security.md): a Content-Security-Policy the console, the citizen
 * pages and /docs work under (scripts and connections only from this origin; inline styles, which Ant
 * Design and Swagger UI write), no framing by any site (frame-ancestors 'none', X-Frame-Options), no
 * content sniffing, no referrer. A route that sets its own policy (attachments) keeps it.
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FIXED: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    for (const [k, v] of Object.entries(FIXED)) reply.header(k, v);
    return payload;
  });
}
