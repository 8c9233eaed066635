/**
 * The demo generator: users, and work orders and incidents over the last N days, spread over
 * Chongqing's districts and the catalogue, each taken through its lifecycle by the real domain
 * transitions (so every history is one the server would have accepted). Deterministic for a seed.
 * Also the data source for benchmarks (`npx liandong seed-demo --orders N`).
 */
import { randomUUID } from 'node:crypto';
import {
  INVALID_CALL_LABELS,
  OPEN_WORK_ORDER_STATUSES,
  defaultDesks,
  applyIncidentAction,
  applyWorkOrderAction,
  type DispatchTier,
  type Disposition,
  type DiversionTarget,
  type IncidentCategory,
  type IncidentCommand,
  type IncidentState,
  type Role,
  type Satisfaction,
  type UrgentKind,
  type WorkOrderCommand,
  type WorkOrderState,
  type WorkOrderType,
} from '@liandong/domain';
import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/pool.ts';
import { recordNoSql } from '../db/sql.ts';
import { DeadlinePolicy } from '../hotline/deadline-policy.ts';
import * as T from './texts.ts';
import { phoneHash, seal } from '../crypto/pii.ts';

export const DEMO_PASSWORD = 'Liandong@2026';

export const DEMO_USERS: {
  username: string;
  displayName: string;
  role: Role;
  unitId?: string;
  districtCode?: string;
  note: string;
}[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', note: '管理员' },
  { username: 'hotline01', displayName: '张敏', role: 'call_taker', note: '12345话务员' },
  { username: 'dispatch01', displayName: '李强', role: 'dispatcher', unitId: 'police.command', note: '110接警调度员' },
  { username: 'seat01', displayName: '王芳', role: 'specialist_seat', note: '110专席（12345中心）' },
  {
    username: 'yuzhong01',
    displayName: '陈静',
    role: 'district_agency',
    unitId: 'd500103.agency',
    districtCode: '500103',
    note: '渝中区政务服务热线中心',
  },
  {
    username: 'chengguan01',
    displayName: '刘洋',
    role: 'department_handler',
    unitId: 'd500103.urban-mgmt',
    districtCode: '500103',
    note: '渝中区城市管理局',
  },
  { username: 'duban01', displayName: '赵磊', role: 'supervisor', note: '督办员' },
  { username: 'fenxi01', displayName: '孙丽', role: 'analyst', note: '数据分析员' },
];

/** Mulberry32: a small deterministic PRNG. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    weighted: <T>(pairs: readonly (readonly [T, number])[]): T => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of pairs) if ((r -= w) < 0) return v;
      return pairs[pairs.length - 1]![0];
    },
  };
}
export type Rng = ReturnType<typeof rng>;

const MIN = 60_000,
  HOUR = 3_600_000,
  DAY = 86_400_000;
/** Stages a few demo records are held at, so that every stage appears whatever the clock. */
const ORDER_HOLDS = ['received', 'assigned', 'returned', 'signed', 'in_progress', 'replied', 'followed_up'] as const;
const INCIDENT_HOLDS = ['received', 'dispatched', 'on_scene', 'handling', 'feedback_given'] as const;

export async function ensureDemoUsers(db: Db): Promise<number> {
  const hash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const u of DEMO_USERS) {
    const r = await db.query(
      `INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code, desks) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (username) DO NOTHING`,
      // each on the desks of their role: the 110 dispatcher on 110, the call-taker and the handlers on 12345,
      // the specialist seat (110专席 in the 12345 centre), the supervisor, analyst and administrator on both
      [u.username, u.displayName, hash, u.role, u.unitId ?? null, u.districtCode ?? null, defaultDesks(u.role)],
    );
    created += r.rowCount ?? 0;
  }
  return created;
}

interface Ref {
  districts: { code: string; name: string; weight: number; streets: { code: string; name: string; kind: string }[] }[];
  leaves: { code: string; parent: string; fn: string | null; kind: string | null }[];
  stations: Set<string>;
  users: Map<string, string>;
}

// Urban districts take most calls; 渝中 is weighted up so the demo's district and department log-ins have work.
const URBAN = new Set(['500103', '500105', '500106', '500107', '500108', '500112', '500109', '500113']);

