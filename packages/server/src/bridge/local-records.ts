/** What a desk makes of an accepted linkage item, and how it finds the request behind a local record. */
import { INCIDENT_CATEGORIES } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { IncidentService } from '../dispatch/incidents.service.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import type { ItemRow } from './bridge.repo.ts';
import type { LocalRecords } from './bridge.service.ts';

export function localRecords(
  db: Db,
  desk: Config['desk'],
  workOrders: WorkOrderService,
  incidents: IncidentService,
): LocalRecords & { findRequestFor(kind: string, id: string): Promise<{ requestId: string; localNo: string } | null> } {
  return {
    async createFromLinkage(actor: Actor, item: ItemRow) {
      const o = item.opening as Record<string, unknown>;
      const req = (o.request ?? {}) as Record<string, unknown>;
      const loc = (req.location ?? o.location ?? {}) as Record<string, unknown>;
      const triage = (req.triage ?? {}) as Record<string, unknown>;
      const content = String(req.content ?? o.summary ?? o.need ?? '对方平台转来的事项').slice(0, 5000);
      const districtCode =
        typeof loc.district === 'string' && /^50\d{4}$/.test(loc.district) ? loc.district : undefined;
      const address = typeof loc.address === 'string' ? loc.address.slice(0, 200) : undefined;
      if (desk === 'dispatch') {
        const cat =
          item.kind === 'emergency'
            ? 'emergency_help'
            : (INCIDENT_CATEGORIES as readonly string[]).includes(String(triage.category))
              ? String(triage.category)
              : 'public_help';
        const { record: incident } = await incidents.create(actor, {
          channel: 'transferred_in',
          content,
          address,
          districtCode,
          category: cat,
          priority: item.kind === 'emergency' ? 1 : 2,
          clientRef: item.item_id,
        });
        return { id: incident.id, no: incident.no };
      }
      const category =
        typeof triage.category === 'string' && /^[A-Z]{4}\d{2}$/.test(triage.category) ? triage.category : 'QTSX01';
      const { record: order } = await workOrders.create(actor, {
        channel: 'transferred_in',
        content,
        address,
        districtCode,
        orderType: item.kind === 'mediation' ? 'help' : 'complaint',
        categoryCode: category,
        clientRef: item.item_id,
      });
      return { id: order.id, no: order.no };
    },
    async findRequestFor(kind: string, id: string) {
      const table = kind === 'incident' ? 'incidents' : 'work_orders';
      const r = await db.query<{ request_id: string; no: string }>(
        `SELECT request_id, no FROM ${table} WHERE id = $1`,
        [id],
      );
      return r.rows[0] ? { requestId: r.rows[0].request_id, localNo: r.rows[0].no } : null;
    },
  };
}
