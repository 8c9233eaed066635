/**
 * Bridge signatures (bridge-protocol.md, Transport): HMAC with SHA-256, or SM3 where 国密 is required,
 * over `timestamp + "\n" + nonce + "\n" + body`. Node's crypto has both.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SignatureAlg = 'hmac-sha256' | 'hmac-sm3';
const DIGEST: Record<SignatureAlg, string> = { 'hmac-sha256': 'sha256', 'hmac-sm3': 'sm3' };

export const MAX_SKEW_MS = 300_000;
export const NONCE_TTL_MS = 900_000;

export function signature(alg: SignatureAlg, key: string, timestamp: string, nonce: string, body: string): string {
  return `${alg}=${createHmac(DIGEST[alg], key).update(`${timestamp}\n${nonce}\n${body}`).digest('base64')}`;
}

export function signedHeaders(
  alg: SignatureAlg,
  keyId: string,
  key: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomBytes(18).toString('base64url');
  return {
    'x-bridge-key-id': keyId,
    'x-bridge-timestamp': timestamp,
    'x-bridge-nonce': nonce,
    'x-bridge-signature': signature(alg, key, timestamp, nonce, body),
  };
}

export type VerifyFailure = 'unknown_key' | 'stale_timestamp' | 'signature_invalid';

/** An inbound key: its secret and the one algorithm configured for it (bridge-protocol.md, Trust rules). */
export interface InboundKey {
  secret: string;
  alg: SignatureAlg;
}

/**
 * A nonce as the protocol asks: base64url of 16 or more bytes, and not obviously non-random (a random
 * 16-byte string has, all but surely, at least 8 distinct byte values; `aaaaaaaaaaaaaaaa` has one).
 */
export function nonceAcceptable(nonce: string): boolean {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(nonce) || nonce.length > 200) return false;
  const bytes = Buffer.from(nonce, 'base64url');
  return bytes.length >= 16 && new Set(bytes).size >= 8;
}

/** Checks key, clock, nonce form, algorithm and signature; the nonce is checked against storage by the caller. */
export function verify(
  headers: Record<string, string | string[] | undefined>,
  body: string,
  keys: Map<string, InboundKey>,
  now = Date.now(),
): { ok: true; keyId: string; nonce: string } | { ok: false; reason: VerifyFailure } {
  const h = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const keyId = h('x-bridge-key-id'),
    ts = h('x-bridge-timestamp'),
    nonce = h('x-bridge-nonce'),
    sig = h('x-bridge-signature');
  if (!keyId || !sig || !ts || !nonce) return { ok: false, reason: 'signature_invalid' };
  const key = keys.get(keyId);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const t = Number(ts);
  if (!Number.isFinite(t) || Math.abs(now - t) > MAX_SKEW_MS) return { ok: false, reason: 'stale_timestamp' };
  if (!nonceAcceptable(nonce)) return { ok: false, reason: 'signature_invalid' };
  // The algorithm configured for the key is the only one accepted (no downgrade to the other).
  if (sig.split('=')[0] !== key.alg) return { ok: false, reason: 'signature_invalid' };
  const expected = Buffer.from(signature(key.alg, key.secret, ts, nonce, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'signature_invalid' };
  return { ok: true, keyId, nonce };
}
