/**
 * 催办: a supervisor's point-to-point reminder about an order or a linkage item. It reaches the
 * handler's console at once (NOTIFY → server-sent event) and the sender sees when it was read.
 */
import { OPEN_WORK_ORDER_STATUSES } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import { findItem } from '../bridge/bridge.repo.ts';
import {
  insertReminder,
  listAddressed,
  listForWorkOrder,
  listSentBy,
  markRead,
  type ReminderRow,
} from './reminders.repo.ts';

export class ReminderService {
  constructor(
    private readonly db: Db,
    private readonly workOrders: WorkOrderService,
  ) {}

  async remindWorkOrder(actor: Actor, workOrderId: string, message: string): Promise<ReminderRow> {
    requirePermission(actor, 'reminder.send');
    const order = await this.workOrders.getReadable(actor, workOrderId);
    if (!order.lead_unit_id) throw new AppError('REMINDER_NO_TARGET', '该工单尚未派单，没有可催办的承办单位');
    if (!OPEN_WORK_ORDER_STATUSES.has(order.status)) throw new AppError('REMINDER_NO_TARGET', '该工单已办结，无需催办');
    return insertReminder(this.db, {
      workOrderId: order.id,
      subject: `工单 ${order.no}：${order.title}`,
      targetUnitId: order.lead_unit_id,
      message,
      sentBy: actor.id!,
    });
  }

  /** A linkage item is handled by this desk's specialist seats, so the reminder reaches that role. */
  async remindLinkageItem(actor: Actor, itemId: string, message: string): Promise<ReminderRow> {
    requirePermission(actor, 'reminder.send');
    const item = await findItem(this.db, itemId);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    if (item.status === 'closed') throw new AppError('REMINDER_NO_TARGET', '该对接事项已闭环，无需催办');
    return insertReminder(this.db, {
      linkageItemId: item.item_id,
      subject: `对接事项 ${item.local_no ?? item.item_id}`,
      targetRole: 'specialist_seat',
      message,
      sentBy: actor.id!,
    });
  }

  async addressedTo(actor: Actor, limit = 50) {
    return listAddressed(this.db, { unitId: actor.unitId, role: actor.role }, limit);
  }

  async sentBy(actor: Actor, limit = 100) {
    requirePermission(actor, 'reminder.send');
    return listSentBy(this.db, actor.id!, limit);
  }

  async forWorkOrder(actor: Actor, workOrderId: string) {
    await this.workOrders.getReadable(actor, workOrderId);
    return listForWorkOrder(this.db, workOrderId);
  }

  async read(actor: Actor, id: string): Promise<void> {
    if (!(await markRead(this.db, id, { id: actor.id!, unitId: actor.unitId, role: actor.role })))
      throw new AppError('REMINDER_NOT_FOUND');
  }

  /** Is this reminder addressed to the actor? (the stream forwards only those) */
  isFor(actor: Actor, r: ReminderRow): boolean {
    return (r.target_unit_id !== null && r.target_unit_id === actor.unitId) || r.target_role === actor.role;
  }
}
