import { describe, expect, it } from 'vitest';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from './status.ts';
import {
  WORK_ORDER_ACTIONS,
  WORK_ORDER_TRANSITIONS,
  applyWorkOrderAction,
  type WorkOrderAction,
  type WorkOrderCommand,
  type WorkOrderState,
} from './transitions.ts';

const now = new Date('2026-11-28T10:00:00+08:00');
const past = new Date('2026-11-27T10:00:00+08:00');
const future = new Date('2026-12-05T10:00:00+08:00');

/** A state in `status` that satisfies the guards of `action`, so only the table decides. */
function stateFor(status: WorkOrderStatus, action: WorkOrderAction): WorkOrderState {
  return {
    id: 'wo-1',
    status,
    leadUnitId: 'unit-a',
    assistUnitIds: [],
    dueAt: action === 'mark_overdue' ? past : future,
    overdue: false,
    supervised: false,
    pendingExtension:
      action === 'approve_extension' || action === 'refuse_extension'
        ? { requestedDueAt: '2026-12-20T10:00:00+08:00', reason: '需现场勘验' }
        : null,
    satisfaction: action === 'reopen' ? 'unsatisfied' : status === 'followed_up' ? 'satisfied' : null,
    reopenCount: 0,
    mergedIntoId: null,
  };
}

function commandFor(action: WorkOrderAction): WorkOrderCommand {
  switch (action) {
    case 'assign':
      return { action, leadUnitId: 'unit-b', assistUnitIds: ['unit-c'] };
    case 'reassign':
      return { action, leadUnitId: 'unit-b', note: '属地调整' };
    case 'sign':
      return { action };
    case 'return':
      return { action, reasonCode: 'not_our_duty', note: '应由区住建委办理' };
    case 'start':
      return { action };
    case 'reply':
      return { action, reply: '已安排维修', result: 'resolved' };
    case 'answer_directly':
      return { action, reply: '已按知识库解答' };
    case 'request_extension':
      return { action, requestedDueAt: '2026-12-30T10:00:00+08:00', reason: '需协调多个部门' };
    case 'approve_extension':
      return { action };
    case 'refuse_extension':
      return { action, note: '理由不充分' };
    case 'follow_up':
      return { action, satisfaction: 'satisfied' };
    case 'reopen':
      return { action, note: '群众不满意', dueAt: '2026-12-12T10:00:00+08:00' };
    case 'archive':
      return { action, note: '审核归档' };
    case 'merge':
      return { action, intoWorkOrderId: 'wo-2' };
    case 'supervise':
      return { action, note: '请加快办理' };
    case 'mark_overdue':
      return { action };
  }
}

const rows = WORK_ORDER_STATUSES.flatMap((status) =>
  WORK_ORDER_ACTIONS.map((action) => {
    const target = (WORK_ORDER_TRANSITIONS[status] as Partial<Record<WorkOrderAction, string>>)[action];
    return { status, action, expected: target === undefined ? null : target === 'same' ? status : target };
  }),
);

describe('work-order transitions: every (status, action) pair', () => {
  it('has one row per pair', () => {
    expect(rows).toHaveLength(WORK_ORDER_STATUSES.length * WORK_ORDER_ACTIONS.length);
  });

  it.each(rows)('$status + $action → $expected', ({ status, action, expected }) => {
    const result = applyWorkOrderAction(stateFor(status, action), commandFor(action), now);
    if (expected === null) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe('WORK_ORDER_TRANSITION_NOT_ALLOWED');
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.value.from).toBe(status);
        expect(result.value.to).toBe(expected);
        expect(result.value.next.status).toBe(expected);
      }
    }
  });
});

