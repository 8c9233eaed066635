/**
 * Live pushes to the consoles: a transaction NOTIFYs a channel (`linkage_changed` for every change of a
 * linkage item, `reminder_sent` for every 催办) and the notification is delivered at commit; one hub per
 * channel LISTENs on one held connection and hands the payload to the subscribed server-sent-event
 * streams, so new items and reminders appear without reloading.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PoolClient } from 'pg';
import type { Db } from '../db/pool.ts';

type Subscriber = (payload: string) => void;

export class NotifyStream {
  private client: PoolClient | null = null;
  private starting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private readonly subscribers = new Set<Subscriber>();
  private readonly open = new Set<{ end(): void }>();

  /** Streams to end before the server closes, so a connected console never holds up a shutdown. */
  track(res: { end(): void }): () => void {
    this.open.add(res);
    return () => {
      this.open.delete(res);
    };
  }

  endAll(): void {
    for (const r of this.open) r.end();
    this.open.clear();
  }

  constructor(
    private readonly db: Db,
    private readonly channel: 'linkage_changed' | 'reminder_sent',
    private readonly log?: { warn(o: object, m: string): void; info(o: object, m: string): void },
  ) {}

  /** Whether the hub holds its LISTEN connection now (false while the database is away). */
  get listening(): boolean {
    return this.client !== null;
  }

  async subscribe(fn: Subscriber): Promise<() => void> {
    this.subscribers.add(fn);
    this.starting ??= this.listen().catch((err: unknown) => {
      this.starting = null; // the next subscriber tries again
      throw err;
    });
    try {
      await this.starting;
    } catch (err) {
      this.subscribers.delete(fn);
      throw err;
    }
    return () => {
      this.subscribers.delete(fn);
    };
  }

  private async listen(): Promise<void> {
    const c = await this.db.connect();
    try {
      c.on('notification', (n) => {
        if (n.payload) for (const s of this.subscribers) s(n.payload);
      });
      // The server died or the connection broke: drop this client and listen again on a new one.
      c.on('error', (err) => this.lost(c, err));
      await c.query(`LISTEN ${this.channel}`);
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
    if (this.closed) {
      c.release(true);
      return;
    }
    this.client = c;
  }

  private lost(c: PoolClient, err: Error): void {
    if (this.client !== c) return;
    this.client = null;
    c.release(err);
    this.log?.warn({ err: String(err), channel: this.channel }, 'LISTEN connection lost; reconnecting');
    this.reconnect();
  }

  /** Back-off 0.5 s doubling to 10 s until LISTEN holds again; then every open stream is ended, so each
   * console reconnects and reloads what changed while no notification could reach it. */
  private reconnect(): void {
    if (this.closed || this.retry) return;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(this.failures, 5));
    this.retry = setTimeout(() => {
      this.retry = null;
      this.starting = this.listen();
      this.starting.then(
        () => {
          this.failures = 0;
          this.log?.info({ channel: this.channel }, 'LISTEN re-established');
          this.endAll();
        },
        () => {
          this.failures++;
          this.starting = null;
          this.reconnect();
        },
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.subscribers.clear();
    await this.starting?.catch(() => undefined);
    if (this.client) {
      const c = this.client;
      this.client = null;
      await c.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      c.release();
    }
  }
}

/**
 * Answers a request with a server-sent-event stream fed by a hub: `ready` first, then whatever
 * `onPayload` sends for each notification, a comment every 15 s to keep proxies from closing it, and
 * the subscription dropped when the console goes away (or the server shuts down).
 */
export async function serveEventStream(
  req: FastifyRequest,
  reply: FastifyReply,
  stream: NotifyStream,
  onPayload: (payload: string, send: (event: string, id: string, data: unknown) => void) => void,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('event: ready\ndata: {}\n\n');
  const send = (event: string, id: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let unsubscribe: () => void;
  try {
    unsubscribe = await stream.subscribe((payload) => onPayload(payload, send));
  } catch {
    res.end(); // the database is away: EventSource reconnects by itself a few seconds later
    return;
  }
  const untrack = stream.track(res);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
    untrack();
  });
}
