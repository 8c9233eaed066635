import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, type IncidentStatus } from './status.ts';
import {
  INCIDENT_ACTIONS,
  INCIDENT_TRANSITIONS,
  applyIncidentAction,
  type IncidentAction,
  type IncidentCommand,
  type IncidentState,
} from './transitions.ts';

function stateFor(status: IncidentStatus): IncidentState {
  return {
    status,
    category: 'public_order',
    tier: 'police_station',
    unitId: 'station-a',
    disposition: null,
    closeKind: null,
  };
}
function commandFor(action: IncidentAction): IncidentCommand {
  switch (action) {
    case 'dispatch':
      return { action, tier: 'police_station', unitId: 'station-b' };
    case 'redispatch':
      return { action, tier: 'specialized_police', unitId: 'traffic-1', note: '交通事故转交巡警' };
    case 'arrive':
      return { action };
    case 'handle':
      return { action };
    case 'feedback':
      return { action, disposition: 'mediated', summary: '双方已调解' };
    case 'close':
      return { action };
    case 'mark_invalid':
      return { action, kind: 'harassment', note: '多次无故拨打' };
    case 'divert':
      return { action, target: 'vehicle_moving' };
    case 'reclassify':
      return { action, category: 'traffic' };
  }
}
const rows = INCIDENT_STATUSES.flatMap((status) =>
  INCIDENT_ACTIONS.map((action) => {
    const target = (INCIDENT_TRANSITIONS[status] as Partial<Record<IncidentAction, string>>)[action];
    return { status, action, expected: target === undefined ? null : target === 'same' ? status : target };
  }),
);

describe('incident transitions: every (status, action) pair', () => {
  it('has one row per pair', () => expect(rows).toHaveLength(INCIDENT_STATUSES.length * INCIDENT_ACTIONS.length));
  it.each(rows)('$status + $action → $expected', ({ status, action, expected }) => {
    const r = applyIncidentAction(stateFor(status), commandFor(action));
    if (expected === null) expect(r).toMatchObject({ ok: false, code: 'INCIDENT_TRANSITION_NOT_ALLOWED' });
    else expect(r).toMatchObject({ ok: true, value: { from: status, to: expected, next: { status: expected } } });
  });
});

describe('incident outcomes', () => {
  it('a harassing call is closed as such and categorised invalid', () => {
    const r = applyIncidentAction(stateFor('received'), { action: 'mark_invalid', kind: 'harassment' });
    expect(r).toMatchObject({
      ok: true,
      value: { next: { status: 'closed', closeKind: 'harassment', category: 'invalid' } },
    });
  });
  it('a diverted non-police matter is closed as referred', () => {
    const r = applyIncidentAction(stateFor('received'), { action: 'divert', target: 'governance_center' });
    expect(r).toMatchObject({
      ok: true,
      value: { next: { closeKind: 'diverted', category: 'non_police', disposition: 'referred_to_partner_agency' } },
    });
  });
  it('redispatch to the same unit and tier is refused', () => {
    const r = applyIncidentAction(stateFor('dispatched'), {
      action: 'redispatch',
      tier: 'police_station',
      unitId: 'station-a',
      note: 'x',
    });
    expect(r).toMatchObject({ ok: false, code: 'INCIDENT_REDISPATCH_SAME_UNIT' });
  });
  it('reclassifying to the same category is refused', () => {
    expect(applyIncidentAction(stateFor('received'), { action: 'reclassify', category: 'public_order' })).toMatchObject(
      { ok: false, code: 'INCIDENT_CATEGORY_UNCHANGED' },
    );
  });
});
