/**
 * What each role may do. Endpoints check the permission here and then the record's scope
 * (a department sees its own orders; a district its district).
 */
import {
  INCIDENT_ACTIONS,
  WORK_ORDER_ACTIONS,
  type IncidentAction,
  type Role,
  type WorkOrderAction,
} from '@liandong/domain';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';

export type Permission =
  | 'work_order.read'
  | 'work_order.create'
  | `work_order.${WorkOrderAction}`
  | 'incident.read'
  | 'incident.create'
  | `incident.${IncidentAction}`
  | 'reference.read'
  | 'admin.calendar'
  | 'admin.time_limits'
  | 'admin.users'
  | 'admin.connectors'
  /** units and the dispatch catalogue (派单目录), by form or bulk import */
  | 'admin.reference'
  | 'linkage.read'
  | 'caller.reveal'
  | 'linkage.act'
  | ConsolePagePermission
  | 'bridge.outbox'
  | 'work_order.attach'
  | 'reminder.send'
  | 'analytics.read'
  /** the 110 call-takers on duty per day (任务9), for the police figures */
  | 'admin.staffing'
  /** confirm a number from the harassment report onto the watch list, or take it off */
  | 'watch_list.manage'
  | 'telephony.agent'
  | 'telephony.supervise'
  | 'telephony.records'
  | 'telephony.import'
  | 'telephony.admin'
  | 'training.manage'
  /** file a request as a drill (应急演练): handled end to end, counted in no report */
  | 'exercise.run'
  /** look a caller up by number across requests (来电人历史): the roles that see callers unmasked */
  | 'caller.lookup'
  /** run the triage (分流研判) on a text and record the seat's decision */
  | 'triage.run'
  /** moderate what the public disclosure page shows (办理情况公开) */
  | 'disclosure.moderate'
  /** look a caller's own record up in the social-security, medical-insurance and housing-fund systems, with their consent */
  | 'business.lookup'
  | KnowledgePermission;

/**
 * Work queues, each a page of the console (its menu item `needs:` it): 工单查询 (all orders in view),
 * 我的工单 (a unit's own orders), 回访 (the follow-up calls and their review), 联动事项 (the linkage queue, worked or watched), and the 催办 bell.
 */
export type ConsolePagePermission =
  | 'incident.query'
  | 'work_order.query'
  | 'work_order.unit_queue'
  | 'work_order.follow_up_queue'
  | 'linkage.queue'
  | 'reminder.receive';

/** The knowledge base (GB/T 44191-2024): read; propose changes (the owning department); edit, review, publish (the 12345 centre). */
export type KnowledgePermission =
  'knowledge.read' | 'knowledge.propose' | 'knowledge.edit' | 'knowledge.review' | 'knowledge.publish';
const KNOWLEDGE_EDITOR: KnowledgePermission[] = [
  'knowledge.read',
  'knowledge.edit',
  'knowledge.review',
  'knowledge.publish',
];

const HANDLER_ACTIONS = [
  'sign',
  'return',
  'start',
  'reply',
  'request_extension',
] as const satisfies readonly WorkOrderAction[];
const CENTRE_ACTIONS = [
  'assign',
  'reassign',
  'answer_directly',
  'follow_up',
  'reopen',
  'archive',
  'merge',
] as const satisfies readonly WorkOrderAction[];

/**
 * Linkage items (对接事项): the seats act on them — 12345's call-takers and 110's dispatchers transfer,
 * the specialist seats (专席) accept, negotiate and answer; supervisors watch the queue (overdue, 催办)
 * and analysts read it.
 */
const LINKAGE_SEAT = ['linkage.read', 'linkage.act', 'linkage.queue'] as const satisfies readonly Permission[];

/**
 * Telephony (话务): the seats that take calls sign in, answer, transfer and call back; supervisors run
 * the wallboard and surge mode, import other lines' call records and keep the training log; analysts
 * read the records, the hotline assessment and the capacity plan.
 */
const TELEPHONY_SEAT = ['telephony.agent'] as const satisfies readonly Permission[];
const TELEPHONY_SUPERVISOR = [
  'telephony.supervise',
  'telephony.records',
  'telephony.import',
  'training.manage',
] as const satisfies readonly Permission[];

