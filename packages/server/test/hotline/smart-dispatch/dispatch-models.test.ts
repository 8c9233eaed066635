import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainDispatchModel, type HistoryRecord } from '@liandong/domain';
import { dispatchEnv } from '../../../src/hotline/smart-dispatch/smart-dispatch.ts';
import { syntheticHistory } from '../../../src/hotline/smart-dispatch/synthetic-history.ts';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Yuzhong district's own departments handle what the city's would (the shipped default knows only the city's). */
const LOCAL = ['urban-mgmt', 'housing', 'environment', 'market', 'transport', 'education', 'health', 'hr', 'civil'];
const localHistory = (n: number, seed: number): HistoryRecord[] =>
  syntheticHistory(n, seed).map((r) => {
    const fn = r.label.replace(/^city\./, '');
    return {
      text: r.text,
      title: r.title ?? null,
      label: LOCAL.includes(fn) ? `d500103.${fn}` : r.label,
      district: r.district,
    };
  });
const train = (records: HistoryRecord[], version: string) =>
  trainDispatchModel(records, dispatchEnv(), {
    folds: 2,
    variant: 'chars1-3',
    version,
    trainedBy: 'test',
    source: `test:${records.length}`,
  }).model;

const publish = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/admin/dispatch-models', headers: t.as('admin'), payload });
const suggestions = (id: string, who: Parameters<TestApp['as']>[0] = 'callTaker') =>
  t.app.inject({ method: 'GET', url: `/api/work-orders/${id}/dispatch-suggestions`, headers: t.as(who) });

describe('dispatch models as data', () => {
  it('suggests three units for an order from the shipped default, beside its catalogue category; only dispatchers ask', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ content: '我们小区停水两天了，自来水公司也没有通知什么时候来水', categoryCode: 'CSGL01' }),
    });
    const order = res.json<{ id: string }>();
    const s = await suggestions(order.id);
    expect(s.statusCode, s.body).toBe(200);
    const body = s.json<{
      modelSource: string;
      suggestions: { unitId: string; unitName: string; score: number }[];
      category: { code: string };
    }>();
    expect(body.modelSource).toBe('shipped');
    expect(body.category.code).toBe('CSGL01');
    expect(body.suggestions).toHaveLength(3);
    expect(body.suggestions[0]).toMatchObject({ unitId: 'city.water', unitName: '重庆水务集团' });
    expect(body.suggestions[0]!.score).toBeGreaterThanOrEqual(body.suggestions[1]!.score);
    expect((await suggestions(order.id, 'chengguan')).json().code).toBe('FORBIDDEN');
    // The intake answers with the same suggestions for an order still to be dispatched.
    const intake = await t.app.inject({
      method: 'POST',
      url: '/api/intake',
      headers: t.as('callTaker'),
      payload: {
        content: '我们小区停水两天了，自来水公司也没有通知什么时候来水',
        districtCode: '500103',
        orderType: 'help',
        categoryCode: 'CSGL01',
        handling: { kind: 'order' },
      },
    });
    expect(intake.statusCode, intake.body).toBe(201);
    expect(intake.json().dispatchSuggestions).toMatchObject({
      modelSource: 'shipped',
      suggestions: [{ unitId: 'city.water' }, {}, {}],
      category: { code: 'CSGL01' },
    });
    const urgent = await t.app.inject({
      method: 'POST',
      url: '/api/intake',
      headers: t.as('callTaker'),
      payload: {
        content: '孕妇临产需要送医',
        districtCode: '500103',
        orderType: 'help',
        categoryCode: 'CSGL01',
        urgentKind: 'pregnancy_childbirth',
        handling: { kind: 'order' },
      },
    });
    // Already dispatched (an urgent order goes straight to the district's agency): nothing to suggest.
    expect(urgent.json()).toMatchObject({ workOrder: { status: 'assigned' }, dispatchSuggestions: null });
    expect((await suggestions('00000000-0000-4000-8000-000000000000')).json().code).toBe('WORK_ORDER_NOT_FOUND');
  });

  it('keeps an uploaded model active only when it beats the current one on held-out orders, and says so', async () => {
    const before = await rowCounts(t.db);
    const bad: [object, string][] = [
      [{ model: { format: 'other' } }, 'DISPATCH_MODEL_INVALID'],
      [{ model: { ...train(localHistory(200, 5), 'x1'), head: { classes: ['a'] } } }, 'DISPATCH_MODEL_INVALID'],
      [{ model: { ...train(localHistory(200, 5), 'bad version!') } }, 'DISPATCH_MODEL_INVALID'],
      [{ model: {}, extra: 1 }, 'VALIDATION_FAILED'],
    ];
    for (const [payload, code] of bad) expect((await publish(payload)).json().code).toBe(code);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/admin/dispatch-models',
          headers: t.as('callTaker'),
          payload: { model: {} },
        })
      ).json().code,
    ).toBe('FORBIDDEN');
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await t.db.query('SELECT count(*)::int AS n FROM dispatch_models')).rows[0].n).toBe(0);

    const heldOut = localHistory(300, 99);
    // Trained on the city's labels, it cannot beat the shipped default: stored, not active.
    const cityLabels = syntheticHistory(600, 6).map((r) => ({
      text: r.text,
      title: r.title ?? null,
      label: r.label,
      district: r.district,
    }));
    const weak = await publish({
      model: train(cityLabels, 'weak-1'),
      heldOut: syntheticHistory(300, 99).map((r) => ({
        text: r.text,
        title: r.title ?? null,
        label: r.label,
        district: r.district,
      })),
    });
    expect(weak.statusCode, weak.body).toBe(201);
    expect(weak.json()).toMatchObject({
      version: 'weak-1',
      active: false,
      decision: 'kept_current',
      heldOut: { samples: 300, current: { version: 'default-20000' } },
    });
    expect(weak.json().message).toContain('未启用');

    // Trained on the district's own labels, it beats the default on the district's held-out orders.
    const local = await publish({ model: train(localHistory(1500, 7), 'local-1'), heldOut });
    expect(local.statusCode, local.body).toBe(201);
    const r = local.json<{
      active: boolean;
      decision: string;
      heldOut: { candidate: { top1: number }; current: { top1: number } };
      message: string;
    }>();
    expect(r).toMatchObject({ active: true, decision: 'activated' });
    expect(r.heldOut.candidate.top1).toBeGreaterThan(r.heldOut.current.top1);
    expect(r.message).toContain('已启用');
    expect((await publish({ model: train(localHistory(200, 8), 'local-1') })).json().code).toBe(
      'DISPATCH_MODEL_VERSION_TAKEN',
    );
    // No held-out orders: nothing proves it better, so it is stored and not used.
    const unproven = await publish({ model: train(localHistory(200, 9), 'unproven-1') });
    expect(unproven.json()).toMatchObject({ active: false, decision: 'kept_current', heldOut: null });

    const list = await t.app.inject({ method: 'GET', url: '/api/admin/dispatch-models', headers: t.as('admin') });
    expect(list.json()).toMatchObject({
      current: { version: 'local-1', source: 'database' },
      models: expect.arrayContaining([
        expect.objectContaining({
          version: 'local-1',
          active: true,
          trainedBy: 'test',
          source: 'test:1500',
          uploadedBy: '测试ad1',
        }),
        expect.objectContaining({ version: 'weak-1', active: false }),
      ]),
    });

    // The server now answers from the stored model: the district's own department.
    const o = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ content: '八一路口每天晚上流动摊贩占道经营，城管一直不来管' }),
    });
    const s = (await suggestions(o.json().id)).json();
    expect(s).toMatchObject({ modelVersion: 'local-1', modelSource: 'database' });
    expect(s.suggestions[0].unitId).toBe('d500103.urban-mgmt');

    // Activated by hand (a rollback), audited.
    const act = await t.app.inject({
      method: 'POST',
      url: '/api/admin/dispatch-models/weak-1/activate',
      headers: t.as('admin'),
    });
    expect(act.statusCode, act.body).toBe(200);
    expect((await suggestions(o.json().id)).json().modelVersion).toBe('weak-1');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/admin/dispatch-models/none-1/activate',
          headers: t.as('admin'),
        })
      ).json().code,
    ).toBe('DISPATCH_MODEL_NOT_FOUND');
    // Back to the model shipped with the platform, by the version the list names.
    const shipped = (await t.app.inject({ url: '/api/admin/dispatch-models', headers: t.as('admin') })).json().shipped;
    const back = await t.app.inject({
      method: 'POST',
      url: `/api/admin/dispatch-models/${shipped.version}/activate`,
      headers: t.as('admin'),
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((await suggestions(o.json().id)).json()).toMatchObject({
      modelVersion: shipped.version,
      modelSource: 'shipped',
    });
    const audits = (await t.db.query(`SELECT action FROM admin_audit WHERE action LIKE 'dispatch_model.%'`)).rows.map(
      (r) => r.action,
    );
    expect(audits).toEqual(expect.arrayContaining(['dispatch_model.publish', 'dispatch_model.activate']));
  });

  it('retrains from the archived orders in a worker: too few refused; the newest fifth held out', async () => {
    const few = await t.app.inject({
      method: 'POST',
      url: '/api/admin/dispatch-models/train',
      headers: t.as('admin'),
      payload: {},
    });
    expect(few.json()).toMatchObject({ code: 'DISPATCH_HISTORY_TOO_SMALL' });
    const history = localHistory(200, 21);
    const client = await t.db.connect();
    try {
      await client.query('BEGIN');
      for (const [i, r] of history.entries()) {
        const req = await client.query<{ id: string }>(
          `INSERT INTO requests (channel, content, district_code, received_at) VALUES ('phone_12345', $1, '500103', now()) RETURNING id`,
          [r.text],
        );
        await client.query(
          `INSERT INTO work_orders (no, request_id, order_type, category_code, title, status, district_code, lead_unit_id, due_at, created_at, updated_at, closed_at)
           VALUES ($1, $2, 'complaint', 'CSGL01', $3, 'archived', '500103', $4, now(), now(), now(), now() - make_interval(mins => $5))`,
          [
            `GD2099010${String(100000 + i).padStart(7, '0')}`,
            req.rows[0]!.id,
            r.title ?? r.text.slice(0, 40),
            r.label,
            history.length - i,
          ],
        );
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/dispatch-models/train',
      headers: t.as('admin'),
      payload: { folds: 2, variant: 'chars1-3' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ heldOut: { samples: 40 }, variant: 'chars1-3', training: { samples: 160, folds: 2 } });
    expect(body.version).toMatch(/^archive-\d{14}-160$/);
    expect(['activated', 'kept_current']).toContain(body.decision);
    const stored = (
      await t.db.query('SELECT source, trained_by FROM dispatch_models WHERE version = $1', [body.version])
    ).rows[0];
    expect(stored).toMatchObject({ trained_by: 'ad1', source: expect.stringContaining('held out 40') });
  });
});

