import {
  applyIncidentAction,
  allowedIncidentActions,
  maskName,
  maskPhone,
  redactText,
  seesCallerUnmasked,
  type DispatchTier,
  type IncidentCommand,
  type IncidentState,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { policy } from '../auth/policy.ts';
import { inTransaction, type Db, type Queryable, type Tx } from '../db/pool.ts';
import type { AfterTransition } from '../shared/after-transition.ts';
import { AppError, fromDomain } from '../errors.ts';
import { revealRequestCaller, withVisibleCaller } from '../shared/caller.ts';
import { createOnce } from '../shared/create-once.ts';
import { withLockedRecord } from '../shared/locked-record.ts';
import { checkRequestInput, newRequest, type RequestInput } from '../shared/request-input.ts';
import { findByClientRef, findRequestDetail, findUnits, listActions, markExercise } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import { triageChannel, type TriageService } from '../triage/triage.service.ts';
import {
  findIncident,
  findIncidentLinkage,
  insertIncident,
  listIncidents,
  saveIncidentTransition,
  type IncidentFilter,
  type IncidentRow,
  type NewIncident,
} from './incidents.repo.ts';

/** Which units each dispatch tier may send (plan task 9: 指挥中心 / 业务警种 / 派出所). */
const TIER_UNIT_KINDS: Record<DispatchTier, readonly string[]> = {
  command_center: ['police_command', 'police_bureau'],
  specialized_police: ['police_specialized'],
  police_station: ['police_station'],
};

export interface CreateIncidentInput extends Omit<RequestInput, 'confidential'> {
  channel?: string;
  category: string;
  priority?: number;
  /** 应急演练 (for those who run drills): handled end to end, counted in no report. */
  exercise?: boolean;
}

const toState = (r: IncidentRow): IncidentState => ({
  status: r.status,
  category: r.category,
  tier: r.tier,
  unitId: r.unit_id,
  disposition: r.disposition,
  closeKind: r.close_kind,
});

export class IncidentService {
  /** `afterTransition` runs inside the transaction of every transition (the bridge closes the loop from there). */
  constructor(
    private readonly db: Db,
    private readonly triage: TriageService,
    private readonly afterTransition: AfterTransition<IncidentRow, IncidentCommand>,
  ) {}

  async create(actor: Actor, input: CreateIncidentInput): Promise<{ record: IncidentRow; created: boolean }> {
    const { exercise, ...alarm } = input;
    if (exercise) requirePermission(actor, 'exercise.run');
    const values = await this.prepare(actor, alarm);
    return createOnce(
      input.clientRef,
      () =>
        exercise
          ? // a drill is one from its first row: the request and its incident marked before any item is
            // opened from it (the items carry the flag to the peer, bridge-protocol 1.1)
            inTransaction(this.db, async (tx) => {
              const made = await insertIncident(tx, values, actor);
              await markExercise(tx, made.request_id);
              return (await findIncident(tx, made.id))!;
            })
          : insertIncident(this.db, values, actor),
      (ref) => findByClientRef<IncidentRow>(this.db, 'incidents', ref),
    );
  }

  /**
   * An alarm checked and ready to write (permission, fields, triage suggestion), writing nothing, so a
   * use case that does more (accepting a linkage item) writes it in its own transaction. Unless the
   * call-taker set the level, a matter the triage finds a danger now is 一级 (issue 11), otherwise 二级.
   */
  async prepare(actor: Actor, input: CreateIncidentInput): Promise<NewIncident> {
    requirePermission(actor, 'incident.create');
    const checked = checkRequestInput(input, '报警');
    const channel = input.channel ?? 'phone_110';
    const triage = await this.triage.suggest(checked.content, triageChannel(channel)).catch(() => null);
    return {
      ...newRequest(input, checked, channel, triage),
      category: input.category,
      priority: input.priority ?? (triage?.emergency ? 1 : 2),
    };
  }

  /** Writes a prepared alarm in the caller's transaction: caller, request, triage, incident, first log entry. */
  insertPrepared(tx: Queryable, actor: Actor, values: NewIncident): Promise<IncidentRow> {
    return insertIncident(tx, values, actor);
  }

  /** The incident an intake with this client reference made, within the caller's transaction. */
  findByClientRef(db: Queryable, clientRef: string): Promise<IncidentRow | null> {
    return findByClientRef<IncidentRow>(db, 'incidents', clientRef);
  }

  /** The caller of an incident, for a reader who sees callers masked: on a reason, audited. */
  async revealCaller(actor: Actor, id: string, reason: string) {
    requirePermission(actor, 'incident.read');
    const row = await findIncident(this.db, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND');
    return revealRequestCaller(this.db, actor, { kind: 'incident', id, requestId: row.request_id }, reason);
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'incident.read');
    const row = await findIncident(this.db, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND');
    const [request, actions, units, triage, linkage] = await Promise.all([
      findRequestDetail(this.db, row.request_id),
      listActions(this.db, 'incident', id),
      findUnits(this.db, row.unit_id ? [row.unit_id] : []),
      findTriage(this.db, row.request_id),
      findIncidentLinkage(this.db, id),
    ]);
    return {
      row,
      actions,
      triage,
      linkage,
      unit: units[0] ?? null,
      request: withVisibleCaller(actor, request),
      allowedActions: policy.incidentActionsOffered(actor, allowedIncidentActions(row.status)),
    };
  }

  async list(actor: Actor, filter: IncidentFilter) {
    requirePermission(actor, 'incident.read');
    const page = await listIncidents(this.db, filter);
    // The callback the 12345 caller agreed to, as this role may see a caller (an analyst's is masked).
    const unmasked = actor.role === 'system' || seesCallerUnmasked(actor.role, false);
    if (unmasked) return page;
    const mask = (c: unknown) => {
      const x = (c ?? null) as { name?: string; phone?: string } | null;
      return x && { name: x.name && maskName(x.name), phone: x.phone && maskPhone(x.phone) };
    };
    const named = (c: unknown) => (c as { name?: string } | null)?.name;
    return {
      ...page,
      rows: page.rows.map((r) => ({
        ...r,
        content: redactText(r.content, [named(r.linkage_callback)]),
        linkage_callback: mask(r.linkage_callback),
      })),
    };
  }

  async act(actor: Actor, id: string, cmd: IncidentCommand): Promise<IncidentRow> {
    requirePermission(actor, `incident.${cmd.action}`);
    const lock = (tx: Tx) => findIncident(tx, id, true);
    return withLockedRecord(this.db, lock, 'INCIDENT_NOT_FOUND', async (tx, row) => {
      if (cmd.action === 'dispatch' || cmd.action === 'redispatch') {
        const [unit] = await findUnits(tx, [cmd.unitId]);
        if (!unit) throw new AppError('REFERENCE_NOT_FOUND', `单位不存在：${cmd.unitId}`, { field: 'unitId' });
        if (!TIER_UNIT_KINDS[cmd.tier].includes(unit.kind) || !unit.active) {
          throw new AppError('UNIT_NOT_DISPATCHABLE', `“${unit.name}”不属于所选处警层级`, {
            unitId: unit.id,
            tier: cmd.tier,
          });
        }
      }
      const result = applyIncidentAction(toState(row), cmd);
      if (!result.ok) throw fromDomain(result);
      const saved = await saveIncidentTransition(tx, row, result.value.next, {
        action: cmd.action,
        details: result.value.details,
        actor,
        divertedTo: cmd.action === 'divert' ? cmd.target : null,
      });
      await this.afterTransition(tx, actor, saved, cmd);
      return saved;
    });
  }
}
