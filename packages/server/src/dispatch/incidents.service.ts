import {
  applyIncidentAction,
  allowedIncidentActions,
  maskName,
  maskPhone,
  seesCallerUnmasked,
  type DispatchTier,
  type IncidentCommand,
  type IncidentState,
  type Role,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError, fromDomain } from '../errors.ts';
import { checkRequestInput } from '../shared/request-input.ts';
import { findRequestDetail, findUnits } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import { triageChannel, type TriageService } from '../triage/triage.service.ts';
import {
  findIncident,
  findIncidentIdByClientRef,
  insertIncident,
  listIncidentActions,
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

export interface CreateIncidentInput {
  channel?: string;
  caller?: { name?: string; phone?: string };
  content: string;
  address?: string;
  districtCode?: string;
  streetCode?: string;
  lat?: number;
  lng?: number;
  receivedAt?: string;
  clientRef?: string;
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

  async create(actor: Actor, input: CreateIncidentInput): Promise<{ incident: IncidentRow; created: boolean }> {
    requirePermission(actor, 'incident.create');
    const { content, receivedAt } = checkRequestInput(input, '报警');
    const channel = input.channel ?? 'phone_110';
    const triage = await this.triage.suggest(content, triageChannel(channel)).catch(() => null);
    try {
      const incident = await insertIncident(
        this.db,
        {
          triage,
          channel: input.channel ?? 'phone_110',
          callerName: input.caller?.name?.trim() || null,
          callerPhone: input.caller?.phone?.trim() || null,
          content,
          address: input.address?.trim() ?? '',
          districtCode: input.districtCode ?? null,
          streetCode: input.streetCode ?? null,
          lat: input.lat ?? null,
          lng: input.lng ?? null,
          receivedAt,
          clientRef: input.clientRef ?? null,
          category: input.category,
          priority: input.priority ?? 2,
        },
        actor,
      );
      return { incident, created: true };
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === 'requests_client_ref_key' && input.clientRef) {
        const id = await findIncidentIdByClientRef(this.db, input.clientRef);
        if (id) return { incident: (await findIncident(this.db, id))!, created: false };
      }
      throw translatePgError(err);
    }
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'incident.read');
    const row = await findIncident(this.db, id);
    if (!row) throw new AppError('INCIDENT_NOT_FOUND');
    const [request, actions, units, triage] = await Promise.all([
      findRequestDetail(this.db, row.request_id),
      listIncidentActions(this.db, id),
      findUnits(this.db, row.unit_id ? [row.unit_id] : []),
      findTriage(this.db, row.request_id),
    ]);
    const unmasked = actor.role !== 'system' && seesCallerUnmasked(actor.role as Role, false);
    return {
      row,
      actions,
      triage,
      unit: units[0] ?? null,
      request: request && {
        ...request,
        caller_name: request.caller_name && (unmasked ? request.caller_name : maskName(request.caller_name)),
        caller_phone: request.caller_phone && (unmasked ? request.caller_phone : maskPhone(request.caller_phone)),
        callerMasked: !unmasked,
      },
      allowedActions: allowedIncidentActions(row.status).filter((a) => can(actor, `incident.${a}`)),
    };
  }

  async list(actor: Actor, filter: IncidentFilter) {
    requirePermission(actor, 'incident.read');
    return listIncidents(this.db, filter);
  }

  async act(actor: Actor, id: string, cmd: IncidentCommand): Promise<IncidentRow> {
    requirePermission(actor, `incident.${cmd.action}`);
    try {
      return await inTransaction(this.db, async (tx) => {
        const row = await findIncident(tx, id, true);
        if (!row) throw new AppError('INCIDENT_NOT_FOUND');
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
    } catch (err) {
      throw translatePgError(err);
    }
  }
}