const wo = (actions: readonly WorkOrderAction[]) => actions.map((a) => `work_order.${a}` as Permission);
const inc = (actions: readonly IncidentAction[]) => actions.map((a) => `incident.${a}` as Permission);

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  call_taker: new Set([
    'work_order.query',
    'work_order.follow_up_queue',
    'reference.read',
    'work_order.read',
    'work_order.create',
    'work_order.attach',
    ...wo(CENTRE_ACTIONS),
    ...LINKAGE_SEAT,
    ...TELEPHONY_SEAT,
    'knowledge.read',
    'caller.lookup',
    'triage.run',
    'disclosure.moderate',
    'business.lookup',
  ]),
  dispatcher: new Set([
    'reference.read',
    'incident.read',
    'incident.create',
    ...inc(INCIDENT_ACTIONS),
    ...LINKAGE_SEAT,
    ...TELEPHONY_SEAT,
    'knowledge.read',
    'caller.lookup',
    'triage.run',
  ]),
  specialist_seat: new Set([
    'work_order.query',
    'reminder.receive',
    'reference.read',
    'work_order.read',
    'work_order.create',
    'incident.read',
    'incident.create',
    ...LINKAGE_SEAT,
    ...TELEPHONY_SEAT,
    'knowledge.read',
    // Their desk's undelivered and refused bridge messages, with retry (issue 11: the seats see them too).
    'bridge.outbox',
    'caller.lookup',
    'triage.run',
  ]),
  district_agency: new Set([
    'work_order.unit_queue',
    'reminder.receive',
    'reference.read',
    'work_order.read',
    'work_order.attach',
    ...wo(HANDLER_ACTIONS),
    'work_order.reassign',
    'work_order.approve_extension',
    'work_order.refuse_extension',
    'knowledge.read',
    'knowledge.propose',
  ]),
  department_handler: new Set([
    'work_order.unit_queue',
    'reminder.receive',
    'reference.read',
    'work_order.read',
    'work_order.attach',
    ...wo(HANDLER_ACTIONS),
    'knowledge.read',
    'knowledge.propose',
  ]),
  supervisor: new Set([
    'work_order.query',
    'incident.query',
    'work_order.follow_up_queue',
    'linkage.queue',
    'reference.read',
    'work_order.read',
    'incident.read',
    'work_order.supervise',
    'reminder.send',
    'analytics.read',
    'watch_list.manage',
    'work_order.approve_extension',
    'work_order.refuse_extension',
    'linkage.read',
    ...TELEPHONY_SUPERVISOR,
    ...KNOWLEDGE_EDITOR,
    'caller.lookup',
    'disclosure.moderate',
  ]),
  analyst: new Set([
    // Masked everywhere; one caller shown on a stated reason, audited (caller.reveal).
    'caller.reveal',
    'work_order.query',
    'incident.query',
    'reference.read',
    'work_order.read',
    'incident.read',
    'analytics.read',
    'linkage.read',
    'telephony.records',
    'knowledge.read',
  ]),
  admin: new Set([
    'work_order.query',
    'incident.query',
    'work_order.follow_up_queue',
    'reference.read',
    'work_order.read',
    'work_order.create',
    ...wo(WORK_ORDER_ACTIONS.filter((a) => a !== 'mark_overdue')),
    'incident.read',
    'incident.create',
    ...inc(INCIDENT_ACTIONS),
    'admin.calendar',
    'admin.time_limits',
    'admin.users',
    'admin.connectors',
    'admin.reference',
    'admin.staffing',
    'watch_list.manage',
    'bridge.outbox',
    'work_order.attach',
    'reminder.send',
    'analytics.read',
    ...LINKAGE_SEAT,
    ...TELEPHONY_SUPERVISOR,
    'telephony.admin',
    'exercise.run',
    ...KNOWLEDGE_EDITOR,
    'caller.lookup',
    'triage.run',
    'disclosure.moderate',
  ]),
};

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.role === 'system') return true;
  return ROLE_PERMISSIONS[actor.role].has(permission);
}

/** Actions a unit takes on an order it leads (签收, 退单, 办理, 办结, 申请延期). */
export const UNIT_BOUND_ACTIONS: ReadonlySet<WorkOrderAction> = new Set(HANDLER_ACTIONS);

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new AppError('FORBIDDEN');
}
