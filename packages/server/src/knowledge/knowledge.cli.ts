/**
 * `npx liandong knowledge search [--url URL]`: JSON Lines {"id","q","district"?} on stdin, one line
 * {"id","results":[{"articleId","title","score"}, … up to 5]} per input, in order, on the database that
 * DATABASE_URL or --url names. `knowledge seed-demo [--url URL]` loads the demonstration articles.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { createPool, type Db } from '../db/pool.ts';
import { KnowledgeSearch } from './search.service.ts';
import { seedDemoKnowledge } from './seed-knowledge.ts';

const ID_IN_BROKEN_LINE = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/;
const DISTRICT = /^\d{6}$/;
const BATCH = 8;

function databaseUrl(url: string | undefined): string {
  const u = (url ?? process.env.DATABASE_URL)?.trim();
  if (!u) throw new ConfigError('knowledge 命令需要数据库：请设置 DATABASE_URL 或使用 --url');
  return u;
}

type Line =
  { id: unknown; q: string; district: string | null } | { id: unknown; error: { code: string; message: string } };

export function parseLine(line: string): Line {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    const m = line.match(ID_IN_BROKEN_LINE);
    let id: unknown = null;
    try {
      id = m ? JSON.parse(m[1]!) : null;
    } catch {
      id = null;
    }
    return { id, error: { code: 'LINE_NOT_JSON', message: '该行不是合法的 JSON' } };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return { id: null, error: { code: 'LINE_NOT_OBJECT', message: '该行须为 JSON 对象 {"id","q","district"}' } };
  const o = input as Record<string, unknown>;
  const id = o.id ?? null;
  if (typeof o.q !== 'string' || !o.q.trim()) return { id, error: { code: 'Q_MISSING', message: '缺少问题文本 q' } };
  if (o.q.length > 2000) return { id, error: { code: 'Q_TOO_LONG', message: '问题文本过长（上限 2000 字符）' } };
  if (o.district !== undefined && o.district !== null && (typeof o.district !== 'string' || !DISTRICT.test(o.district)))
    return { id, error: { code: 'DISTRICT_INVALID', message: 'district 须为六位行政区划代码' } };
  return { id, q: o.q, district: (o.district as string | undefined) ?? null };
}

async function answerLine(search: KnowledgeSearch, line: Line): Promise<string> {
  if ('error' in line) return JSON.stringify({ id: line.id, results: [], error: line.error });
  const r = await search.search(line.q, { district: line.district, limit: 5 });
  return JSON.stringify({
    id: line.id,
    results: r.items.map((i) => ({ articleId: i.articleId, title: i.title, score: i.score })),
  });
}

async function runSearch(db: Db): Promise<void> {
  const search = new KnowledgeSearch(db);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let batch: Line[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const out = await Promise.all(batch.map((l) => answerLine(search, l)));
    batch = [];
    if (!process.stdout.write(out.join('\n') + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of rl) {
    if (!line.trim()) continue;
    batch.push(parseLine(line));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

export async function knowledgeCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { url: { type: 'string' } }, strict: true });
  if (sub !== 'search' && sub !== 'seed-demo')
    throw new ConfigError('用法：npx liandong knowledge search [--url URL] | knowledge seed-demo [--url URL]');
  const db = createPool(databaseUrl(values.url), BATCH);
  try {
    if (sub === 'search') await runSearch(db);
    else {
      const n = await seedDemoKnowledge(db);
      process.stdout.write(`[liandong] ${n ? `已载入 ${n} 篇演示知识` : '知识库已有内容，未载入演示知识'}\n`);
    }
  } finally {
    await db.end();
  }
}
