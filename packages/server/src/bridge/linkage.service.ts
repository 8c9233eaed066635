/**
 * The seats' use cases on linkage items (对接事项): the queue, an item and its timeline, opening an item
 * from a local record, each step; and the operator's outbox. Each checks the permission, then calls the
 * protocol (BridgeService) in one transaction.
 */
import type { LinkageKind, MessageType } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { revealCaller } from '../shared/caller.ts';
import { findItem, findLatestItemForLocal, listEvents, listItems, listOutbox, type ItemRow } from './bridge.repo.ts';
import { BridgeAdminService } from './bridge-admin.service.ts';
import type { BridgeService, OpenInput } from './bridge.service.ts';
import { listActiveTargets } from './connectors.repo.ts';
import type { LocalRecords } from './local-records.ts';

export type ItemFilter = Parameters<typeof listItems>[1];

/** A seat's one click on a local record: the record is a work order or an incident, never both. */
export type OpenFromRecord = Omit<OpenInput, 'requestId' | 'localRef' | 'localNo'> & {
  kind: LinkageKind;
  workOrderId?: string;
  incidentId?: string;
};

export class LinkageService {
  constructor(
    private readonly db: Db,
    private readonly bridge: BridgeService,
    private readonly local: LocalRecords,
  ) {}

  async list(actor: Actor, filter: ItemFilter) {
    requirePermission(actor, 'linkage.read');
    return listItems(this.db, filter);
  }

  async get(actor: Actor, itemId: string) {
    requirePermission(actor, 'linkage.read');
    const item = await findItem(this.db, itemId);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    return { item, events: await listEvents(this.db, item.item_id) };
  }

  /**
   * The callback the caller agreed to share with the item, for a reader who sees it masked: on a stated
   * reason, audited (the opening carries a callback only with the caller's consent).
   */
  async revealCaller(actor: Actor, itemId: string, reason: string) {
    requirePermission(actor, 'linkage.read');
    const item = await findItem(this.db, itemId);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    const cb = (item.opening.callback ?? {}) as { name?: unknown; phone?: unknown };
    return revealCaller(this.db, actor, { kind: 'linkage_item', id: itemId, confidential: false }, reason, {
      name: typeof cb.name === 'string' ? cb.name : null,
      phone: typeof cb.phone === 'string' ? cb.phone : null,
    });
  }

  /** For the live stream: the item as it is now, for a reader already checked. */
  find(itemId: string): Promise<ItemRow | null> {
    return findItem(this.db, itemId);
  }

  /** The newest item opened from a local record (where a diversion went). */
  latestFor(localRef: string): Promise<ItemRow | null> {
    return findLatestItemForLocal(this.db, localRef);
  }

  /** The partner lines a seat may transfer to (119, 120, utilities, 综治中心, 挪车): names and kinds only. */
  async targets(actor: Actor) {
    requirePermission(actor, 'linkage.read');
    return listActiveTargets(this.db);
  }

  /** Opens an item from a local work order or incident: one click on the seat's side. */
  async open(actor: Actor, input: OpenFromRecord): Promise<ItemRow> {
    requirePermission(actor, 'linkage.act');
    const { workOrderId, incidentId, ...rest } = input;
    if (!!workOrderId === !!incidentId)
      throw new AppError('VALIDATION_FAILED', '须且只能指定 workOrderId 或 incidentId 之一');
    const ref = workOrderId
      ? await this.local.findRequestFor('work_order', workOrderId)
      : await this.local.findRequestFor('incident', incidentId!);
    if (!ref) throw new AppError(workOrderId ? 'WORK_ORDER_NOT_FOUND' : 'INCIDENT_NOT_FOUND');
    const localRef = (workOrderId ?? incidentId)!;
    const opened = await inTransaction(this.db, (tx) =>
      this.bridge.openWithLinked(tx, actor, { ...rest, requestId: ref.requestId, localRef, localNo: ref.localNo }),
    );
    return opened.item;
  }

  /**
   * A seat's answer or step on an item. Accepting a received item makes the local record (a work order at
   * 12345, an incident at 110) in the same transaction, its number going back as the receiver's reference.
   */
  async act(actor: Actor, itemId: string, type: MessageType, payload: Record<string, unknown>): Promise<ItemRow> {
    requirePermission(actor, 'linkage.act');
    const item = await findItem(this.db, itemId);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    if (type === 'transfer.accept') {
      // Checked and prepared (triage, deadline) before the transaction; written inside it.
      const prepared =
        item.side === 'receiver' && !item.local_ref && item.status === 'requested'
          ? await this.local.prepareFromLinkage(actor, item)
          : null;
      return inTransaction(this.db, (tx) => this.bridge.accept(tx, actor, itemId, prepared, payload));
    }
    const step = this.bridge.completeStep(actor, item, type, payload);
    return inTransaction(this.db, (tx) => this.bridge.send(tx, actor, itemId, type, step));
  }

  async outbox(actor: Actor, status: 'pending' | 'delivered' | 'dead') {
    requirePermission(actor, 'bridge.outbox');
    return listOutbox(this.db, status);
  }

  /** An operator sends a dead letter again (after fixing the peer's key or address): the same audited retry as 死信. */
  async retry(actor: Actor, id: string): Promise<void> {
    await new BridgeAdminService(this.db).retry(actor, id);
  }
}
