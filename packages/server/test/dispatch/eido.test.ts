import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertItem } from '../../src/bridge/bridge.repo.ts';
import { checkEido } from '../../src/dispatch/eido.ts';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Every `$ref` in the document names a component `$id` in it. */
function danglingRefs(doc: unknown): string[] {
  const ids = new Set<string>();
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$id' && typeof x === 'string') ids.add(x);
        else if (k === '$ref' && typeof x === 'string') refs.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  return refs.filter((r) => !ids.has(r));
}

const incident = async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: t.as('dispatcher'),
    payload: {
      caller: { name: '李四', phone: '13900001111' },
      content: '报警人称解放碑步行街有人打架，一人头部受伤',
      address: '解放碑步行街',
      districtCode: '500103',
      streetCode: '500103003',
      lat: 29.5575,
      lng: 106.5772,
      category: 'public_order',
      priority: 1,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};
const act = (id: string, action: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/incidents/${id}/${action}`, headers: t.as('dispatcher'), payload });

describe('NENA EIDO on the 110 desk', () => {
  it('dispatcher-exports-a-handled-incident-as-a-valid-eido', async () => {
    const id = await incident();
    await act(id, 'dispatch', { tier: 'police_station', unitId: 'p500103003.station' });
    await act(id, 'arrive');
    await act(id, 'handle');
    await act(id, 'feedback', {
      disposition: 'referred_to_partner_agency',
      summary: '伤者已由120送医，纠纷移交街道调解',
    });
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/eido`, headers: t.as('dispatcher') });
    expect(res.statusCode).toBe(200);
    const eido = res.json();
    expect(checkEido(eido)).toEqual({ ok: true });
    expect(danglingRefs(eido)).toEqual([]);
    expect(eido.eidoVersion).toBe('1.0');
    const inc = eido.incidentComponent;
    expect(inc).toMatchObject({
      incidentTypeInternalCode: 'public_order',
      incidentCommonPriorityNumber: 1,
      incidentStatusCommonRegistryText: ['Active'],
    });
    expect(inc.dispositionComponent).toEqual([
      {
        dispositionCommonRegistryCode: '15',
        dispositionPrimaryIndicator: true,
        dispositionCategoryText: 'referred_to_partner_agency',
        dispositionDescriptionText: expect.any(String),
      },
    ]);
    expect(
      eido.agencyComponent.map(
        (a: { agencyRoleDescriptionRegistryText: string[] }) => a.agencyRoleDescriptionRegistryText,
      ),
    ).toEqual([['CallReceiving', 'Owning'], ['Responding']]);
    expect(eido.personComponent[0].personIncidentRoleRegistryText).toEqual(['Caller']);
    expect(eido.callComponent[0]).toMatchObject({ direction: 'incoming', standardPrimaryCallType: 'emergency' });
    expect(eido.locationComponent[0].locationByValue).toContain('<gml:pos>29.5575 106.5772</gml:pos>');
    expect(eido.notesComponent.map((n: { noteText: string }) => n.noteText).join('\n')).toContain('伤者已由120送医');
    // Readers who see callers masked get them masked in the EIDO as well.
    const seat = (
      await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/eido`, headers: t.as('analyst') })
    ).json();
    expect(JSON.stringify(seat)).not.toContain('13900001111');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/eido`, headers: t.as('chengguan') })).statusCode,
    ).toBe(403);
  });

  it('a-linkage-item-from-12345-exports-with-both-desks-roles', async () => {
    await insertItem(t.db, {
      item_id: 'cq-12345:LK-20261209-000001',
      kind: 'emergency',
      side: 'receiver',
      peer: 'cq-12345',
      status: 'requested',
      opening: {
        type: 'emergency.escalate',
        kind: 'emergency',
        danger: '有人持刀',
        request: {
          content: '网上反映有人持刀伤人',
          channel: 'web',
          receivedAt: '2026-12-09T10:00:00+08:00',
          location: { address: '民族路', district: '500103' },
        },
        callback: { name: '王小明', phone: '13900002222' },
      },
      local_ref: null,
      local_no: null,
      district_code: '500103',
      accept_deadline: new Date(Date.now() + 600_000),
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/linkage/items/cq-12345:LK-20261209-000001/eido',
      headers: t.as('dispatcher'),
    });
    expect(res.statusCode).toBe(200);
    const eido = res.json();
    expect(checkEido(eido)).toEqual({ ok: true });
    expect(danglingRefs(eido)).toEqual([]);
    expect(
      eido.agencyComponent.map(
        (a: { agencyRoleDescriptionRegistryText: string[] }) => a.agencyRoleDescriptionRegistryText,
      ),
    ).toEqual([['TransferredTo', 'Owning'], ['CallReceiving']]);
    expect(eido.incidentComponent).toMatchObject({
      incidentTypeInternalCode: 'emergency_help',
      incidentCommonPriorityNumber: 1,
      incidentStatusCommonRegistryText: ['Pending'],
    });
    expect(eido.locationComponent[0].locationDescriptionText).toContain('渝中区');
  });

  it('another-cad-sends-an-eido-and-a-triaged-incident-is-made-once', async () => {
    const id = await incident();
    const exported = (
      await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/eido`, headers: t.as('dispatcher') })
    ).json();
    const incoming = {
      ...exported,
      $id: 'urn:emergency:uid:eido:other-cad-1:psap.example',
      issuingElementIdentification: 'psap.example',
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/eido',
      headers: t.as('dispatcher'),
      payload: incoming,
    });
    expect(res.statusCode).toBe(201);
    const made = res.json();
    expect(made).toMatchObject({ category: 'public_order', priority: 1, status: 'received', districtCode: '500103' });
    expect(made.triage).toMatchObject({ emergency: expect.any(Boolean), route: expect.any(String) });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/eido',
      headers: t.as('dispatcher'),
      payload: incoming,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(made.id);
  });

  it('an-invalid-eido-is-refused-with-where-and-changes-nothing', async () => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/eido',
      headers: t.as('dispatcher'),
      payload: {
        $id: 'x',
        eidoVersion: '1.0',
        lastUpdateTimeStamp: 'yesterday',
        issuingElementIdentification: 'psap.example',
        incidentComponent: { $id: 'i' },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('EIDO_INVALID');
    expect(res.json().details.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/lastUpdateTimeStamp', '/incidentComponent']),
    );
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/eido', headers: t.as('callTaker'), payload: {} })).statusCode,
    ).toBe(403);
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
