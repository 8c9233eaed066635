/**
 * The wire intake (bridge-protocol.md, Transport and Answers): a signed message from the peer desk or a
 * connector, checked in the protocol's order, then applied; and the signed replay after an outage.
 * Every refusal is stored (`bridge_refusals`) and logged. The routes only map the outcome to HTTP.
 */
import { validateEnvelope, type Envelope } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { insertRefusal, rememberNonce, replayAfter } from './bridge.repo.ts';
import type { BridgeService } from './bridge.service.ts';
import type { PeerDirectory } from './peers.ts';
import { verify } from './signing.ts';

type Headers = Record<string, string | string[] | undefined>;

/** What became of a message: refused (with the protocol's code), out of order, or received (stored or a duplicate). */
export type IntakeOutcome =
  | { kind: 'refused'; status: 400 | 401; error: string }
  | { kind: 'gap'; expected: number }
  | { kind: 'received'; ack: string; status: 'stored' | 'duplicate' };

export type ReplayOutcome =
  { kind: 'refused'; status: 400 | 401; error: string } | { kind: 'page'; messages: Envelope[]; next: number };

/** A message passed or failed one check; a failure names its answer and what to record. */
type Check<T> =
  { ok: true; value: T } | { ok: false; status: 400 | 401; error: string; messageId?: string; detail: string };
const refuse = (status: 400 | 401, error: string, detail: string, messageId?: string) =>
  ({ ok: false, status, error, detail, messageId }) as const;

export class WireService {
  constructor(
    private readonly db: Db,
    private readonly peers: PeerDirectory,
    private readonly bridge: BridgeService,
    private readonly log: { warn(o: object, m: string): void },
  ) {}

  /** POST /bridge/v1/messages: signature, nonce, JSON, envelope, sender = key owner; then applied once, in order. */
  async intake(headers: Headers, raw: string): Promise<IntakeOutcome> {
    const checked = await this.check(headers, raw, 'POST', async (keyOwner) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return refuse(400, 'schema_invalid', 'body is not JSON');
      }
      const env = validateEnvelope(parsed);
      if (!env.ok) {
        const id = (parsed as { id?: unknown })?.id;
        return refuse(400, env.code, env.message, typeof id === 'string' ? id : undefined);
      }
      // A key speaks for one peer only: a connector cannot send in the other desk's name.
      if (keyOwner.owner !== env.value.from)
        return refuse(401, 'unknown_key', `key ${keyOwner.keyId} does not belong to ${env.value.from}`, env.value.id);
      return { ok: true, value: env.value } as const;
    });
    if (!checked.ok) return checked;
    const res = await this.bridge.receive(checked.value);
    if (res.status === 'gap') return { kind: 'gap', expected: res.expected };
    return { kind: 'received', ack: checked.value.id, status: res.status };
  }

  /** GET /bridge/v1/messages?after=: what this desk sent the caller since its cursor, oldest first. */
  async replay(headers: Headers, query: { after?: string; limit?: string }): Promise<ReplayOutcome> {
    const checked = await this.check(headers, '', 'GET', async (k) => ({ ok: true, value: k.owner }) as const);
    if (!checked.ok) return checked;
    const after = Number(query.after ?? 0),
      limit = Math.min(Number(query.limit ?? 100), 1000);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1)
      return { kind: 'refused', status: 400, error: 'schema_invalid' };
    const rows = await replayAfter(this.db, checked.value, after, limit);
    return {
      kind: 'page',
      messages: rows.map((r) => r.envelope),
      next: rows.length ? rows[rows.length - 1]!.out_no : after,
    };
  }

  /** The checks every signed request passes first (signature, then a nonce never seen), then `more`. */
  private async check<T>(
    headers: Headers,
    body: string,
    method: 'POST' | 'GET',
    more: (key: { keyId: string; owner: string }) => Promise<Check<T>>,
  ): Promise<{ ok: true; value: T } | { ok: false; kind: 'refused'; status: 400 | 401; error: string }> {
    const dir = await this.peers.fresh();
    const keyId = (headers['x-bridge-key-id'] as string | undefined) ?? null;
    const v = verify(headers, body, dir.inboundKeys());
    const result: Check<T> = !v.ok
      ? refuse(401, v.reason, method)
      : !(await rememberNonce(this.db, v.keyId, v.nonce))
        ? refuse(401, 'replayed_nonce', v.nonce)
        : await more({ keyId: v.keyId, owner: dir.ownerOf(v.keyId) ?? '' });
    if (result.ok) return result;
    await insertRefusal(this.db, result.error, keyId, result.messageId ?? null, result.detail);
    this.log.warn(
      { error: result.error, keyId, messageId: result.messageId ?? null, detail: result.detail },
      'bridge message refused',
    );
    return { ok: false, kind: 'refused', status: result.status, error: result.error };
  }
}
