/**
 * Work-order use cases: each validates, applies the domain transition, and saves the row with its
 * action-log entry in one transaction.
 */
import {
  TERMINAL_WORK_ORDER_STATUSES,
  applyWorkOrderAction,
  allowedWorkOrderActions,
  redactText,
  seesCallerUnmasked,
  type WorkOrderAction,
  type WorkOrderCommand,
  type WorkOrderState,
  type TriageOutcome,
  type WorkOrderType,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { policy, type WorkOrderFacts } from '../auth/policy.ts';
import { inTransaction, type Db, type Queryable, type Tx } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { revealRequestCaller, withVisibleCaller } from '../shared/caller.ts';
import type { AfterTransition } from '../shared/after-transition.ts';
import { createOnce } from '../shared/create-once.ts';
import { withLockedRecord } from '../shared/locked-record.ts';
import { checkRequestInput, newRequest, type RequestInput } from '../shared/request-input.ts';
import { callerNamesOf, findByClientRef, findRequestDetail, findUnits, listActions } from '../shared/requests.repo.ts';
import type { DeadlinePolicy } from './deadline-policy.ts';
import { triageChannel, type TriageService } from '../triage/triage.service.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import {
  findSimilarRecent,
  findWorkOrder,
  findWorkOrderByNo,
  insertWorkOrder,
  listWorkOrders,
  saveWorkOrderTransition,
  type ListFilter,
  type NewWorkOrder,
  type WorkOrderRow,
} from './work-orders.repo.ts';

export interface CreateWorkOrderInput extends RequestInput {
  channel: string;
  orderType: WorkOrderType;
  categoryCode: string;
  title?: string;
  urgentKind?: string;
  leadUnitId?: string;
  assistUnitIds?: string[];
}

/** An intake checked and ready to write (WorkOrderService.prepare). */
export interface PreparedWorkOrder {
  values: NewWorkOrder;
  /** 派单 in the same step: named by the call-taker, or the district's agency for an urgent order. */
  assign: { leadUnitId: string; assistUnitIds: string[]; note?: string } | null;
  /** The triage suggestion saved with the request (null when the text could not be triaged). */
  triage: TriageOutcome | null;
}

const ASSIGNABLE_KINDS = new Set(['city_department', 'district_agency', 'district_department', 'street_office']);

const facts = (row: WorkOrderRow): WorkOrderFacts => ({
  leadUnitId: row.lead_unit_id,
  assistUnitIds: row.assist_unit_ids,
  districtCode: row.district_code,
});

function toState(row: WorkOrderRow): WorkOrderState {
  return {
    id: row.id,
    status: row.status,
    leadUnitId: row.lead_unit_id,
    assistUnitIds: row.assist_unit_ids,
    dueAt: row.due_at,
    overdue: row.overdue,
    supervised: row.supervised,
    pendingExtension: row.pending_extension,
    satisfaction: row.satisfaction,
    reopenCount: row.reopen_count,
    mergedIntoId: row.merged_into_id,
  };
}

export class WorkOrderService {
  /** `afterTransition` runs inside the transaction of every transition (the bridge closes the loop from there). */
  constructor(
    private readonly db: Db,
    private readonly deadlines: DeadlinePolicy,
    private readonly triage: TriageService,
    private readonly afterTransition: AfterTransition<WorkOrderRow, WorkOrderCommand>,
    private readonly onCreated: () => void = () => undefined,
  ) {}

  /** Does the actor's scope cover this order? (the policy's rule; a district agency's by the lead unit's district too) */
  private inScope(db: Queryable, actor: Actor, row: WorkOrderRow): Promise<boolean> {
    return policy.seesWorkOrder(actor, facts(row), async () => {
      const [lead] = await findUnits(db, row.lead_unit_id ? [row.lead_unit_id] : []);
      return lead?.district_code;
    });
  }