export async function loadRef(db: Db): Promise<Ref> {
  const d = await db.query<{ code: string; name: string }>('SELECT code, name FROM districts ORDER BY code');
  const s = await db.query<{ code: string; district_code: string; name: string; kind: string }>(
    'SELECT code, district_code, name, kind FROM streets ORDER BY code',
  );
  const c = await db.query<{
    code: string;
    parent_code: string;
    default_function: string | null;
    default_unit_kind: string | null;
  }>(
    'SELECT code, parent_code, default_function, default_unit_kind FROM catalogue_categories WHERE parent_code IS NOT NULL ORDER BY code',
  );
  const st = await db.query<{ id: string }>("SELECT id FROM units WHERE kind = 'police_station'");
  const u = await db.query<{ id: string; username: string }>('SELECT id, username FROM users');
  return {
    districts: d.rows.map((x) => ({
      ...x,
      weight: x.code === '500103' ? 14 : URBAN.has(x.code) ? 6 : 1,
      streets: s.rows.filter((y) => y.district_code === x.code),
    })),
    leaves: c.rows
      .filter((x) => T.ORDER_TEXTS[x.code])
      .map((x) => ({ code: x.code, parent: x.parent_code, fn: x.default_function, kind: x.default_unit_kind })),
    stations: new Set(st.rows.map((x) => x.id)),
    users: new Map(u.rows.map((x) => [x.username, x.id])),
  };
}

export function fill(r: Rng, text: string, district: string, street: string): string {
  const addr = r.chance(0.5)
    ? `${district}${street}${r.pick(T.PLACE_PREFIX)}${r.pick(T.PLACES)}`
    : `${district}${r.pick(T.ROAD_PREFIX)}${r.pick(T.ROADS)}${r.int(1, 300)}号`;
  return text
    .replace(/\{addr\}/g, addr)
    .replace(/\{n\}/g, String(r.int(2, 30)))
    .replace(/\{shop\}/g, r.pick(T.SHOPS))
    .replace(/\{date\}/g, `${r.int(1, 28)}日`);
}

function orderTypeOf(r: Rng, text: string): WorkOrderType {
  if (text.includes('咨询')) return 'consultation';
  if (text.startsWith('建议') || text.includes('建议在')) return 'suggestion';
  if (text.startsWith('表扬')) return 'praise';
  if (text.includes('举报') || text.includes('无营业执照') || text.includes('偷排')) return 'report';
  return r.chance(0.6) ? 'complaint' : 'help';
}

function leadUnitFor(leaf: Ref['leaves'][number], district: string, street: string): string {
  switch (leaf.kind) {
    case 'city_department':
      return `city.${leaf.fn}`;
    case 'street_office':
      return `s${street}`;
    case 'district_agency':
      return leaf.fn && leaf.fn !== 'agency' ? `city.${leaf.fn}` : `d${district}.agency`;
    default:
      return `d${district}.${leaf.fn}`;
  }
}

export function receivedTime(r: Rng, now: number, days: number): number {
  const dayAgo = r.int(0, days - 1);
  const hour = r.weighted([
    [8, 5],
    [9, 9],
    [10, 10],
    [11, 9],
    [12, 5],
    [13, 6],
    [14, 9],
    [15, 9],
    [16, 8],
    [17, 7],
    [18, 5],
    [19, 5],
    [20, 4],
    [21, 3],
    [22, 2],
    [23, 1],
    [2, 0.5],
    [6, 1],
    [7, 3],
  ] as const);
  const local = new Date(now + 8 * HOUR - dayAgo * DAY);
  const t =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, r.int(0, 59), r.int(0, 59)) -
    8 * HOUR;
  return Math.min(t, now - r.int(1, 30) * MIN);
}

interface ActionOut {
  work_order_id?: string;
  incident_id?: string;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_unit_id: string | null;
  details: unknown;
  at: string;
}

export interface SeedOptions {
  orders: number;
  incidents: number;
  days?: number;
  seed?: number;
  now?: Date;
}

