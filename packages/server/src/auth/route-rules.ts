/**
 * The authorisation table: every route the server registers, keyed `"METHOD /url"` exactly as Fastify
 * registers it, says who may call it and on which desk it exists. It is the truth: app.ts refuses to
 * start when a route has no rule (so a new endpoint without one fails every test), and a preValidation
 * hook refuses a caller the rule does not allow (403 FORBIDDEN) before the body is read or the handler
 * runs. The handlers keep their own checks and the record's scope (defence in depth).
 * docs/authorisation.md is generated from this table and ROLE_PERMISSIONS (`npm run docs:authz`).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { can, type Permission } from './permissions.ts';

export type DeskName = 'hotline' | 'dispatch';

export type Access =
  /** No log-in (the log-in itself, the citizens' channel, the desk's name, health). */
  | { kind: 'public' }
  /** Any logged-in user. */
  | { kind: 'authenticated' }
  /** A logged-in user whose role has one of these permissions. */
  | { kind: 'permission'; anyOf: readonly Permission[] }
  /** The peer desk or a connector, authenticated by its signature (no session). */
  | { kind: 'peer' }
  /** A registered Open311 client application, by its api_key (no session). */
  | { kind: 'client' }
  /** Governed by a deployment setting (METRICS_ACCESS, DOCS_ACCESS), checked where the route is served. */
  | { kind: 'setting'; setting: string };

export interface RouteRule {
  access: Access;
  /** The desks the route is registered on. */
  desks: readonly DeskName[];
  /** The scope within the allowed roles, in a few words. */
  scope: string;
  /** The message of the 403 when the handler has said it more precisely than 无权执行此操作 (Chinese). */
  refusal?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's rule, attached at registration (route-rules.ts). */
    authz?: RouteRule;
  }
}

const BOTH: readonly DeskName[] = ['hotline', 'dispatch'];
const H: readonly DeskName[] = ['hotline'];
const D: readonly DeskName[] = ['dispatch'];

