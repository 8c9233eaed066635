/**
 * The audit chain (docs/security.md): links sealed after the fact over the append-only audit tables.
 * Entry digest = SM3(canonical), where canonical is PostgreSQL's jsonb text of the link's columns read
 * with TimeZone UTC. Link hash = SM3 over the link header, the previous link's hash and every
 * "id digest" line of its window. A window is sealed only once every transaction that could still
 * commit an id inside it has ended, so a late commit is never mistaken for an inserted entry.
 */
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../db/pool.ts';

export const CHAINED_TABLES: Record<string, readonly string[]> = {
  admin_audit: ['id', 'actor_id', 'action', 'target', 'details', 'at'],
  work_order_actions: [
    'id',
    'work_order_id',
    'action',
    'from_status',
    'to_status',
    'actor_id',
    'actor_role',
    'actor_unit_id',
    'details',
    'at',
  ],
  incident_actions: [
    'id',
    'incident_id',
    'action',
    'from_status',
    'to_status',
    'actor_id',
    'actor_role',
    'actor_unit_id',
    'details',
    'at',
  ],
  linkage_events: [
    'id',
    'item_id',
    'message_id',
    'direction',
    'type',
    'from_status',
    'to_status',
    'payload',
    'actor_id',
    'note',
    'at',
  ],
};

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_LOCK = 0x6c64_6175; // advisory lock key: one sealer at a time per database
const WINDOW_MAX = 2000;
const IDENT = /^[a-z_][a-z0-9_]*$/;

export const sm3 = (s: string): string => createHash('sm3').update(s, 'utf8').digest('hex');

export interface Link {
  seq: number;
  table: string;
  columns: string[];
  afterId: number;
  throughId: number;
  entryIds: number[];
  entryDigests: string[];
  prevHash: string;
  hash: string;
}

export function linkHash(l: Omit<Link, 'hash'>): string {
  let s = `liandong-audit-link/1\n${l.seq}\n${l.table}\n${l.columns.join(',')}\n${l.afterId}\n${l.throughId}\n${l.prevHash}\n`;
  l.entryIds.forEach((id, i) => (s += `${id} ${l.entryDigests[i]}\n`));
  return sm3(s);
}

function canonicalSql(table: string, columns: readonly string[]): string {
  if (!(table in CHAINED_TABLES) || !columns.every((c) => IDENT.test(c)))
    throw new Error(`audit chain: unexpected table or column in ${table}`);
  return `jsonb_build_object(${columns.map((c) => `'${c}', ${c}`).join(', ')})::text`;
}

async function entries(
  tx: Tx,
  table: string,
  columns: readonly string[],
  after: number,
  through: number,
  limit?: number,
) {
  const { rows } = await tx.query<{ id: number; c: string }>(
    `SELECT id, ${canonicalSql(table, columns)} AS c FROM ${table} WHERE id > $1 AND id <= $2 ORDER BY id${limit ? ` LIMIT ${limit}` : ''}`,
    [after, through],
  );
  return rows.map((r) => ({ id: r.id, digest: sm3(r.c), canonical: r.c }));
}

const rowToLink = (r: Record<string, unknown>): Link => ({
  seq: Number(r.seq),
  table: r.table_name as string,
  columns: r.columns as string[],
  afterId: Number(r.after_id),
  throughId: Number(r.through_id),
  entryIds: (r.entry_ids as (string | number)[]).map(Number),
  entryDigests: r.entry_digests as string[],
  prevHash: r.prev_hash as string,
  hash: r.hash as string,
});

/**
 * Seals the audit tables. Call it periodically: each call seals what an earlier call observed (the
 * sequences' last values), once the oldest running transaction is younger than that observation.
 */
export class AuditSealer {
  private pending: { xmax: bigint; marks: Record<string, number> } | null = null;
  constructor(private readonly db: Db) {}

