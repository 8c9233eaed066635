/**
 * Answer quality of the knowledge base on a list of questions phrased as callers say them. Loads the
 * demonstration articles into a fresh database (the embedded PostgreSQL in a temporary folder, or the
 * one DATABASE_URL names, which must be empty of articles or already hold them), asks each question
 * through the same search the API, the CLI and the chat use, and prints one JSON line:
 *
 *   hit@1 / hit@5   questions with an expected article: is it first / among the first five;
 *   chatAnswered    of those, how often the chat answers with the expected article (and how often
 *                   with a wrong one);
 *   idkRate         questions no article covers: how often the chat says it does not know (the rest
 *                   are wrong answers).
 *
 *   npm run bench:knowledge-quality -- --questions FILE.jsonl [--misses]
 *
 * Each line of FILE: {"id", "q" (or "question"/"text"), "district"?, "expected" (or "articleId"/
 * "article"): an article id, a list of acceptable ids, or null when no article covers the question}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { KnowledgeSearch } from '../packages/server/src/knowledge/search.service.ts';
import { seedDemoKnowledge } from '../packages/server/src/knowledge/seed-knowledge.ts';

const { values } = parseArgs({
  options: { questions: { type: 'string' }, misses: { type: 'boolean', default: false } },
});
if (!values.questions) {
  process.stderr.write('用法：npm run bench:knowledge-quality -- --questions FILE.jsonl [--misses]\n');
  process.exit(2);
}

interface Question {
  id: string;
  q: string;
  district: string | null;
  expected: string[] | null;
}

function readQuestions(file: string): Question[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      const q = (o.q ?? o.question ?? o.text) as string | undefined;
      if (typeof q !== 'string') throw new Error(`line ${i + 1}: no question text (q)`);
      const raw = 'expected' in o ? o.expected : 'articleId' in o ? o.articleId : o.article;
      const expected = raw === null || raw === undefined ? null : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      return {
        id: String(o.id ?? i + 1),
        q,
        district: typeof o.district === 'string' ? o.district : null,
        expected: expected && expected.length ? expected : null,
      };
    });
}

const pct = (n: number, d: number) => (d ? +((100 * n) / d).toFixed(1) : null);

async function main() {
  const questions = readQuestions(values.questions!);
  const tmp = process.env.DATABASE_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-kbq-'));
  const database = await openDatabase(
    { databaseUrl: process.env.DATABASE_URL || null, dataDir: tmp ?? 'data', embeddedPgPort: null, poolSize: 4 },
    () => undefined,
  );
  try {
    await seedDemoKnowledge(database.db);
    const search = new KnowledgeSearch(database.db);
    let covered = 0,
      hit1 = 0,
      hit5 = 0,
      answeredRight = 0,
      answeredWrong = 0,
      uncovered = 0,
      idk = 0;
    const misses: object[] = [];
    for (const q of questions) {
      const r = await search.search(q.q, { district: q.district, limit: 5 });
      const ids = r.items.map((i) => i.articleId);
      const top = r.answerable ? ids[0] : null;
      if (q.expected) {
        covered += 1;
        const at = ids.findIndex((id) => q.expected!.includes(id));
        if (at === 0) hit1 += 1;
        if (at >= 0) hit5 += 1;
        if (top && q.expected.includes(top)) answeredRight += 1;
        else if (top) answeredWrong += 1;
        if (at !== 0 && values.misses)
          misses.push({
            id: q.id,
            q: q.q,
            expected: q.expected,
            got: r.items.slice(0, 3).map((i) => [i.articleId, i.title, i.score]),
          });
      } else {
        uncovered += 1;
        if (!top) idk += 1;
        else if (values.misses)
          misses.push({ id: q.id, q: q.q, expected: null, answered: [top, r.items[0]!.title, r.items[0]!.score] });
      }
    }
    for (const m of misses) process.stderr.write(`${JSON.stringify(m)}\n`);
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'knowledge-quality',
        questions: questions.length,
        covered,
        uncovered,
        hitAt1: pct(hit1, covered),
        hitAt5: pct(hit5, covered),
        chatAnsweredRight: pct(answeredRight, covered),
        chatAnsweredWrong: pct(answeredWrong, covered),
        idkRate: pct(idk, uncovered),
        wrongAnswerRateOnUncovered: pct(uncovered - idk, uncovered),
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
