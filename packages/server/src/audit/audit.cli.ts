/**
 * `npx liandong audit verify [--url URL]`: checks the audit chain of the database DATABASE_URL (or --url)
 * names, or of the embedded data folder (both desks' databases there); exits 1 when it does not verify.
 * `npx liandong audit export [--from T] [--to T] --out FILE [--url URL]`: the links sealed in [from, to)
 * with their entries, as JSON Lines an auditor can recompute (docs/security.md).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { CHAINED_TABLES, sm3, verifyChain } from './chain.ts';

const USAGE =
  '用法：npx liandong audit verify [--url URL] | audit export [--from 时间] [--to 时间] --out FILE [--url URL]';

function time(name: string, raw: string | undefined, fallback: Date): Date {
  if (raw === undefined) return fallback;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00+08:00` : raw);
  if (Number.isNaN(d.getTime()))
    throw new ConfigError(`--${name} 须为日期（2026-12-01，北京时间）或 ISO 时间，当前为 “${raw}”`);
  return d;
}

/** Runs `fn` on the database --url names, or DATABASE_URL's, or the embedded folder's (both desks' there). */
export async function withDatabases(
  url: string | undefined,
  fn: (db: Db, name: string) => Promise<void>,
): Promise<void> {
  const config = loadConfig();
  const { openDatabase } = await import('../db/database.ts');
  const database = await openDatabase({ ...config, databaseUrl: url ?? config.databaseUrl }, () => undefined);
  try {
    const name = new URL(database.url).pathname.slice(1);
    await fn(database.db, name);
    if (!url && !config.databaseUrl && config.desk === 'both') {
      const sibling = `${name}_110`;
      const exists = await database.db.query('SELECT 1 FROM pg_database WHERE datname = $1', [sibling]);
      if (exists.rowCount) {
        const { siblingDatabase } = await import('../db/database.ts');
        const s = await siblingDatabase(database.url, sibling, () => undefined);
        try {
          await fn(s.db, sibling);
        } finally {
          await s.db.end();
        }
      }
    }
  } finally {
    await database.close();
  }
}

export async function auditCommand(argv: string[], say: (m: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const sub = positionals[0];
  if (positionals.length !== 1 || (sub !== 'verify' && sub !== 'export')) throw new ConfigError(USAGE);
  if (sub === 'verify') {
    if (values.from || values.to || values.out) throw new ConfigError(USAGE);
    let failed = false;
    await withDatabases(values.url, async (db, name) => {
      const r = await verifyChain(db);
      const unsealed = Object.entries(r.unsealed)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t} ${n} 条`)
        .join('、');
      say(
        `审计链校验（数据库 ${name}）：${r.links} 个链接，覆盖 ${r.entries} 条记录${unsealed ? `；尚未封存：${unsealed}` : ''}`,
      );
      for (const p of r.problems) say(`  ✗ ${p.message}`);
      if (r.problems.length) {
        failed = true;
        say(`结果：未通过，发现 ${r.problems.length} 处问题`);
      } else say('结果：通过');
    });
    if (failed) process.exitCode = 1;
    return;
  }
  if (!values.out) throw new ConfigError(`缺少 --out。${USAGE}`);
  const from = time('from', values.from, new Date(0));
  const to = time('to', values.to, new Date());
  await withDatabases(values.url, async (db, name) => {
    const file = values.out!.replace(/(\.jsonl)?$/, (m) => (name.endsWith('_110') ? `-110${m}` : m));
    const out = createWriteStream(file);
    const line = (o: unknown) => out.write(`${JSON.stringify(o)}\n`);
    line({
      kind: 'header',
      format: 'liandong-audit-export/1',
      hash: 'SM3',
      database: name,
      from,
      to,
      exportedAt: new Date(),
    });
    const client = await db.connect();
    let links = 0;
    let last: { seq: number; hash: string } | null = null;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query("SET LOCAL TIME ZONE 'UTC'");
      const { rows } = await client.query(
        'SELECT * FROM audit_links WHERE sealed_at >= $1 AND sealed_at < $2 ORDER BY seq',
        [from, to],
      );
      for (const r of rows) {
        if (!(r.table_name in CHAINED_TABLES)) throw new Error(`audit_links #${r.seq}: unknown table`);
        const cols = (r.columns as string[]).filter((c) => /^[a-z_][a-z0-9_]*$/.test(c));
        const entries = await client.query<{ id: number; c: string }>(
          `SELECT id, jsonb_build_object(${cols.map((c) => `'${c}', ${c}`).join(', ')})::text AS c FROM ${r.table_name} WHERE id > $1 AND id <= $2 ORDER BY id`,
          [r.after_id, r.through_id],
        );
        line({
          kind: 'link',
          seq: Number(r.seq),
          table: r.table_name,
          columns: r.columns,
          afterId: Number(r.after_id),
          throughId: Number(r.through_id),
          entryIds: (r.entry_ids as string[]).map(Number),
          entryDigests: r.entry_digests,
          prevHash: r.prev_hash,
          hash: r.hash,
          sealedAt: r.sealed_at,
        });
        for (const e of entries.rows)
          line({ kind: 'entry', table: r.table_name, id: e.id, digest: sm3(e.c), canonical: e.c });
        links++;
        last = { seq: Number(r.seq), hash: r.hash as string };
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    line({ kind: 'end', links, lastSeq: last?.seq ?? null, lastHash: last?.hash ?? null });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    say(`已导出 ${links} 个链接到 ${file}`);
  });
}
