/** What this desk makes of an accepted linkage item, and how it finds the request behind a local record. */
import { localRecordDraft } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { findIncident } from '../dispatch/incidents.repo.ts';
import type { IncidentService } from '../dispatch/incidents.service.ts';
import { findWorkOrder } from '../hotline/work-orders.repo.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import type { ItemRow } from './bridge.repo.ts';

/** The desks' records as the bridge sees them: made on acceptance, looked up when a seat opens an item. */
export interface LocalRecords {
  createFromLinkage(actor: Actor, item: ItemRow): Promise<{ id: string; no: string }>;
  findRequestFor(kind: 'work_order' | 'incident', id: string): Promise<{ requestId: string; localNo: string } | null>;
}

export function localRecords(
  db: Db,
  desk: Config['desk'],
  workOrders: WorkOrderService,
  incidents: IncidentService,
): LocalRecords {
  return {
    async createFromLinkage(actor, item) {
      // The item's id is the client reference: accepting twice (a retry) finds the record made the first time.
      const common = { channel: 'transferred_in', clientRef: item.item_id };
      const draft = localRecordDraft(desk === 'dispatch' ? 'dispatch' : 'hotline', item.kind, item.opening);
      if (draft.desk === 'dispatch') {
        const { record } = await incidents.create(actor, { ...common, ...draft });
        return { id: record.id, no: record.no };
      }
      const { record } = await workOrders.create(actor, { ...common, ...draft });
      return { id: record.id, no: record.no };
    },
    async findRequestFor(kind, id) {
      const row = kind === 'incident' ? await findIncident(db, id) : await findWorkOrder(db, id);
      return row ? { requestId: row.request_id, localNo: row.no } : null;
    },
  };
}
