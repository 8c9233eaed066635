import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
let orderId: string;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest-of-a-png'),
]);
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder({ leadUnitId: 'd500103.urban-mgmt' }),
  });
  orderId = res.json().id;
});
afterAll(async () => {
  await t?.close();
});

const upload = (
  who: Parameters<TestApp['as']>[0],
  body: Buffer | string,
  type: string,
  name = '现场照片.png',
  id = orderId,
) =>
  t.app.inject({
    method: 'POST',
    url: `/api/work-orders/${id}/attachments?name=${encodeURIComponent(name)}`,
    headers: { ...t.as(who), 'content-type': type },
    payload: body,
  });

describe('handler attaches a photo to an order', () => {
  it('stores the file with its digest and uploader, lists it, and serves the same bytes back', async () => {
    const res = await upload('chengguan', PNG, 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      fileName: '现场照片.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      uploadedBy: { role: 'department_handler', unitId: 'd500103.urban-mgmt' },
    });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = await t.app.inject({ url: `/api/work-orders/${orderId}/attachments`, headers: t.as('callTaker') });
    expect(list.json().map((x: { id: string }) => x.id)).toEqual([a.id]);
    const dl = await t.app.inject({ url: `/api/attachments/${a.id}`, headers: t.as('supervisor') });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toContain(encodeURIComponent('现场照片.png'));
    expect(dl.rawPayload.equals(PNG)).toBe(true);
  });

  it('a PDF reply document is accepted and offered for download', async () => {
    const res = await upload('chengguan', PDF, 'application/pdf', '答复函.pdf');
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses bad uploads with a code and stores nothing', async () => {
    const before = await rowCounts(t.db);
    const cases: [Parameters<TestApp['as']>[0], Buffer | string, string, number, string, string?][] = [
      ['chengguan', '<html>not an image</html>', 'image/png', 422, 'ATTACHMENT_CONTENT_MISMATCH'],
      ['chengguan', 'MZ executable', 'application/x-msdownload', 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      ['chengguan', JSON.stringify({ a: 1 }), 'application/json', 415, 'ATTACHMENT_TYPE_NOT_ALLOWED'],
      ['chengguan', Buffer.alloc(0), 'image/png', 400, 'ATTACHMENT_EMPTY'],
      ['chengguan', Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'image/png', 413, 'PAYLOAD_TOO_LARGE'],
      ['housing', PNG, 'image/png', 403, 'OUT_OF_SCOPE'],
      ['analyst', PNG, 'image/png', 403, 'FORBIDDEN'],
      ['chengguan', PNG, 'image/png', 404, 'WORK_ORDER_NOT_FOUND', '00000000-0000-4000-8000-000000000000'],
    ];
    for (const [who, body, type, status, code, id] of cases) {
      const res = await upload(who, body, type, 'x.png', id);
      expect([res.statusCode, res.json().code], `${who} ${type}`).toEqual([status, code]);
      expect(res.json().message).toBeTruthy();
    }
    const noName = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${orderId}/attachments`,
      headers: { ...t.as('chengguan'), 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(noName.json().code).toBe('VALIDATION_FAILED');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it("another department cannot list or download the order's attachments", async () => {
    const list = await t.app.inject({ url: `/api/work-orders/${orderId}/attachments`, headers: t.as('housing') });
    expect(list.json().code).toBe('OUT_OF_SCOPE');
    const { rows } = await t.db.query('SELECT id FROM work_order_attachments LIMIT 1');
    const dl = await t.app.inject({ url: `/api/attachments/${rows[0].id}`, headers: t.as('housing') });
    expect(dl.statusCode).toBe(403);
    const missing = await t.app.inject({
      url: '/api/attachments/00000000-0000-4000-8000-000000000000',
      headers: t.as('admin'),
    });
    expect(missing.json().code).toBe('ATTACHMENT_NOT_FOUND');
  });

  it('attachments are append-only in the database', async () => {
    await expect(t.db.query('DELETE FROM work_order_attachments')).rejects.toThrow(/append-only/);
  });
});