describe('work-order guards', () => {
  const base = stateFor('in_progress', 'supervise');
  it('refuses a second extension request while one is pending', () => {
    const first = applyWorkOrderAction(base, commandFor('request_extension'), now);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = applyWorkOrderAction(first.value.next, commandFor('request_extension'), now);
    expect(second).toMatchObject({ ok: false, code: 'WORK_ORDER_EXTENSION_PENDING' });
  });
  it('approving an extension moves the due time and clears the pending request', () => {
    const r = applyWorkOrderAction(stateFor('signed', 'approve_extension'), { action: 'approve_extension' }, now);
    expect(r.ok && r.value.next.dueAt.toISOString()).toBe(new Date('2026-12-20T10:00:00+08:00').toISOString());
    expect(r.ok && r.value.next.pendingExtension).toBeNull();
  });
  it('refuses an extension that is not later than the current due time', () => {
    const r = applyWorkOrderAction(
      base,
      { action: 'request_extension', requestedDueAt: '2026-12-01T10:00:00+08:00', reason: 'x' },
      now,
    );
    expect(r).toMatchObject({ ok: false, code: 'WORK_ORDER_EXTENSION_INVALID' });
  });
  it('approve/refuse without a pending request is refused', () => {
    expect(applyWorkOrderAction(base, { action: 'approve_extension' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_NO_PENDING_EXTENSION',
    });
    expect(applyWorkOrderAction(base, { action: 'refuse_extension', note: 'x' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_NO_PENDING_EXTENSION',
    });
  });
  it('a follow-up records the survey, and 不满意 needs the reason (for the review before 重办)', () => {
    const replied = stateFor('replied', 'follow_up');
    expect(applyWorkOrderAction(replied, { action: 'follow_up', satisfaction: 'unsatisfied' }, now)).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
    const r = applyWorkOrderAction(
      replied,
      { action: 'follow_up', satisfaction: 'unsatisfied', note: '摊贩晚上又来了', contacted: true, resolved: false },
      now,
    );
    expect(r.ok && r.value.details).toEqual({
      satisfaction: 'unsatisfied',
      note: '摊贩晚上又来了',
      contacted: true,
      resolved: false,
    });
    expect(r.ok && r.value.next.satisfaction).toBe('unsatisfied');
  });
  it('reopens only after an unsatisfied follow-up', () => {
    const satisfied = { ...stateFor('followed_up', 'archive'), satisfaction: 'satisfied' as const };
    expect(applyWorkOrderAction(satisfied, commandFor('reopen'), now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_REOPEN_NOT_ALLOWED',
    });
    const r = applyWorkOrderAction(stateFor('followed_up', 'reopen'), commandFor('reopen'), now);
    expect(r.ok && r.value.next).toMatchObject({
      status: 'assigned',
      reopenCount: 1,
      satisfaction: null,
      overdue: false,
    });
  });
  it('archiving an unsatisfied or un-followed order needs a note', () => {
    const unsatisfied = stateFor('followed_up', 'reopen');
    expect(applyWorkOrderAction(unsatisfied, { action: 'archive' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_ARCHIVE_NEEDS_NOTE',
    });
    expect(applyWorkOrderAction(stateFor('replied', 'archive'), { action: 'archive' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_ARCHIVE_NEEDS_NOTE',
    });
    expect(applyWorkOrderAction(stateFor('followed_up', 'archive'), { action: 'archive' }, now).ok).toBe(true);
  });
  it('marks overdue once, and only after the due time', () => {
    const notDue = { ...stateFor('signed', 'mark_overdue'), dueAt: future };
    expect(applyWorkOrderAction(notDue, { action: 'mark_overdue' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_NOT_DUE',
    });
    const r = applyWorkOrderAction(stateFor('signed', 'mark_overdue'), { action: 'mark_overdue' }, now);
    expect(r.ok && r.value.next.overdue).toBe(true);
    if (!r.ok) return;
    expect(applyWorkOrderAction(r.value.next, { action: 'mark_overdue' }, now)).toMatchObject({
      ok: false,
      code: 'WORK_ORDER_ALREADY_OVERDUE',
    });
  });
  it('a lead unit cannot also assist, and a merge cannot target itself', () => {
    expect(
      applyWorkOrderAction(
        stateFor('received', 'assign'),
        { action: 'assign', leadUnitId: 'u', assistUnitIds: ['u'] },
        now,
      ),
    ).toMatchObject({ ok: false, code: 'WORK_ORDER_UNITS_INVALID' });
    expect(
      applyWorkOrderAction(stateFor('received', 'merge'), { action: 'merge', intoWorkOrderId: 'wo-1' }, now),
    ).toMatchObject({ ok: false, code: 'WORK_ORDER_MERGE_INVALID' });
  });
  it('does not mutate the input state', () => {
    const s = stateFor('received', 'assign');
    const copy = structuredClone(s);
    applyWorkOrderAction(s, commandFor('assign'), now);
    expect(s).toEqual(copy);
  });
});
