/**
 * Delivers the outbox to the peer desk: woken by the commit (LISTEN/NOTIFY) with a slow poll as a
 * safety net; claims rows with FOR UPDATE SKIP LOCKED so several processes of one desk never send a
 * message twice; at-least-once with exponential back-off and a dead-letter state. On start it asks
 * the peer to replay what it sent since the stored cursor, so a desk that was down catches up.
 *
 * Throughput: up to `lanes` batches are in flight at once, each its own transaction holding its rows'
 * locks, so a batch waiting on a slow answer does not hold up messages committed after it (they are
 * claimed by the next lane). Per-item order holds across lanes: a message is claimed only once every
 * earlier message of its item is delivered (claimDue), and an earlier one in flight is locked, pending.
 * Within a batch, posts run in parallel across items (at most `perPeer` at once to one peer) and in
 * order within an item; the delivered rows are marked in one statement.
 */
import http from 'node:http';
import https from 'node:https';
import pg from 'pg';
import { validateEnvelope, type Envelope } from '@liandong/domain';
import { BRIDGE_DEFAULTS } from '../config.ts';
import type { Db } from '../db/pool.ts';
import {
  claimDue,
  getCursor,
  markDead,
  markDelivered,
  markRetry,
  resendFrom,
  setCursor,
  type OutboxRow,
} from './bridge.repo.ts';
import type { BridgeService } from './bridge.service.ts';
import type { PeerDirectory, ServicePeer } from './peers.ts';
import { HttpSmsGateway, type SmsGateway } from '../sms/sms-gateway.ts';
import { loadOutgoing, markSmsSent } from '../sms/sms.repo.ts';
import { inProcessFetch } from './inproc.ts';
import { signedHeaders } from './signing.ts';

interface Log {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

/** A receiver's answer; `refused`: the receiver said no for good, whatever the status (the SMS gateway's reading). */
type Sent = { status: number; body: Record<string, unknown>; refused?: boolean };

export class OutboxSender {
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly lanesRunning = new Set<Promise<void>>();
  private wanted = false;
  private claiming = 0;
  private stopped = false;
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(
    private readonly db: Db,
    private readonly dbUrl: string,
    private readonly peers: PeerDirectory,
    private readonly deskPeerId: string | null,
    private readonly service: BridgeService,
    private readonly log: Log,
    private readonly timeoutMs: number = BRIDGE_DEFAULTS.timeoutMs,
    private readonly pollMs = 1000,
    private readonly sweepMs = 5000,
    private readonly lanes = 4,
    private readonly batchSize = 50,
    private readonly perPeer = 32,
  ) {}

  /** Holds the LISTEN connection; when the database goes away, polling carries on and it listens again. */
  private async listen(): Promise<void> {
    const c = new pg.Client({ connectionString: this.dbUrl, connectionTimeoutMillis: 10_000 });
    c.on('error', (err) => {
      if (this.listener !== c) return;
      this.listener = null;
      this.log.warn({ err: String(err) }, 'bridge listener connection lost; polling continues, reconnecting');
      void c.end().catch(() => undefined);
      this.relisten();
    });
    c.on('notification', () => this.kick());
    try {
      await c.connect();
      await c.query('LISTEN bridge_outbox');
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    this.listener = c;
  }

  private relistenTimer: NodeJS.Timeout | null = null;
  private relistenFailures = 0;
  private relisten(): void {
    if (this.stopped || this.relistenTimer) return;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(this.relistenFailures, 5));
    this.relistenTimer = setTimeout(() => {
      this.relistenTimer = null;
      this.listen().then(
        () => {
          this.relistenFailures = 0;
          this.log.info({}, 'bridge listener re-established');
          if (this.stopped) void this.listener?.end().catch(() => undefined);
          this.kick(); // what was committed while no notification could arrive
        },
        () => {
          this.relistenFailures++;
          this.relisten();
        },
      );
    }, delay);
  }

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.sweepTimer = setInterval(() => {
      void this.service.sweep().catch((err) => this.log.error({ err }, 'linkage sweep failed'));
    }, this.sweepMs);
    this.kick();
    if (this.deskPeerId)
      void this.catchUp().catch((err) =>
        this.log.warn({ err: String(err) }, 'bridge replay catch-up failed; will rely on retries'),
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.relistenTimer) clearTimeout(this.relistenTimer);
    await Promise.all([...this.lanesRunning]);
    for (const a of this.agents.values()) a.destroy();
    await this.listener?.end().catch(() => undefined);
  }

  /**
   * Something may be due: make sure a lane will claim it. A lane claiming now (or about to claim again,
   * `wanted`) takes it; only when every running lane is busy sending does another one start.
   */
  kick(): void {
    if (this.stopped) return;
    this.wanted = true;
    if (this.claiming === 0 && this.lanesRunning.size < this.lanes) this.startLane();
  }

