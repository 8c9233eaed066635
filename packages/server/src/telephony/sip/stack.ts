/**
 * The SIP stack of a desk: RFC 3261 transports (UDP and TCP on one port), the transaction layer, and
 * the dispatch of requests and responses to the user agent above.
 *
 * Parsing, serialisation and the transaction state machines (timers A–K) are the `sip` package's
 * (kirm/sip.js). Its own `create()` falls short for a server that must start and stop cleanly: it binds
 * port 5060 when asked for 0, binds without reporting EADDRINUSE (the error event is unhandled and
 * ends the process), cannot say which port it got, and leaves TCP connections open on destroy. So
 * the transports and the dispatch are done here, on the package's parser and transaction layer.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import sip, { type Connection, type Message, type TransactionLayer } from 'sip';

export type { Message } from 'sip';

/** Where a message came from or goes to; `local` names the socket that received it. */
export interface Flow {
  protocol: 'UDP' | 'TCP';
  address: string;
  port: number;
}

export interface SipLogger {
  recv?(m: Message, from: Flow): void;
  send?(m: Message, to: Flow): void;
  error?(err: unknown): void;
}

export interface StackOptions {
  host: string;
  /** 0 picks a free port (the same number for UDP and TCP). */
  port: number;
  onRequest(rq: Message, from: Flow): void;
  /** A 2xx to an INVITE that arrives after its transaction ended: the dialog re-sends its ACK (RFC 6026). */
  onStrayResponse?(rs: Message, from: Flow): void;
  logger?: SipLogger;
  /** largest message accepted on TCP (headers, body), bytes */
  maxBytes?: number;
}

const flowKey = (f: Flow) => `${f.protocol}:${f.address}:${f.port}`;

export class SipStack {
  private udp!: dgram.Socket;
  private tcp!: net.Server;
  private readonly tcpFlows = new Map<string, net.Socket>();
  private readonly sockets = new Set<net.Socket>();
  private tl!: TransactionLayer;
  private closed = false;
  port = 0;

  private constructor(private readonly opts: StackOptions) {}

  static async listen(opts: StackOptions): Promise<SipStack> {
    const s = new SipStack(opts);
    await s.bind();
    s.tl = sip.makeTransactionLayer({}, (target, onError) => s.open(target as Flow, onError));
    return s;
  }

  get host(): string {
    return this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
  }

