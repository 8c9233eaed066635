/** The desk's registrar (RFC 3261 §10): seats' phones register their contact, proved by digest. */
import net from 'node:net';
import sip, { type Message } from 'sip';
import { contactUri, header, uriUser } from './dialog.ts';
import { DigestRealm } from './digest.ts';
import type { Flow, SipStack } from './stack.ts';

/**
 * Where to reach a seat: over TCP the connection it registered on; over UDP the contact's address
 * when it is an IP literal (a phone may register from one port and listen on another), else the
 * address the REGISTER came from.
 */
function flowFor(contact: string, from: Flow): Flow {
  if (from.protocol === 'TCP') return from;
  const u = sip.parseUri(contact);
  if (u && net.isIP(u.host) && u.host !== '0.0.0.0') return { protocol: 'UDP', address: u.host, port: u.port || 5060 };
  return from;
}

export interface Binding {
  extension: string;
  contact: string;
  flow: Flow;
  expiresAt: number;
}

const MIN_EXPIRES = 60;
const MAX_EXPIRES = 3600;
const DEFAULT_EXPIRES = 600;

export class Registrar {
  private readonly bindings = new Map<string, Binding>();
  private readonly digest: DigestRealm;
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly stack: () => SipStack,
    realm: string,
    private readonly ha1: (extension: string) => string | null,
    private readonly changed: (extension: string, registered: boolean) => void,
  ) {
    this.digest = new DigestRealm(realm);
    this.sweep = setInterval(() => this.expire(), 5_000);
    this.sweep.unref();
  }

  find(extension: string): Binding | null {
    const b = this.bindings.get(extension);
    return b && b.expiresAt > Date.now() ? b : null;
  }

  private expire(): void {
    const now = Date.now();
    for (const [ext, b] of this.bindings)
      if (b.expiresAt <= now) {
        this.bindings.delete(ext);
        this.changed(ext, false);
      }
  }

  handle(rq: Message, from: Flow): void {
    const stack = this.stack();
    const auth = (rq.headers.authorization as Record<string, string>[] | undefined)?.[0];
    const verdict = auth ? this.digest.verify(auth, 'REGISTER', this.ha1) : null;
    if (!verdict || !verdict.ok) {
      const challenge = { ...this.digest.challenge(), ...(verdict && verdict.stale ? { stale: 'TRUE' } : {}) };
      stack.respond(rq, 401, 'Unauthorized', { headers: { 'www-authenticate': [challenge] } });
      return;
    }
    const extension = uriUser(rq.headers.to?.uri);
    if (extension !== verdict.username) {
      stack.respond(rq, 403, 'Forbidden');
      return;
    }
    const contact = rq.headers.contact;
    if (contact === '*') {
      if (this.bindings.delete(extension)) this.changed(extension, false);
      stack.respond(rq, 200, 'OK');
      return;
    }
    const uri = contactUri(rq);
    if (!uri) {
      // a query: answer with the current binding
      const b = this.find(extension);
      stack.respond(rq, 200, 'OK', b ? { headers: { contact: [{ uri: b.contact, params: {} }] } } : undefined);
      return;
    }
    const c = Array.isArray(contact) ? contact[0] : undefined;
    const asked = Number(c?.params.expires ?? header(rq, 'expires') ?? DEFAULT_EXPIRES);
    if (!Number.isFinite(asked) || asked < 0) {
      stack.respond(rq, 400, 'Bad Request');
      return;
    }
    if (asked === 0) {
      if (this.bindings.delete(extension)) this.changed(extension, false);
      stack.respond(rq, 200, 'OK');
      return;
    }
    if (asked < MIN_EXPIRES) {
      stack.respond(rq, 423, 'Interval Too Brief', { headers: { 'min-expires': String(MIN_EXPIRES) } });
      return;
    }
    const expires = Math.min(asked, MAX_EXPIRES);
    const was = this.find(extension);
    this.bindings.set(extension, {
      extension,
      contact: uri,
      flow: flowFor(uri, from),
      expiresAt: Date.now() + expires * 1000,
    });
    stack.respond(rq, 200, 'OK', {
      headers: { contact: [{ uri, params: { expires: String(expires) } }], expires: String(expires) },
    });
    if (!was) this.changed(extension, true);
  }

  close(): void {
    clearInterval(this.sweep);
  }
}