const pub = (scope: string, desks = BOTH): RouteRule => ({ access: { kind: 'public' }, desks, scope });
const signed = (scope: string, desks = BOTH): RouteRule => ({ access: { kind: 'peer' }, desks, scope });
const client = (scope: string, desks = BOTH): RouteRule => ({ access: { kind: 'client' }, desks, scope });
const anyone = (scope: string, desks = BOTH): RouteRule => ({ access: { kind: 'authenticated' }, desks, scope });
const setting = (name: string, scope: string, desks = BOTH): RouteRule => ({
  access: { kind: 'setting', setting: name },
  desks,
  scope,
});
const perm = (p: Permission | readonly Permission[], scope: string, desks = BOTH, refusal?: string): RouteRule => ({
  access: { kind: 'permission', anyOf: typeof p === 'string' ? [p] : p },
  desks,
  scope,
  ...(refusal ? { refusal } : {}),
});

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /api/admin/audit': perm('admin.users', 'the administration audit trail'),
  'GET /api/admin/bridge/dead-letters': perm('bridge.outbox', 'this desk’s undelivered and refused bridge messages'),
  'POST /api/admin/bridge/dead-letters/:id/retry': perm(
    'bridge.outbox',
    'this desk’s undelivered and refused bridge messages',
  ),
  'GET /api/admin/bridge/refusals': perm('bridge.outbox', 'this desk’s undelivered and refused bridge messages'),
  'GET /api/admin/calendar': perm('admin.calendar', 'the city’s working calendar'),
  'DELETE /api/admin/calendar/:date': perm('admin.calendar', 'the city’s working calendar'),
  'PUT /api/admin/calendar/:date': perm('admin.calendar', 'the city’s working calendar'),
  'GET /api/admin/categories': perm('admin.reference', 'units and the dispatch catalogue'),
  'POST /api/admin/categories': perm('admin.reference', 'units and the dispatch catalogue'),
  'PATCH /api/admin/categories/:code': perm('admin.reference', 'units and the dispatch catalogue'),
  'GET /api/admin/connectors': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'POST /api/admin/connectors': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'PATCH /api/admin/connectors/:id': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'PUT /api/admin/connectors/:id': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'DELETE /api/admin/connectors/:id': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'POST /api/admin/connectors/:id/rotate-key': perm('admin.connectors', 'connected units (联动单位) and their keys'),
  'GET /api/admin/dispatch-models': perm('admin.reference', 'smart-dispatch models', H),
  'POST /api/admin/dispatch-models': perm('admin.reference', 'smart-dispatch models', H),
  'POST /api/admin/dispatch-models/:version/activate': perm('admin.reference', 'smart-dispatch models', H),
  'POST /api/admin/dispatch-models/train': perm('admin.reference', 'smart-dispatch models', H),
  'POST /api/admin/import/:kind': perm(
    ['admin.reference', 'admin.users'],
    'units, catalogue: admin.reference; users: admin.users',
  ),
  'GET /api/admin/import/:kind/template': perm(
    ['admin.reference', 'admin.users'],
    'units, catalogue: admin.reference; users: admin.users',
  ),
  'GET /api/admin/ivr': perm('admin.reference', 'the IVR menu', H),
  'POST /api/admin/ivr': perm('admin.reference', 'the IVR menu', H),
  'POST /api/admin/ivr/simulate': perm('admin.reference', 'the IVR menu', H),
  'GET /api/admin/ivr/versions': perm('admin.reference', 'the IVR menu', H),
  'GET /api/admin/ivr/versions/:version': perm('admin.reference', 'the IVR menu', H),
  'GET /api/admin/open311-clients': perm('admin.connectors', 'Open311 client applications and their keys', H),
  'PUT /api/admin/open311-clients/:id': perm('admin.connectors', 'Open311 client applications and their keys', H),
  'PUT /api/admin/telephony/seats/:extension': perm('telephony.admin', 'the desk’s seats (extensions)'),
  'GET /api/admin/time-limits': perm('admin.time_limits', 'time limits per order type'),
  'PUT /api/admin/time-limits': perm('admin.time_limits', 'time limits per order type'),
  'GET /api/admin/triage-catalogue': perm('reference.read', 'the published duty catalogue'),
  'POST /api/admin/triage-catalogue': perm('admin.reference', 'drafts and publishing of the duty catalogue'),
  'GET /api/admin/triage-catalogue/peer-conflicts': perm(
    'reference.read',
    'the peer desk’s catalogues this desk could not install',
  ),
  'GET /api/admin/triage-catalogue/:version': perm('reference.read', 'a published version of the duty catalogue'),
  'GET /api/admin/triage-catalogue/drafts': perm('admin.reference', 'drafts and publishing of the duty catalogue'),
  'POST /api/admin/triage-catalogue/drafts': perm('admin.reference', 'drafts and publishing of the duty catalogue'),
  'DELETE /api/admin/triage-catalogue/drafts/:id': perm(
    'admin.reference',
    'drafts and publishing of the duty catalogue',
  ),
  'GET /api/admin/triage-catalogue/drafts/:id': perm('admin.reference', 'drafts and publishing of the duty catalogue'),
  'PATCH /api/admin/triage-catalogue/drafts/:id': perm(
    'admin.reference',
    'drafts and publishing of the duty catalogue',
  ),
  'DELETE /api/admin/triage-catalogue/drafts/:id/entries/:code': perm(
    'admin.reference',
    'drafts and publishing of the duty catalogue',
  ),
  'PUT /api/admin/triage-catalogue/drafts/:id/entries/:code': perm(
    'admin.reference',
    'drafts and publishing of the duty catalogue',
  ),
  'POST /api/admin/triage-catalogue/drafts/:id/publish': perm(
    'admin.reference',
    'drafts and publishing of the duty catalogue',
  ),
  'GET /api/admin/units': perm('admin.reference', 'units and the dispatch catalogue'),
  'POST /api/admin/units': perm('admin.reference', 'units and the dispatch catalogue'),
  'PATCH /api/admin/units/:id': perm('admin.reference', 'units and the dispatch catalogue'),
  'GET /api/admin/users': perm('admin.users', 'users of this desk; the last administrator protected'),
  'POST /api/admin/users': perm('admin.users', 'users of this desk; the last administrator protected'),
  'PATCH /api/admin/users/:id': perm('admin.users', 'users of this desk; the last administrator protected'),
  'POST /api/admin/users/:id/totp/reset': perm('admin.users', 'users of this desk; the last administrator protected'),
  'POST /api/admin/users/:id/unlock': perm('admin.users', 'users of this desk; the last administrator protected'),
  'GET /api/analytics/overview': perm('analytics.read', 'figures without callers'),
  'POST /api/analytics/share/pull': perm('analytics.read', 'the peer desk’s pseudonymised figures'),
  'GET /api/analytics/units': perm('analytics.read', 'figures without callers'),
  'GET /api/attachments/:id': perm('work_order.read', 'an attachment of an order in scope', H),
  'POST /api/auth/login': pub('users bound to this desk'),
  'POST /api/auth/login/totp': pub('second step of a log-in'),
  'POST /api/auth/logout': anyone('own session and account'),
  'GET /api/auth/me': anyone('own session and account'),
  'POST /api/auth/password': anyone('own session and account'),
  'POST /api/auth/renew': anyone('own session and account'),
  'POST /api/auth/totp/confirm': anyone('own session and account'),
  'POST /api/auth/totp/disable': anyone('own session and account'),
  'POST /api/auth/totp/enrol': anyone('own session and account'),
  'GET /api/bridge/outbox': perm('bridge.outbox', 'this desk’s outgoing bridge messages'),
  'POST /api/bridge/outbox/:id/retry': perm('bridge.outbox', 'this desk’s outgoing bridge messages'),
  'GET /api/callers': perm(
    'caller.lookup',
    'a caller’s history by number; roles that see callers',
    BOTH,
    '该角色不能按来电号码查询来电人',
  ),
  'GET /api/desk': pub('which desk this is, for the console’s header'),
  'POST /api/disclosure/:workOrderId': perm('disclosure.moderate', 'show or withhold a reply publicly', H),
  'GET /api/disclosure/pending': perm('disclosure.moderate', 'replies waiting to be shown publicly', H),
  'POST /api/eido': perm('incident.create', 'an incident from an EIDO document', D),
  'GET /api/incidents': perm('incident.read', 'all incidents; caller masked for analyst', D),
  'POST /api/incidents': perm('incident.create', 'incidents on this desk', D),
  'GET /api/incidents/:id': perm('incident.read', 'caller masked for analyst', D),
  'POST /api/incidents/:id/arrive': perm('incident.arrive', 'incidents on this desk', D),
  'POST /api/incidents/:id/close': perm('incident.close', 'incidents on this desk', D),
  'POST /api/incidents/:id/dispatch': perm('incident.dispatch', 'incidents on this desk', D),
  'POST /api/incidents/:id/divert': perm('incident.divert', 'incidents on this desk', D),
  'GET /api/incidents/:id/eido': perm('incident.read', 'an incident as an EIDO document', D),
  'POST /api/incidents/:id/feedback': perm('incident.feedback', 'incidents on this desk', D),
  'POST /api/incidents/:id/handle': perm('incident.handle', 'incidents on this desk', D),
  'POST /api/incidents/:id/mark-invalid': perm('incident.mark_invalid', 'incidents on this desk', D),
  'POST /api/incidents/:id/reclassify': perm('incident.reclassify', 'incidents on this desk', D),
  'POST /api/incidents/:id/redispatch': perm('incident.redispatch', 'incidents on this desk', D),
  'POST /api/incidents/:id/reveal-caller': perm(
    'caller.reveal',
    'one caller on a stated reason, audited; never a confidential caller',
    D,
  ),
  'GET /api/incidents/export.xlsx': perm('incident.read', 'all incidents; caller masked for analyst', D),
  'GET /api/phrases': perm('work_order.create', 'this desk’s 常用语 (intake phrases)', H),
  'GET /api/admin/phrases': perm('admin.reference', 'this desk’s 常用语 (intake phrases)', H),
  'POST /api/admin/phrases': perm('admin.reference', 'this desk’s 常用语 (intake phrases)', H),
  'PATCH /api/admin/phrases/:id': perm('admin.reference', 'this desk’s 常用语 (intake phrases)', H),
  'DELETE /api/admin/phrases/:id': perm('admin.reference', 'this desk’s 常用语 (intake phrases)', H),
  'PUT /api/admin/phrases/order': perm('admin.reference', 'this desk’s 常用语 (intake phrases)', H),
  'POST /api/intake/invalid-calls': perm(
    'work_order.create',
    'a call marked 无效 or 骚扰: a request, no work order',
    H,
  ),
  'POST /api/intake': perm(
    'work_order.create',
    'a call taken: order, transfer (linkage.act) or answer (work_order.answer_directly)',
    H,
  ),
  'GET /api/knowledge/articles': perm('knowledge.read', 'published articles; drafts to editors and their authors', H),
  'POST /api/knowledge/articles': perm(
    ['knowledge.edit', 'knowledge.propose'],
    'editors; a unit proposes for its own matters',
    H,
  ),
  'GET /api/knowledge/articles/:id': perm(
    'knowledge.read',
    'published articles; drafts to editors and their authors',
    H,
  ),
  'POST /api/knowledge/articles/:id/versions': perm(
    ['knowledge.edit', 'knowledge.propose'],
    'editors; a unit proposes for its own matters',
    H,
  ),
  'GET /api/knowledge/articles/:id/versions/:version': perm(
    'knowledge.read',
    'published articles; drafts to editors and their authors',
    H,
  ),
  'POST /api/knowledge/articles/:id/versions/:version/publish': perm('knowledge.publish', 'the 12345 centre', H),
  'POST /api/knowledge/articles/:id/versions/:version/review': perm('knowledge.review', 'the 12345 centre', H),
  'POST /api/knowledge/articles/:id/versions/:version/send-back': perm('knowledge.review', 'the 12345 centre', H),
  'POST /api/knowledge/articles/:id/versions/:version/withdraw': perm(
    ['knowledge.publish', 'knowledge.propose'],
    'the centre; an author their own unpublished proposal',
    H,
  ),
  'GET /api/lookups/systems': perm('business.lookup', 'the 12345 call-takers', H),
  'POST /api/lookups/consents': perm('business.lookup', 'the 12345 call-takers', H),
  'POST /api/lookups': perm('business.lookup', "the consent's own call-taker, within its 60 minutes", H),
  'GET /api/knowledge/tasks': perm(
    ['knowledge.edit', 'knowledge.propose'],
    "a department its own subjects' tasks; the centre's editors and supervisors all",
    H,
  ),
  'POST /api/knowledge/tasks': perm('knowledge.edit', 'the 12345 centre', H),
  'POST /api/knowledge/tasks/:id/draft': perm(
    ['knowledge.edit', 'knowledge.propose'],
    "the task's department, or the centre's editors",
    H,
  ),
  'POST /api/knowledge/tasks/:id/link': perm('knowledge.edit', 'the 12345 centre', H),
  'POST /api/knowledge/tasks/:id/dismiss': perm('knowledge.edit', 'the 12345 centre', H),
  'GET /api/knowledge/search': perm('knowledge.read', 'published articles; drafts to editors and their authors', H),
  'GET /api/knowledge/sources': perm('knowledge.read', 'published articles; drafts to editors and their authors', H),
  'GET /api/knowledge/suggest': perm('knowledge.read', 'published articles; drafts to editors and their authors', H),
  'GET /api/linkage/items': perm('linkage.read', 'all linkage items; caller masked for analyst'),
  'POST /api/linkage/items': perm('linkage.act', 'open a transfer or consultation from a local record'),
  'GET /api/linkage/items/:itemId': perm('linkage.read', 'caller masked for analyst'),
  'POST /api/linkage/items/:itemId/accept': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/confirm': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/dispute': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'GET /api/linkage/items/:itemId/eido': perm('incident.read', 'a linkage item’s incident as EIDO', D),
  'POST /api/linkage/items/:itemId/feedback': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/negotiate': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/reject': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/remind': perm('reminder.send', 'an overdue linkage item'),
  'POST /api/linkage/items/:itemId/resolve': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'POST /api/linkage/items/:itemId/reveal-caller': perm('caller.reveal', 'one caller on a stated reason, audited'),
  'POST /api/linkage/items/:itemId/status': perm('linkage.act', 'items on this desk’s side of the exchange'),
  'GET /api/linkage/stream': perm('linkage.read', 'linkage changes; caller masked for analyst'),
  'GET /api/linkage/targets': perm('linkage.read', 'where an item may be transferred'),
  'POST /api/public/chat': pub('citizens: self-service answers from published articles, no log-in', H),
  'GET /api/public/challenge': pub('citizens: the web channel, status by number and code, disclosure', H),
  'POST /api/public/danger-check': pub('citizens: the web channel, status by number and code, disclosure', H),
  'GET /api/public/disclosure': pub('citizens: the web channel, status by number and code, disclosure', H),
  'GET /api/public/districts/:code/streets': pub('citizens: the web channel, status by number and code, disclosure', H),
  'GET /api/public/guide': pub('the public service guide', H),
  'GET /api/public/meta': pub('citizens: the web channel, status by number and code, disclosure', H),
  'POST /api/public/requests': pub('citizens: the web channel, status by number and code, disclosure', H),
  'GET /api/public/requests/:no': pub('citizens: the web channel, status by number and code, disclosure', H),
  'POST /api/sms/inbound': signed('the SMS gateway, signed: a citizen’s answer to a 回访 survey', H),
  'POST /api/sms/reports': signed('the SMS gateway, signed: a delivery report of a text it took', H),
  'GET /api/reference/categories': perm('reference.read', 'districts, units, categories, enums'),
  'GET /api/reference/districts': perm('reference.read', 'districts, units, categories, enums'),
  'GET /api/reference/districts/:code/streets': perm('reference.read', 'districts, units, categories, enums'),
  'GET /api/reference/enums': perm('reference.read', 'districts, units, categories, enums'),
  'GET /api/reference/units': perm('reference.read', 'districts, units, categories, enums'),
  'GET /api/reminders': anyone('reminders addressed to own unit or role'),
  'POST /api/reminders/:id/read': anyone('a reminder addressed to own unit or role'),
  'GET /api/reminders/sent': perm('reminder.send', 'reminders one sent'),
  'GET /api/reminders/stream': anyone('reminders addressed to own unit or role, as they are sent'),
  'GET /api/reports/annual': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/reports/harassment': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/reports/harassment/watch': perm('analytics.read', 'the watch list (numbers masked for analysts)'),
  'POST /api/reports/harassment/watch': perm('watch_list.manage', 'confirm a number onto the watch list'),
  'DELETE /api/reports/harassment/watch/:id': perm('watch_list.manage', 'take a number off the watch list'),
  'GET /api/reports/hotspots': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/reports/monthly': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/reports/police-figures': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'PUT /api/reports/police-figures/staffing': perm('admin.staffing', 'the 110 call-takers on duty per day'),
  'GET /api/reports/quarterly': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/reports/weekly-faq': perm('analytics.read', 'reports; callers pseudonymised or masked'),
  'GET /api/requests/:id/calls': perm(['telephony.agent', 'telephony.records'], 'the calls of a request'),
  'GET /api/requests/:id/triage': perm(
    ['work_order.read', 'incident.read', 'triage.run'],
    'the request’s order or incident in scope',
  ),
  'POST /api/requests/:id/triage-decision': perm('triage.run', 'the seat’s decision on a triage'),
  'POST /api/telephony/agent/sign-in': perm('telephony.agent', 'own seat'),
  'POST /api/telephony/agent/state': perm('telephony.agent', 'own seat'),
  'GET /api/telephony/assessment': perm('telephony.records', 'the hotline assessment'),
  'GET /api/telephony/call-backs': perm('telephony.agent', 'call-backs due'),
  'POST /api/telephony/call-backs/:id/done': perm('telephony.agent', 'call-backs due'),
  'POST /api/telephony/call-records/import': perm('telephony.import', 'other lines’ call records'),
  'GET /api/telephony/callers/:number': perm('telephony.agent', 'the caller on the line'),
  'GET /api/telephony/calls': perm('telephony.records', 'call records (话单); numbers masked for analyst'),
  'GET /api/telephony/calls/:id': perm('telephony.records', 'a call record; numbers masked for analyst'),
  'POST /api/telephony/calls/:id/request': perm('telephony.agent', 'own call'),
  'POST /api/telephony/calls/:id/transfer': perm('telephony.agent', 'own call'),
  'POST /api/telephony/calls/:id/consult': perm('telephony.agent', 'own call'),
  'POST /api/telephony/calls/:id/consult/complete': perm('telephony.agent', 'own call'),
  'POST /api/telephony/calls/:id/consult/cancel': perm('telephony.agent', 'own call'),
  'GET /api/telephony/calls/by-ref/:ref': perm(['telephony.agent', 'telephony.records'], 'a call’s legs'),
  'GET /api/telephony/capacity': perm('telephony.records', 'the capacity plan'),
  'GET /api/telephony/me': anyone('own seat, if any'),
  'PUT /api/telephony/queues/:id/surge': perm('telephony.supervise', 'surge mode of a queue'),
  'GET /api/telephony/seats': perm('telephony.supervise', 'the desk’s seats'),
  'GET /api/telephony/status': anyone('whether the desk’s switch runs'),
  'GET /api/telephony/stream': anyone('own seat’s events; the wallboard with telephony.supervise'),
  'GET /api/telephony/wallboard': perm('telephony.supervise', 'the desk’s queues and seats'),
  'GET /api/training/check': perm('training.manage', 'the training log'),
  'GET /api/training/sessions': perm('training.manage', 'the training log'),
  'POST /api/training/sessions': perm('training.manage', 'the training log'),
  'POST /api/triage': perm('triage.run', 'a text, while taking a call'),
  'GET /api/work-orders': perm(
    'work_order.read',
    'department: own unit’s orders (lead or assisting); district agency: its district; others: all',
    H,
  ),
  'POST /api/work-orders': perm('work_order.create', 'intake at the centre; a lead unit needs work_order.assign', H),
  'GET /api/work-orders/:id': perm(
    'work_order.read',
    'department: own unit’s orders (lead or assisting); district agency: its district; others: all' +
      '; caller masked for analyst',
    H,
  ),
  'POST /api/work-orders/:id/answer-directly': perm('work_order.answer_directly', 'orders in view', H),
  'POST /api/work-orders/:id/approve-extension': perm(
    'work_order.approve_extension',
    'own district’s orders (district agency); not its own request',
    H,
  ),
  'POST /api/work-orders/:id/archive': perm('work_order.archive', 'orders in view', H),
  'POST /api/work-orders/:id/assign': perm('work_order.assign', 'orders in view', H),
  'GET /api/work-orders/:id/attachments': perm('work_order.read', 'attachments of an order in scope', H),
  'POST /api/work-orders/:id/attachments': perm('work_order.attach', 'an order in scope', H),
  'GET /api/work-orders/:id/texts': perm(
    'work_order.read',
    'texts of an order in scope: purpose, state, times, the survey’s answer (no number, no words)',
    H,
  ),
  'GET /api/work-orders/:id/dispatch-suggestions': perm(
    ['work_order.assign', 'work_order.reassign'],
    'an order in scope',
    H,
  ),
  'POST /api/work-orders/:id/follow-up': perm('work_order.follow_up', 'orders in view', H),
  'POST /api/work-orders/:id/merge': perm('work_order.merge', 'orders in view', H),
  'GET /api/work-orders/:id/merge-candidates': perm('work_order.merge', 'orders that may be the same matter', H),
  'POST /api/work-orders/:id/reassign': perm('work_order.reassign', 'own district’s orders (district agency)', H),
  'POST /api/work-orders/:id/refuse-extension': perm(
    'work_order.refuse_extension',
    'own district’s orders (district agency); not its own request',
    H,
  ),
  'POST /api/work-orders/:id/remind': perm('reminder.send', 'an order in view'),
  'GET /api/work-orders/:id/reminders': perm('work_order.read', 'reminders of an order in scope'),
  'POST /api/work-orders/:id/reopen': perm('work_order.reopen', 'orders in view', H),
  'POST /api/work-orders/:id/reply': perm('work_order.reply', 'own unit’s orders (lead unit)', H),
  'POST /api/work-orders/:id/request-extension': perm(
    'work_order.request_extension',
    'own unit’s orders (lead unit)',
    H,
  ),
  'POST /api/work-orders/:id/return': perm('work_order.return', 'own unit’s orders (lead unit)', H),
  'POST /api/work-orders/:id/reveal-caller': perm(
    'caller.reveal',
    'one caller on a stated reason, audited; never a confidential caller',
    H,
  ),
  'POST /api/work-orders/:id/sign': perm('work_order.sign', 'own unit’s orders (lead unit)', H),
  'POST /api/work-orders/:id/start': perm('work_order.start', 'own unit’s orders (lead unit)', H),
  'POST /api/work-orders/:id/supervise': perm('work_order.supervise', 'orders in view', H),
  'GET /api/work-orders/export.xlsx': perm(
    'work_order.read',
    'department: own unit’s orders (lead or assisting); district agency: its district; others: all',
    H,
  ),
  'GET /api/work-orders/follow-up/summary': perm(['work_order.follow_up', 'analytics.read'], 'follow-up figures', H),
  'GET /api/work-orders/similar': perm('work_order.create', 'possible duplicates while taking a call', H),
  'GET /bridge/v1/messages': signed('the peer desk, signed: replay after an outage'),
  'POST /bridge/v1/messages': signed('the peer desk or a connector, signed envelope'),
  'GET /bridge/v1/share': signed('the peer desk, signed: pseudonymised figures'),
  'GET /disclosure': pub('the public disclosure page', H),
  'HEAD /docs/': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs/json': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs/static/*': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs/static/index.html': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs/static/swagger-initializer.js': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /docs/yaml': setting('DOCS_ACCESS', 'the OpenAPI pages: open or not registered'),
  'GET /guide': pub('the public service guide page', H),
  'GET /health': pub('the database’s state, for probes'),
  'GET /metrics': setting('METRICS_ACCESS', 'open, login (admin or supervisor) or off'),
  'GET /open311/v2/discovery.:format': pub('Open311 GeoReport v2: public service list and requests (no caller)', H),
  'GET /open311/v2/requests.:format': pub('Open311 GeoReport v2: public service list and requests (no caller)', H),
  'POST /open311/v2/requests.:format': client('a registered Open311 client’s api_key', H),
  'GET /open311/v2/requests/:id.:format': pub('Open311 GeoReport v2: public service list and requests (no caller)', H),
  'GET /open311/v2/servicerequestupdates.:format': pub(
    'Open311 GeoReport v2: public service list and requests (no caller)',
    H,
  ),
  'POST /open311/v2/servicerequestupdates.:format': client('a registered Open311 client’s api_key', H),
  'GET /open311/v2/services.:format': pub('Open311 GeoReport v2: public service list and requests (no caller)', H),
  'GET /open311/v2/services/:code.:format': pub(
    'Open311 GeoReport v2: public service list and requests (no caller)',
    H,
  ),
  'GET /open311/v2/tokens/:token.:format': pub('Open311 GeoReport v2: public service list and requests (no caller)', H),
  'GET /*': pub('the console’s built files (registered once the console is built)'),
};

