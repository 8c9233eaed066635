import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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
      catalogueVersion: 1,
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

  it('eval prints the metrics and a confusion matrix', async () => {
    const r = await run(['triage', 'eval', '--data', path.resolve(import.meta.dirname, 'unseen.jsonl')], '');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(r.out.split('\n')[0]!);
    expect(metrics).toMatchObject({ cases: 40, emergencyRecall: 1, emergenciesInNonEmergencyQueue: 0 });
    expect(r.out).toContain('confusion');
  });
});
