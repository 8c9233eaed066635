/**
 * The analysis share feed (docs/data-sharing.md): serving this desk's de-identified records to the peer
 * desk over the signed bridge transport, and pulling the peer's into `shared_records` for the joint
 * analysis. Serving checks the request exactly as the bridge does (WireService.check: keys, clock,
 * signature, nonce; refusals in bridge_refusals) and serves only the peer desk, never a connector.
 * Every page served and pulled is audited in `share_pulls`.
 */
import { createHmac } from 'node:crypto';
import {
  beijingIso,
  deskShareKinds,
  normaliseAddress,
  normalisePhone,
  gridCell,
  isShareKind,
  maskShareText,
  unexpectedShareFields,
  type ShareKind,
  type ShareRecord,
} from '@liandong/domain';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { inProcessFetch } from '../bridge/inproc.ts';
import type { PeerDirectory } from '../bridge/peers.ts';
import { signedHeaders } from '../bridge/signing.ts';
import type { WireService } from '../bridge/wire.service.ts';
import {
  changesAfter,
  cursorText,
  getShareCursor,
  insertSharePull,
  parseCursor,
  setShareCursor,
  upsertSharedRecords,
  holdSharedRecords,
  type ShareRow,
} from './share.repo.ts';

type Headers = Record<string, string | string[] | undefined>;

export const SHARE_PAGE_DEFAULT = 500;
export const SHARE_PAGE_MAX = 1000;

export type ServeOutcome =
  { kind: 'refused'; status: number; error: string } | { kind: 'page'; records: ShareRecord[]; next: string };

const minute = (d: Date) => beijingIso(new Date(Math.floor(d.getTime() / 60_000) * 60_000));

/**
 * A keyed pseudonym (bridge-protocol.md: HMAC-SM3 with the sharing key both desks hold for this alone):
 * the same normalised number or address gives the same key on both desks, and reveals neither.
 */
export function pseudonym(key: string | null | undefined, value: string | null): string | null {
  if (!key || value === null) return null;
  return createHmac('sm3', key).update(value, 'utf8').digest('hex');
}

/** A row as the feed carries it: the fields of SHARE_FIELDS, nothing else. */
export function toShareRecord(r: ShareRow, shareKey: string | null = null): ShareRecord {
  return {
    recordId: r.record_id,
    kind: r.kind,
    receivedAt: minute(r.received_at),
    districtCode: r.district_code,
    streetCode: r.street_code,
    gridCell: gridCell(r.lat, r.lng),
    type: r.type,
    category: r.category,
    channel: r.channel,
    status: r.status,
    outcome: r.outcome,
    satisfaction: r.satisfaction,
    urgent: r.urgent,
    overdue: r.overdue,
    unitId: r.unit_id,
    tier: r.tier,
    durations: { toDispatch: r.to_dispatch_s, toArrive: r.to_arrive_s, toReply: r.to_reply_s, toClose: r.to_close_s },
    text: maskShareText(r.content, [r.caller_name]),
    exercise: r.exercise,
    callerKey: pseudonym(shareKey, normalisePhone(r.caller_phone)),
    placeKey: pseudonym(shareKey, normaliseAddress(r.address)),
    changedAt: minute(r.changed_at),
  };
}

export class ShareService {
  constructor(
    private readonly db: Db,
    private readonly wire: WireService,
    private readonly peers: PeerDirectory,
    private readonly desk: { desk: 'hotline' | 'dispatch' | 'both'; peerId: string | null; shareKey?: string | null },
    private readonly log: { info(o: object, m: string): void; warn(o: object, m: string): void } = {
      info: () => undefined,
      warn: () => undefined,
    },
  ) {}

  /** What this desk publishes: its own records (12345 work orders and calls marked invalid, 110 incidents). */
  get kinds(): ShareKind[] {
    return deskShareKinds(this.desk.desk);
  }

  /** GET /bridge/v1/share?after=&limit=: the changed records after the cursor, for the peer desk only. */
  async serve(headers: Headers, query: { after?: string; limit?: string }): Promise<ServeOutcome> {
    const signer = await this.wire.authenticate(headers, '');
    if ('error' in signer) return this.wire.refuse(signer);
    // the peer desk only: a connector (119, a utility …) has a key, but no business with the feed
    if (!this.desk.peerId || signer.owner !== this.desk.peerId)
      return this.wire.refuse({
        status: 401,
        error: 'unknown_key',
        keyId: signer.keyId,
        peer: signer.owner || undefined,
        detail: `key ${signer.keyId} is not the peer desk's: the share feed is for the peer desk only`,
      });
    const checked = { value: signer };
    const after = parseCursor(query.after);
    const limit = query.limit === undefined ? SHARE_PAGE_DEFAULT : Number(query.limit);
    if (!after || !Number.isInteger(limit) || limit < 1 || limit > SHARE_PAGE_MAX)
      return this.wire.refuse({
        status: 400,
        error: 'schema_invalid',
        detail: 'after/limit',
        peer: signer.owner,
        keyId: signer.keyId,
      });
    const rows = await changesAfter(this.db, this.kinds, after, limit);
    const last = rows[rows.length - 1];
    const next = last ? cursorText({ xid: last.share_xid, seq: last.share_seq }) : cursorText(after);
    await insertSharePull(this.db, {
      direction: 'served',
      peer: checked.value.owner,
      keyId: checked.value.keyId,
      after: cursorText(after),
      next,
      records: rows.length,
    });
    return { kind: 'page', records: rows.map((r) => toShareRecord(r, this.desk.shareKey ?? null)), next };
  }

