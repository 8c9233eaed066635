/**
 * What the desks' transitions mean to the bridge, inside the transition's transaction:
 * - a 12345 reply concludes the work order made from an accepted item: its feedback goes back;
 * - a 110 feedback does the same for an incident;
 * - a 110 diversion (分流) opens an item to 12345 or to the partner line of its target.
 */
import { dispositionForReply, type IncidentCommand, type WorkOrderCommand } from '@liandong/domain';
import type { IncidentRow } from '../dispatch/incidents.repo.ts';
import type { WorkOrderRow } from '../hotline/work-orders.repo.ts';
import type { AfterTransition } from '../shared/after-transition.ts';
import type { BridgeService } from './bridge.service.ts';

export interface DeskEvents {
  afterWorkOrderTransition: AfterTransition<WorkOrderRow, WorkOrderCommand>;
  afterIncidentTransition: AfterTransition<IncidentRow, IncidentCommand>;
}

export function bridgeDeskEvents(bridge: BridgeService): DeskEvents {
  return {
    async afterWorkOrderTransition(tx, actor, row, cmd) {
      if (cmd.action !== 'reply') return;
      await bridge.concludeLocal(tx, actor, row.id, {
        disposition: (kind) => dispositionForReply(cmd.result, kind),
        summary: cmd.reply,
        handledBy: row.lead_unit_id ?? row.no,
      });
    },
    async afterIncidentTransition(tx, actor, row, cmd) {
      if (cmd.action === 'feedback')
        await bridge.concludeLocal(tx, actor, row.id, {
          disposition: () => cmd.disposition,
          summary: cmd.summary,
          handledBy: row.unit_id ?? row.no,
        });
      if (cmd.action === 'divert') await bridge.divert(tx, actor, row, cmd.target, cmd.note);
    },
  };
}
