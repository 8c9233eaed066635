/**
 * The SMS gateway port (docs/sms.md): the desk hands a text for one phone to the city's SMS gateway
 * (短信网关) and learns whether it was taken. One implementation here speaks HTTP, signed as the
 * connectors are (HMAC-SHA256 or HMAC-SM3 over timestamp, nonce and body); the outbox worker calls it
 * for every `sms.*` row, so a gateway that is down only delays the text.
 */
import type { SignatureAlg } from '../bridge/signing.ts';
import { signedHeaders } from '../bridge/signing.ts';

export const SMS_PURPOSES = ['receipt', 'reply', 'survey'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** One text to send: our message id (the gateway echoes it with a reply), the number, the words. */
export interface OutgoingSms {
  id: string;
  to: string;
  text: string;
  purpose: SmsPurpose;
  /** a survey expects an answer: the gateway routes the citizen's reply back with `replyTo` = id */
  replyExpected: boolean;
}

/** What the gateway did with it: taken (its own reference), refused for good, or not now (try again). */
export type SmsSendOutcome =
  | { kind: 'accepted'; gatewayRef: string }
  | { kind: 'refused'; status: number; error: string }
  /** `status` 0: no answer (refused connection, timeout) */
  | { kind: 'retry'; status: number; error: string };

export interface SmsGateway {
  send(message: OutgoingSms): Promise<SmsSendOutcome>;
}

export interface HttpSmsGatewayOptions {
  url: string;
  keyId: string;
  key: string;
  alg: SignatureAlg;
  timeoutMs: number;
}

/** `POST {url}/sms/v1/messages`, signed; 200 accepted, 4xx (but 408, 429) refused, anything else retried. */
export class HttpSmsGateway implements SmsGateway {
  constructor(private readonly o: HttpSmsGatewayOptions) {}

  async send(m: OutgoingSms): Promise<SmsSendOutcome> {
    const body = JSON.stringify({
      id: m.id,
      to: m.to,
      text: m.text,
      purpose: m.purpose,
      replyExpected: m.replyExpected,
      sentAt: new Date().toISOString(),
    });
    let res: Response;
    try {
      res = await fetch(`${this.o.url}/sms/v1/messages`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          ...signedHeaders(this.o.alg, this.o.keyId, this.o.key, body),
        },
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (err) {
      return { kind: 'retry', status: 0, error: (err as Error).message };
    }
    let answer: Record<string, unknown> = {};
    try {
      answer = (await res.json()) as Record<string, unknown>;
    } catch {
      /* non-JSON answer */
    }
    if (res.status === 200 && typeof answer.gatewayRef === 'string')
      return { kind: 'accepted', gatewayRef: answer.gatewayRef.slice(0, 200) };
    const error = typeof answer.error === 'string' ? answer.error.slice(0, 200) : '';
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      return { kind: 'refused', status: res.status, error };
    return { kind: 'retry', status: res.status, error: res.status === 200 ? 'accepted without gatewayRef' : error };
  }
}
