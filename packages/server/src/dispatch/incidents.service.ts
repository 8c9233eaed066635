import {
  applyIncidentAction,
  allowedIncidentActions,
  type DispatchTier,
  type IncidentCommand,
  type IncidentState,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import type { Db, Queryable, Tx } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { withVisibleCaller } from '../shared/caller.ts';
import { createOnce } from '../shared/create-once.ts';
import { withLockedRecord } from '../shared/locked-record.ts';
import { checkRequestInput, newRequest, type RequestInput } from '../shared/request-input.ts';
import { findByClientRef, findRequestDetail, findUnits, listActions } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import { triageChannel, type TriageService } from '../triage/triage.service.ts';
import {
  findIncident,
  insertIncident,
  listIncidents,
  saveIncidentTransition,
  type IncidentFilter,
  type IncidentRow,
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
  /** Called inside the transaction of every transition (the bridge closes the loop from here). */
  onTransition: (tx: Queryable, actor: Actor, row: IncidentRow, cmd: IncidentCommand) => Promise<void> = async () =>
    undefined;

  constructor(
    private readonly db: Db,
    private readonly triage: TriageService,
  ) {}

  async create(actor: Actor, input: CreateIncidentInput): Promise<{ record: IncidentRow; created: boolean }> {
    requirePermission(actor, 'incident.create');
    const checked = checkRequestInput(input, '报警');
    const channel = input.channel ?? 'phone_110';
    const triage = await this.triage.suggest(checked.content, triageChannel(channel)).catch(() => null);
    const values = {
      ...newRequest(input, checked, channel, triage),
      category: input.category,
      priority: input.priority ?? 2,
    };
    return createOnce(
      input.clientRef,
      () => insertIncident(this.db, values, actor),
      (ref) => findByClientRef<IncidentRow>(this.db, 'incidents', ref),
    );
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'incident.read');
    const row = await findIncident(this.db, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND');
    const [request, actions, units, triage] = await Promise.all([
      findRequestDetail(this.db, row.request_id),
      listActions(this.db, 'incident', id),
      findUnits(this.db, row.unit_id ? [row.unit_id] : []),
      findTriage(this.db, row.request_id),
    ]);
    return {
      row,
      actions,
      triage,
      unit: units[0] ?? null,
      request: withVisibleCaller(actor, request),
      allowedActions: allowedIncidentActions(row.status).filter((a) => can(actor, `incident.${a}`)),
    };
  }

  async list(actor: Actor, filter: IncidentFilter) {
    requirePermission(actor, 'incident.read');
    return listIncidents(this.db, filter);
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
      await this.onTransition(tx, actor, saved, cmd);
      return saved;
    });
  }
}
