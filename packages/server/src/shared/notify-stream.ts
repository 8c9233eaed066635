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
  ) {}

  async subscribe(fn: Subscriber): Promise<() => void> {
    this.subscribers.add(fn);
    this.starting ??= (async () => {
      const c = await this.db.connect();
      c.on('notification', (n) => {
        if (n.payload) for (const s of this.subscribers) s(n.payload);
      });
      await c.query(`LISTEN ${this.channel}`);
      this.client = c;
    })();
    await this.starting;
    return () => {
      this.subscribers.delete(fn);
    };
  }

  async close(): Promise<void> {
    this.subscribers.clear();
    await this.starting?.catch(() => undefined);
    if (this.client) {
      await this.client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
      this.client.release();
      this.client = null;
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
  const unsubscribe = await stream.subscribe((payload) => onPayload(payload, send));
  const untrack = stream.track(res);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
    untrack();
  });
}
