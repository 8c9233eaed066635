/**
 * The data steps of personal data at rest (docs/security.md, "Personal data at rest"):
 * - `sealPlaintext`: after migrations 20261214100000 and 20261214100100, seals what the old plain
 *   columns still hold (a database from before them, the demo's included) and empties them, in batches;
 * - `resealAll`: key rotation, re-seals every value not sealed with the current key, in batches of short
 *   transactions (rows locked with SKIP LOCKED, so the desk keeps working meanwhile).
 */
import type { Db, Queryable } from '../db/pool.ts';
import { keyIdOf, open, phoneHash, piiKeyring, seal, type PiiField, type PiiKeyring } from './pii.ts';

const BATCH = 500;

interface SealedColumn {
  /** the column the plaintext was in before (emptied by the data step); none for a table sealed from the start */
  plain?: string;
  sealed: string;
  field: PiiField;
  /** the keyed hash it is looked up by, if any */
  hash?: string;
}
interface SealedTable {
  table: string;
  id: string;
  columns: SealedColumn[];
}

/** Every column holding personal data sealed (the table in docs/security.md). */
export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'callers',
    id: 'id',
    columns: [
      { plain: 'plain_name', sealed: 'name_sealed', field: 'caller.name' },
      { plain: 'plain_phone', sealed: 'phone_sealed', field: 'caller.phone', hash: 'phone_hash' },
    ],
  },
  {
    table: 'calls',
    id: 'id',
    columns: [
      { plain: 'plain_caller', sealed: 'caller_sealed', field: 'caller.phone', hash: 'caller_hash' },
      { plain: 'plain_caller_name', sealed: 'caller_name_sealed', field: 'caller.name' },
    ],
  },
  {
    table: 'call_backs',
    id: 'call_id',
    columns: [{ plain: 'plain_caller', sealed: 'caller_sealed', field: 'caller.phone' }],
  },
  {
    table: 'harassment_watch',
    id: 'id',
    columns: [{ plain: 'plain_phone', sealed: 'phone_sealed', field: 'caller.phone', hash: 'phone_hash' }],
  },
  {
    // Texts to citizens (docs/sms.md): sealed when written, so there is no plain column to empty.
    table: 'sms_messages',
    id: 'id',
    columns: [
      { sealed: 'phone_sealed', field: 'caller.phone', hash: 'phone_hash' },
      { sealed: 'text_sealed', field: 'sms.text' },
    ],
  },
];

async function inBatch(db: Db, fn: (q: Queryable) => Promise<number>): Promise<number> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const n = await fn(client);
    await client.query('COMMIT');
    return n;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

const anyPlain = (t: SealedTable) =>
  t.columns.some((c) => c.plain)
    ? t.columns
        .filter((c) => c.plain)
        .map((c) => `${c.plain} IS NOT NULL`)
        .join(' OR ')
    : 'false';

/**
 * A caller still in plain text whose number (normalised) another caller record already has: one caller
 * per number, so its requests move to that record and it goes. Newest first, so the newest record stays
 * and keeps the latest name given (as migration 20261207150000 did).
 */
async function foldCaller(q: Queryable, row: Record<string, string | null>, hash: string, ring: PiiKeyring) {
  const same = (
    await q.query<{ id: string; name_sealed: string | null }>(
      'SELECT id, name_sealed FROM callers WHERE phone_hash = $1 AND id <> $2',
      [hash, row.id],
    )
  ).rows[0];
  if (!same) return false;
  await q.query('UPDATE requests SET caller_id = $1 WHERE caller_id = $2', [same.id, row.id]);
  if (!same.name_sealed && row.plain_name)
    await q.query('UPDATE callers SET name_sealed = $2 WHERE id = $1', [
      same.id,
      seal(row.plain_name, 'caller.name', ring),
    ]);
  await q.query('DELETE FROM callers WHERE id = $1', [row.id]);
  return true;
}

