/** What this desk makes of an accepted linkage item, and how it finds the request behind a local record. */
import { acceptedOnReceipt, localRecordDraft, type MessageType } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Config } from '../config.ts';
import type { Db, Queryable } from '../db/pool.ts';
import { findIncident, type NewIncident } from '../dispatch/incidents.repo.ts';
import type { IncidentService } from '../dispatch/incidents.service.ts';
import { findWorkOrder } from '../hotline/work-orders.repo.ts';
import type { PreparedWorkOrder, WorkOrderService } from '../hotline/work-orders.service.ts';
import type { ItemRow } from './bridge.repo.ts';

/** A local record checked and ready to write (its triage and deadline computed), before the accepting transaction. */
export type PreparedLocal =
  | { desk: 'hotline'; itemId: string; order: PreparedWorkOrder }
  | { desk: 'dispatch'; itemId: string; incident: NewIncident };

/** The desks' records as the bridge sees them: made on acceptance, looked up when a seat opens an item. */
export interface LocalRecords {
  /** Does this desk accept such an opening on receipt, without a seat (emergencies at 110, urgent items at 12345)? */
  acceptsOnReceipt(type: MessageType, opening: Record<string, unknown>): boolean;
  /** Checks and prepares the record an item becomes; writes nothing (so the accept can be one transaction). */
  prepareFromLinkage(actor: Actor, item: Pick<ItemRow, 'item_id' | 'kind' | 'opening'>): Promise<PreparedLocal>;
  /** Writes the prepared record in the accepting transaction (a retry finds the record made the first time). */
  insertFromLinkage(tx: Queryable, actor: Actor, prepared: PreparedLocal): Promise<{ id: string; no: string }>;
  findRequestFor(kind: 'work_order' | 'incident', id: string): Promise<{ requestId: string; localNo: string } | null>;
}

export function localRecords(
  db: Db,
  desk: Config['desk'],
  workOrders: WorkOrderService,
  incidents: IncidentService,
): LocalRecords {
  const side = desk === 'dispatch' ? 'dispatch' : 'hotline';
  return {
    acceptsOnReceipt: (type, opening) => acceptedOnReceipt(side, type, opening),
    async prepareFromLinkage(actor, item) {
      // The item's id is the client reference: the request of a record made from it is unique.
      const common = { channel: 'transferred_in', clientRef: item.item_id };
      const draft = localRecordDraft(side, item.kind, item.opening);
      if (draft.desk === 'dispatch') {
        const { desk: _d, ...fields } = draft;
        return {
          desk: 'dispatch',
          itemId: item.item_id,
          incident: await incidents.prepare(actor, { ...common, ...fields }),
        };
      }
      const { desk: _d, urgent, ...fields } = draft;
      let order = await workOrders.prepare(actor, { ...common, ...fields });
      // An urgent item becomes a 紧急工单 of the kind this desk's triage names (plan task 7), sent to the district at once.
      if (urgent)
        order = await workOrders.prepare(actor, {
          ...common,
          ...fields,
          urgentKind: order.triage?.urgentKind ?? 'emergency_rescue',
        });
      return { desk: 'hotline', itemId: item.item_id, order };
    },
    async insertFromLinkage(tx, actor, prepared) {
      if (prepared.desk === 'dispatch') {
        const row =
          (await incidents.findByClientRef(tx, prepared.itemId)) ??
          (await incidents.insertPrepared(tx, actor, prepared.incident));
        return { id: row.id, no: row.no };
      }
      const row =
        (await workOrders.findByClientRef(prepared.itemId, tx)) ??
        (await workOrders.insertPrepared(tx, actor, prepared.order));
      return { id: row.id, no: row.no };
    },
    async findRequestFor(kind, id) {
      const row = kind === 'incident' ? await findIncident(db, id) : await findWorkOrder(db, id);
      return row ? { requestId: row.request_id, localNo: row.no } : null;
    },
  };
}
