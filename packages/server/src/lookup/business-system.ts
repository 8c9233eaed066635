/**
 * The business-system port (docs/business-lookup.md): one interface for the social-security, medical-
 * insurance and housing-fund systems. One implementation speaks HTTP, signed as the connectors are
 * (HMAC-SHA256 or HMAC-SM3 over timestamp, nonce and body): `POST {url}/lookup/v1/query`.
 */
import type { BusinessSystem, LookupQuery } from '@liandong/domain';
import { signedHeaders, type SignatureAlg } from '../bridge/signing.ts';

export interface LookupRequest {
  /** our id of this look-up (the system may log it) */
  id: string;
  system: BusinessSystem;
  query: LookupQuery;
  idNumber: string;
  name: string;
  /** the consent it is made under */
  consentId: string;
}

export type LookupOutcome =
  | { kind: 'answered'; status: 200; body: unknown }
  | { kind: 'not_found'; status: number }
  | { kind: 'refused'; status: number; error: string }
  /** status 0: no answer (refused connection, timeout) */
  | { kind: 'unavailable'; status: number; error: string };

export interface BusinessSystemClient {
  lookup(r: LookupRequest): Promise<LookupOutcome>;
}

export interface HttpBusinessSystemOptions {
  url: string;
  keyId: string;
  key: string;
  alg: SignatureAlg;
  timeoutMs: number;
}

export class HttpBusinessSystem implements BusinessSystemClient {
  constructor(private readonly o: HttpBusinessSystemOptions) {}

  async lookup(r: LookupRequest): Promise<LookupOutcome> {
    const body = JSON.stringify({ ...r, requestedAt: new Date().toISOString() });
    let res: Response;
    try {
      res = await fetch(`${this.o.url}/lookup/v1/query`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(this.o.alg, this.o.keyId, this.o.key, body),
        },
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      return { kind: 'unavailable', status: 0, error: (err as Error).message.slice(0, 200) };
    }
    let answer: unknown = null;
    try {
      answer = await res.json();
    } catch {
      /* not JSON */
    }
    const error = (answer as { error?: unknown } | null)?.error;
    if (res.status === 200) return { kind: 'answered', status: 200, body: answer };
    if (res.status === 404 && error === 'not_found') return { kind: 'not_found', status: 404 };
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      return { kind: 'refused', status: res.status, error: typeof error === 'string' ? error.slice(0, 200) : '' };
    return { kind: 'unavailable', status: res.status, error: typeof error === 'string' ? error.slice(0, 200) : '' };
  }
}