const BIN = path.resolve(import.meta.dirname, '../../../bin/liandong.mjs');
const run = (args: string[]) =>
  new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '';
    c.stdout.on('data', (d: Buffer) => (out += d));
    c.stderr.on('data', (d: Buffer) => (err += d));
    c.on('exit', (code) => resolve({ code, out, err }));
  });

describe('npx liandong dispatch train --publish', () => {
  it('trains on four fifths of a file, publishes to the database and compares on the fifth it held out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-publish-'));
    try {
      const data = path.join(dir, 'history.jsonl');
      fs.writeFileSync(
        data,
        localHistory(1000, 31)
          .map((r) => JSON.stringify(r))
          .join('\n'),
      );
      const r = await run([
        'dispatch',
        'train',
        '--publish',
        '--data',
        data,
        '--url',
        t.url,
        '--folds',
        '2',
        '--variant',
        'chars1-3',
        '--no-baseline',
        '--trained-by',
        '李工',
      ]);
      expect(r.code, r.err).toBe(0);
      const out = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(out[0]).toMatchObject({ samples: 800, folds: 2 });
      const published = out.at(-1)!.published as {
        version: string;
        heldOut: { samples: number };
        decision: string;
        message: string;
      };
      expect(published.heldOut.samples).toBe(200);
      expect(['activated', 'kept_current']).toContain(published.decision);
      const row = (
        await t.db.query('SELECT trained_by, active FROM dispatch_models WHERE version = $1', [published.version])
      ).rows[0];
      expect(row).toMatchObject({ trained_by: '李工', active: published.decision === 'activated' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
