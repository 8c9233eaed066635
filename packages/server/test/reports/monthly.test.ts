/**
 * 月度通报 over both desks' data: each desk's own records, the other's through the share feed, and the
 * linkage items both hold; every figure here is counted by hand from the rows written below.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/pool.ts';
import { USERS } from '../helpers.ts';
import { makeInprocDesks } from '../analytics/inproc-desks.ts';

let desks: Awaited<ReturnType<typeof makeInprocDesks>>;
let n = 0;

async function workOrder(
  db: Db,
  at: string,
  o: { district?: string; unit?: string; urgent?: boolean; overdue?: boolean; satisfaction?: string } = {},
) {
  const req = await db.query<{ id: string }>(
    `INSERT INTO requests (channel, content, district_code, received_at) VALUES ('phone_12345', '来电反映噪音扰民', $1, $2) RETURNING id`,
    [o.district ?? '500103', at],
  );
  const w = await db.query<{ id: string }>(
    `INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status, district_code,
       lead_unit_id, due_at, overdue, satisfaction, created_at, updated_at)
     VALUES ($1, $2, 'complaint', 'CSGL01', '噪音扰民', $3, $4, 'assigned', $5, $6, $7::timestamptz + interval '5 days', $8, $9, $7, $7)
     RETURNING id`,
    [
      `T${++n}`,
      req.rows[0]!.id,
      o.urgent ?? false,
      o.urgent ? 'emergency_rescue' : null,
      o.district ?? '500103',
      o.unit ?? 'd500103.urban-mgmt',
      at,
      o.overdue ?? false,
      o.satisfaction ?? null,
    ],
  );
  return w.rows[0]!.id;
}

async function incident(db: Db, at: string, district = '500103') {
  const req = await db.query<{ id: string }>(
    `INSERT INTO requests (channel, content, district_code, received_at) VALUES ('phone_110', '有人打架', $1, $2) RETURNING id`,
    [district, at],
  );
  await db.query(
    `INSERT INTO incidents (no, request_id, category, status, district_code, unit_id, created_at, updated_at)
     VALUES ($1, $2, 'public_order', 'received', $3, 'police.command', $4, $4)`,
    [`J${++n}`, req.rows[0]!.id, district, at],
  );
}

interface Item {
  id: string;
  kind?: string;
  from: 'hotline' | 'dispatch';
  at: string;
  acceptAfter?: number;
  feedbackAfter?: number;
  kept?: boolean;
  overdue?: boolean;
  district?: string;
}

/** One linkage item as both desks hold it: the originator's side on one, the receiver's on the other. */
async function item(x: Item) {
  for (const d of ['hotline', 'dispatch'] as const) {
    const db = desks[d].db;
    const plus = (s: number | undefined) => (s === undefined ? null : new Date(Date.parse(x.at) + s * 1000));
    await db.query(
      `INSERT INTO linkage_items (item_id, kind, side, peer, status, kept_by_first_receiver, opening, district_code,
         accept_overdue, accepted_at, feedback_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'in_progress', $5, '{}', $6, $7, $8, $9, $10, $10)`,
      [
        x.id,
        x.kind ?? 'transfer',
        x.from === d ? 'originator' : 'receiver',
        d === 'hotline' ? 'cq-110' : 'cq-12345',
        x.kept ?? false,
        x.district ?? '500103',
        x.overdue ?? false,
        plus(x.acceptAfter),
        plus(x.feedbackAfter),
        x.at,
      ],
    );
  }
}

