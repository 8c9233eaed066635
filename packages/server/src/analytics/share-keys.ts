/**
 * The sharing pseudonyms stored on the desk's own records (migration 20261216100000): `requests.place_key`
 * (the normalised address) and `callers.caller_key` (the normalised number), HMAC-SM3 under the sharing
 * key exactly as the feed computes them (`pseudonym`), each row with the fingerprint of the key that made
 * it. The worker keys what is new and, after the sharing key changes, everything again, a batch per
 * statement; readers trust a stored key only when its fingerprint is the current key's.
 */
import { createHash } from 'node:crypto';
import { normaliseAddress, normalisePhone } from '@liandong/domain';
import { open } from '../crypto/pii.ts';
import type { Db } from '../db/pool.ts';
import { pseudonym } from './share.service.ts';
import { startPeriodic } from '../workers/periodic.ts';

/** Rows keyed per statement. */
export const SHARE_KEY_BATCH = 5000;

/** Names a sharing key without revealing it: the first 16 hex digits of SM3 over a labelled form. */
export function shareKeyFingerprint(key: string): string {
  return createHash('sm3').update(`liandong-share-key-fingerprint:${key}`, 'utf8').digest('hex').slice(0, 16);
}

/** Rows not keyed under the key with this fingerprint (written so the fingerprint index serves it). */
export const STALE = (column: string, param: string) =>
  `(${column} IS NULL OR ${column} < ${param} OR ${column} > ${param})`;

export const placeKeyOf = (key: string, address: string | null) => pseudonym(key, normaliseAddress(address));
export const callerKeyOf = (key: string, phoneSealed: string | null) =>
  pseudonym(key, normalisePhone(open(phoneSealed, 'caller.phone')));

/** Keys one batch of requests and one of callers; the number of rows keyed. */
async function keyBatch(db: Db, key: string, fp: string, batch: number): Promise<number> {
  const req = await db.query<{ id: string; address: string | null }>(
    `SELECT id, address FROM requests WHERE ${STALE('share_key_fp', '$1')} LIMIT $2`,
    [fp, batch],
  );
  if (req.rows.length)
    await db.query(
      `UPDATE requests r SET place_key = v.k, share_key_fp = $1
       FROM unnest($2::uuid[], $3::text[]) v (id, k) WHERE r.id = v.id`,
      [fp, req.rows.map((r) => r.id), req.rows.map((r) => placeKeyOf(key, r.address))],
    );
  const cal = await db.query<{ id: string; phone_sealed: string | null }>(
    `SELECT id, phone_sealed FROM callers WHERE ${STALE('share_key_fp', '$1')} LIMIT $2`,
    [fp, batch],
  );
  if (cal.rows.length)
    await db.query(
      `UPDATE callers c SET caller_key = v.k, share_key_fp = $1
       FROM unnest($2::uuid[], $3::text[]) v (id, k) WHERE c.id = v.id`,
      [fp, cal.rows.map((r) => r.id), cal.rows.map((r) => callerKeyOf(key, r.phone_sealed))],
    );
  return req.rows.length + cal.rows.length;
}

/** Keys every row not yet keyed under `key`; the number keyed. */
export async function keyShareRecords(db: Db, key: string, batch = SHARE_KEY_BATCH): Promise<number> {
  const fp = shareKeyFingerprint(key);
  let total = 0;
  for (;;) {
    const n = await keyBatch(db, key, fp, batch);
    total += n;
    if (n === 0) return total;
  }
}

export function startShareKeyWorker(
  db: Db,
  key: string,
  everyMs: number,
  log: { error(o: object, m: string): void },
): () => Promise<void> {
  return startPeriodic(() => keyShareRecords(db, key), everyMs, log, 'keying the records for sharing failed');
}