  private async validateUnits(db: Queryable, actor: Actor, leadUnitId: string, assistUnitIds: string[]): Promise<void> {
    const ids = [...new Set([leadUnitId, ...assistUnitIds])];
    const units = await findUnits(db, ids);
    for (const id of ids) {
      const u = units.find((x) => x.id === id);
      if (!u) throw new AppError('REFERENCE_NOT_FOUND', `单位不存在：${id}`, { field: 'unitId', unitId: id });
      if (!ASSIGNABLE_KINDS.has(u.kind) || !u.active)
        throw new AppError('UNIT_NOT_ASSIGNABLE', `“${u.name}”不能承办工单`, { unitId: id });
      // A district agency dispatches within its own district (二级派单).
      if (actor.role === 'district_agency' && u.district_code !== actor.districtCode) {
        throw new AppError('OUT_OF_SCOPE', `“${u.name}”不在本区县，不能由区县热线机构派单`, { unitId: id });
      }
    }
  }

  async create(actor: Actor, input: CreateWorkOrderInput): Promise<{ record: WorkOrderRow; created: boolean }> {
    const prepared = await this.prepare(actor, input);
    const made = await createOnce(
      input.clientRef,
      () => inTransaction(this.db, (tx) => this.insertPrepared(tx, actor, prepared)),
      (ref) => this.findByClientRef(ref),
    );
    if (made.created) this.onCreated();
    return made;
  }

  /**
   * An intake checked and made ready to write: permissions, the request's fields, its deadline and its
   * triage suggestion (saved with it, design §5). Writes nothing, so a use case that does more than
   * create (the call-taker's intake) can check everything before its transaction begins.
   */
  async prepare(actor: Actor, input: CreateWorkOrderInput): Promise<PreparedWorkOrder> {
    requirePermission(actor, 'work_order.create');
    if (input.leadUnitId) requirePermission(actor, 'work_order.assign');
    // Plan task 7: an urgent order (重症救治, 孕检生产, 应急救援) goes at once to the district's hotline
    // agency (第一时间形成紧急工单交相关区县热线机构办理), unless the call-taker named a lead unit.
    const fastChannel = !input.leadUnitId && Boolean(input.urgentKind) && Boolean(input.districtCode);
    const leadUnitId = input.leadUnitId ?? (fastChannel ? `d${input.districtCode}.agency` : undefined);
    const checked = checkRequestInput(input, '诉求');
    const dueAt = await this.deadlines.dueAt(input.orderType, Boolean(input.urgentKind), checked.receivedAt);
    const triage = await this.triage.suggest(checked.content, triageChannel(input.channel)).catch(() => null);
    const values = {
      ...newRequest(input, checked, input.channel, triage),
      orderType: input.orderType,
      categoryCode: input.categoryCode,
      // The title shows in every list: taken from the words without the caller's name and numbers.
      title: input.title?.trim() || redactText(checked.content, [input.caller?.name]).replace(/\s+/g, ' ').slice(0, 40),
      urgentKind: input.urgentKind ?? null,
      dueAt,
    };
    const assign = leadUnitId
      ? {
          leadUnitId,
          assistUnitIds: input.assistUnitIds ?? [],
          ...(fastChannel ? { note: '紧急工单，直派区县热线机构' } : {}),
        }
      : null;
    return { values, assign, triage };
  }

  /**
   * Writes a prepared order in the caller's transaction: 受理, and 派单 in the same step when a lead unit is
   * set; `marked` runs between the two (the intake marks a drill there, before 派单 is reported upward).
   */
  async insertPrepared(
    tx: Queryable,
    actor: Actor,
    prepared: PreparedWorkOrder,
    marked?: (order: WorkOrderRow) => Promise<void>,
  ): Promise<WorkOrderRow> {
    const { assign } = prepared;
    if (assign) await this.validateUnits(tx, actor, assign.leadUnitId, assign.assistUnitIds);
    let order = await insertWorkOrder(tx, prepared.values, actor);
    if (marked) {
      await marked(order);
      order = (await findWorkOrder(tx, order.id, true))!;
    }
    return assign ? this.transition(tx, actor, order, { action: 'assign', ...assign }) : order;
  }

