/** GET /api/work-orders/export.xlsx: the list as a spreadsheet, with the list's filters and the reader's scope. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
});
afterAll(async () => {
  await t?.close();
});

const MARK = `XLSX${Date.now().toString(36)}`;

async function sheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return { name: ws.name, rows };
}

describe('the order list as a spreadsheet', () => {
  it('exports what the filters select, in the list’s words, with how many there were', async () => {
    const made: string[] = [];
    for (const content of [`${MARK} 八一路夜间摊贩占道经营`, `${MARK} 八一路人行道被共享单车堵塞`]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ content }),
      });
      expect(r.statusCode, r.body).toBe(201);
      made.push(r.json().no);
    }
    const res = await t.app.inject({ url: `/api/work-orders/export.xlsx?text=${MARK}`, headers: t.as('supervisor') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="work-orders-\d{8}\.xlsx"; filename\*=UTF-8''/,
    );
    const { name, rows } = await sheet(res.rawPayload);
    expect(name).toBe('工单查询');
    expect(String(rows[0]![0])).toMatch(/^工单查询（导出于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}，共 2 条）$/);
    expect(rows[1]!.slice(0, 6)).toEqual(['工单号', '受理时间', '标题', '工单类型', '派单目录分类', '状态']);
    expect(
      rows
        .slice(2)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...made].sort());
    expect(rows[2]![5]).toBe('已受理');
  });

  it('keeps to the reader’s scope: a department exports only its own orders', async () => {
    const res = await t.app.inject({ url: `/api/work-orders/export.xlsx?text=${MARK}`, headers: t.as('chengguan') });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await sheet(res.rawPayload);
    expect(String(rows[0]![0])).toContain('共 0 条');
    expect(rows).toHaveLength(2);
  });

  it('refuses a bad filter with the field named, and a reader without the list', async () => {
    const bad = await t.app.inject({
      url: '/api/work-orders/export.xlsx?status=nonsense',
      headers: t.as('supervisor'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    const anon = await t.app.inject({ url: '/api/work-orders/export.xlsx' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('the incident list as a spreadsheet (110 desk)', () => {
  let d: TestApp;
  beforeAll(async () => {
    d = await createTestApp({ desk: 'dispatch' });
  });
  afterAll(async () => {
    await d?.close();
  });

  it('exports the incidents the reader may see, without the callback', async () => {
    const r = await d.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: d.as('dispatcher'),
      payload: {
        channel: 'phone_110',
        caller: { name: '李四', phone: '13900001111' },
        content: `${MARK} 报警人称解放碑一商场门口有人吵架`,
        address: '渝中区解放碑',
        districtCode: '500103',
        category: 'public_order',
        priority: 2,
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const res = await d.app.inject({ url: '/api/incidents/export.xlsx', headers: d.as('dispatcher') });
    expect(res.statusCode, res.body).toBe(200);
    const { name, rows } = await sheet(res.rawPayload);
    expect(name).toBe('警情查询');
    expect(rows[1]!.slice(0, 5)).toEqual(['警情号', '接警时间', '等级', '类别', '内容']);
    const mine = rows.find((x) => x[0] === r.json().no)!;
    expect(mine[2]).toBe('2级');
    expect(JSON.stringify(rows)).not.toContain('13900001111');
  });
});