  private startLane(): void {
    const lane: Promise<void> = (async () => {
      while (!this.stopped) {
        this.wanted = false;
        let n: number;
        try {
          n = await this.deliverBatch(this.batchSize);
        } catch (err) {
          this.log.error({ err }, 'bridge delivery batch failed');
          return; // the poll starts a lane again
        }
        if (n === 0 && !this.wanted) return;
        // A full batch: more is waiting, so another lane helps while this one sends.
        if (n >= this.batchSize && this.lanesRunning.size < this.lanes) this.startLane();
      }
    })().finally(() => {
      this.lanesRunning.delete(lane);
    });
    this.lanesRunning.add(lane);
  }

  /** At most `perPeer` posts at once to one peer (across lanes), so a backlog does not swamp it. */
  private async slot(peer: string): Promise<() => void> {
    while ((this.inFlight.get(peer) ?? 0) >= this.perPeer)
      await new Promise<void>((r) => this.waiting.set(peer, [...(this.waiting.get(peer) ?? []), r]));
    this.inFlight.set(peer, (this.inFlight.get(peer) ?? 0) + 1);
    return () => {
      this.inFlight.set(peer, (this.inFlight.get(peer) ?? 1) - 1);
      const next = this.waiting.get(peer)?.shift();
      if (next) next();
    };
  }

  /** A bridge message to its peer; a service message (docs/sms.md) to its connector's own endpoint. */
  private send(m: OutboxRow): Promise<Sent> {
    if (m.type.startsWith('sms.')) return this.sendSms(m);
    if (m.type.startsWith('report.')) return this.sendReport(m);
    return this.post(m.envelope);
  }

  /** An upward report (互联网+督查, 好差评): the stored document, signed, to `{endpoint}/reports/v1/events`. */
  private async sendReport(m: OutboxRow): Promise<{ status: number; body: Record<string, unknown> }> {
    const peer = (await this.peers.fresh()).service(m.peer);
    if (!peer) return { status: 503, body: { error: `no route to ${m.peer}` } };
    const body = JSON.stringify(m.envelope);
    const headers = { 'content-type': 'application/json', ...signedHeaders(peer.alg, peer.keyId, peer.key, body) };
    return this.postHttp(`${peer.url}/reports/v1/events`, body, headers);
  }

  /**
   * A text to a citizen: opened from sms_messages only now, handed to the gateway (SmsGateway, HTTP). The
   * outcome is written as a status, so the retry and dead-letter rules are the bridge's own.
   */
  private async sendSms(m: OutboxRow): Promise<Sent> {
    const peer = (await this.peers.fresh()).service(m.peer);
    if (!peer) return { status: 503, body: { error: `no route to ${m.peer}` } };
    const smsId = (m.envelope as unknown as { smsId: string }).smsId;
    const message = await loadOutgoing(this.db, smsId);
    if (!message) return { status: 410, body: { error: 'sms_message_missing' }, refused: true };
    const gateway = this.gatewayFor(peer);
    const out = await gateway.send(message);
    if (out.kind === 'accepted') {
      await markSmsSent(this.db, smsId, out.gatewayRef);
      return { status: 200, body: {} };
    }
    if (out.kind === 'refused') return { status: out.status, body: { error: out.error }, refused: true };
    // Recorded as the bridge records a peer that does not answer, or the status the gateway gave.
    if (out.status === 0) throw new Error(out.error);
    const retried = out.status === 408 || out.status === 429 || (out.status >= 500 && out.status < 600);
    return { status: retried ? out.status : 503, body: { error: out.error } };
  }

  /** The SMS gateway behind a connector (one HTTP implementation, docs/sms.md). */
  private gatewayFor(peer: ServicePeer): SmsGateway {
    return new HttpSmsGateway({
      url: peer.url,
      keyId: peer.keyId,
      key: peer.key,
      alg: peer.alg,
      timeoutMs: this.timeoutMs,
    });
  }