/** A message of an item as both desks log it: sent by `by`, received by the other. */
async function event(itemId: string, by: 'hotline' | 'dispatch', type: string, payload: object, at: string) {
  for (const d of ['hotline', 'dispatch'] as const) {
    const actor =
      d === by
        ? (
            await desks[d].db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
              d === 'dispatch' ? USERS.dispatcher.username : USERS.seat.username,
            ])
          ).rows[0]!.id
        : null;
    await desks[d].db.query(
      `INSERT INTO linkage_events (item_id, direction, type, payload, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [itemId, d === by ? 'sent' : 'received', type, payload, actor, at],
    );
  }
}

let returnedOrder = '';
beforeAll(async () => {
  desks = await makeInprocDesks();
  const h = desks.hotline.db,
    d = desks.dispatch.db;
  // October 2026 (Beijing time): four work orders; the first is October's though it is 30 September in UTC
  await workOrder(h, '2026-10-01T00:30:00+08:00', { satisfaction: 'satisfied' });
  await workOrder(h, '2026-10-10T10:00:00+08:00', { urgent: true, satisfaction: 'unsatisfied' });
  returnedOrder = await workOrder(h, '2026-10-12T10:00:00+08:00', {
    unit: 'd500103.housing',
    overdue: true,
    satisfaction: 'basically_satisfied',
  });
  await workOrder(h, '2026-10-31T23:59:00+08:00', { district: '500105', unit: 'd500105.agency' });
  await workOrder(h, '2026-11-01T00:10:00+08:00'); // November's
  await workOrder(h, '2026-09-15T10:00:00+08:00'); // September: two
  await workOrder(h, '2026-09-16T10:00:00+08:00', { satisfaction: 'unsatisfied' });
  await workOrder(h, '2025-10-15T10:00:00+08:00'); // October last year: one
  await h.query(
    `INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_unit_id, details, at)
     VALUES ($1, 'return', 'assigned', 'returned', 'd500103.housing', '{"reasonCode": "not_our_duty", "unitId": "d500103.housing"}', '2026-10-13T10:00:00+08:00')`,
    [returnedOrder],
  );
  await incident(d, '2026-10-05T10:00:00+08:00');
  await incident(d, '2026-10-06T10:00:00+08:00', '500105');
  await incident(d, '2026-09-06T10:00:00+08:00');

  // October's linkage: three sent by 12345, two by 110
  await item({
    id: 'cq-12345:A',
    from: 'hotline',
    at: '2026-10-02T10:00:00+08:00',
    acceptAfter: 600,
    feedbackAfter: 3600,
  });
  await item({ id: 'cq-12345:B', from: 'hotline', at: '2026-10-03T10:00:00+08:00', acceptAfter: 1200 });
  await item({ id: 'cq-12345:C', from: 'hotline', at: '2026-10-04T10:00:00+08:00', kept: true, feedbackAfter: 7200 });
  await event(
    'cq-12345:C',
    'dispatch',
    'transfer.reject',
    { reasonCode: 'not_our_jurisdiction' },
    '2026-10-04T10:05:00+08:00',
  );
  await event('cq-12345:C', 'hotline', 'negotiation.open', {}, '2026-10-04T10:10:00+08:00');
  await event(
    'cq-12345:C',
    'hotline',
    'negotiation.resolve',
    { outcome: 'first_receiver_keeps' },
    '2026-10-04T12:10:00+08:00',
  );
  await item({
    id: 'cq-110:M',
    kind: 'mediation',
    from: 'dispatch',
    at: '2026-10-05T10:00:00+08:00',
    acceptAfter: 300,
    feedbackAfter: 1800,
  });
  await item({ id: 'cq-110:E', kind: 'emergency', from: 'dispatch', at: '2026-10-06T10:00:00+08:00', overdue: true });
  await item({ id: 'cq-12345:S', from: 'hotline', at: '2026-09-20T10:00:00+08:00' }); // September
  // each desk pulls the other's records
  await desks.hotline.app.services.share.pull();
  await desks.dispatch.app.services.share.pull();
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

type Report = {
  headline: {
    key: string;
    value: number | null;
    previous: number | null;
    lastYear: number | null;
    mom: number | null;
    yoy: number | null;
  }[];
  [k: string]: unknown;
};
const get = async (desk: 'hotline' | 'dispatch', query: string, who: keyof typeof USERS = 'analyst') =>
  desks[desk].app.inject({ url: `/api/reports/monthly?${query}`, headers: await desks[desk].as(who) });
const fig = (r: Report, key: string) => r.headline.find((f) => f.key === key)!;

describe('the analyst reads the monthly linkage report', () => {
  it('counts transfers each way, acceptance and feedback times, the loop, rejections and negotiations', async () => {
    const res = await get('hotline', 'period=2026-10');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<
      Report & { transfers: unknown[]; rejections: unknown; negotiations: unknown; returns: unknown }
    >();
    expect(r).toMatchObject({
      period: { key: '2026-10', label: '2026年10月' },
      previous: { key: '2026-09' },
      lastYear: { key: '2025-10' },
    });
    expect(r.transfers).toEqual([
      expect.objectContaining({
        direction: 'sent',
        label: '12345转110',
        items: 3,
        accepted: 2,
        acceptSecondsP50: 900,
        acceptSecondsP90: 1140,
        feedback: 2,
        feedbackSecondsP50: 5400,
        feedbackSecondsP90: 6840,
        closedLoopRate: 0.6667,
        firstReceiver: 1,
      }),
      expect.objectContaining({
        direction: 'received',
        label: '110转12345',
        items: 2,
        accepted: 1,
        acceptSecondsP50: 300,
        feedbackSecondsP50: 1800,
        closedLoopRate: 1,
        acceptOverdue: 1,
      }),
    ]);
    expect(fig(r, 'closedLoopRate').value).toBe(0.75);
    expect(fig(r, 'transfers.sent')).toMatchObject({ value: 3, previous: 1, lastYear: 0, mom: 2, yoy: null });
    expect(fig(r, 'rejections').value).toBe(1);
    expect(fig(r, 'negotiations').value).toBe(1);
    expect(fig(r, 'firstReceiver').value).toBe(1);
    expect(fig(r, 'mediations').value).toBe(1);
    expect(fig(r, 'mediationFeedback').value).toBe(1);
    expect(fig(r, 'emergencies').value).toBe(1);
    expect(fig(r, 'acceptOverdue').value).toBe(1);
    expect(r.rejections).toEqual({
      byReason: [{ code: 'not_our_jurisdiction', label: '不属于本平台职责', count: 1 }],
      byRejecter: [{ id: 'cq-110', name: 'cq-110', count: 1 }],
    });
    expect(r.negotiations).toEqual({
      opened: 1,
      outcomes: [{ code: 'first_receiver_keeps', label: '首接负责', count: 1 }],
    });
    expect(r.returns).toEqual([
      {
        unitId: 'd500103.housing',
        unitName: expect.any(String),
        reason: 'not_our_duty',
        label: '非本单位职责',
        count: 1,
      },
    ]);
  });

  it('counts both desks’ records, in Beijing months, with the changes from September and from October 2025', async () => {
    const r = (await get('hotline', 'period=2026-10')).json<
      Report & {
        districts: { code: string; current: Record<string, unknown>; previous: Record<string, unknown> }[];
        units: { unitId: string; current: Record<string, unknown> }[];
      }
    >();
    expect(fig(r, 'workOrders')).toMatchObject({ value: 4, previous: 2, lastYear: 1, mom: 1, yoy: 3 });
    expect(fig(r, 'incidents')).toMatchObject({ value: 2, previous: 1, lastYear: 0 });
    expect(fig(r, 'urgentOrders').value).toBe(1);
    expect(fig(r, 'overdueOrders').value).toBe(1);
    expect(fig(r, 'followedUp')).toMatchObject({ value: 3, previous: 1 });
    expect(fig(r, 'satisfactionRate')).toMatchObject({ value: 0.6667, previous: 0, mom: 0.6667 });
    const yz = r.districts.find((x) => x.code === '500103')!;
    expect(yz.current).toMatchObject({
      workOrders: 3,
      incidents: 1,
      linkageSent: 3,
      linkageReceived: 2,
      urgentOrders: 1,
      overdueOrders: 1,
      followedUp: 3,
    });
    expect(yz.previous).toMatchObject({ workOrders: 2, incidents: 1 });
    expect(r.districts.find((x) => x.code === '500105')!.current).toMatchObject({ workOrders: 1, incidents: 1 });
    expect(r.districts).toHaveLength(38);
    expect(r.units.find((u) => u.unitId === 'police.command')!.current).toMatchObject({ incidents: 2, workOrders: 0 });
    expect(r.units.find((u) => u.unitId === 'd500103.urban-mgmt')!.current).toMatchObject({ workOrders: 2 });
  });

  it('the 110 desk’s report holds the same figures (its own side of the items, the 12345 records by the feed)', async () => {
    const h = (await get('hotline', 'period=2026-10')).json<Report>();
    const d = (await get('dispatch', 'period=2026-10', 'supervisor')).json<
      Report & { rejections: { byRejecter: unknown[] }; returns: unknown }
    >();
    for (const key of [
      'workOrders',
      'incidents',
      'urgentOrders',
      'overdueOrders',
      'satisfactionRate',
      'closedLoopRate',
      'rejections',
      'negotiations',
      'firstReceiver',
      'mediations',
    ])
      expect(fig(d, key), key).toEqual(fig(h, key));
    expect(fig(d, 'transfers.received').value).toBe(fig(h, 'transfers.sent').value);
    expect(d.rejections.byRejecter).toEqual([{ id: 'police.command', name: expect.any(String), count: 1 }]);
    expect(d.returns).toBeNull();
  });

  it('exports the .xlsx: the figures are in its sheets as numbers', async () => {
    const res = await get('hotline', 'period=2026-10&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe('attachment; filename="monthly-2026-10.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '主要指标',
      '双向转接',
      '拒收原因',
      '拒收单位',
      '退单',
      '区县',
      '承办单位',
    ]);
    const main = wb.getWorksheet('主要指标')!;
    const row = (label: string) => {
      let found: ExcelJS.Row | undefined;
      main.eachRow((r) => {
        if (r.getCell(1).value === label) found = r;
      });
      return found!;
    };
    expect([2, 3, 5].map((c) => row('12345转110事项').getCell(c).value)).toEqual([3, 1, 0]);
    expect(row('闭环率（已受理事项中已反馈的比例）').getCell(2).value).toBe(0.75);
    expect(row('闭环率（已受理事项中已反馈的比例）').getCell(2).numFmt).toBe('0.0%');
    const t = wb.getWorksheet('双向转接')!;
    expect(t.getRow(4).values).toEqual([undefined, '12345转110', 3, 2, 900, 1140, 2, 5400, 6840, 0.6667, 0, 1]);
  });

  it('exports the .docx 通报: title, 文号, sections and tables holding the figures', async () => {
    const res = await get('hotline', 'period=2026-10&format=docx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('12345政务服务便民热线与110报警服务台对接联动工作通报');
    expect(text).toContain('联动通〔2026〕10号');
    expect(text).toContain('（2026年10月）');
    for (const h of [
      '一、总体情况',
      '二、双向转接与受理反馈',
      '三、拒收、协商与退单',
      '四、各区县情况',
      '五、各承办单位情况',
    ])
      expect(text).toContain(h);
    expect(text).toContain('12345转110事项3（环比+200.0%，同比—）');
    expect(text).toContain('闭环率（已受理事项中已反馈的比例）75.0%');
    expect(text).toContain('15分钟'); // the 900 s median acceptance
    expect(text).toContain('不属于本平台职责');
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(7);
  });

  it('takes any period: a quarter, a year, an ISO week, a range of days', async () => {
    const q = (await get('hotline', 'period=2026-Q4')).json<Report>();
    expect(fig(q, 'workOrders')).toMatchObject({ value: 5, previous: 2, lastYear: 1 });
    const w = (await get('hotline', 'period=2026-10-01..2026-10-10')).json<Report>();
    expect(fig(w, 'workOrders').value).toBe(2);
    expect((await get('hotline', 'period=2026-W41')).statusCode).toBe(200);
    expect(fig((await get('hotline', 'period=2026')).json<Report>(), 'workOrders').value).toBe(7);
  });

  it('refuses a bad period, a bad format and the roles that do not analyse', async () => {
    const bad = await get('hotline', 'period=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REPORT_PERIOD_INVALID' });
    expect((await get('hotline', 'period=2026-10&format=pdf')).json().code).toBe('VALIDATION_FAILED');
    expect((await get('hotline', '')).json().code).toBe('VALIDATION_FAILED');
    expect((await get('hotline', 'period=2026-10', 'callTaker')).json().code).toBe('FORBIDDEN');
  });

  it('the command line writes the same report to a file, or refuses a bad period', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'liandong-report-'));
    const bin = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
    const run = promisify(execFile);
    const env = { ...process.env, LIANDONG_DESK: 'hotline' };
    try {
      const out = path.join(dir, 'm.xlsx');
      await run(
        process.execPath,
        [bin, 'report', 'monthly', '--period', '2026-10', '--format', 'xlsx', '--out', out, '--url', desks.hotline.url],
        { env },
      );
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await readFile(out)) as unknown as ArrayBuffer);
      expect(wb.getWorksheet('双向转接')!.getRow(4).getCell(2).value).toBe(3);
      const json = await run(
        process.execPath,
        [bin, 'report', 'monthly', '--period', '2026-10', '--url', desks.hotline.url],
        { env },
      );
      const fromCli = JSON.parse(json.stdout) as Report;
      const fromApi = (await get('hotline', 'period=2026-10')).json<Report>();
      expect(fromCli.headline).toEqual(fromApi.headline);
      const bad = await run(
        process.execPath,
        [bin, 'report', 'monthly', '--period', '2026-13', '--url', desks.hotline.url],
        { env },
      ).catch((e: { code: number; stderr: string }) => e);
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('统计周期不合法') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
