import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticHistory, segmentedCopy } from '../../../src/hotline/smart-dispatch/synthetic-history.ts';
import { getSegmenter } from '../../../src/triage/triage-engine.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/liandong.mjs');
const run = (args: string[], input = '') =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    c.stdout.on('data', (d: Buffer) => (out += d));
    c.stderr.on('data', (d: Buffer) => (err += d));
    c.on('exit', (code) => resolve({ code, out, err }));
    c.stdin.end(input);
  });
const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** GB18030 bytes of a text (Node decodes GB18030 but does not encode it): a table from decoding every pair. */
let gbTable: Map<string, number[]> | null = null;
function gb18030(s: string): Uint8Array {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && !gbTable.has(ch)) gbTable.set(ch, [a, b]);
      }
  }
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) out.push(c);
    else {
      const bytes = gbTable.get(ch);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-dispatch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const KEYS = ['samples', 'labels', 'folds', 'top1', 'top3', 'macroF1', 'seconds'];
const UNIT_NAMES: Record<string, string> = {
  'city.water': '重庆水务集团',
  'city.housing': '市住房城乡建委',
  'city.hr': '市人力社保局',
};

describe('npx liandong dispatch', () => {
  it('trains from a GB18030 CSV with a header (unit names as labels): the contract line, the baseline beside it, the shipped default scored on it; suggest answers in order, bad lines with an error object', async () => {
    const history = syntheticHistory(2400, 77).map((r) => ({ ...r, label: UNIT_NAMES[r.label] ?? r.label }));
    const csv = [
      'district,label,title,text',
      ...history.map((r) => [r.district, r.label, r.title ?? '', r.text].map(csvField).join(',')),
      '渝中区,,无单位,这一行没有承办单位',
    ].join('\r\n');
    const data = path.join(dir, 'history.csv');
    fs.writeFileSync(data, gb18030(csv));
    const model = path.join(dir, 'model.json');
    const r = await run(['dispatch', 'train', '--data', data, '--out', model, '--folds', '3']);
    expect(r.code, r.err).toBe(0);
    const [scores, baseline, shipped, kept] = lines(r.out);
    expect(Object.keys(scores!)).toEqual(KEYS);
    expect(scores).toMatchObject({ samples: 2400, labels: 14, folds: 3 });
    expect(scores!.top1).toBeGreaterThan(0.85);
    expect(scores!.top3).toBeGreaterThan(scores!.top1 as number);
    expect(Object.keys(baseline!.baseline as object)).toEqual(KEYS);
    // The shipped default knows units by code; the city's history names them: they are matched.
    expect((shipped!.default as { top1: number }).top1).toBeGreaterThan(0.8);
    expect(kept!.model).toMatchObject({ saved: model });
    expect(JSON.parse(r.err.trim().split('\n')[0]!)).toMatchObject({
      skipped: 1,
      problems: [{ code: 'LABEL_MISSING' }],
    });
    const saved = JSON.parse(fs.readFileSync(model, 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ format: 'liandong-dispatch-linear/1', source: expect.stringContaining('gb18030') });

    const input = [
      JSON.stringify({ id: 'a1', text: '小区停水两天了也没有通知' }),
      '{"id": "a2", "text": "broken',
      JSON.stringify({ id: 'a3', text: '' }),
      '[1, 2]',
      JSON.stringify({ id: 4, title: '拖欠工资', text: '老板拖欠工资三个月不发' }),
      JSON.stringify({ id: 'a5', text: '🙂🙂' }),
      JSON.stringify({ id: 'a6', text: '打'.repeat(6000) }),
      JSON.stringify({ id: 'a7', text: '物业 乱 收 停车费' }),
    ];
    const s = await run(['dispatch', 'suggest', '--model', model], input.join('\n') + '\n');
    expect(s.code, s.err).toBe(0);
    const out = lines(s.out);
    expect(out).toHaveLength(input.length);
    expect(Object.keys(out[0]!)).toEqual(['id', 'suggestions']);
    const sug = out[0]!.suggestions as { label: string; score: number }[];
    expect(sug).toHaveLength(3);
    expect(sug[0]!.label).toBe('重庆水务集团');
    expect(Object.keys(sug[0]!)).toEqual(['label', 'score']);
    expect(sug[0]!.score).toBeGreaterThanOrEqual(sug[1]!.score);
    expect(out.map((o) => (o.error as { code?: string } | undefined)?.code ?? null)).toEqual([
      null,
      'LINE_NOT_JSON',
      'TEXT_EMPTY',
      'LINE_NOT_OBJECT',
      null,
      'TEXT_NO_CONTENT',
      'TEXT_TOO_LONG',
      null,
    ]);
    expect(out.map((o) => o.id)).toEqual(['a1', 'a2', 'a3', null, '4', 'a5', 'a6', 'a7']);
    expect((out[4]!.suggestions as { label: string }[])[0]!.label).toBe('市人力社保局');
    expect((out[7]!.suggestions as { label: string }[])[0]!.label).toBe('市住房城乡建委');
  });

  it('trains from JSON Lines with UTF-8 BOM and texts already segmented with spaces', async () => {
    const cut = getSegmenter();
    const words = (s: string) => {
      const ends = Array.from(cut(s));
      return ends.map((e, i) => s.slice(i ? ends[i - 1] : 0, e));
    };
    const history = segmentedCopy(syntheticHistory(1500, 5), words);
    expect(history[0]!.text).toContain(' ');
    const data = path.join(dir, 'history.jsonl');
    fs.writeFileSync(data, '\ufeff' + history.map((r) => JSON.stringify(r)).join('\n'));
    const model = path.join(dir, 'seg.json');
    const r = await run(['dispatch', 'train', '--data', data, '--out', model, '--folds', '2', '--no-baseline']);
    expect(r.code, r.err).toBe(0);
    const [scores] = lines(r.out);
    expect(scores).toMatchObject({ samples: 1500, folds: 2 });
    expect(scores!.top1).toBeGreaterThan(0.8);
  });

  it('refuses what it cannot train on, and says why, writing nothing', async () => {
    const out = path.join(dir, 'never.json');
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, 'content,unit\n停水,水务\n');
    const cases: [string[], RegExp][] = [
      [['dispatch', 'train', '--data', path.join(dir, 'missing.csv'), '--out', out], /不存在/],
      [['dispatch', 'train', '--data', empty, '--out', out], /CSV_NO_TEXT_COLUMN/],
      [['dispatch', 'train', '--data', empty], /--out/],
      [['dispatch', 'train', '--data', empty, '--out', out, '--folds', '1'], /--folds/],
      [['dispatch', 'suggest', '--model', path.join(dir, 'missing.json')], /不存在/],
      [['dispatch', 'frobnicate'], /未知的 dispatch 子命令/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(msg);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