/** Seals what the plain columns still hold; returns how many rows it changed (0: nothing to do, no key read). */
export async function sealPlaintext(db: Db, log: (m: string) => void = () => undefined): Promise<number> {
  let total = 0;
  for (const t of SEALED_TABLES) {
    if (!t.columns.some((c) => c.plain)) continue;
    for (;;) {
      const n = await inBatch(db, async (q) => {
        const order = t.table === 'callers' ? 'created_at DESC, id DESC' : t.id;
        const { rows } = await q.query<Record<string, string | null>>(
          `SELECT ${t.id} AS id, ${t.columns.flatMap((c) => (c.plain ? [c.plain] : [])).join(', ')} FROM ${t.table} WHERE ${anyPlain(t)}
           ORDER BY ${order} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        );
        const ring = rows.length ? piiKeyring() : null;
        for (const r of rows) {
          const set: string[] = [];
          const args: unknown[] = [r.id];
          for (const c of t.columns) {
            if (!c.plain) continue;
            const plain = r[c.plain] ?? null;
            if (c.hash) {
              const h = phoneHash(plain, ring!);
              if (t.table === 'callers' && h && (await foldCaller(q, r, h, ring!))) {
                set.length = 0;
                break;
              }
              set.push(`${c.hash} = $${args.push(h)}`);
            }
            set.push(`${c.sealed} = $${args.push(seal(plain, c.field, ring!))}`, `${c.plain} = NULL`);
          }
          if (set.length) await q.query(`UPDATE ${t.table} SET ${set.join(', ')} WHERE ${t.id} = $1`, args);
        }
        return rows.length;
      });
      if (!n) break;
      total += n;
      log(`sealed the personal data of ${n} rows of ${t.table}`);
    }
  }
  return total;
}

/** A sealed value not under the current key ($1). */
const notCurrent = (t: SealedTable) =>
  t.columns.map((c) => `(${c.sealed} IS NOT NULL AND split_part(${c.sealed}, ':', 2) <> $1)`).join(' OR ');

/** How many rows hold a value not sealed with the ring's current key (plain text included). */
export async function toReseal(db: Queryable, ring: PiiKeyring = piiKeyring()): Promise<number> {
  let n = 0;
  for (const t of SEALED_TABLES)
    n += (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${t.table} WHERE ${anyPlain(t)} OR ${notCurrent(t)}`,
        [ring.current],
      )
    ).rows[0]!.n;
  return n;
}

/**
 * Re-seals, batch by batch, every value sealed with another key than the current one. Each batch is its
 * own short transaction; rows a seat is writing right now are skipped and taken next round.
 */
export async function resealAll(
  db: Db,
  ring: PiiKeyring = piiKeyring(),
  progress: (done: number) => void = () => undefined,
  batch = BATCH,
): Promise<number> {
  await sealPlaintext(db);
  let total = 0;
  for (const t of SEALED_TABLES) {
    for (;;) {
      const n = await inBatch(db, async (q) => {
        const { rows } = await q.query<Record<string, string | null>>(
          `SELECT ${t.id} AS id, ${t.columns.map((c) => c.sealed).join(', ')} FROM ${t.table} WHERE ${notCurrent(t)}
           ORDER BY ${t.id} LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [ring.current, batch],
        );
        for (const r of rows) {
          const args: unknown[] = [r.id];
          const set = t.columns.map((c) => {
            const v = r[c.sealed] ?? null;
            const next = v && keyIdOf(v) !== ring.current ? seal(open(v, c.field, ring), c.field, ring) : v;
            return `${c.sealed} = $${args.push(next)}`;
          });
          await q.query(`UPDATE ${t.table} SET ${set.join(', ')} WHERE ${t.id} = $1`, args);
        }
        return rows.length;
      });
      if (n) {
        total += n;
        progress(total);
        continue;
      }
      // none left, or only rows a writer holds right now: those are taken once it commits
      const left = (
        await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.table} WHERE ${notCurrent(t)}`, [
          ring.current,
        ])
      ).rows[0]!.n;
      if (!left) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return total;
}
