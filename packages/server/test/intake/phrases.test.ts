/**
 * 常用语 kept by the desk's administrators (issue 14): seeded with the built-in list, added, edited,
 * reordered and deleted through the admin API, read by call-takers; bad input refused with its code
 * and nothing changed; each change audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
});
afterAll(async () => {
  await t?.close();
});

type Phrase = { id: string; text: string; position: number; updatedByName: string | null };
const adminList = async () =>
  (await t.app.inject({ url: '/api/admin/phrases', headers: t.as('admin') })).json<Phrase[]>();
const callTakerList = async () =>
  (await t.app.inject({ url: '/api/phrases', headers: t.as('callTaker') })).json<{ id: string; text: string }[]>();
const add = (text: unknown, who: 'admin' | 'callTaker' = 'admin') =>
  t.app.inject({ method: 'POST', url: '/api/admin/phrases', headers: t.as(who), payload: { text } });
const snapshot = async () => ({
  phrases: (await t.db.query('SELECT id, text, position FROM intake_phrases ORDER BY id')).rows,
  audit: Number((await t.db.query("SELECT count(*) FROM admin_audit WHERE action LIKE 'phrase.%'")).rows[0].count),
});

describe('常用语 administration', () => {
  it('starts with the list the console had built in, in its order, for call-takers and administrators alike', async () => {
    const list = await callTakerList();
    expect(list.map((p) => p.text).slice(0, 3)).toEqual(['来电人反映：', '来电人咨询：', '来电人投诉：']);
    expect(list).toHaveLength(11);
    expect((await adminList()).map((p) => p.id)).toEqual(list.map((p) => p.id));
  });

  it('the administrator adds one (at the end, trimmed), edits it, moves it to the top and deletes it; each change is audited', async () => {
    const created = await add('  来电人情绪激动，已安抚。 ');
    expect(created.statusCode).toBe(201);
    const p = created.json<Phrase>();
    expect(p.text).toBe('来电人情绪激动，已安抚。');
    expect(p.updatedByName).toBe('测试ad1');
    expect((await callTakerList()).at(-1)!.text).toBe('来电人情绪激动，已安抚。');

    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/phrases/${p.id}`,
      headers: t.as('admin'),
      payload: { text: '来电人情绪激动，坐席已安抚。' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Phrase>().text).toBe('来电人情绪激动，坐席已安抚。');

    const ids = (await adminList()).map((x) => x.id);
    const order = [p.id, ...ids.filter((x) => x !== p.id)];
    const moved = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/phrases/order',
      headers: t.as('admin'),
      payload: { ids: order },
    });
    expect(moved.statusCode).toBe(200);
    expect((await callTakerList()).map((x) => x.text)[0]).toBe('来电人情绪激动，坐席已安抚。');

    const gone = await t.app.inject({ method: 'DELETE', url: `/api/admin/phrases/${p.id}`, headers: t.as('admin') });
    expect(gone.statusCode).toBe(204);
    expect((await callTakerList()).map((x) => x.text)).not.toContain('来电人情绪激动，坐席已安抚。');
    const audited = (
      await t.db.query<{ action: string }>(
        "SELECT action FROM admin_audit WHERE action LIKE 'phrase.%' AND (target = $1 OR action = 'phrase.reorder') ORDER BY id",
        [p.id],
      )
    ).rows.map((r) => r.action);
    expect(audited).toEqual(['phrase.create', 'phrase.update', 'phrase.reorder', 'phrase.delete']);
  });

  it('refuses an empty, too long, multi-line, NUL-bearing or duplicate phrase, each with its code, and changes nothing', async () => {
    const before = await snapshot();
    const cases: [unknown, number, string][] = [
      ['', 422, 'PHRASE_EMPTY'],
      ['   ', 422, 'PHRASE_EMPTY'],
      ['长'.repeat(201), 422, 'PHRASE_TOO_LONG'],
      ['第一行\n第二行', 422, 'PHRASE_INVALID_CHARACTERS'],
      ['来电人\u0000反映', 400, 'TEXT_INVALID'],
      ['来电人反映：', 409, 'PHRASE_DUPLICATE'],
      [42, 400, 'VALIDATION_FAILED'],
    ];
    for (const [text, status, code] of cases) {
      const r = await add(text);
      expect([r.statusCode, r.json().code], JSON.stringify(text)).toEqual([status, code]);
    }
    expect((await add('长'.repeat(200))).statusCode).toBe(201); // 200 is allowed
    const long = (await adminList()).at(-1)!;
    const dup = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/phrases/${long.id}`,
      headers: t.as('admin'),
      payload: { text: '来电人咨询：' },
    });
    expect(dup.json().code).toBe('PHRASE_DUPLICATE');
    await t.app.inject({ method: 'DELETE', url: `/api/admin/phrases/${long.id}`, headers: t.as('admin') });
    expect((await snapshot()).phrases).toEqual(before.phrases);
  });

  it('refuses a reorder that leaves one out or repeats one, and an unknown id, with their codes', async () => {
    const before = await snapshot();
    const ids = (await adminList()).map((x) => x.id);
    const reorder = (payload: { ids: (string | undefined)[] }) =>
      t.app.inject({ method: 'PUT', url: '/api/admin/phrases/order', headers: t.as('admin'), payload });
    expect((await reorder({ ids: ids.slice(1) })).json().code).toBe('PHRASE_ORDER_MISMATCH');
    expect((await reorder({ ids: [ids[0], ...ids.slice(0, -1)] })).json().code).toBe('PHRASE_ORDER_MISMATCH');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/phrases/${unknown}`,
      headers: t.as('admin'),
      payload: { text: '新的常用语' },
    });
    expect([edit.statusCode, edit.json().code]).toEqual([404, 'PHRASE_NOT_FOUND']);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/admin/phrases/${unknown}`, headers: t.as('admin') });
    expect(del.json().code).toBe('PHRASE_NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('lets only administrators change the list: a call-taker reads it, an analyst not even that', async () => {
    const before = await snapshot();
    expect((await add('来电人要求回电。', 'callTaker')).json().code).toBe('FORBIDDEN');
    expect((await t.app.inject({ url: '/api/admin/phrases', headers: t.as('callTaker') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/phrases', headers: t.as('analyst') })).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
