import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cityRecords } from './city.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const run = (args: string[], input: string) =>
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

describe('npx liandong triage', () => {
  it('answers one line per input line, in order; bad lines get an error object with the id where there is one, and the run goes on', async () => {
    const lines = [
      JSON.stringify({ id: 'a1', text: '有人在我店门口砸玻璃，还在里面抢东西', channel: '110' }),
      '{"id": "a2", "text": "broken json',
      JSON.stringify({ id: 'a3', text: '' }),
      JSON.stringify({ id: 'a4', text: '办理护照需要多长时间', channel: '12345' }),
      JSON.stringify({ id: 'a5', text: 'x'.repeat(100 * 1024) }),
      JSON.stringify({ id: 'a6', text: '🙂🙂🙂' }),
      JSON.stringify({ id: 'a7', text: '。。。！！' }),
      '[1, 2, 3]',
      JSON.stringify({ id: 'a8', text: '车库出口被一辆白色轿车堵了' }),
    ];
    const r = await run(['triage'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    expect(out[0]).toMatchObject({
      id: 'a1',
      route: '110',
      emergency: true,
      urgent: false,
      needsConsultation: false,
      review: false,
      catalogueVersion: 13,
    });
    expect(Object.keys(out[0])).toEqual(
      expect.arrayContaining([
        'id',
        'route',
        'emergency',
        'urgent',
        'linked',
        'category',
        'confidence',
        'needsConsultation',
        'review',
        'reasons',
      ]),
    );
    expect(out[1]).toMatchObject({ id: 'a2', error: { code: 'LINE_NOT_JSON' } });
    expect(out[2]).toMatchObject({ id: 'a3', error: { code: 'TEXT_EMPTY' } });
    expect(out[3]).toMatchObject({ id: 'a4', route: '12345', emergency: false });
    expect(out[4]).toMatchObject({ id: 'a5', error: { code: 'TEXT_TOO_LONG' } });
    expect(out[5]).toMatchObject({ id: 'a6', error: { code: 'TEXT_NO_CONTENT' } });
    expect(out[6]).toMatchObject({ id: 'a7', error: { code: 'TEXT_NO_CONTENT' } });
    expect(out[7]).toMatchObject({ id: null, error: { code: 'LINE_NOT_OBJECT' } });
    expect(out[8]).toMatchObject({ id: 'a8', route: 'vehicle_moving' });
  });

  it('handles tens of thousands of lines in one run', async () => {
    const texts = ['小区的电梯经常坏，物业一直不修', '有人在楼下打架', '想问一下生育津贴怎么申领', '仓库起火了'];
    const input = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({ id: `n${i}`, text: texts[i % texts.length] }),
    ).join('\n');
    const r = await run(['triage'], input);
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n');
    expect(out).toHaveLength(20_000);
    expect(JSON.parse(out[19_999]!).id).toBe('n19999');
  }, 60_000);

  it('eval prints the metrics, the figures per group when the data has groups, and a confusion matrix', async () => {
    const r = await run(['triage', 'eval', '--data', path.resolve(import.meta.dirname, 'unseen.jsonl')], '');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(r.out.split('\n')[0]!);
    expect(metrics).toMatchObject({ cases: 40, emergencyRecall: 1, emergenciesInNonEmergencyQueue: 0 });
    expect(metrics.groups).toBeUndefined();
    expect(r.out).toContain('confusion');
    const a = await run(
      ['triage', 'eval', '--data', path.resolve(import.meta.dirname, '../../triage/eval/unseen-a.jsonl')],
      '',
    );
    const byGroup = JSON.parse(a.out.split('\n')[0]!);
    expect(Object.keys(byGroup.headline)).toEqual([
      'policeOnlyKeptOnPolice',
      'nonPoliceDivertedOffPolice',
      'citizenKeptOffPolice',
      'citizenFlaggedEmergency',
      'emergencyRecall',
      'dangersLeftInNonEmergencyQueue',
    ]);
    expect(Object.keys(byGroup.groups)).toEqual([
      'police_only_110',
      'non_police_110',
      'citizen_message',
      'emergency_case',
    ]);
    expect(a.out).toMatch(/police_only_110\s+134/);
  }, 60_000);

  it('a city trains on its own records (route a string or a list) and triages with its model', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-city-'));
    const corpus = path.join(dir, 'city.jsonl');
    fs.writeFileSync(
      corpus,
      cityRecords()
        .filter((c) => !c.emergency)
        .map((c, i) =>
          JSON.stringify({ text: c.text, route: i % 2 ? c.route[0] : c.route, ...(i % 3 ? { emergency: false } : {}) }),
        )
        .join('\n'),
    );
    const out = path.join(dir, 'model.json');
    const trained = await run(['triage', 'train', '--corpus', corpus, '--out', out], '');
    expect(trained.code, trained.err).toBe(0);
    const report = JSON.parse(trained.out);
    expect(report).toMatchObject({ augmented: 0, saved: out });
    expect(report.heldOut.route).toMatchObject({
      accuracy: expect.any(Number),
      ece: expect.any(Number),
      eceBefore: expect.any(Number),
    });
    const lines = [JSON.stringify({ id: 'c1', text: '望江台有个车扫码不应，堵起我出不了门', channel: '110' })];
    const own = JSON.parse((await run(['triage', '--model', out], lines.join('\n'))).out);
    expect(own).toMatchObject({ id: 'c1', route: 'vehicle_moving' });
    expect(own.modelVersion).toBe(report.model);

    fs.writeFileSync(corpus, '{"text":"有人打架","route":"911"}\n');
    const bad = await run(['triage', 'train', '--corpus', corpus, '--out', out], '');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('第 1 行的 route');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('on the 110 desk the wording speaks to a dispatcher (派警, 分流)', async () => {
    const input = [
      JSON.stringify({ id: 'd1', text: '有人在门口打架，有人流血', channel: '110' }),
      JSON.stringify({ id: 'd2', text: '报警人称与邻居因借款纠纷争吵，无打骂', channel: '110' }),
    ].join('\n');
    const [fight, dispute] = (await run(['triage', '--desk', 'dispatch'], input)).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fight.reasons.join('')).toContain('派警');
    expect(fight.reasons.join('')).not.toContain('转110');
    expect(dispute.reasons.join('')).toContain('分流');
    const hotline = JSON.parse((await run(['triage'], input.split('\n')[0]!)).out);
    expect(hotline.reasons.join('')).toContain('转110');
    const wrong = await run(['triage', '--desk', 'moon'], '');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('--desk');
  });
});
