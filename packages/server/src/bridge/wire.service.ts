/**
 * The wire intake (bridge-protocol.md, Transport, Answers and Trust rules): a signed message from the
 * peer desk or a connector, checked in the protocol's order, then applied; and the signed replay after an
 * outage. Every refusal is logged and counted (`liandong_bridge_refusals_total{code,peer}`); refusals of an
 * authenticated sender are stored one by one, refusals before authentication are counted per hour
 * (`bridge_refusals`) and their writes coalesced, so no caller can grow storage without bound nor make a
 * write per request. The routes only map the outcome to HTTP.
 */
import { validateEnvelope, type Envelope, type WireError } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import type { Metrics } from '../observability/metrics.ts';
import { countUnauthenticatedRefusal, insertRefusal, rememberNonce, replayAfter } from './bridge.repo.ts';
import type { BridgeService } from './bridge.service.ts';
import type { PeerDirectory } from './peers.ts';
import { verify } from './signing.ts';

type Headers = Record<string, string | string[] | undefined>;
type RefusalStatus = 400 | 401 | 403 | 413;

/** What became of a message: refused (with the protocol's code), out of order, or received (stored or a duplicate). */
export type IntakeOutcome =
  | { kind: 'refused'; status: RefusalStatus; error: WireError }
  | { kind: 'gap'; expected: number }
  | { kind: 'received'; ack: string; status: 'stored' | 'duplicate' };

export type ReplayOutcome =
  { kind: 'refused'; status: RefusalStatus; error: WireError } | { kind: 'page'; messages: Envelope[]; next: number };

/** A refusal: its answer and what to record (the sender when authenticated, the message and item when read). */
export interface Refusal {
  status: RefusalStatus;
  error: WireError;
  detail: string;
  peer?: string;
  keyId?: string;
  messageId?: string;
  itemId?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const header = (h: Headers, n: string) => {
  const v = h[n];
  return Array.isArray(v) ? v[0] : v;
};

export class WireService {
  constructor(
    private readonly db: Db,
    private readonly peers: PeerDirectory,
    private readonly bridge: BridgeService,
    private readonly log: { warn(o: object, m: string): void },
    private readonly metrics: Metrics | null = null,
  ) {}

  /**
   * POST /bridge/v1/messages, in the order of the Trust rules: (size, by the route) → UTF-8 JSON →
   * signature with the key's algorithm, fresh nonce → `from` owns the key → `to` is this desk → text and
   * keys → envelope and allow-list → the item's peer and id space → sequence; then applied once, in order.
   */
  async intake(headers: Headers, body: Buffer): Promise<IntakeOutcome> {
    let raw: string, parsed: unknown;
    try {
      raw = utf8.decode(body);
      parsed = JSON.parse(raw);
    } catch {
      return this.refuse({ status: 400, error: 'schema_invalid', detail: 'body is not UTF-8 JSON' });
    }
    const signer = await this.authenticate(headers, raw);
    if ('error' in signer) return this.refuse(signer);
    const { keyId, owner } = signer;
    const head = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
    const known = { peer: owner, keyId, messageId: str(head.id), itemId: str(head.itemId) };
    // A key speaks for one peer only: a connector cannot send in the other desk's name.
    if (head.from !== owner)
      return this.refuse({
        ...known,
        status: 401,
        error: 'unknown_key',
        detail: `key ${keyId} is not ${String(head.from)}'s`,
      });
    if (head.to !== this.bridge.deskId || head.from === this.bridge.deskId)
      return this.refuse({ ...known, status: 400, error: 'wrong_recipient', detail: `to ${String(head.to)}` });
    const env = validateEnvelope(parsed);
    if (!env.ok) return this.refuse({ ...known, status: 400, error: env.code as WireError, detail: env.message });
    const res = await this.bridge.receive(env.value);
    if (res.status === 'refused')
      return this.refuse({ ...known, status: res.http, error: res.code, detail: res.detail });
    if (res.status === 'gap') return { kind: 'gap', expected: res.expected };
    return { kind: 'received', ack: env.value.id, status: res.status };
  }

  /** A body over the limit, refused by the route before it is read (the first of the Trust rules). */
  async tooLarge(headers: Headers): Promise<IntakeOutcome> {
    return this.refuse({
      status: 413,
      error: 'payload_too_large',
      detail: `key id ${header(headers, 'x-bridge-key-id') ?? '-'}`,
    });
  }

