/**
 * A small reference receiver for connectors (119, 120, a utility, a governance centre, the vehicle-moving
 * service): implements the receiving side of bridge-protocol.md from the document alone — signature,
 * clock, nonce, envelope and allow-list checks, idempotent receipt — and, with --auto, answers like a
 * partner agency would: accepts each new item, then sends feedback. It also stands for the upward
 * platforms (互联网+督查, 好差评): signed reports at `POST /reports/v1/events`, listed at `GET /reports`.
 * Used by the tests and the demo.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { checkSigned, readBody } from './read-body.ts';
import fs from 'node:fs';
import { OPENING_TYPES, validateEnvelope, type Envelope, type MessageType } from '@liandong/domain';
import { signedHeaders, type SignatureAlg } from './signing.ts';
import { uuidv7 } from './message-id.ts';

export interface ReceiverOptions {
  port: number;
  host: string;
  id: string;
  deskUrl: string;
  deskId: string;
  keyId: string;
  key: string;
  deskKeyId: string;
  deskKey: string;
  alg: SignatureAlg;
  auto: boolean;
  feedbackAfterMs: number;
  logFile: string | null;
}

const read = (req: IncomingMessage) => readBody(req, 256 * 1024);

/** An upward report's shape as docs/sms.md states it, checked from the document alone. */
export function checkReport(d: unknown): { ok: true } | { ok: false; detail: string } {
  if (!d || typeof d !== 'object' || Array.isArray(d)) return { ok: false, detail: 'not an object' };
  const r = d as Record<string, unknown>;
  if (r.v !== 1) return { ok: false, detail: 'v must be 1' };
  for (const k of ['id', 'from', 'sentAt'])
    if (typeof r[k] !== 'string' || !(r[k] as string).length) return { ok: false, detail: `${k} missing` };
  const order = r.order as Record<string, unknown> | undefined;
  if (!order || typeof order.no !== 'string') return { ok: false, detail: 'order.no missing' };
  if (r.type === 'urgent_order')
    return r.event === 'dispatched' || r.event === 'supervised'
      ? { ok: true }
      : { ok: false, detail: 'event must be dispatched or supervised' };
  if (r.type === 'evaluation') {
    const e = r.evaluation as Record<string, unknown> | undefined;
    if (!e || !Number.isInteger(e.rating) || (e.rating as number) < 1 || (e.rating as number) > 5)
      return { ok: false, detail: 'evaluation.rating must be 1–5' };
    return { ok: true };
  }
  return { ok: false, detail: 'unknown type' };
}

export function startConnectorReceiver(o: ReceiverOptions): Promise<{ close(): Promise<void>; port: number }> {
  const received = new Map<string, Envelope>();
  const reports = new Map<string, Record<string, unknown>>();
  const nonces = new Map<string, number>();
  const seqOut = new Map<string, number>();
  const inbound = new Map([[o.deskKeyId, { secret: o.deskKey, alg: o.alg }]]);
  const timers = new Set<NodeJS.Timeout>();

  const send = (itemId: string, type: MessageType, payload: Record<string, unknown>, attempt = 0): void => {
    const seq = (seqOut.get(itemId) ?? 0) + (attempt === 0 ? 1 : 0);
    if (attempt === 0) seqOut.set(itemId, seq);
    const env: Envelope = {
      v: 1,
      id: uuidv7(),
      type,
      itemId,
      seq,
      from: o.id,
      to: o.deskId,
      sentAt: new Date().toISOString(),
      payload,
    };
    const body = JSON.stringify(env);
    fetch(`${o.deskUrl}/bridge/v1/messages`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signedHeaders(o.alg, o.keyId, o.key, body) },
    })
      .then((r) => {
        if (r.status >= 500) throw new Error(String(r.status));
      })
      .catch(() => {
        if (attempt < 8) {
          const t = setTimeout(
            () => {
              timers.delete(t);
              send(itemId, type, payload, attempt + 1);
            },
            500 * 2 ** attempt,
          );
          timers.add(t);
        }
      });
  };

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method === 'GET' && req.url === '/health') return reply(200, { status: 'ok', id: o.id });
      if (req.method === 'GET' && req.url === '/received') return reply(200, [...received.values()]);
      if (req.method === 'GET' && req.url === '/reports') return reply(200, [...reports.values()]);
      const isReport = req.url === '/reports/v1/events';
      if (req.method !== 'POST' || (req.url !== '/bridge/v1/messages' && !isReport))
        return reply(404, { error: 'not_found' });
      const raw = await read(req);
      const signed = checkSigned(req.headers, raw, inbound, nonces);
      if (!signed.ok) return reply(401, { error: signed.error });
      if (isReport) {
        // An upward report (docs/sms.md): 互联网+督查 or 好差评, kept once per id.
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return reply(400, { error: 'schema_invalid' });
        }
        const report = checkReport(doc);
        if (!report.ok) return reply(400, { error: 'schema_invalid', detail: report.detail });
        if (reports.has(doc.id as string)) return reply(200, { ack: doc.id, status: 'duplicate' });
        reports.set(doc.id as string, doc);
        if (o.logFile) fs.appendFileSync(o.logFile, `${JSON.stringify(doc)}\n`);
        return reply(200, { ack: doc.id, status: 'stored' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return reply(400, { error: 'schema_invalid' });
      }
      const env = validateEnvelope(parsed);
      if (!env.ok) return reply(400, { error: env.code });
      if (received.has(env.value.id)) return reply(200, { ack: env.value.id, status: 'duplicate' });
      received.set(env.value.id, env.value);
      if (o.logFile) fs.appendFileSync(o.logFile, `${JSON.stringify(env.value)}\n`);
      reply(200, { ack: env.value.id, status: 'stored' });
      if (o.auto && env.value.seq === 1 && OPENING_TYPES.has(env.value.type)) {
        const itemId = env.value.itemId;
        const t1 = setTimeout(() => {
          timers.delete(t1);
          send(itemId, 'transfer.accept', {
            receiverRef: `${o.id.toUpperCase()}-${itemId.split('-').pop()}`,
            acceptedBy: `${o.id}-seat`,
          });
        }, 50);
        const t2 = setTimeout(() => {
          timers.delete(t2);
          send(itemId, 'feedback', {
            disposition: 'resolved_on_scene',
            summary: '联动单位已到场处置完毕',
            handledBy: o.id,
            at: new Date().toISOString(),
          });
        }, o.feedbackAfterMs);
        timers.add(t1);
        timers.add(t2);
      }
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
            for (const t of timers) clearTimeout(t);
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    }),
  );
}