  /** Returns the number of links written. */
  async tick(): Promise<number> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [SEAL_LOCK]);
      if (!lock.rows[0]!.ok) {
        await client.query('ROLLBACK');
        return 0;
      }
      await client.query("SET LOCAL TIME ZONE 'UTC'");
      let written = 0;
      const xmin = BigInt(
        (await client.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0]!.x,
      );
      if (this.pending && xmin >= this.pending.xmax) {
        for (const [table, mark] of Object.entries(this.pending.marks)) written += await this.seal(client, table, mark);
        this.pending = null;
      }
      if (!this.pending) {
        const marks: Record<string, number> = {};
        for (const table of Object.keys(CHAINED_TABLES)) {
          const { rows } = await client.query<{ v: string | null }>(
            `SELECT pg_sequence_last_value(pg_get_serial_sequence('${table}', 'id'))::text AS v`,
          );
          marks[table] = Number(rows[0]!.v ?? 0);
        }
        const xmax = (await client.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x'))
          .rows[0]!.x;
        this.pending = { xmax: BigInt(xmax), marks };
      }
      await client.query('COMMIT');
      return written;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async seal(tx: Tx, table: string, mark: number): Promise<number> {
    const columns = CHAINED_TABLES[table]!;
    let written = 0;
    for (;;) {
      const last = await tx.query('SELECT * FROM audit_links WHERE table_name = $1 ORDER BY seq DESC LIMIT 1', [table]);
      const after = last.rows[0] ? Number(last.rows[0].through_id) : 0;
      if (mark <= after) return written;
      const rows = await entries(tx, table, columns, after, mark, WINDOW_MAX);
      if (rows.length === 0) return written;
      const through = rows.length === WINDOW_MAX ? rows[rows.length - 1]!.id : mark;
      const head = await tx.query<{ seq: string; hash: string }>(
        'SELECT seq::text, hash FROM audit_links ORDER BY seq DESC LIMIT 1',
      );
      const link = {
        seq: head.rows[0] ? Number(head.rows[0].seq) + 1 : 1,
        table,
        columns: [...columns],
        afterId: after,
        throughId: through,
        entryIds: rows.map((r) => r.id),
        entryDigests: rows.map((r) => r.digest),
        prevHash: head.rows[0]?.hash ?? GENESIS_HASH,
      };
      await tx.query(
        `INSERT INTO audit_links (seq, table_name, columns, after_id, through_id, entry_ids, entry_digests, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          link.seq,
          table,
          link.columns,
          after,
          through,
          link.entryIds,
          link.entryDigests,
          link.prevHash,
          linkHash(link),
        ],
      );
      written++;
      if (through === mark) return written;
    }
  }
}

export interface VerifyProblem {
  kind: 'link_missing' | 'link_altered' | 'link_broken' | 'entry_altered' | 'entry_deleted' | 'entry_inserted';
  seq: number;
  table?: string;
  id?: number;
  message: string;
}

export interface VerifyReport {
  links: number;
  entries: number;
  unsealed: Record<string, number>;
  problems: VerifyProblem[];
}

/** Checks every link and every entry it covers; entries after the last link are counted as unsealed. */
export async function verifyChain(db: Db): Promise<VerifyReport> {
  const client = await db.connect();
  const report: VerifyReport = { links: 0, entries: 0, unsealed: {}, problems: [] };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const lastThrough: Record<string, number> = {};
    let prev: Link | null = null;
    for (let from = 0; ;) {
      const { rows } = await client.query('SELECT * FROM audit_links WHERE seq > $1 ORDER BY seq LIMIT 100', [from]);
      if (rows.length === 0) break;
      for (const r of rows) {
        const link = rowToLink(r);
        from = link.seq;
        report.links++;
        const expectedSeq = prev ? prev.seq + 1 : 1;
        if (link.seq !== expectedSeq)
          report.problems.push({
            kind: 'link_missing',
            seq: link.seq,
            message: `链接 #${expectedSeq}–#${link.seq - 1} 缺失（已被删除）`,
          });
        if (link.prevHash !== (prev?.hash ?? GENESIS_HASH) && link.seq === expectedSeq)
          report.problems.push({ kind: 'link_broken', seq: link.seq, message: `链接 #${link.seq} 与上一链接不衔接` });
        if (linkHash(link) !== link.hash || link.entryIds.length !== link.entryDigests.length) {
          report.problems.push({ kind: 'link_altered', seq: link.seq, message: `链接 #${link.seq} 的内容被修改` });
        }
        if (!(link.table in CHAINED_TABLES)) {
          report.problems.push({ kind: 'link_altered', seq: link.seq, message: `链接 #${link.seq} 指向未知的表` });
          prev = link;
          continue;
        }
        const seen = lastThrough[link.table] ?? 0;
        if (link.afterId !== seen)
          report.problems.push({
            kind: 'link_missing',
            seq: link.seq,
            table: link.table,
            message: `链接 #${link.seq}（${link.table}）的窗口不接续上一窗口（应从 ${seen} 之后开始，实为 ${link.afterId}）`,
          });
        lastThrough[link.table] = link.throughId;
        const actual = await entries(client, link.table, link.columns, link.afterId, link.throughId);
        const expected = new Map(link.entryIds.map((id, i) => [id, link.entryDigests[i]!]));
        report.entries += link.entryIds.length;
        for (const e of actual) {
          const d = expected.get(e.id);
          if (d === undefined)
            report.problems.push({
              kind: 'entry_inserted',
              seq: link.seq,
              table: link.table,
              id: e.id,
              message: `${link.table} 第 ${e.id} 条记录不在链中（被插入；链接 #${link.seq}，窗口 ${link.afterId + 1}–${link.throughId}）`,
            });
          else if (d !== e.digest)
            report.problems.push({
              kind: 'entry_altered',
              seq: link.seq,
              table: link.table,
              id: e.id,
              message: `${link.table} 第 ${e.id} 条记录被修改（链接 #${link.seq}）`,
            });
          expected.delete(e.id);
        }
        for (const id of expected.keys())
          report.problems.push({
            kind: 'entry_deleted',
            seq: link.seq,
            table: link.table,
            id,
            message: `${link.table} 第 ${id} 条记录被删除（链接 #${link.seq}）`,
          });
        prev = link;
      }
    }
    for (const table of Object.keys(CHAINED_TABLES)) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id > $1`, [
        lastThrough[table] ?? 0,
      ]);
      report.unsealed[table] = rows[0]!.n;
    }
    await client.query('COMMIT');
    return report;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
