/**
 * The data steps of personal data at rest (docs/security.md, "Personal data at rest"):
 * - `sealPlaintextCallers`: after migration 20261214100000, seals the callers still held in plain text
 *   (a database from before it, the demo's included) and empties the plain columns, in batches;
 * - `resealCallers`: key rotation, re-seals every caller not sealed with the current key, in batches
 *   of short transactions (rows locked with SKIP LOCKED, so the desk keeps working meanwhile).
 */
import type { Db } from '../db/pool.ts';
import { keyIdOf, open, phoneHash, piiKeyring, seal, type PiiKeyring } from './pii.ts';

const BATCH = 500;

/** Seals the callers still in plain text; returns how many rows it changed (0: nothing to do, no key read). */
export async function sealPlaintextCallers(db: Db, log: (m: string) => void = () => undefined): Promise<number> {
  let total = 0;
  for (;;) {
    const client = await db.connect();
    let n = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; plain_name: string | null; plain_phone: string | null }>(
        `SELECT id, plain_name, plain_phone FROM callers WHERE plain_name IS NOT NULL OR plain_phone IS NOT NULL
         ORDER BY created_at DESC, id DESC LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      const ring = rows.length ? piiKeyring() : null;
      for (const r of rows) {
        const hash = phoneHash(r.plain_phone, ring!);
        const same = hash
          ? (
              await client.query<{ id: string; name_sealed: string | null }>(
                'SELECT id, name_sealed FROM callers WHERE phone_hash = $1 AND id <> $2',
                [hash, r.id],
              )
            ).rows[0]
          : undefined;
        if (same) {
          // one caller per number: the number written another way (+86, spaces) is the same caller; newest
          // first, so the newest record stays and keeps the latest name given (as 20261207150000 did)
          await client.query('UPDATE requests SET caller_id = $1 WHERE caller_id = $2', [same.id, r.id]);
          if (!same.name_sealed && r.plain_name)
            await client.query('UPDATE callers SET name_sealed = $2 WHERE id = $1', [
              same.id,
              seal(r.plain_name, 'caller.name', ring!),
            ]);
          await client.query('DELETE FROM callers WHERE id = $1', [r.id]);
        } else {
          await client.query(
            `UPDATE callers SET name_sealed = $2, phone_sealed = $3, phone_hash = $4, plain_name = NULL, plain_phone = NULL
             WHERE id = $1`,
            [r.id, seal(r.plain_name, 'caller.name', ring!), seal(r.plain_phone, 'caller.phone', ring!), hash],
          );
        }
        n++;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (!n) break;
    total += n;
    log(`sealed ${total} callers' personal data`);
  }
  return total;
}

/** A sealed value not under the current key (SQL, for `callers` columns). */
const notCurrent = (col: string, p: string) => `(${col} IS NOT NULL AND split_part(${col}, ':', 2) <> ${p})`;

/** How many callers are not sealed with the ring's current key (plain text included). */
export async function callersToReseal(db: Db, ring: PiiKeyring = piiKeyring()): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM callers
     WHERE plain_name IS NOT NULL OR plain_phone IS NOT NULL OR ${notCurrent('name_sealed', '$1')} OR ${notCurrent('phone_sealed', '$1')}`,
    [ring.current],
  );
  return r.rows[0]!.n;
}

/**
 * Re-seals, batch by batch, every caller whose name or number is sealed with another key than the current
 * one. Each batch is its own short transaction; rows a seat is writing are skipped and taken next round.
 */
export async function resealCallers(
  db: Db,
  ring: PiiKeyring = piiKeyring(),
  progress: (done: number) => void = () => undefined,
  batch = BATCH,
): Promise<number> {
  await sealPlaintextCallers(db);
  let total = 0;
  for (;;) {
    const client = await db.connect();
    let n = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; name_sealed: string | null; phone_sealed: string | null }>(
        `SELECT id, name_sealed, phone_sealed FROM callers
         WHERE ${notCurrent('name_sealed', '$1')} OR ${notCurrent('phone_sealed', '$1')}
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [ring.current, batch],
      );
      for (const r of rows) {
        const name =
          r.name_sealed && keyIdOf(r.name_sealed) !== ring.current
            ? seal(open(r.name_sealed, 'caller.name', ring), 'caller.name', ring)
            : r.name_sealed;
        const phone =
          r.phone_sealed && keyIdOf(r.phone_sealed) !== ring.current
            ? seal(open(r.phone_sealed, 'caller.phone', ring), 'caller.phone', ring)
            : r.phone_sealed;
        await client.query('UPDATE callers SET name_sealed = $2, phone_sealed = $3 WHERE id = $1', [r.id, name, phone]);
        n++;
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    if (!n) {
      // rows locked by a writer right now are sealed with the current key when it commits, or taken next round
      if ((await callersToReseal(db, ring)) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    total += n;
    progress(total);
  }
  return total;
}
