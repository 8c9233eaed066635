/**
 * A reference SMS gateway (`liandong sms-gateway`): implements the gateway's side of docs/sms.md from
 * the document alone — the signed `POST /sms/v1/messages` (signature, clock, nonce, shape, idempotent by
 * id) — keeps what it was given in memory instead of sending it to phones, lists it at `GET /messages`
 * for tests, and at `POST /control/reply` posts a citizen's answer to a survey back to the desk, signed,
 * as a real gateway does when a text comes in; `POST /control/report` posts a delivery report (状态报告)
 * for a text, signed; `POST /control/unsubscribe` stands for a citizen who
 * answered 退订 (later texts to the number are refused, 400 `unsubscribed`). Not for production: it
 * keeps numbers in memory.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { checkSigned, readBody } from '../bridge/read-body.ts';
import { randomUUID } from 'node:crypto';
import { signedHeaders, type SignatureAlg } from '../bridge/signing.ts';
import { SMS_PURPOSES } from './sms-gateway.ts';

export interface GatewayOptions {
  port: number;
  host: string;
  deskUrl: string;
  /** the key this gateway signs inbound texts with (the desk's connector: inboundKeyId / inboundKey) */
  keyId: string;
  key: string;
  /** the key the desk signs with (the desk's connector: keyId / key) */
  deskKeyId: string;
  deskKey: string;
  alg: SignatureAlg;
}

export interface StoredSms {
  id: string;
  gatewayRef: string;
  to: string;
  text: string;
  purpose: string;
  replyExpected: boolean;
  receivedAt: string;
}

/** A mainland mobile number (what the gateway can deliver to). */
const MOBILE = /^1[3-9]\d{9}$/;

const read = (req: IncomingMessage) => readBody(req, 64 * 1024);

export function startSmsGateway(o: GatewayOptions): Promise<{ close(): Promise<void>; port: number }> {
  const messages = new Map<string, StoredSms>();
  const nonces = new Map<string, number>();
  /** numbers that answered 退订 (TD): a real gateway refuses to text them again */
  const unsubscribed = new Set<string>();
  const inbound = new Map([[o.deskKeyId, { secret: o.deskKey, alg: o.alg }]]);

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://gateway');
      if (req.method === 'GET' && url.pathname === '/health') return reply(200, { status: 'ok' });
      if (req.method === 'GET' && url.pathname === '/messages') {
        const to = url.searchParams.get('to');
        return reply(
          200,
          [...messages.values()].filter((m) => !to || m.to === to),
        );
      }
      if (req.method === 'POST' && url.pathname === '/control/unsubscribe') {
        const c = JSON.parse(await read(req)) as { to: string };
        unsubscribed.add(c.to);
        return reply(200, { unsubscribed: c.to });
      }
      if (req.method === 'POST' && url.pathname === '/control/reply') {
        // The test's citizen answers: { replyTo, text, from? (the survey's number), id? }.
        const c = JSON.parse(await read(req)) as { replyTo: string; text: string; from?: string; id?: string };
        const sent = messages.get(c.replyTo);
        const body = JSON.stringify({
          id: c.id ?? `MO-${randomUUID()}`,
          replyTo: c.replyTo,
          from: c.from ?? sent?.to ?? '',
          text: c.text,
          receivedAt: new Date().toISOString(),
        });
        const r = await fetch(`${o.deskUrl}/api/sms/inbound`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...signedHeaders(o.alg, o.keyId, o.key, body) },
        });
        const text = await r.text();
        return reply(200, { status: r.status, body: text ? JSON.parse(text) : null });
      }
      if (req.method === 'POST' && url.pathname === '/control/report') {
        // The handset's delivery report: { messageId, status: delivered|undelivered, error?, id? }.
        const c = JSON.parse(await read(req)) as { messageId: string; status: string; error?: string; id?: string };
        const body = JSON.stringify({
          id: c.id ?? `RPT-${randomUUID()}`,
          messageId: c.messageId,
          status: c.status,
          ...(c.error !== undefined ? { error: c.error } : {}),
          at: new Date().toISOString(),
        });
        const r = await fetch(`${o.deskUrl}/api/sms/reports`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...signedHeaders(o.alg, o.keyId, o.key, body) },
        });
        const text = await r.text();
        return reply(200, { status: r.status, body: text ? JSON.parse(text) : null });
      }
      if (req.method !== 'POST' || url.pathname !== '/sms/v1/messages') return reply(404, { error: 'not_found' });
      const raw = await read(req);
      const signed = checkSigned(req.headers, raw, inbound, nonces);
      if (!signed.ok) return reply(401, { error: signed.error });
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return reply(400, { error: 'schema_invalid' });
      }
      if (
        typeof m.id !== 'string' ||
        !m.id ||
        typeof m.text !== 'string' ||
        !m.text ||
        m.text.length > 1000 ||
        !(SMS_PURPOSES as readonly string[]).includes(m.purpose as string) ||
        typeof m.replyExpected !== 'boolean'
      )
        return reply(400, { error: 'schema_invalid' });
      if (typeof m.to !== 'string' || !MOBILE.test(m.to)) return reply(400, { error: 'invalid_number' });
      if (unsubscribed.has(m.to)) return reply(400, { error: 'unsubscribed' });
      const known = messages.get(m.id);
      if (known) return reply(200, { id: known.id, gatewayRef: known.gatewayRef, status: 'duplicate' });
      const stored: StoredSms = {
        id: m.id,
        gatewayRef: `SMS-${randomUUID()}`,
        to: m.to,
        text: m.text,
        purpose: m.purpose as string,
        replyExpected: m.replyExpected,
        receivedAt: new Date().toISOString(),
      };
      messages.set(stored.id, stored);
      return reply(200, { id: stored.id, gatewayRef: stored.gatewayRef, status: 'accepted' });
    } catch {
      reply(500, { error: 'internal' });
    }
  });
  return new Promise((resolve) =>
    server.listen(o.port, o.host, () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    }),
  );
}
