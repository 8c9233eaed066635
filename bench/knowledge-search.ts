/**
 * Knowledge search latency over 10,000 articles. Loads the demonstration articles and generates the
 * rest from them (each a variant: another district, another year's edition, reordered phrasings and
 * paragraphs, so word statistics stay realistic), into a fresh database (the embedded PostgreSQL in a
 * temporary folder, or DATABASE_URL), then asks questions one after another through the same search
 * the API uses (tokenising, PostgreSQL full-text search, scoring, snippets) and prints one JSON line
 * with p50/p99 per query.
 *
 *   npm run bench:knowledge -- [--articles 10000] [--queries 3000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { KnowledgeSearch } from '../packages/server/src/knowledge/search.service.ts';
import {
  loadSeedArticles,
  seedDemoKnowledge,
  type SeedArticle,
} from '../packages/server/src/knowledge/seed-knowledge.ts';
import { KNOWLEDGE_DIR } from '../packages/server/src/knowledge/analyzer.ts';

const { values } = parseArgs({
  options: { articles: { type: 'string', default: '10000' }, queries: { type: 'string', default: '3000' } },
});
const ARTICLES = Number(values.articles);
const QUERIES = Number(values.queries);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const tmp = process.env.DATABASE_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-kbs-'));
  const database = await openDatabase(
    { databaseUrl: process.env.DATABASE_URL || null, dataDir: tmp ?? 'data', embeddedPgPort: null, poolSize: 4 },
    () => undefined,
  );
  try {
    const seed = loadSeedArticles();
    const districts = (
      await database.db.query<{ code: string; name: string }>('SELECT code, name FROM districts ORDER BY code')
    ).rows;
    const r = rng(20261208);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const generated: SeedArticle[] = [...seed];
    for (let i = seed.length; i < ARTICLES; i++) {
      const base = pick(seed);
      const d = pick(districts);
      const local = r() < 0.6;
      const year = 2019 + Math.floor(r() * 8);
      const paragraphs = base.body.match(/<(h3|p|ul|ol)>.*?<\/\1>/g) ?? [base.body];
      const shuffled = [...paragraphs].sort(() => r() - 0.5).join('');
      generated.push({
        ...base,
        id: `kb-${String(i + 1).padStart(5, '0')}`,
        title: (local ? `${d.name}${base.title}` : `${base.title}（${year}年版）`).slice(0, 60),
        districts: local ? [d.code] : ['*'],
        questions: [...base.questions].sort(() => r() - 0.5).map((q) => (local ? `${d.name}${q}` : q)),
        body: shuffled,
        effectiveFrom: `${year}-01-01`,
        expiresAt: r() < 0.3 ? `${year + 1}-12-31` : null,
      });
    }
    const t0 = Date.now();
    await seedDemoKnowledge(database.db, { articles: generated });
    const loadSeconds = (Date.now() - t0) / 1000;
    await database.db.query('ANALYZE knowledge_search');

    const search = new KnowledgeSearch(database.db);
    const dev = fs
      .readFileSync(path.join(KNOWLEDGE_DIR, 'dev-questions.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { q: string }).q);
    const pool = [...dev, ...seed.flatMap((a) => a.questions)];
    for (let i = 0; i < 200; i++) await search.search(pick(pool), { limit: 5 }); // warm up
    const latencies: number[] = [];
    let withResults = 0;
    for (let i = 0; i < QUERIES; i++) {
      const q = pick(pool);
      const district = r() < 0.5 ? pick(districts).code : null;
      const start = process.hrtime.bigint();
      const out = await search.search(q, { limit: 5, district });
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (out.items.length) withResults += 1;
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const pg = (await database.db.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'knowledge-search',
        articles: generated.length,
        queries: QUERIES,
        postgres: pg,
        loadSeconds: +loadSeconds.toFixed(1),
        p50_ms: +percentile(sorted, 50).toFixed(2),
        p90_ms: +percentile(sorted, 90).toFixed(2),
        p99_ms: +percentile(sorted, 99).toFixed(2),
        max_ms: +sorted[sorted.length - 1]!.toFixed(2),
        withResults,
      })}\n`,
    );
  } finally {
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
