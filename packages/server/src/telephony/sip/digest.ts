/** HTTP Digest for SIP REGISTER (RFC 3261 §22.4, RFC 2617 with qop=auth): seats prove they hold the password. */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** What the desk stores for a seat: HA1 = MD5(username:realm:password), never the password. */
export const ha1For = (username: string, realm: string, password: string) => md5(`${username}:${realm}:${password}`);

const NONCE_TTL_MS = 5 * 60_000;
const unq = (v: string | undefined) => (v && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);

export class DigestRealm {
  private readonly secret = randomBytes(32);
  constructor(readonly realm: string) {}

  /** A nonce that carries its own time and MAC, so the desk keeps no state per challenge. */
  nonce(now = Date.now()): string {
    const t = now.toString(36);
    return `${t}.${createHmac('sha256', this.secret).update(t).digest('base64url').slice(0, 22)}`;
  }

  private nonceFresh(nonce: string, now: number): boolean {
    const [t, mac] = nonce.split('.');
    if (!t || !mac) return false;
    const expected = createHmac('sha256', this.secret).update(t).digest('base64url').slice(0, 22);
    if (expected.length !== mac.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(mac))) return false;
    return now - parseInt(t, 36) < NONCE_TTL_MS;
  }

  challenge(): { scheme: string; realm: string; nonce: string; qop: string; algorithm: string } {
    return { scheme: 'Digest', realm: `"${this.realm}"`, nonce: `"${this.nonce()}"`, qop: '"auth"', algorithm: 'MD5' };
  }

  /**
   * Checks an Authorization header against the seat's HA1. Returns the username when it proves the
   * password; `stale` when only the nonce has expired (the phone retries without asking its user).
   */
  verify(
    auth: Record<string, string | undefined>,
    method: string,
    ha1: (username: string) => string | null,
    now = Date.now(),
  ): { ok: true; username: string } | { ok: false; stale: boolean } {
    const username = unq(auth.username);
    const nonce = unq(auth.nonce);
    const uri = unq(auth.uri);
    const response = unq(auth.response)?.toLowerCase();
    if (!username || !nonce || !uri || !response || unq(auth.realm) !== this.realm) return { ok: false, stale: false };
    const h1 = ha1(username);
    if (!h1) return { ok: false, stale: false };
    const h2 = md5(`${method}:${uri}`);
    const qop = unq(auth.qop);
    const expected =
      qop === 'auth' ? md5(`${h1}:${nonce}:${auth.nc}:${unq(auth.cnonce)}:auth:${h2}`) : md5(`${h1}:${nonce}:${h2}`);
    if (expected.length !== response.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(response)))
      return { ok: false, stale: false };
    if (!this.nonceFresh(nonce, now)) return { ok: false, stale: true };
    return { ok: true, username };
  }
}
