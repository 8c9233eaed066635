/**
 * The one authorisation policy: who may take which action on which record, and which records they see.
 * Both the actions a record offers (WorkOrderService.allowedFor, what the console shows) and the action
 * taken (WorkOrderService.act, what the server accepts) ask it, so the two cannot drift apart.
 *
 * The record's own state rules stay with the domain, which is their source (workOrderActionBlocked: the
 * status table, one extension request at a time); this adds the actor's rules:
 * - the permission of the role (permissions.ts);
 * - the unit-bound actions (签收, 退单, 办理, 办结, 申请延期): only the lead unit takes them;
 * - a district agency approves or refuses extensions of other units, never its own;
 * - scope: a department sees the orders it leads or assists, a district agency its district's.
 */
import {
  workOrderActionBlocked,
  type IncidentAction,
  type WorkOrderAction,
  type WorkOrderState,
} from '@liandong/domain';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { UNIT_BOUND_ACTIONS, can } from './permissions.ts';

/** What the policy reads of a work order. */
export interface WorkOrderFacts {
  leadUnitId: string | null;
  assistUnitIds: string[];
  districtCode: string | null;
}

/** The administrator and the system's sweeps act for any unit. */
const actsForAnyUnit = (actor: Actor) => actor.role === 'admin' || actor.role === 'system';

export const policy = {
  /** Why this actor may not take this action on this order (null: the actor may; the domain still checks the state). */
  workOrderActionRefusal(actor: Actor, order: WorkOrderFacts, action: WorkOrderAction): AppError | null {
    if (!can(actor, `work_order.${action}`)) return new AppError('FORBIDDEN');
    if (
      UNIT_BOUND_ACTIONS.has(action) &&
      !actsForAnyUnit(actor) &&
      (actor.unitId === null || order.leadUnitId !== actor.unitId)
    )
      return new AppError('OUT_OF_SCOPE', '只有主办单位可以执行此操作');
    if (
      actor.role === 'district_agency' &&
      (action === 'approve_extension' || action === 'refuse_extension') &&
      order.leadUnitId === actor.unitId
    )
      return new AppError('FORBIDDEN', '不能审批本单位的延期申请');
    return null;
  },

  /**
   * The actions a person is offered on an order now: the domain's moves from its state (the deadline
   * worker's 超期 is never offered), each the policy allows.
   */
  workOrderActionsOffered(
    actor: Actor,
    order: WorkOrderFacts,
    state: Pick<WorkOrderState, 'status' | 'pendingExtension'>,
    moves: readonly WorkOrderAction[],
  ): WorkOrderAction[] {
    return moves.filter(
      (a) =>
        a !== 'mark_overdue' &&
        workOrderActionBlocked(state, a) === null &&
        this.workOrderActionRefusal(actor, order, a) === null,
    );
  },

  /** The actions a person is offered on an incident: the domain's moves from its status the role may take. */
  incidentActionsOffered(actor: Actor, moves: readonly IncidentAction[]): IncidentAction[] {
    return moves.filter((a) => can(actor, `incident.${a}`));
  },

  /** Whether an order is in the actor's scope; `leadUnitDistrict` is asked only for a district agency. */
  async seesWorkOrder(
    actor: Actor,
    order: WorkOrderFacts,
    leadUnitDistrict: () => Promise<string | null | undefined>,
  ): Promise<boolean> {
    if (actor.role === 'department_handler')
      return order.leadUnitId === actor.unitId || (actor.unitId !== null && order.assistUnitIds.includes(actor.unitId));
    if (actor.role === 'district_agency')
      return order.districtCode === actor.districtCode || (await leadUnitDistrict()) === actor.districtCode;
    return true;
  },

  /** The part of the order list an actor sees (the list's SQL applies it). */
  workOrderListScope(actor: Actor): { unitId?: string; districtCode?: string } {
    if (actor.role === 'department_handler') return { unitId: actor.unitId ?? '-' };
    if (actor.role === 'district_agency') return { districtCode: actor.districtCode ?? '-' };
    return {};
  },
};
