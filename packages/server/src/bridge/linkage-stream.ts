/**
 * Live linkage queue for the seats: every committed change of a linkage item is NOTIFYed by the
 * transaction that made it; this hub LISTENs on one held connection and pushes server-sent events to
 * the subscribed consoles, so new items appear without reloading.
 */
import type { PoolClient } from 'pg';
import type { Db } from '../db/pool.ts';

type Subscriber = (itemId: string) => void;

export class LinkageStream {
  private client: PoolClient | null = null;
  private starting: Promise<void> | null = null;
  private readonly subscribers = new Set<Subscriber>();
  private readonly open = new Set<{ end(): void }>();

  /** Streams to end before the server closes, so a connected console never holds up a shutdown. */
  track(res: { end(): void }): () => void {
    this.open.add(res);
    return () => { this.open.delete(res); };
  }

  endAll(): void {
    for (const r of this.open) r.end();
    this.open.clear();
  }

  constructor(private readonly db: Db) {}

  async subscribe(fn: Subscriber): Promise<() => void> {
    this.subscribers.add(fn);
    this.starting ??= (async () => {
      const c = await this.db.connect();
      c.on('notification', (n) => { if (n.payload) for (const s of this.subscribers) s(n.payload); });
      await c.query('LISTEN linkage_changed');
      this.client = c;
    })();
    await this.starting;
    return () => { this.subscribers.delete(fn); };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
    await this.starting?.catch(() => undefined);
    if (this.client) {
      await this.client.query('UNLISTEN linkage_changed').catch(() => undefined);
      this.client.release();
      this.client = null;
    }
  }
}
