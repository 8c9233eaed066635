import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const run = (args: string[], input: string, env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    c.stdout.on('data', (d: Buffer) => (out += d));
    c.stderr.on('data', (d: Buffer) => (err += d));
    c.on('exit', (code) => resolve({ code, out, err }));
    c.stdin.end(input);
  });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoKnowledge(database.db);
});
afterAll(async () => {
  await database?.drop();
});

describe('npx liandong knowledge search', () => {
  it('answers one line per input, in order, with at most five results; bad lines keep their place', async () => {
    const lines = [
      JSON.stringify({ id: 'q1', q: '社保卡丢了啷个补办' }),
      JSON.stringify({ id: 'q2', q: '医保经办窗口在哪里', district: '500103' }),
      '{"id": "q3", "q": "broken',
      JSON.stringify({ id: 'q4', q: '喵喵喵' }),
      JSON.stringify({ id: 'q5', q: '居住证', district: 'Chongqing' }),
      JSON.stringify({ id: 7, q: '公积金贷款最多贷多少' }),
    ];
    const r = await run(['knowledge', 'search', '--url', database.url], lines.join('\n') + '\n');
    expect(r.code, r.err).toBe(0);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 7]);
    expect(out[0].results[0]).toEqual({ articleId: 'kb-0051', title: expect.any(String), score: expect.any(Number) });
    expect(Object.keys(out[0].results[0]).sort()).toEqual(['articleId', 'score', 'title']);
    expect(out[0].results.length).toBeLessThanOrEqual(5);
    expect(out[1].results.map((x: { articleId: string }) => x.articleId)).toContain('kb-0035');
    expect(out[2]).toMatchObject({ id: 'q3', results: [], error: { code: 'LINE_NOT_JSON' } });
    expect(out[3]).toEqual({ id: 'q4', results: [] });
    expect(out[4]).toMatchObject({ id: 'q5', results: [], error: { code: 'DISTRICT_INVALID' } });
    expect(out[5].results[0].articleId).toBe('kb-0065');
  });

  it('reads the database from DATABASE_URL, and says what is missing without one', async () => {
    const viaEnv = await run(['knowledge', 'search'], '{"id":"a","q":"居住证怎么办理"}\n', {
      DATABASE_URL: database.url,
    });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    expect(JSON.parse(viaEnv.out).results[0].articleId).toBe('kb-0077');
    const none = await run(['knowledge', 'search'], '');
    expect(none.code).toBe(1);
    expect(none.err).toContain('DATABASE_URL');
  });
});