  private async bind(): Promise<void> {
    // UDP and TCP share the number; with port 0 the UDP socket picks it and TCP follows (retried if taken).
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket(net.isIPv6(this.opts.host) ? 'udp6' : 'udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.opts.port, this.opts.host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const port = udp.address().port;
      const tcp = net.createServer((sock) =>
        this.attach(sock, { protocol: 'TCP', address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0 }),
      );
      const ok = await new Promise<boolean>((resolve, reject) => {
        tcp.once('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'EADDRINUSE' && this.opts.port === 0 && attempt < 10) resolve(false);
          else reject(err);
        });
        tcp.listen(port, this.opts.host, () => resolve(true));
      }).catch((err) => {
        udp.close();
        throw err;
      });
      if (!ok) {
        udp.close();
        continue;
      }
      udp.on('error', (err) => this.opts.logger?.error?.(err));
      udp.on('message', (data, rinfo) =>
        this.receive(data.toString('binary'), { protocol: 'UDP', address: rinfo.address, port: rinfo.port }),
      );
      tcp.on('error', (err) => this.opts.logger?.error?.(err));
      this.udp = udp;
      this.tcp = tcp;
      this.port = port;
      return;
    }
  }

  private attach(sock: net.Socket, flow: Flow): void {
    this.tcpFlows.set(flowKey(flow), sock);
    this.sockets.add(sock);
    sock.setEncoding('binary');
    sock.setKeepAlive(true, 30_000);
    const max = this.opts.maxBytes ?? 64 * 1024;
    sock.on(
      'data',
      sip.makeStreamParser(
        (m) => this.dispatch(m, flow),
        () => sock.destroy(),
        max,
        max,
      ),
    );
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.sockets.delete(sock);
      if (this.tcpFlows.get(flowKey(flow)) === sock) this.tcpFlows.delete(flowKey(flow));
    });
  }

  private receive(data: string, from: Flow): void {
    const m = sip.parse(data);
    if (m) this.dispatch(m, from);
  }

  private valid(m: Message): boolean {
    const h = m.headers;
    return Boolean(
      (m.method || (m.status && m.status >= 100 && m.status <= 699)) &&
      Array.isArray(h.via) &&
      h.via.length > 0 &&
      h['call-id'] &&
      h.to &&
      h.from &&
      h.cseq,
    );
  }

  private dispatch(m: Message, from: Flow): void {
    if (this.closed || !this.valid(m)) return;
    try {
      if (m.method) {
        // Responses go back where the request came from (RFC 3581 symmetric response routing).
        const via = m.headers.via![0]!;
        via.params.received = from.address;
        if (Object.hasOwn(via.params, 'rport')) via.params.rport = from.port;
      }
      this.opts.logger?.recv?.(m, from);
      if (m.method) {
        const t = this.tl.getServer(m);
        if (t) return t.message(m);
        if (m.method !== 'ACK') this.tl.createServerTransaction(m, this.open(from));
        this.opts.onRequest(m, from);
      } else {
        const t = this.tl.getClient(m);
        if (t) return t.message(m, from);
        if (m.headers.cseq?.method === 'INVITE' && m.status! >= 200 && m.status! < 300)
          this.opts.onStrayResponse?.(m, from);
      }
    } catch (err) {
      this.opts.logger?.error?.(err);
    }
  }

  /** A connection to `target`: the open TCP flow if there is one (a seat registered over TCP), else a new one. */
  private open(target: Flow, onError?: (e: Error) => void): Connection {
    const write = (m: Message) => {
      if (m.method) {
        const via = m.headers.via![0]!;
        via.host = this.host;
        via.port = this.port;
        via.protocol = target.protocol;
        if (target.protocol === 'UDP') via.params.rport = null;
      }
      this.opts.logger?.send?.(m, target);
      const text = sip.stringify(m);
      if (target.protocol === 'UDP') {
        if (!this.closed) this.udp.send(Buffer.from(text, 'binary'), target.port, target.address);
        return;
      }
      let sock = this.tcpFlows.get(flowKey(target));
      if (!sock || sock.destroyed) {
        sock = net.connect(target.port, target.address);
        this.attach(sock, target);
      }
      if (onError) sock.once('error', onError);
      sock.write(text, 'binary');
    };
    return { send: write, protocol: target.protocol, release: () => undefined };
  }

  /** Sends a request in a new client transaction; `onResponse` gets every response (a 408 on timeout). */
  request(rq: Message, target: Flow, onResponse: (rs: Message) => void): void {
    if (this.closed) return;
    // A CANCEL comes with the Via of the INVITE it cancels (same branch, RFC 3261 §9.1); the package keeps it.
    if (rq.method !== 'CANCEL') rq.headers.via = [{ params: {} }, ...(rq.headers.via ?? [])];
    this.tl.createClientTransaction(this.open(target), rq, onResponse);
  }

  /** A response to a request, through the request's server transaction (retransmitted as RFC 3261 says). */
  respond(
    rq: Message,
    status: number,
    reason: string,
    extra?: { headers?: Record<string, unknown>; content?: string },
  ) {
    if (this.closed) return;
    const rs = sip.makeResponse(rq, status, reason, extra);
    const t = this.tl.getServer(rs);
    if (t) t.send(rs);
    return rs;
  }

  /** Re-sends a 2xx to an INVITE through its transaction (the UAS retransmits 2xx until the ACK, RFC 6026). */
  resend(rs: Message): void {
    const t = this.tl.getServer(rs);
    if (t) t.send(rs);
  }

  /** ACK for a 2xx, and other messages sent outside any transaction. */
  sendRaw(m: Message, target: Flow): void {
    if (this.closed) return;
    if (m.method && !m.headers.via?.length) m.headers.via = [{ params: { branch: newBranch() } }];
    this.open(target).send(m);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tl.destroy();
    for (const s of this.sockets) s.destroy();
    await Promise.all([
      new Promise<void>((r) => this.udp.close(() => r())),
      new Promise<void>((r) => this.tcp.close(() => r())),
    ]);
  }
}

export const newBranch = () => `z9hG4bK${randomToken(10)}`;
export const newTag = () => randomToken(10);

function randomToken(n: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n));
  for (const b of bytes) s += chars[b % chars.length];
  return s;
}
