/**
 * A work order's title shows in every list. Titles made before they left the caller out (or typed by a
 * call-taker) may carry the caller's name and number: readers who see callers masked (the analyst, the
 * handling units) get them out of the title in the list, the export and the detail; the seats see them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
});
afterAll(async () => {
  await t?.close();
});

describe('the caller is out of an order title for readers who see callers masked', () => {
  it('an old title with the name and the number: masked in the list and the detail, whole for the call-taker', async () => {
    const mark = `TITLE${Date.now().toString(36)}`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({
        caller: { name: '欧阳明月', phone: '13987654321' },
        content: `${mark} 八一路夜间摊贩占道`,
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // As titles were made before: the first words of the request, caller and all.
    await t.db.query(`UPDATE work_orders SET title = $2 WHERE id = $1`, [id, `欧阳明月（13987654321）反映${mark}`]);

    const list = async (who: 'analyst' | 'callTaker') => {
      const r = await t.app.inject({ url: `/api/work-orders?text=${mark}`, headers: t.as(who) });
      expect(r.statusCode, r.body).toBe(200);
      const row = r.json().items.find((x: { id: string }) => x.id === id);
      expect(row, r.body).toBeTruthy();
      return row.title as string;
    };
    const masked = await list('analyst');
    expect(masked).not.toContain('欧阳明月');
    expect(masked).not.toContain('13987654321');
    expect(masked).toContain(mark);
    expect(await list('callTaker')).toContain('欧阳明月（13987654321）');

    const detail = await t.app.inject({ url: `/api/work-orders/${id}`, headers: t.as('analyst') });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.body).not.toContain('欧阳明月');
    expect(detail.body).not.toContain('13987654321');
  });
});
