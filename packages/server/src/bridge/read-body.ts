import type { IncomingMessage } from 'node:http';
import { NONCE_TTL_MS, verify, type InboundKey } from './signing.ts';

/** The body of a request to a reference process (receiver, gateway, business system), cut off past `max` characters. */
export const readBody = (req: IncomingMessage, max: number) =>
  new Promise<string>((resolve, reject) => {
    let b = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      b += c;
      if (b.length > max) req.destroy();
    });
    req.on('end', () => resolve(b));
    req.on('error', reject);
  });

/**
 * A reference process's check of a signed request: signature and clock, then a nonce not seen within
 * NONCE_TTL_MS (kept in `nonces`). The error is what the process answers with 401.
 */
export function checkSigned(
  headers: IncomingMessage['headers'],
  raw: string,
  inbound: Map<string, InboundKey>,
  nonces: Map<string, number>,
): { ok: true } | { ok: false; error: string } {
  const v = verify(headers, raw, inbound);
  if (!v.ok) return { ok: false, error: v.reason };
  const now = Date.now();
  for (const [n, t] of nonces) if (now - t > NONCE_TTL_MS) nonces.delete(n);
  if (nonces.has(v.nonce)) return { ok: false, error: 'replayed_nonce' };
  nonces.set(v.nonce, now);
  return { ok: true };
}
