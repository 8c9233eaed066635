import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const DRONE = {
  code: 'H-DRONE',
  name: '无人机扰民',
  kind: 'boundary',
  route: '12345',
  terms: ['无人机…拍', '放无人机'],
  cues: ['无人机'],
  category: 'QTSX01',
  needsConsultation: true,
};
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const call = (method: string, url: string, payload?: object, who: Parameters<TestApp['as']>[0] = 'admin') =>
  t.app.inject({ method: method as 'GET', url, headers: t.as(who), ...(payload === undefined ? {} : { payload }) });
const newDraft = async (extra: Record<string, unknown> = {}) => {
  const res = await call('POST', '/api/admin/triage-catalogue/drafts', {
    effectiveFrom: today(),
    source: '2026年第四季度12345与110联席会商',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; basedOn: number; entries: { code: string; name: string }[] };
};
const draftState = async (id: string) =>
  (await t.db.query('SELECT entries, source, updated_at FROM triage_catalogue_drafts WHERE id = $1', [id])).rows[0];
const newest = async () =>
  (await t.db.query('SELECT max(version)::int AS v FROM triage_catalogue_versions')).rows[0].v as number;

describe('an administrator drafts the next catalogue version and publishes it', () => {
  it('copies the newest version, adds an entry, edits another, publishes: triage cites the new version', async () => {
    const before = await newest();
    const d = await newDraft({ note: '新增无人机扰民事项' });
    expect(d.basedOn).toBe(before);
    const seeded = (await call('GET', `/api/admin/triage-catalogue/${before}`)).json();
    expect(d.entries).toHaveLength(seeded.entries.length);
    expect((await call('GET', '/api/admin/triage-catalogue/drafts')).json()).toContainEqual(
      expect.objectContaining({ id: d.id, basedOn: before, entryCount: seeded.entries.length }),
    );

    // A draft is not read by triage.
    const add = await call('PUT', `/api/admin/triage-catalogue/drafts/${d.id}/entries/H-DRONE`, DRONE);
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json().entries.at(-1)).toMatchObject({ code: 'H-DRONE' });
    const text = '楼顶天天有人放无人机，拍我家窗户';
    const s0 = (await call('POST', '/api/triage', { text }, 'callTaker')).json();
    expect(s0.catalogueVersion).toBe(before);

    // Replacing keeps the entry's place; removing an entry takes it out.
    const first = seeded.entries[0];
    const edited = await call('PUT', `/api/admin/triage-catalogue/drafts/${d.id}/entries/${first.code}`, {
      ...first,
      name: `${first.name}（会商修订）`,
    });
    expect(edited.json().entries[0].name).toBe(`${first.name}（会商修订）`);
    const last = seeded.entries.at(-1);
    const removed = await call('DELETE', `/api/admin/triage-catalogue/drafts/${d.id}/entries/${last.code}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().entries.some((e: { code: string }) => e.code === last.code)).toBe(false);

    const pub = await call('POST', `/api/admin/triage-catalogue/drafts/${d.id}/publish`);
    expect(pub.statusCode, pub.body).toBe(201);
    expect(pub.json().version).toBe(before + 1);
    expect((await call('GET', `/api/admin/triage-catalogue/drafts/${d.id}`)).json().code).toBe(
      'CATALOGUE_DRAFT_NOT_FOUND',
    );
    const s = (await call('POST', '/api/triage', { text }, 'callTaker')).json();
    expect(s).toMatchObject({ route: '12345', needsConsultation: true, catalogueVersion: before + 1 });
    expect(s.reasons.join('')).toContain(`清单第${before + 1}版`);
    const v = (await call('GET', `/api/admin/triage-catalogue/${before + 1}`)).json();
    expect(v).toMatchObject({ source: '2026年第四季度12345与110联席会商', note: '新增无人机扰民事项' });
    expect(v.entries).toHaveLength(seeded.entries.length);
    const audit = (
      await t.db.query(`SELECT action FROM admin_audit WHERE target IN ($1, $2) ORDER BY id`, [
        d.id,
        String(before + 1),
      ])
    ).rows.map((r) => r.action);
    expect(audit).toEqual([
      'catalogue.draft_create',
      'catalogue.draft_entry_set',
      'catalogue.draft_entry_set',
      'catalogue.draft_entry_remove',
      'catalogue.publish',
    ]);
  });

  it('changes the effective date and source of a draft, or discards it', async () => {
    const d = await newDraft();
    const res = await call('PATCH', `/api/admin/triage-catalogue/drafts/${d.id}`, {
      effectiveFrom: '2099-01-01',
      source: '2099年第一季度会商',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ effectiveFrom: '2099-01-01', source: '2099年第一季度会商' });
    expect((await call('DELETE', `/api/admin/triage-catalogue/drafts/${d.id}`)).statusCode).toBe(204);
    expect(await draftState(d.id)).toBeUndefined();
  });
});

describe('bad drafts and bad edits change nothing', () => {
  it.each([
    [
      'an entry that does not compile',
      'X-BAD',
      { ...DRONE, code: 'X-BAD', terms: ['一…二…三'] },
      422,
      'CATALOGUE_INVALID',
    ],
    ['an entry whose code is not the address’s', 'X-ONE', { ...DRONE, code: 'X-TWO' }, 400, 'VALIDATION_FAILED'],
    ['an unknown route', 'X-BAD', { ...DRONE, code: 'X-BAD', route: '999' }, 400, 'VALIDATION_FAILED'],
    ['a code in lower case', 'x-bad', { ...DRONE, code: 'x-bad' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_l, code, entry, status, err) => {
    const d = await newDraft();
    const before = await draftState(d.id);
    const res = await call('PUT', `/api/admin/triage-catalogue/drafts/${d.id}/entries/${code}`, entry);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(err);
    expect(await draftState(d.id)).toEqual(before);
  });

  it('refuses to remove an entry the draft does not have, and answers 404 for an unknown draft', async () => {
    const d = await newDraft();
    const before = await draftState(d.id);
    const res = await call('DELETE', `/api/admin/triage-catalogue/drafts/${d.id}/entries/X-NONE`);
    expect(res.json().code).toBe('CATALOGUE_ENTRY_NOT_FOUND');
    expect(await draftState(d.id)).toEqual(before);
    const none = '00000000-0000-4000-8000-000000000000';
    expect((await call('POST', `/api/admin/triage-catalogue/drafts/${none}/publish`)).json().code).toBe(
      'CATALOGUE_DRAFT_NOT_FOUND',
    );
    expect(
      (await call('POST', '/api/admin/triage-catalogue/drafts', { basedOn: 999, effectiveFrom: today(), source: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call('POST', '/api/admin/triage-catalogue/drafts', { effectiveFrom: today(), source: '   ' })).statusCode,
    ).toBe(400);
  });

  it('refuses to publish a draft copied from a version that is no longer the newest', async () => {
    const older = await newDraft();
    const newer = await newDraft();
    expect((await call('POST', `/api/admin/triage-catalogue/drafts/${newer.id}/publish`)).statusCode).toBe(201);
    const v = await newest();
    const res = await call('POST', `/api/admin/triage-catalogue/drafts/${older.id}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CATALOGUE_DRAFT_OUTDATED');
    expect(await newest()).toBe(v);
    expect(await draftState(older.id)).toBeDefined();
  });

  it('only administrators see or change drafts', async () => {
    const d = await newDraft();
    for (const [m, u] of [
      ['GET', '/api/admin/triage-catalogue/drafts'],
      ['PUT', `/api/admin/triage-catalogue/drafts/${d.id}/entries/H-DRONE`],
      ['POST', `/api/admin/triage-catalogue/drafts/${d.id}/publish`],
    ] as const) {
      const res = await call(m, u, m === 'PUT' ? DRONE : undefined, 'supervisor');
      expect(res.statusCode, `${m} ${u}`).toBe(403);
    }
  });
});