  /** GET /bridge/v1/messages?after=: what this desk sent the caller since its cursor, oldest first. */
  async replay(headers: Headers, query: { after?: string; limit?: string }): Promise<ReplayOutcome> {
    const signer = await this.authenticate(headers, '');
    if ('error' in signer) return this.refuse(signer);
    const after = Number(query.after ?? 0),
      limit = Math.min(Number(query.limit ?? 100), 1000);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1)
      return this.refuse({
        status: 400,
        error: 'schema_invalid',
        detail: 'after/limit',
        peer: signer.owner,
        keyId: signer.keyId,
      });
    const rows = await replayAfter(this.db, signer.owner, after, limit);
    return {
      kind: 'page',
      messages: rows.map((r) => r.envelope),
      next: rows.length ? rows[rows.length - 1]!.out_no : after,
    };
  }

  /** The signature (with the algorithm configured for its key), then a nonce never seen: who is speaking. */
  async authenticate(headers: Headers, body: string): Promise<{ keyId: string; owner: string } | Refusal> {
    const dir = await this.peers.fresh();
    const v = verify(headers, body, dir.inboundKeys());
    if (!v.ok) return { status: 401, error: v.reason, detail: 'signature check' };
    if (!(await rememberNonce(this.db, v.keyId, v.nonce)))
      return { status: 401, error: 'replayed_nonce', detail: v.nonce.slice(0, 100), keyId: v.keyId };
    return { keyId: v.keyId, owner: dir.ownerOf(v.keyId) ?? '' };
  }

  /**
   * Unauthenticated refusals are coalesced: at most one write to their hourly rows is in flight, and
   * every refusal that arrives meanwhile is added to the next one, so a flood costs the database a
   * bounded rate of single-row updates whatever the request rate (each caller still waits until its
   * refusal is counted).
   */
  private readonly unauthenticated = new Map<
    string,
    { reason: string; knownKeyId: string | null; detail: string; n: number }
  >();
  private flushing: Promise<void> | null = null;
  private readonly logged = new Map<string, { at: number; suppressed: number }>();

  /** null: do not log this one; otherwise log it, with how many were left unlogged since the last. */
  private logThrottle(code: string, now = Date.now()): number | null {
    const l = this.logged.get(code);
    if (l && now - l.at < 60_000) {
      l.suppressed += 1;
      return null;
    }
    this.logged.set(code, { at: now, suppressed: 0 });
    return l?.suppressed ?? 0;
  }

  private async countUnauthenticated(r: { reason: string; knownKeyId: string | null; detail: string }): Promise<void> {
    const key = `${r.reason}\u0000${r.knownKeyId ?? ''}`;
    const pending = this.unauthenticated.get(key);
    if (pending) {
      pending.n += 1;
      pending.detail = r.detail;
    } else this.unauthenticated.set(key, { ...r, n: 1 });
    while (this.flushing) await this.flushing;
    if (!this.unauthenticated.has(key)) return; // counted by the write that just ended
    const batch = [...this.unauthenticated.values()];
    this.unauthenticated.clear();
    this.flushing = (async () => {
      for (const b of batch) await countUnauthenticatedRefusal(this.db, b);
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  async refuse(r: Refusal): Promise<{ kind: 'refused'; status: RefusalStatus; error: WireError }> {
    const dir = await this.peers.fresh();
    if (r.peer) {
      await insertRefusal(this.db, {
        reason: r.error,
        keyId: r.keyId ?? null,
        peer: r.peer,
        messageId: r.messageId ?? null,
        itemId: r.itemId ?? null,
        detail: r.detail,
      });
    } else {
      const keyId = r.keyId ?? null;
      await this.countUnauthenticated({
        reason: r.error,
        knownKeyId: keyId && dir.ownerOf(keyId) ? keyId : null,
        detail: r.detail,
      });
    }
    this.metrics?.counter('liandong_bridge_refusals_total', 'Bridge messages refused, by code and peer', {
      code: r.error,
      peer: r.peer ?? 'unauthenticated',
    });
    // An unauthenticated refusal is logged once a minute per code, with how many were not (the counts
    // are in bridge_refusals and /metrics): a flood does not become a flood of log lines.
    const suppressed = r.peer ? 0 : this.logThrottle(r.error);
    if (suppressed !== null)
      this.log.warn(
        {
          error: r.error,
          peer: r.peer ?? null,
          keyId: r.keyId ?? null,
          messageId: r.messageId ?? null,
          detail: r.detail,
          ...(suppressed ? { suppressedSinceLast: suppressed } : {}),
        },
        'bridge message refused',
      );
    return { kind: 'refused', status: r.status, error: r.error };
  }
}