/** Whether an actor passes a rule's access (public, peer and setting routes are not decided here). */
export function allows(access: Access, actor: Parameters<typeof can>[0] | null): boolean {
  switch (access.kind) {
    case 'public':
    case 'peer':
    case 'client':
    case 'setting':
      return true;
    case 'authenticated':
      return actor !== null;
    case 'permission':
      return actor !== null && access.anyOf.some((p) => can(actor, p));
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  rule: RouteRule;
  /** A server-sent-events stream (it answers with headers and stays open). */
  stream: boolean;
}

const REGISTERED = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** The routes an app registered, each with its rule (for the authorisation test). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  const routes = REGISTERED.get(app);
  if (!routes) throw new Error('enforceRouteRules was not installed on this app');
  return routes;
}

const methodsOf = (r: RouteOptions): string[] => (Array.isArray(r.method) ? r.method : [r.method]);

/** The rule of a registered route (a HEAD route Fastify adds for a GET has the GET's rule). */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  return ROUTE_RULES[`${method} ${url}`] ?? (method === 'HEAD' ? ROUTE_RULES[`GET ${url}`] : undefined);
}

/**
 * Attach every route's rule as it is registered (a route without one, or one on a desk its rule does
 * not name, stops the start-up), and refuse callers the rule does not allow. Call before any route.
 */