export async function seedDemo(
  db: Db,
  opts: SeedOptions,
  log: (m: string) => void = () => undefined,
): Promise<{ orders: number; incidents: number; actions: number }> {
  await ensureDemoUsers(db);
  const ref = await loadRef(db);
  const policy = new DeadlinePolicy(db);
  const r = rng(opts.seed ?? 20221220);
  const now = (opts.now ?? new Date()).getTime();
  const days = opts.days ?? 90;
  const uid = (name: string) => ref.users.get(name) ?? null;
  const callTaker = uid('hotline01'),
    supervisor = uid('duban01'),
    dispatcher = uid('dispatch01');
  const handlerUsers = new Map<string, string | null>([
    ['d500103.urban-mgmt', uid('chengguan01')],
    ['d500103.agency', uid('yuzhong01')],
  ]);

  const callers: object[] = [],
    requests: object[] = [],
    orders: (Record<string, unknown> & { created_at: string })[] = [],
    actions: ActionOut[] = [];
  const byKey = new Map<string, { id: string; t0: number }>(); // district+category → an earlier order, for 并单
  const hotlineCallers: string[] = [];

  for (let i = 0; i < opts.orders; i++) {
    const district = r.weighted(ref.districts.map((d) => [d, d.weight] as const));
    const street = r.pick(district.streets);
    const urgentKind: UrgentKind | null = r.chance(0.015)
      ? r.pick(['critical_care', 'pregnancy_childbirth', 'emergency_rescue'] as const)
      : null;
    const leaf = urgentKind
      ? ref.leaves.find((l) => l.code === (urgentKind === 'emergency_rescue' ? 'QTSX01' : 'YLWS01'))!
      : r.pick(ref.leaves);
    const raw = urgentKind ? r.pick(T.URGENT_TEXTS[urgentKind]!) : r.pick(T.ORDER_TEXTS[leaf.code]!);
    const channel = r.weighted([
      ['phone_12345', 70],
      ['web', 12],
      ['app', 8],
      ['wechat', 8],
      ['open311', 2],
    ] as const);
    const content =
      (channel === 'phone_12345' ? r.pick(T.PREFIX_PHONE) : r.pick(T.PREFIX_WEB)) +
      fill(r, raw, district.name, street.name);
    const orderType: WorkOrderType = urgentKind ? 'help' : orderTypeOf(r, raw);
    // Every 40th order is held at an intermediate stage (waiting on someone), so each stage is in the demo;
    // a few others arrived in the last three hours: today's live queue.
    const stopAt = i % 40 === 7 ? ORDER_HOLDS[Math.floor(i / 40) % ORDER_HOLDS.length]! : null;
    const t0 =
      stopAt === 'received'
        ? now - r.int(1, 30) * MIN
        : r.chance(0.03)
          ? now - r.int(1, 180) * MIN
          : receivedTime(r, now, days);
    const dueAt = await policy.dueAt(orderType, Boolean(urgentKind), new Date(t0));
    const id = randomUUID(),
      requestId = randomUUID(),
      callerId = randomUUID();
    const anonymous = channel !== 'phone_12345' && r.chance(0.3);
    // Some callers ring again (one caller record per number): every 25th order's caller is an earlier one.
    const again =
      !anonymous && i % 25 === 24 && hotlineCallers.length > 0
        ? hotlineCallers[(i * 7) % hotlineCallers.length]!
        : null;
    if (!anonymous) {
      // drawn even for a caller ringing again, so the rest of the demo stays as it was
      const caller = {
        id: callerId,
        name: r.pick(T.SURNAMES) + r.pick(T.GIVEN),
        phone: `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999999999)).padStart(9, '0')}`,
      };
      if (!again) {
        callers.push(caller);
        hotlineCallers.push(callerId);
      }
    }
    requests.push({
      id: requestId,
      channel,
      caller_id: anonymous ? null : (again ?? callerId),
      confidential: r.chance(0.05),
      content,
      address: content.match(/[^\s，。：]*?(号|小区|花园|家园|新城|佳苑|雅居|名都|丽景)/)?.[0] ?? '',
      district_code: district.code,
      street_code: street.code,
      received_at: new Date(t0).toISOString(),
      received_by: callTaker,
      created_at: new Date(t0).toISOString(),
    });

    let state: WorkOrderState = {
      id,
      status: 'received',
      leadUnitId: null,
      assistUnitIds: [],
      dueAt,
      overdue: false,
      supervised: false,
      pendingExtension: null,
      satisfaction: null,
      reopenCount: 0,
      mergedIntoId: null,
    };
    let t = t0;
    let reply: string | null = null,
      repliedAt: number | null = null,
      closedAt: number | null = null;
    const log1 = (
      action: string,
      from: string | null,
      to: string,
      at: number,
      actor: { id: string | null; role: string | null; unit: string | null },
      details: unknown,
    ) =>
      actions.push({
        work_order_id: id,
        action,
        from_status: from,
        to_status: to,
        actor_id: actor.id,
        actor_role: actor.role,
        actor_unit_id: actor.unit,
        details,
        at: new Date(at).toISOString(),
      });
    log1('create', null, 'received', t0, { id: callTaker, role: 'call_taker', unit: null }, { channel, urgentKind });
    const centre = { id: callTaker, role: 'call_taker', unit: null };
    const unitActor = () => ({
      id: handlerUsers.get(state.leadUnitId ?? '') ?? null,
      role: state.leadUnitId?.endsWith('.agency') ? 'district_agency' : 'department_handler',
      unit: state.leadUnitId,
    });
    /** Applies a command at time `at` unless that is in the future; records 超期 first when the due time passed. */
    const step = (
      cmd: WorkOrderCommand,
      dt: number,
      actor: { id: string | null; role: string | null; unit: string | null },
    ): boolean => {
      if (stopAt && state.status === stopAt && cmd.action !== 'supervise') return false;
      const at = t + dt;
      if (!state.overdue && OPEN_WORK_ORDER_STATUSES.has(state.status) && state.dueAt.getTime() < Math.min(at, now)) {
        // A minute after the due time, but never after the action that follows (the history must chain in time order).
        const markedAt = Math.min(state.dueAt.getTime() + MIN, at, now);
        const o = applyWorkOrderAction(state, { action: 'mark_overdue' }, new Date(markedAt));
        if (o.ok) {
          log1(
            'mark_overdue',
            state.status,
            o.value.to,
            markedAt,
            { id: null, role: 'system', unit: null },
            o.value.details,
          );
          state = o.value.next;
        }
      }
      if (at > now) return false;
      const res = applyWorkOrderAction(state, cmd, new Date(at));
      if (!res.ok)
        throw new Error(`demo generator produced an illegal step: ${res.code} ${cmd.action} from ${state.status}`);
      log1(cmd.action, state.status, res.value.to, at, actor, res.value.details);
      state = res.value.next;
      t = at;
      if (cmd.action === 'reply' || cmd.action === 'answer_directly') {
        reply = cmd.reply;
        repliedAt = at;
      }
      if (state.status === 'archived' || state.status === 'merged') closedAt = at;
      return true;
    };
    const limitMs = state.dueAt.getTime() - t0;
    const lifecycle = () => {
      const key = `${district.code}:${leaf.code}`;
      const earlier = byKey.get(key);
      if (!earlier || earlier.t0 > t0) byKey.set(key, { id, t0 });
      if (earlier && earlier.t0 < t0 && !urgentKind && !stopAt && r.chance(0.04))
        return void step(
          { action: 'merge', intoWorkOrderId: earlier.id, note: '同一地点同一诉求的重复来电' },
          r.int(3, 20) * MIN,
          centre,
        );
      if (orderType === 'consultation' && r.chance(0.45)) {
        if (!step({ action: 'answer_directly', reply: '已根据政策知识库当场解答。' }, r.int(2, 8) * MIN, centre))
          return;
      } else {
        const lead = leadUnitFor(leaf, district.code, street.code);
        const assist = !urgentKind && leaf.kind === 'district_department' && r.chance(0.2) ? [`s${street.code}`] : [];
        if (
          !step(
            { action: 'assign', leadUnitId: lead, assistUnitIds: assist },
            (urgentKind ? r.int(2, 6) : r.int(5, 150)) * MIN,
            centre,
          )
        )
          return;
        if (r.chance(0.07) || stopAt === 'returned') {
          if (
            !step(
              {
                action: 'return',
                reasonCode: r.pick(['not_our_duty', 'wrong_district', 'insufficient_information'] as const),
                note: '经核实不属于本单位职责范围，建议改派',
              },
              r.int(1, 20) * HOUR,
              unitActor(),
            )
          )
            return;
          const other = leaf.kind === 'street_office' ? `d${district.code}.agency` : `s${street.code}`;
          // the centre reviews a return (异议审核) before re-dispatch; that can take days
          if (
            !step(
              { action: 'reassign', leadUnitId: other, note: '经审核改派属地街镇办理' },
              r.int(2, 96) * HOUR,
              centre,
            )
          )
            return;
        }
        if (!step({ action: 'sign' }, urgentKind ? r.int(3, 15) * MIN : r.int(10, 600) * MIN, unitActor())) return;
        if (!step({ action: 'start' }, r.int(10, 300) * MIN, unitActor())) return;
        if (!urgentKind && r.chance(0.03))
          step({ action: 'supervise', note: '请加快办理进度，按期答复群众' }, r.int(1, 48) * HOUR, {
            id: supervisor,
            role: 'supervisor',
            unit: null,
          });
        if (!urgentKind && r.chance(0.06)) {
          if (
            !step(
              {
                action: 'request_extension',
                requestedDueAt: new Date(state.dueAt.getTime() + 5 * DAY).toISOString(),
                reason: '需多部门现场会商，申请延期5日',
              },
              r.int(1, 72) * HOUR,
              unitActor(),
            )
          )
            return;
          const approve = r.chance(0.7);
          if (
            !step(
              approve
                ? { action: 'approve_extension', note: '同意延期' }
                : { action: 'refuse_extension', note: '理由不充分，请按期办结' },
              r.int(1, 24) * HOUR,
              { id: supervisor, role: 'supervisor', unit: null },
            )
          )
            return;
        }
        const late = r.chance(0.1);
        const replyAfter = late ? limitMs * (1 + r.next() * 0.5) : limitMs * (0.1 + r.next() * 0.8);
        const result = r.weighted([
          ['resolved', 70],
          ['explained', 25],
          ['unresolvable', 5],
        ] as const);
        if (
          !step(
            { action: 'reply', reply: fill(r, r.pick(T.REPLIES[result]), district.name, street.name), result },
            Math.max(replyAfter - (t - t0), 30 * MIN),
            unitActor(),
          )
        )
          return;
      }
      if ((urgentKind === null && orderType !== 'praise') || r.chance(0.5)) {
        const sat: Satisfaction = r.weighted([
          ['satisfied', 72],
          ['basically_satisfied', 18],
          ['unsatisfied', 10],
        ] as const);
        const survey =
          sat === 'unsatisfied'
            ? { contacted: true, resolved: false, note: '来电人表示问题仍未解决' }
            : { contacted: true, resolved: true };
        if (!step({ action: 'follow_up', satisfaction: sat, ...survey }, r.int(4, 72) * HOUR, centre)) return;
        if (sat === 'unsatisfied' && state.leadUnitId && r.chance(0.6)) {
          const due = new Date(t + 5 * DAY + HOUR).toISOString();
          if (!step({ action: 'reopen', note: '回访不满意，退回重办', dueAt: due }, r.int(1, 24) * HOUR, centre))
            return;
          if (!step({ action: 'sign' }, r.int(30, 300) * MIN, unitActor())) return;
          if (!step({ action: 'start' }, r.int(30, 300) * MIN, unitActor())) return;
          if (
            !step(
              { action: 'reply', reply: '重新核实处理，已与来电人当面沟通并解决。', result: 'resolved' },
              r.int(1, 4) * DAY,
              unitActor(),
            )
          )
            return;
          const again = {
            action: 'follow_up',
            satisfaction: 'basically_satisfied',
            contacted: true,
            resolved: true,
          } as const;
          if (!step(again, r.int(4, 48) * HOUR, centre)) return;
        }
        step(
          {
            action: 'archive',
            note: state.satisfaction === 'unsatisfied' ? '经审核已按政策答复，予以归档' : undefined,
          },
          r.int(1, 5) * DAY,
          centre,
        );
      } else {
        step({ action: 'archive', note: '无需回访' }, r.int(1, 3) * DAY, centre);
      }
    };
    lifecycle();
    // The due time may have passed after the last step while the order is still open.
    if (!state.overdue && OPEN_WORK_ORDER_STATUSES.has(state.status) && state.dueAt.getTime() < now) {
      const o = applyWorkOrderAction(state, { action: 'mark_overdue' }, new Date(now));
      if (o.ok) {
        log1(
          'mark_overdue',
          state.status,
          o.value.to,
          state.dueAt.getTime() + MIN,
          { id: null, role: 'system', unit: null },
          o.value.details,
        );
        state = o.value.next;
      }
    }
    orders.push({
      id,
      request_id: requestId,
      order_type: orderType,
      category_code: leaf.code,
      title: content
        .replace(
          /^(来电人反映：|市民来电称，|来电人称，|群众反映，|网民留言：|市民通过网站反映：|“渝快办”用户留言：)/,
          '',
        )
        .slice(0, 40),
      urgent: Boolean(urgentKind),
      urgent_kind: urgentKind,
      status: state.status,
      district_code: district.code,
      lead_unit_id: state.leadUnitId,
      assist_unit_ids: state.assistUnitIds,
      due_at: state.dueAt.toISOString(),
      overdue: state.overdue,
      supervised: state.supervised,
      pending_extension: state.pendingExtension,
      satisfaction: state.satisfaction,
      reopen_count: state.reopenCount,
      merged_into_id: state.mergedIntoId,
      reply,
      created_by: callTaker,
      created_at: new Date(t0).toISOString(),
      updated_at: new Date(t).toISOString(),
      replied_at: repliedAt ? new Date(repliedAt).toISOString() : null,
      closed_at: closedAt ? new Date(closedAt).toISOString() : null,
    });
  }

  // Incidents (110).
  const incidents: (Record<string, unknown> & { created_at: string })[] = [];
  const catWeights: [IncidentCategory, number][] = [
    ['criminal', 10],
    ['public_order', 18],
    ['traffic', 22],
    ['mass_incident', 1],
    ['emergency_help', 8],
    ['public_help', 12],
    ['police_complaint', 2],
    ['tip_off', 3],
    ['social_linkage', 6],
    ['non_police', 12],
    ['invalid', 6],
  ];
  const dispositionFor: Record<IncidentCategory, Disposition[]> = {
    criminal: ['report_taken', 'arrest'],
    public_order: ['mediated', 'resolved_on_scene', 'arrest'],
    traffic: ['resolved_on_scene', 'report_taken'],
    mass_incident: ['resolved_on_scene'],
    emergency_help: ['resolved_on_scene'],
    public_help: ['resolved_on_scene', 'settled_by_phone'],
    police_complaint: ['settled_by_phone', 'report_taken'],
    tip_off: ['report_taken', 'unable_to_locate'],
    social_linkage: ['referred_to_partner_agency', 'resolved_on_scene'],
    non_police: ['referred_to_partner_agency'],
    invalid: ['no_action_needed'],
  };
  for (let i = 0; i < opts.incidents; i++) {
    const district = r.weighted(ref.districts.map((d) => [d, d.weight] as const));
    const street = r.pick(district.streets);
    const hold = i % 50 === 11 ? INCIDENT_HOLDS[Math.floor(i / 50) % INCIDENT_HOLDS.length]! : null;
    const category: IncidentCategory = hold ? 'public_order' : r.weighted(catWeights);
    const raw = r.pick(T.INCIDENT_TEXTS[category]!);
    const content = fill(r, raw, district.name, street.name);
    const t0 = hold
      ? now - (hold === 'received' ? 20_000 : r.int(200, 400) * MIN)
      : r.chance(0.02)
        ? now - r.int(1, 60) * MIN
        : receivedTime(r, now, days);
    const id = randomUUID(),
      requestId = randomUUID(),
      callerId = randomUUID();
    callers.push({
      id: callerId,
      name: r.chance(0.7) ? r.pick(T.SURNAMES) + r.pick(T.GIVEN) : null,
      phone: `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999999999)).padStart(9, '0')}`,
    });
    requests.push({
      id: requestId,
      channel: 'phone_110',
      caller_id: callerId,
      confidential: false,
      content,
      address: '',
      district_code: district.code,
      street_code: street.code,
      received_at: new Date(t0).toISOString(),
      received_by: dispatcher,
      created_at: new Date(t0).toISOString(),
    });
    let s: IncidentState = {
      status: 'received',
      category,
      tier: null,
      unitId: null,
      disposition: null,
      closeKind: null,
    };
    let t = t0;
    const times: Record<string, number | null> = { dispatched_at: null, arrived_at: null, closed_at: null };
    const actor = { id: dispatcher, role: 'dispatcher', unit: 'police.command' };
    actions.push({
      incident_id: id,
      action: 'create',
      from_status: null,
      to_status: 'received',
      actor_id: dispatcher,
      actor_role: 'dispatcher',
      actor_unit_id: 'police.command',
      details: { channel: 'phone_110', category },
      at: new Date(t0).toISOString(),
    });
    let divertedTo: DiversionTarget | null = null;
    const step = (cmd: IncidentCommand, dt: number): boolean => {
      if (hold && s.status === hold) return false;
      const at = t + dt;
      if (at > now) return false;
      const res = applyIncidentAction(s, cmd);
      if (!res.ok) throw new Error(`demo generator produced an illegal incident step: ${res.code}`);
      actions.push({
        incident_id: id,
        action: cmd.action,
        from_status: s.status,
        to_status: res.value.to,
        actor_id: actor.id,
        actor_role: actor.role,
        actor_unit_id: actor.unit,
        details: res.value.details,
        at: new Date(at).toISOString(),
      });
      s = res.value.next;
      t = at;
      if (cmd.action === 'dispatch') times.dispatched_at = at;
      if (cmd.action === 'arrive') times.arrived_at = at;
      if (s.status === 'closed') times.closed_at = at;
      return true;
    };
    (() => {
      if (category === 'invalid')
        return void step(
          { action: 'mark_invalid', kind: raw.includes('辱骂') ? 'harassment' : 'invalid' },
          r.int(1, 3) * MIN,
        );
      if (category === 'non_police') {
        divertedTo = raw.includes('堵住')
          ? 'vehicle_moving'
          : raw.includes('邻居')
            ? 'governance_center'
            : raw.includes('停水')
              ? 'utility'
              : 'hotline_12345';
        return void step(
          { action: 'divert', target: divertedTo, note: '非警务事项，按对接联动机制分流' },
          r.int(1, 4) * MIN,
        );
      }
      const station = `p${street.code}.station`;
      let tier: DispatchTier, unit: string;
      if (category === 'traffic') {
        tier = 'specialized_police';
        unit = `p${district.code}.traffic`;
      } else if (category === 'criminal' && r.chance(0.5)) {
        tier = 'specialized_police';
        unit = `p${district.code}.criminal`;
      } else if (category === 'tip_off') {
        tier = 'specialized_police';
        unit = `p${district.code}.public-order`;
      } else if (category === 'mass_incident' || category === 'police_complaint' || !ref.stations.has(station)) {
        tier = 'command_center';
        unit = `p${district.code}.bureau`;
      } else {
        tier = 'police_station';
        unit = station;
      }
      if (!step({ action: 'dispatch', tier, unitId: unit }, r.int(1, 5) * MIN)) return;
      if (category === 'police_complaint') {
        if (!step({ action: 'arrive' }, r.int(30, 180) * MIN)) return;
      } else if (!step({ action: 'arrive' }, r.int(5, 25) * MIN)) return;
      if ((r.chance(0.7) || hold === 'handling') && !step({ action: 'handle' }, r.int(1, 20) * MIN)) return;
      const disposition = r.pick(dispositionFor[category]);
      if (
        !step(
          {
            action: 'feedback',
            disposition,
            summary:
              disposition === 'mediated'
                ? '民警到场后双方情绪平稳，经调解达成一致。'
                : disposition === 'arrest'
                  ? '民警到场后将嫌疑人控制并带回审查。'
                  : '民警到场处置完毕，已向报警人反馈。',
          },
          r.int(10, 120) * MIN,
        )
      )
        return;
      step({ action: 'close' }, r.int(5, 90) * MIN);
    })();
    incidents.push({
      id,
      request_id: requestId,
      category: s.category,
      priority: ['criminal', 'emergency_help', 'mass_incident'].includes(category) ? 1 : category === 'invalid' ? 3 : 2,
      status: s.status,
      district_code: district.code,
      tier: s.tier,
      unit_id: s.unitId,
      disposition: s.disposition,
      close_kind: s.closeKind,
      diverted_to: divertedTo,
      created_by: dispatcher,
      created_at: new Date(t0).toISOString(),
      updated_at: new Date(t).toISOString(),
      dispatched_at: times.dispatched_at ? new Date(times.dispatched_at).toISOString() : null,
      arrived_at: times.arrived_at ? new Date(times.arrived_at).toISOString() : null,
      closed_at: times.closed_at ? new Date(times.closed_at).toISOString() : null,
    });
  }

  // 无效来电 and 骚扰来电 on 12345 (a call that asked for nothing, or abused the call-taker): a request with no
  // work order, marked. One number rings again and again, so the harassment report has someone to show.
  // Drawn from a generator of their own, so the orders and incidents above stay as they were.
  const rc = rng((opts.seed ?? 20221220) + 1);
  const invalidCalls: object[] = [];
  const nuisance = {
    id: randomUUID(),
    name: null,
    phone: `1${rc.pick(['3', '5', '8'])}${String(rc.int(0, 999999999)).padStart(9, '0')}`,
  };
  callers.push(nuisance);
  const marked = Math.max(3, Math.round(opts.orders / 80));
  for (let k = 0; k < marked; k++) {
    const abusive = k % 3 === 0;
    const kind = abusive ? 'harassment' : 'invalid';
    const t0 = receivedTime(rc, now, Math.min(days, 30));
    const requestId = randomUUID();
    const note = abusive ? rc.pick(T.HARASSMENT_NOTES) : rc.pick(T.INVALID_NOTES);
    requests.push({
      id: requestId,
      channel: 'phone_12345',
      caller_id: abusive ? nuisance.id : null,
      confidential: false,
      content: `${INVALID_CALL_LABELS[kind]}：${note}`,
      address: '',
      district_code: null,
      street_code: null,
      received_at: new Date(t0).toISOString(),
      received_by: callTaker,
      created_at: new Date(t0).toISOString(),
    });
    invalidCalls.push({
      request_id: requestId,
      kind,
      note,
      marked_by: callTaker,
      marked_at: new Date(t0 + rc.int(20, 90) * 1000).toISOString(),
    });
  }

  orders.sort((a, b) => a.created_at.localeCompare(b.created_at));
  incidents.sort((a, b) => a.created_at.localeCompare(b.created_at));
  actions.sort((a, b) => a.at.localeCompare(b.at));
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const run = async (table: string, rows: object[], select = '*', cols?: string) => {
      for (let i = 0; i < rows.length; i += 1000) {
        await client.query(
          `INSERT INTO ${table} ${cols ? `(${cols})` : ''} SELECT ${select} FROM json_populate_recordset(NULL::${table}, $1::json)`,
          [JSON.stringify(rows.slice(i, i + 1000))],
        );
      }
    };
    // the caller's name and number are stored sealed, the number found by its keyed hash (crypto/pii.ts)
    const sealed = (callers as { id: string; name: string | null; phone: string }[]).map((c) => ({
      id: c.id,
      name_sealed: seal(c.name, 'caller.name'),
      phone_sealed: seal(c.phone, 'caller.phone'),
      phone_hash: phoneHash(c.phone),
    }));
    await run(
      'callers',
      sealed,
      'id, name_sealed, phone_sealed, phone_hash, now()',
      'id, name_sealed, phone_sealed, phone_hash, created_at',
    );
    await run(
      'requests',
      requests,
      'id, channel, caller_id, confidential, content, address, district_code, street_code, lat, lng, received_at, received_by, client_ref, created_at',
      'id, channel, caller_id, confidential, content, address, district_code, street_code, lat, lng, received_at, received_by, client_ref, created_at',
    );
    const woCols =
      'id, request_id, order_type, category_code, title, urgent, urgent_kind, status, district_code, lead_unit_id, assist_unit_ids, due_at, overdue, supervised, pending_extension, satisfaction, reopen_count, merged_into_id, reply, created_by, created_at, updated_at, replied_at, closed_at';
    await run(
      'work_orders',
      orders,
      `${recordNoSql('GD', 'work_order_no_seq', 'created_at')}, ${woCols}`,
      `no, ${woCols}`,
    );
    const inCols =
      'id, request_id, category, priority, status, district_code, tier, unit_id, disposition, close_kind, diverted_to, created_by, created_at, updated_at, dispatched_at, arrived_at, closed_at';
    await run(
      'incidents',
      incidents,
      `${recordNoSql('JQ', 'incident_no_seq', 'created_at')}, ${inCols}`,
      `no, ${inCols}`,
    );
    await run(
      'invalid_calls',
      invalidCalls,
      'request_id, kind, note, marked_by, marked_at',
      'request_id, kind, note, marked_by, marked_at',
    );
    const acCols = 'action, from_status, to_status, actor_id, actor_role, actor_unit_id, details, at';
    await run(
      'work_order_actions',
      actions.filter((a) => a.work_order_id),
      `work_order_id, ${acCols}`,
      `work_order_id, ${acCols}`,
    );
    await run(
      'incident_actions',
      actions.filter((a) => a.incident_id),
      `incident_id, ${acCols}`,
      `incident_id, ${acCols}`,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  log(
    `demo data: ${orders.length} work orders, ${incidents.length} incidents, ${actions.length} actions, ${invalidCalls.length} calls marked invalid or harassing`,
  );
  return { orders: orders.length, incidents: incidents.length, actions: actions.length };
}
