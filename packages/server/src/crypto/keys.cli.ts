/**
 * `npx liandong keys status|rotate [--url URL] [--batch N]`: the keys of personal data at rest
 * (docs/security.md, "Personal data at rest").
 * - `status`: where the keys come from, the current key, and how many callers each key seals;
 * - `rotate`: with a key file, adds a new key and makes it current (running servers follow the file
 *   within seconds), waits until they have, then re-seals every caller sealed with an older key, in
 *   batches of short transactions while the desk keeps working; with PII_KEYS, re-seals to
 *   PII_CURRENT_KEY (the new key given to every process first). Old keys stay in the ring until an
 *   operator removes them, which is safe once `status` shows no value under them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { withDatabases } from '../audit/audit.cli.ts';
import { ConfigError } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { SEALED_TABLES, resealAll, toReseal } from './pii-migrate.ts';
import {
  KEY_FILE_RECHECK_MS,
  KEY_ID_PATTERN,
  keyringFromFile,
  loadKeyring,
  newKeySecret,
  readKeyFile,
  setPiiKeyring,
  writeKeyFile,
  type PiiKeyring,
} from './pii.ts';

const USAGE = '用法：npx liandong keys status [--url URL] | keys rotate [--new-key-id ID] [--batch N] [--url URL]';

/** Adds a key to the key file and makes it current; returns the new ring. */
export function addKeyToFile(file: string, id?: string): PiiKeyring {
  const content = readKeyFile(file);
  const n = Object.keys(content.keys).length + 1;
  let keyId = id ?? `k${n}`;
  for (let i = n; !id && keyId in content.keys; i++) keyId = `k${i}`;
  if (!KEY_ID_PATTERN.test(keyId)) throw new ConfigError(`密钥编号 “${keyId}” 不合法（1～32 位字母、数字、_ 或 -）`);
  if (keyId in content.keys) throw new ConfigError(`密钥编号 ${keyId} 已在密钥文件中`);
  const next = { ...content, current: keyId, keys: { ...content.keys, [keyId]: newKeySecret() } };
  writeKeyFile(file, next);
  return keyringFromFile(next, file);
}

/** How many sealed values each key id seals, over every sealed column ('(明文)': plain text not yet sealed). */
async function keyUse(db: Db): Promise<{ key: string; n: number }[]> {
  const parts = SEALED_TABLES.flatMap((t) =>
    t.columns.flatMap((c) => [
      `SELECT split_part(${c.sealed}, ':', 2) AS k FROM ${t.table} WHERE ${c.sealed} IS NOT NULL`,
      ...(c.plain ? [`SELECT '(明文)' FROM ${t.table} WHERE ${c.plain} IS NOT NULL`] : []),
    ]),
  );
  const r = await db.query<{ key: string; n: number }>(
    `SELECT k AS key, count(*)::int AS n FROM (${parts.join(' UNION ALL ')}) x GROUP BY k ORDER BY k`,
  );
  return r.rows;
}

export async function keysCommand(argv: string[], say: (m: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, batch: { type: 'string' }, 'new-key-id': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const sub = positionals[0];
  if (positionals.length !== 1 || (sub !== 'status' && sub !== 'rotate')) throw new ConfigError(USAGE);
  const batch = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10000) throw new ConfigError('--batch 须为 1–10000 之间的整数');
  let ring = loadKeyring();
  if (sub === 'status') {
    if (values['new-key-id'] || values.batch) throw new ConfigError(USAGE);
    say(`个人信息密钥：来自 ${ring.source}；当前密钥 ${ring.current}；密钥环 ${[...ring.keys.keys()].join('、')}`);
    await withDatabases(values.url, async (db, name) => {
      const use = await keyUse(db);
      say(`数据库 ${name}：${use.length ? use.map((u) => `${u.key} ${u.n} 项`).join('、') : '没有来电人信息'}`);
      const unknown = use.filter((u) => u.key !== '(明文)' && !ring.keys.has(u.key));
      if (unknown.length) {
        say(`  ✗ 密钥环中没有：${unknown.map((u) => u.key).join('、')}（这些记录无法解密）`);
        process.exitCode = 1;
      }
    });
    return;
  }
  if (ring.source !== 'PII_KEYS') {
    ring = addKeyToFile(ring.source, values['new-key-id']);
    say(`已在 ${ring.source} 中加入新密钥 ${ring.current} 并设为当前密钥；等待运行中的服务读取新密钥…`);
    await sleep(KEY_FILE_RECHECK_MS + 1000);
  } else if (values['new-key-id']) {
    throw new ConfigError(
      '使用 PII_KEYS 时请先在各进程的 PII_KEYS 中加入新密钥并设 PII_CURRENT_KEY，再运行 keys rotate',
    );
  }
  setPiiKeyring(ring);
  await withDatabases(values.url, async (db, name) => {
    const before = await toReseal(db, ring);
    say(`数据库 ${name}：${before} 行个人信息需用密钥 ${ring.current} 重新加密`);
    const done = await resealAll(db, ring, (n) => say(`  已重新加密 ${n} 行`), batch);
    say(`数据库 ${name}：完成，重新加密 ${done} 行；剩余 ${await toReseal(db, ring)} 行`);
  });
}