export function enforceRouteRules(app: FastifyInstance, desk: Config['desk']): void {
  const seen: RegisteredRoute[] = [];
  REGISTERED.set(app, seen);
  app.addHook('onRoute', (route) => {
    for (const method of methodsOf(route)) {
      const key = `${method} ${route.url}`;
      const rule = ruleFor(method, route.url);
      if (!rule)
        // A plugin's routes need rules too: say which plugin prefix the route came in under, since its
        // author may not know the table exists.
        throw new Error(
          `No authorisation rule for ${key}${route.prefix ? ` (registered by a plugin under the prefix ${route.prefix})` : ''}: add one to ROUTE_RULES (src/auth/route-rules.ts), with its desks and who may call it, and run npm run docs:authz`,
        );
      if (desk !== 'both' && !rule.desks.includes(desk))
        throw new Error(`${key} is registered on the ${desk} desk, but its rule names ${rule.desks.join(', ')}`);
      const isPublic = route.config?.public === true;
      const open = rule.access.kind === 'public' || rule.access.kind === 'peer';
      if (route.url.startsWith('/api/') && isPublic !== open)
        throw new Error(
          `${key}: the route's config.public (${isPublic}) disagrees with its rule (${rule.access.kind})`,
        );
      if (!route.url.startsWith('/api/') && (rule.access.kind === 'authenticated' || rule.access.kind === 'permission'))
        throw new Error(`${key}: only /api/ routes are authenticated, so its rule cannot ask for a log-in`);
      route.config = { ...route.config, authz: rule };
      seen.push({ method, url: route.url, rule, stream: route.config.streamToken === true });
    }
  });
  // After authentication (onRequest) and before the body is validated or the handler runs.
  app.addHook('preValidation', async (req) => {
    const rule = req.routeOptions.config.authz;
    if (!rule) return;
    if (!allows(rule.access, req.actor ?? null)) throw new AppError('FORBIDDEN', rule.refusal);
  });
}