  /** The order an intake with this client reference made (a retried intake finds it). */
  findByClientRef(clientRef: string, db: Queryable = this.db): Promise<WorkOrderRow | null> {
    return findByClientRef<WorkOrderRow>(db, 'work_orders', clientRef);
  }

  /** Counts an order made by another use case (the intake), as create() does. */
  countCreated(): void {
    this.onCreated();
  }

  /** The caller of an order in the actor's scope, for a reader who sees callers masked: on a reason, audited. */
  async revealCaller(actor: Actor, id: string, reason: string) {
    const row = await this.getReadable(actor, id);
    return revealRequestCaller(this.db, actor, { kind: 'work_order', id, requestId: row.request_id }, reason);
  }

  /** The order if the actor may read it (permission and scope), for modules that hang data on orders. */
  async getReadable(actor: Actor, id: string): Promise<WorkOrderRow> {
    requirePermission(actor, 'work_order.read');
    const row = await findWorkOrder(this.db, id);
    if (!row) throw new AppError('WORK_ORDER_NOT_FOUND');
    if (!(await this.inScope(this.db, actor, row))) throw new AppError('OUT_OF_SCOPE');
    return row;
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'work_order.read');
    const row = await findWorkOrder(this.db, id);
    if (!row) throw new AppError('WORK_ORDER_NOT_FOUND');
    if (!(await this.inScope(this.db, actor, row))) throw new AppError('OUT_OF_SCOPE');
    const [request, actions, triage] = await Promise.all([
      findRequestDetail(this.db, row.request_id),
      listActions(this.db, 'work_order', id),
      findTriage(this.db, row.request_id),
    ]);
    const unitIds = [...new Set([row.lead_unit_id, ...row.assist_unit_ids].filter((x): x is string => Boolean(x)))];
    const units = await findUnits(this.db, unitIds);
    const masked = actor.role !== 'system' && !seesCallerUnmasked(actor.role, request?.confidential ?? false);
    return {
      row: masked ? { ...row, title: redactText(row.title, [request?.caller_name]) } : row,
      actions,
      units,
      triage,
      request: withVisibleCaller(actor, request),
      allowedActions: this.allowedFor(actor, row),
    };
  }

  /** The actions this actor may take now: the state machine's moves, as the authorisation policy allows them. */
  allowedFor(actor: Actor, row: WorkOrderRow): WorkOrderAction[] {
    return policy.workOrderActionsOffered(actor, facts(row), toState(row), allowedWorkOrderActions(row.status));
  }

  /** Possible duplicates of a request being taken: same place and topic in the last `days` days. */
  async similar(
    actor: Actor,
    q: { address?: string; districtCode?: string; streetCode?: string; categoryCode?: string; days: number },
  ) {
    requirePermission(actor, 'work_order.create');
    if (!q.address?.trim() && !q.streetCode && !q.districtCode) return [];
    return findSimilarRecent(this.db, {
      address: q.address?.trim() || null,
      districtCode: q.districtCode ?? null,
      streetCode: q.streetCode ?? null,
      categoryCode: q.categoryCode ?? null,
      since: new Date(Date.now() - q.days * 86_400_000),
      limit: 5,
    });
  }

  async list(actor: Actor, filter: Omit<ListFilter, 'scope'>) {
    requirePermission(actor, 'work_order.read');
    const scope = policy.workOrderListScope(actor);
    // A number names a person: only roles that see callers may search by it, and a handler's search
    // does not link a caller who asked for confidentiality (保密) to the number.
    let phoneSkipsConfidential = false;
    if (filter.phone && actor.role !== 'system') {
      if (!seesCallerUnmasked(actor.role, false)) throw new AppError('FORBIDDEN', '该角色不能按来电号码查询工单');
      phoneSkipsConfidential = !seesCallerUnmasked(actor.role, true);
    }
    const listed = await listWorkOrders(this.db, { ...filter, phoneSkipsConfidential, scope });
    // A title typed, or taken from the words before titles left the caller out, may carry the caller's
    // name or number: out of it for readers who see callers masked.
    if (actor.role === 'system' || seesCallerUnmasked(actor.role, false)) return listed;
    const names = await callerNamesOf(
      this.db,
      listed.rows.map((r) => r.request_id),
    );
    return {
      ...listed,
      rows: listed.rows.map((r) => ({ ...r, title: redactText(r.title, [names.get(r.request_id)]) })),
    };
  }

  async act(actor: Actor, id: string, cmd: WorkOrderCommand): Promise<WorkOrderRow> {
    requirePermission(actor, `work_order.${cmd.action}`);
    const lock = (tx: Tx) => findWorkOrder(tx, id, true);
    return withLockedRecord(this.db, lock, 'WORK_ORDER_NOT_FOUND', async (tx, row) => {
      if (!(await this.inScope(tx, actor, row))) throw new AppError('OUT_OF_SCOPE');
      const refusal = policy.workOrderActionRefusal(actor, facts(row), cmd.action);
      if (refusal) throw refusal;
      if (cmd.action === 'assign' || cmd.action === 'reassign')
        await this.validateUnits(tx, actor, cmd.leadUnitId, cmd.assistUnitIds ?? []);
      let resolved: WorkOrderCommand = cmd;
      if (cmd.action === 'merge') {
        // By its number (what people see) or its id: exactly one of them.
        const byNo = (cmd as { intoWorkOrderNo?: string }).intoWorkOrderNo;
        if (!byNo === !cmd.intoWorkOrderId)
          throw new AppError('VALIDATION_FAILED', '须给出并入的工单编号（intoWorkOrderNo）或工单 id 之一');
        const target = byNo ? await findWorkOrderByNo(tx, byNo) : await findWorkOrder(tx, cmd.intoWorkOrderId);
        if (!target) throw new AppError('WORK_ORDER_NOT_FOUND', '并入的目标工单不存在');
        if (TERMINAL_WORK_ORDER_STATUSES.has(target.status))
          throw new AppError('WORK_ORDER_MERGE_INVALID', '目标工单已归档或已并单');
        resolved = {
          action: 'merge',
          intoWorkOrderId: target.id,
          ...(cmd.note !== undefined ? { note: cmd.note } : {}),
        };
      }
      const command: WorkOrderCommand =
        cmd.action === 'reopen' ? { ...cmd, dueAt: (await this.reopenDueAt(row)).toISOString() } : resolved;
      return this.transition(tx, actor, row, command);
    });
  }

  /** Applies a command to a locked row and saves it with its log entry (inside the caller's transaction). */
  async transition(tx: Queryable, actor: Actor, row: WorkOrderRow, cmd: WorkOrderCommand): Promise<WorkOrderRow> {
    const result = applyWorkOrderAction(toState(row), cmd, new Date());
    if (!result.ok) throw fromDomain(result);
    const { next, details } = result.value;
    const saved = await saveWorkOrderTransition(tx, row, next, {
      action: cmd.action,
      details,
      actor,
      reply: cmd.action === 'reply' || cmd.action === 'answer_directly' ? cmd.reply : null,
      repliedAt: cmd.action === 'reply' || cmd.action === 'answer_directly',
      closed: TERMINAL_WORK_ORDER_STATUSES.has(next.status),
    });
    await this.afterTransition(tx, actor, saved, cmd);
    return saved;
  }

  /** 重办 gets a fresh deadline from the order's time limit, counted from now. */
  async reopenDueAt(row: Pick<WorkOrderRow, 'order_type' | 'urgent'>): Promise<Date> {
    return this.deadlines.dueAt(row.order_type as WorkOrderType, row.urgent, new Date());
  }
}
