/**
 * Delivers the outbox to the peer desk: woken by the commit (LISTEN/NOTIFY) with a slow poll as a
 * safety net; claims rows with FOR UPDATE SKIP LOCKED so several processes of one desk never send a
 * message twice; at-least-once with exponential back-off and a dead-letter state. On start it asks
 * the peer to replay what it sent since the stored cursor, so a desk that was down catches up.
 */
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
import type { PeerDirectory } from './peers.ts';
import { inProcessFetch } from './inproc.ts';
import { signedHeaders } from './signing.ts';

interface Log {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

export class OutboxSender {
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

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
  ) {}

  async start(): Promise<void> {
    this.listener = new pg.Client({ connectionString: this.dbUrl });
    this.listener.on('error', (err) => this.log.warn({ err }, 'bridge listener connection lost; polling continues'));
    this.listener.on('notification', () => this.kick());
    await this.listener.connect();
    await this.listener.query('LISTEN bridge_outbox');
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
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while (!this.stopped && (await this.deliverBatch()) > 0) {
            /* drain */
          }
        } catch (err) {
          this.log.error({ err }, 'bridge delivery batch failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
  }

  private async post(env: Envelope): Promise<{ status: number; body: Record<string, unknown> }> {
    const peer = (await this.peers.fresh()).peer(env.to);
    // An unknown or deactivated target: not stored anywhere, so it waits (and dead-letters after 24 h).
    if (!peer) return { status: 503, body: { error: `no route to ${env.to}` } };
    const body = JSON.stringify(env);
    const headers = { 'content-type': 'application/json', ...signedHeaders(peer.alg, peer.keyId, peer.key, body) };
    const res = peer.url.startsWith('inproc://')
      ? await inProcessFetch(`${peer.url}/bridge/v1/messages`, { method: 'POST', body, headers })
      : await fetch(`${peer.url}/bridge/v1/messages`, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
          headers,
        });
    let parsed: Record<string, unknown> = {};
    try {
      parsed = (await res.json()) as Record<string, unknown>;
    } catch {
      /* non-JSON answer */
    }
    return { status: res.status, body: parsed };
  }

  /** One batch in one transaction: the row locks are held while sending, so no other sender takes them. */
  async deliverBatch(limit = 50): Promise<number> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const rows = await claimDue(client, limit);
      const byItem = new Map<string, OutboxRow[]>();
      for (const r of rows) byItem.set(r.item_id, [...(byItem.get(r.item_id) ?? []), r]);
      // Posts run in parallel across items (in order within an item); the row updates follow, one by one, on this client.
      type Outcome = { m: OutboxRow; kind: 'delivered' | 'retry' | 'dead' | 'gap'; error?: string; expected?: number };
      const outcomes = (
        await Promise.all(
          [...byItem.values()].map(async (msgs) => {
            const done: Outcome[] = [];
            for (const m of msgs.sort((a, b) => a.seq - b.seq)) {
              let res: { status: number; body: Record<string, unknown> };
              try {
                res = await this.post(m.envelope);
              } catch (err) {
                done.push({ m, kind: 'retry', error: `no answer: ${(err as Error).message}` });
                break; // keep the item's order: later messages wait for this one
              }
              if (res.status === 200) {
                done.push({ m, kind: 'delivered' });
                continue;
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
              if (res.status === 400 || res.status === 401) {
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
      for (const o of outcomes) {
        if (o.kind === 'delivered') await markDelivered(client, o.m.id);
        else if (o.kind === 'dead') {
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
        if (!v.ok) continue;
        // A gap here is closed by the peer's own retries; the cursor only saves re-reading.
        const r = await this.service.receive(v.value);
        if (r.status === 'stored') applied++;
      }
      await setCursor(this.db, peer.id, data.next);
      if (data.messages.length < 200) break;
    }
    if (applied) this.log.info({ applied }, 'bridge replay caught up');
    return applied;
  }
}