  /**
   * Pulls the peer desk's feed from the stored cursor until it is read to the end; each page is stored,
   * audited and the cursor moved in one transaction. A record with a field outside the table is refused.
   */
  get configured(): boolean {
    return this.desk.peerId !== null;
  }

  async pull(limit = SHARE_PAGE_DEFAULT): Promise<{ records: number; pages: number; held: number }> {
    const peer = this.desk.peerId ? (await this.peers.fresh()).peer(this.desk.peerId) : undefined;
    if (!peer) throw new AppError('BRIDGE_NOT_CONFIGURED');
    let records = 0,
      pages = 0,
      held = 0;
    for (; pages < 10_000;) {
      const after = await getShareCursor(this.db, peer.id);
      const url = `${peer.url}/bridge/v1/share?after=${encodeURIComponent(after)}&limit=${limit}`;
      const headers = signedHeaders(peer.alg, peer.keyId, peer.key, '');
      // The peer away or answering wrongly is the peer's failure (502), not this desk's.
      const res = await (
        peer.url.startsWith('inproc://')
          ? inProcessFetch(url, { method: 'GET', headers })
          : fetch(url, { headers, signal: AbortSignal.timeout(15_000) })
      ).catch((err: unknown) => {
        throw peerFailed(`share feed unreachable: ${String(err)}`);
      });
      if (!res.ok) throw peerFailed(`share feed answered ${res.status}`);
      const page = (await res.json().catch(() => null)) as { records: ShareRecord[]; next: string } | null;
      if (!page || !Array.isArray(page.records) || typeof page.next !== 'string' || !parseCursor(page.next))
        throw peerFailed('share feed answered out of shape');
      for (const r of page.records) {
        const bad = unexpectedShareFields(r);
        if (bad.length) throw peerFailed(`share feed carried fields outside the table: ${bad.join(', ')}`);
        if (typeof r.kind !== 'string' || typeof r.recordId !== 'string' || !r.recordId)
          throw peerFailed('share feed carried a record without a kind or an id');
      }
      // A kind this desk does not know (a peer on a newer revision) is held as it came, not refused:
      // the rest of the page is stored and the feed moves on (migration 20261220100000).
      const known = page.records.filter((r) => isShareKind(r.kind));
      const unknown = page.records.filter((r) => !isShareKind(r.kind));
      await inTransaction(this.db, async (tx) => {
        await upsertSharedRecords(tx, peer.id, known);
        await holdSharedRecords(tx, peer.id, unknown);
        await insertSharePull(tx, {
          direction: 'pulled',
          peer: peer.id,
          keyId: peer.keyId,
          after,
          next: page.next,
          records: page.records.length,
          held: unknown.length,
        });
        await setShareCursor(tx, peer.id, page.next);
      });
      if (unknown.length)
        this.log.warn(
          { peer: peer.id, held: unknown.length, kinds: [...new Set(unknown.map((r) => r.kind))] },
          'share feed carried records of a kind this desk does not know: held, not counted',
        );
      pages++;
      records += known.length;
      held += unknown.length;
      if (page.records.length < limit) break;
    }
    if (records) this.log.info({ records, pages, held }, 'share feed pulled');
    return { records, pages, held };
  }
}

const peerFailed = (reason: string) => new AppError('SHARE_PULL_FAILED', undefined, { reason });

/** How often a desk pulls the peer's feed (the joint analysis is monthly; a few minutes' lag is nothing). */
export const SHARE_PULL_MS = 5 * 60_000;

/** Pulls the peer's feed now and then every SHARE_PULL_MS, one pull at a time; returns the stop function. */
export function startSharePull(share: ShareService, log: { warn(o: object, m: string): void }): () => void {
  if (!share.configured) return () => undefined;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    share
      .pull()
      .catch((err: unknown) =>
        log.warn(
          { err: String(err), ...(err instanceof AppError ? err.details : {}) },
          'share feed pull failed; will retry',
        ),
      )
      .finally(() => (running = false));
  };
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, SHARE_PULL_MS);
  timer.unref();
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
