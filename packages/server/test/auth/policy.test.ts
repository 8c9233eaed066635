/** The one authorisation policy: what it offers is what it accepts, rule by rule. */
import { WORK_ORDER_ACTIONS, allowedWorkOrderActions, type WorkOrderAction } from '@liandong/domain';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/actor.ts';
import { policy } from '../../src/auth/policy.ts';

const actor = (role: Actor['role'], unitId: string | null = null, districtCode: string | null = null): Actor => ({
  id: '00000000-0000-0000-0000-000000000001',
  username: role,
  displayName: role,
  role,
  unitId,
  districtCode,
});
const yuzhong = actor('district_agency', 'd500103.agency', '500103');
const chengguan = actor('department_handler', 'd500103.urban-mgmt', '500103');
const housing = actor('department_handler', 'd500103.housing', '500103');
const order = { leadUnitId: 'd500103.urban-mgmt', assistUnitIds: ['d500103.housing'], districtCode: '500103' };
const code = (a: Actor, o: typeof order, action: WorkOrderAction) => policy.workOrderActionRefusal(a, o, action)?.code;

describe('authorisation policy', () => {
  it('unit-bound actions are the lead unit’s: an assisting unit and a district agency are refused', () => {
    expect(code(chengguan, order, 'reply')).toBeUndefined();
    expect(code(housing, order, 'reply')).toBe('OUT_OF_SCOPE');
    expect(code(yuzhong, order, 'sign')).toBe('OUT_OF_SCOPE');
    expect(code(actor('admin'), order, 'reply')).toBeUndefined();
    expect(code(actor('system'), order, 'mark_overdue')).toBeUndefined();
  });

  it('a district agency approves other units’ extensions, never its own', () => {
    expect(code(yuzhong, order, 'approve_extension')).toBeUndefined();
    expect(code(yuzhong, { ...order, leadUnitId: 'd500103.agency' }, 'approve_extension')).toBe('FORBIDDEN');
    expect(code(chengguan, order, 'approve_extension')).toBe('FORBIDDEN'); // no permission
  });

  it('offers exactly the moves it accepts, with the domain’s state rules (one extension request at a time)', () => {
    const state = { status: 'in_progress' as const, pendingExtension: null };
    const offered = policy.workOrderActionsOffered(chengguan, order, state, allowedWorkOrderActions(state.status));
    for (const a of WORK_ORDER_ACTIONS) if (offered.includes(a)) expect(code(chengguan, order, a), a).toBeUndefined();
    expect(offered).toContain('request_extension');
    const pending = { ...state, pendingExtension: { requestedDueAt: '2026-12-30T00:00:00Z', reason: '需现场勘查' } };
    expect(
      policy.workOrderActionsOffered(chengguan, order, pending, allowedWorkOrderActions('in_progress')),
    ).not.toContain('request_extension');
    // The deadline worker's 超期 is never offered to a person, not even to the administrator.
    expect(
      policy.workOrderActionsOffered(actor('admin'), order, state, allowedWorkOrderActions(state.status)),
    ).not.toContain('mark_overdue');
  });

  it('scope: a department its own and assisted orders, a district agency its district (or its lead unit’s)', async () => {
    const elsewhere = { leadUnitId: 'd500105.agency', assistUnitIds: [], districtCode: '500105' };
    expect(await policy.seesWorkOrder(housing, order, async () => null)).toBe(true);
    expect(await policy.seesWorkOrder(chengguan, elsewhere, async () => null)).toBe(false);
    expect(await policy.seesWorkOrder(yuzhong, elsewhere, async () => '500105')).toBe(false);
    expect(await policy.seesWorkOrder(yuzhong, { ...elsewhere, districtCode: null }, async () => '500103')).toBe(true);
    expect(policy.workOrderListScope(yuzhong)).toEqual({ districtCode: '500103' });
    expect(policy.workOrderListScope(chengguan)).toEqual({ unitId: 'd500103.urban-mgmt' });
    expect(policy.workOrderListScope(actor('supervisor'))).toEqual({});
  });
});