  private async post(env: Envelope): Promise<{ status: number; body: Record<string, unknown> }> {
    const peer = (await this.peers.fresh()).peer(env.to);
    // An unknown or deactivated target: not stored anywhere, so it waits (and dead-letters after 24 h).
    if (!peer) return { status: 503, body: { error: `no route to ${env.to}` } };
    const body = JSON.stringify(env);
    const headers = { 'content-type': 'application/json', ...signedHeaders(peer.alg, peer.keyId, peer.key, body) };
    if (!peer.url.startsWith('inproc://')) return this.postHttp(`${peer.url}/bridge/v1/messages`, body, headers);
    const res = await inProcessFetch(`${peer.url}/bridge/v1/messages`, { method: 'POST', body, headers });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = (await res.json()) as Record<string, unknown>;
    } catch {
      /* non-JSON answer */
    }
    return { status: res.status, body: parsed };
  }

  /** Kept-alive connections per peer origin, as many as posts may run at once to one peer. */
  private readonly agents = new Map<string, http.Agent>();

  /**
   * One POST over node:http(s) on a kept-alive connection: a fraction of the CPU of fetch() per message,
   * which at a hundred transfers a second is most of the sender's work. Throws on no answer in time.
   */
  private postHttp(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    let agent = this.agents.get(u.origin);
    if (!agent) {
      agent = new lib.Agent({ keepAlive: true, maxSockets: this.perPeer });
      this.agents.set(u.origin, agent);
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(
        u,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            let parsed: Record<string, unknown> = {};
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
            } catch {
              /* non-JSON answer */
            }
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  /** One batch in one transaction: the row locks are held while sending, so no other sender takes them. */
  async deliverBatch(limit = 50): Promise<number> {
    const client = await this.db.connect();
    try {
      this.claiming++;
      let rows: OutboxRow[];
      try {
        await client.query('BEGIN');
        rows = await claimDue(client, limit);
      } finally {
        this.claiming--;
      }
      const byItem = new Map<string, OutboxRow[]>();
      for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r]);
      // Posts run in parallel across items (in order within an item); the row updates follow, one by one, on this client.
      type Outcome = { m: OutboxRow; kind: 'delivered' | 'retry' | 'dead' | 'gap'; error?: string; expected?: number };
      const outcomes = (
        await Promise.all(
          [...byItem.values()].map(async (msgs) => {
            const done: Outcome[] = [];
            for (const m of msgs.sort((a, b) => a.seq - b.seq)) {
              let res: Sent;
              const release = await this.slot(m.peer);
              try {
                res = await this.send(m);
              } catch (err) {
                done.push({ m, kind: 'retry', error: `no answer: ${(err as Error).message}` });
                break; // keep the item's order: later messages wait for this one
              } finally {
                release();
              }
              if (res.status === 200) {
                done.push({ m, kind: 'delivered' });
                continue;
              }
              if (res.refused) {
                done.push({ m, kind: 'dead', error: `${res.status} ${String(res.body.error ?? '')}` });
                break;
              }
              if (res.status === 409 && typeof res.body.expected === 'number') {
                done.push({
                  m,
                  kind: 'gap',
                  expected: res.body.expected,
                  error: `sequence_gap, peer expects ${res.body.expected}`,
                });
                break;
              }
              // bridge-protocol.md: a 4xx other than 409 is never retried (408 and 429 are a busy
              // network or peer, not a refusal of the message).
              if (res.status >= 400 && res.status < 500 && ![408, 409, 429].includes(res.status)) {
                done.push({ m, kind: 'dead', error: `${res.status} ${String(res.body.error ?? '')}` });
                break;
              }
              done.push({ m, kind: 'retry', error: `HTTP ${res.status}` });
              break;
            }
            return done;
          }),
        )
      ).flat();
      const delivered = outcomes.filter((o) => o.kind === 'delivered').map((o) => o.m.id);
      if (delivered.length) await markDelivered(client, delivered);
      for (const o of outcomes) {
        if (o.kind === 'delivered') continue;
        if (o.kind === 'dead') {
          await markDead(client, o.m.id, o.error!);
          this.log.error(
            { messageId: o.m.id, itemId: o.m.item_id, error: o.error },
            'bridge message refused by the peer: dead-lettered',
          );
        } else {
          await markRetry(client, o.m.id, o.error!);
          if (o.kind === 'gap') await resendFrom(client, o.m.item_id, o.expected!);
        }
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Replay after an outage: what the peer sent us since our cursor, applied like any received message. */
  async catchUp(): Promise<number> {
    let applied = 0;
    const peer = (await this.peers.fresh()).peer(this.deskPeerId ?? '');
    if (!peer) return 0;
    for (let page = 0; page < 1000; page++) {
      const after = await getCursor(this.db, peer.id);
      const query = `after=${after}&limit=200`;
      const headers = signedHeaders(peer.alg, peer.keyId, peer.key, '');
      const res = peer.url.startsWith('inproc://')
        ? await inProcessFetch(`${peer.url}/bridge/v1/messages?${query}`, { method: 'GET', headers })
        : await fetch(`${peer.url}/bridge/v1/messages?${query}`, {
            signal: AbortSignal.timeout(this.timeoutMs),
            headers,
          });
      if (!res.ok) throw new Error(`replay answered ${res.status}`);
      const data = (await res.json()) as { messages: Envelope[]; next: number };
      for (const raw of data.messages) {
        const v = validateEnvelope(raw);
        // Only what the peer itself sent this desk (the replay is signed by the peer; the envelope must agree).
        if (!v.ok || v.value.from !== peer.id || v.value.to !== this.service.deskId) continue;
        // A gap here is closed by the peer's own retries; the cursor only saves re-reading.
        const r = await this.service.receive(v.value);
        if (r.status === 'stored') applied++;
        if (r.status === 'refused') this.log.warn({ messageId: v.value.id, code: r.code }, 'replayed message refused');
      }
      await setCursor(this.db, peer.id, data.next);
      if (data.messages.length < 200) break;
    }
    if (applied) this.log.info({ applied }, 'bridge replay caught up');
    return applied;
  }
}
