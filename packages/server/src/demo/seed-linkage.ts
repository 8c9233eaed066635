/**
 * Demo history of the linkage between the two desks: transfers 12345 → 110 and diversions 110 → 12345
 * over the last N days, written consistently into both desks' databases (the same item, status and
 * timeline on each side, sequence numbers continuing where the history stops), each history produced
 * by the real linkage state machine. Items still open at the end of their history (awaiting acceptance,
 * in negotiation, awaiting confirmation) can be carried on through the console as if they were live.
 * Messages are not replayed: the history has no outbox rows, only items and their timelines.
 */
import { randomUUID } from 'node:crypto';
import { applyLinkageMessage, type LinkageKind, type LinkageState, type MessageType } from '@liandong/domain';
import { DEFAULT_DESK_IDS } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { insertEvent, newItemId } from '../bridge/bridge.repo.ts';
import { fill, loadRef, receivedTime, rng, type Rng } from './seed-demo.ts';
import * as T from './texts.ts';

const MIN = 60_000,
  HOUR = 3_600_000;
type Side = 'originator' | 'receiver';
interface Msg {
  by: Side;
  type: MessageType;
  payload: Record<string, unknown>;
  at: number;
}
interface Plan {
  kind: LinkageKind;
  originator: { db: Db; deskId: string; localRef: string | null; localNo: string | null };
  receiver: { db: Db; deskId: string };
  createdAt: number;
  districtCode: string | null;
  opening: Record<string, unknown>;
  msgs: Msg[];
  overdue: boolean;
}

const POLICE_FEEDBACK = [
  ['resolved_on_scene', '民警到场处置，当事双方情绪稳定，现场秩序已恢复。'],
  ['mediated', '经派出所民警现场调解，双方达成一致。'],
  ['report_taken', '已受案登记，案件正在侦办中。'],
  ['settled_by_phone', '民警电话联系报警人，已说明情况并处理完毕。'],
] as const;
const HOTLINE_FEEDBACK = [
  ['settled_by_phone', '已派单至属地街道处理，工作人员已上门协调，来电人表示认可。'],
  ['referred_to_partner_agency', '已转交区住房城乡建委处理，已答复来电人。'],
  ['resolved_on_scene', '属地街道已现场处置完毕。'],
] as const;
const TRANSFER_REASONS = [
  '经研判属公安职责，转110处置',
  '涉及人身安全，请求警方到场',
  '来电反映有违法行为，转公安机关',
];
const REJECTS = [
  ['not_our_jurisdiction', '属行政管理事项，请12345派单处理'],
  ['insufficient_information', '地址不详，无法出警'],
  ['already_handled', '该警情已由派出所处理'],
] as const;

/** Builds an item's messages as the desks would exchange them, stopping at `now`. */
function messages(
  r: Rng,
  kind: LinkageKind,
  t0: number,
  now: number,
  policeHandles: boolean,
): { msgs: Msg[]; overdue: boolean } {
  const msgs: Msg[] = [];
  let t = t0;
  const feedback = policeHandles ? r.pick(POLICE_FEEDBACK) : r.pick(HOTLINE_FEEDBACK);
  const push = (by: Side, type: MessageType, payload: Record<string, unknown>, dt: number) => {
    t += dt;
    msgs.push({ by, type, payload, at: t });
  };
  const scenario =
    kind === 'emergency'
      ? r.weighted([
          ['accepted', 8],
          ['awaiting_confirmation', 1],
        ] as const)
      : r.weighted([
          ['accepted', 62],
          ['kept', 12],
          ['taken_after_talks', 6],
          ['awaiting_confirmation', 6],
          ['disputed', 4],
          ['rejected_open', 4],
          ['overdue', 3],
          ['handling', 3],
        ] as const);
  const acceptIn = kind === 'emergency' ? r.int(1, 4) * MIN : r.int(2, 28) * MIN;
  const closeLoop = (handler: Side) => {
    const other: Side = handler === 'originator' ? 'receiver' : 'originator';
    push(handler, 'status.update', { status: 'in_progress', at: '' }, r.int(10, 90) * MIN);
    push(
      handler,
      'feedback',
      { disposition: feedback[0], summary: feedback[1], handledBy: '', at: '' },
      r.int(1, 20) * HOUR,
    );
    if (scenario === 'awaiting_confirmation') return;
    if (scenario === 'disputed') {
      push(other, 'closure.dispute', { reason: '来电人反映问题仍未解决' }, r.int(1, 6) * HOUR);
      push(
        handler,
        'feedback',
        { disposition: feedback[0], summary: `再次处置：${feedback[1]}`, handledBy: '', at: '' },
        r.int(4, 30) * HOUR,
      );
    }
    push(other, 'closure.confirm', { note: '已回访，确认闭环' }, r.int(20, 240) * MIN);
  };
  // Left unanswered past the accept-by time: still waiting if recent, otherwise accepted late.
  if (scenario === 'overdue' && t0 > now - 6 * HOUR) return { msgs, overdue: true };
  if (scenario === 'overdue') {
    push('receiver', 'transfer.accept', { acceptedBy: 'seat01' }, r.int(35, 120) * MIN);
    closeLoop('receiver');
  } else if (
    scenario === 'accepted' ||
    scenario === 'awaiting_confirmation' ||
    scenario === 'disputed' ||
    scenario === 'handling'
  ) {
    push('receiver', 'transfer.accept', { acceptedBy: 'seat01' }, acceptIn);
    if (scenario === 'handling')
      push('receiver', 'status.update', { status: 'in_progress', at: '' }, r.int(10, 60) * MIN);
    else closeLoop('receiver');
  } else {
    const [code, note] = r.pick(REJECTS);
    push('receiver', 'transfer.reject', { reasonCode: code, note }, acceptIn);
    if (scenario !== 'rejected_open') {
      push('originator', 'negotiation.open', { note: '请求协商确定承办方', deadline: '' }, r.int(5, 40) * MIN);
      const keep = scenario === 'kept';
      push(
        r.chance(0.5) ? 'originator' : 'receiver',
        'negotiation.resolve',
        {
          outcome: keep ? 'first_receiver_keeps' : 'receiver_takes',
          decidedBy: 'seat01',
          note: keep ? '协商未果，由首接平台先行办理' : '经协商由对方受理',
        },
        r.int(20, 100) * MIN,
      );
      closeLoop(keep ? 'originator' : 'receiver');
    }
  }
  // The history stops at the present: later messages have not happened yet.
  const kept = msgs.filter((m) => m.at <= now);
  return { msgs: kept, overdue: kept.length === 0 && t0 + 30 * MIN < now };
}

async function writeItem(p: Plan, itemId: string): Promise<void> {
  let state: LinkageState = { kind: p.kind, status: 'requested', keptByFirstReceiver: false };
  const openingType = p.opening.type as MessageType;
  const events: {
    by: Side;
    messageId: string;
    type: string;
    from: string | null;
    to: string;
    payload: Record<string, unknown>;
    at: number;
    note?: string;
  }[] = [
    {
      by: 'originator',
      messageId: randomUUID(),
      type: openingType,
      from: null,
      to: 'requested',
      payload: p.opening,
      at: p.createdAt,
    },
  ];
  let acceptedAt: number | null = null,
    feedbackAt: number | null = null,
    closedAt: number | null = null,
    negotiationDeadline: number | null = null;
  for (const m of p.msgs) {
    const iso = new Date(m.at).toISOString();
    const payload = {
      ...m.payload,
      ...('at' in m.payload ? { at: iso } : {}),
      ...('deadline' in m.payload ? { deadline: new Date(m.at + 2 * HOUR).toISOString() } : {}),
      ...('handledBy' in m.payload
        ? { handledBy: m.by === 'originator' ? p.originator.deskId : p.receiver.deskId }
        : {}),
    };
    const res = applyLinkageMessage(state, m.type, payload, m.by);
    if (!res.ok)
      throw new Error(`demo linkage history is not legal: ${m.type} by ${m.by} in ${state.status}: ${res.message}`);
    events.push({
      by: m.by,
      messageId: randomUUID(),
      type: m.type,
      from: state.status,
      to: res.value.status,
      payload,
      at: m.at,
    });
    if (m.type === 'transfer.accept' || (m.type === 'negotiation.resolve' && res.value.status === 'accepted'))
      acceptedAt ??= m.at;
    if (m.type === 'feedback') feedbackAt = m.at;
    if (m.type === 'closure.confirm') closedAt = m.at;
    if (m.type === 'closure.dispute') feedbackAt = null;
    if (m.type === 'negotiation.open') negotiationDeadline = m.at + 2 * HOUR;
    state = res.value;
  }
  const sent = (side: Side) => events.filter((e) => e.by === side).length;
  const acceptDeadline = p.createdAt + (p.kind === 'emergency' ? 10 : 30) * MIN;
  const acceptOverdue = p.overdue || (acceptedAt !== null && acceptedAt > acceptDeadline);
  for (const side of ['originator', 'receiver'] as const) {
    const db = side === 'originator' ? p.originator.db : p.receiver.db;
    const peer = side === 'originator' ? p.receiver.deskId : p.originator.deskId;
    const other: Side = side === 'originator' ? 'receiver' : 'originator';
    await db.query(
      `INSERT INTO linkage_items (item_id, kind, side, peer, status, kept_by_first_receiver, opening, local_ref, local_no, district_code, accept_deadline,
        negotiation_deadline, accept_overdue, accepted_at, feedback_at, closed_at, next_out_seq, last_in_seq, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        itemId,
        p.kind,
        side,
        peer,
        state.status,
        state.keptByFirstReceiver,
        { type: openingType, ...p.opening },
        side === 'originator' ? p.originator.localRef : null,
        side === 'originator' ? p.originator.localNo : null,
        p.districtCode,
        new Date(acceptDeadline),
        negotiationDeadline && new Date(negotiationDeadline),
        acceptOverdue,
        acceptedAt && new Date(acceptedAt),
        feedbackAt && new Date(feedbackAt),
        closedAt && new Date(closedAt),
        sent(side) + 1,
        sent(other),
        new Date(p.createdAt),
        new Date(events[events.length - 1]!.at),
      ],
    );
    for (const e of events) {
      await insertEvent(db, {
        itemId,
        messageId: e.messageId,
        direction: e.by === side ? 'sent' : 'received',
        type: e.type,
        from: e.from,
        to: e.to,
        payload: e.payload,
        actorId: null,
        note: (e.payload.reason as string | undefined) ?? null,
        at: new Date(e.at),
      });
    }
    if (acceptOverdue && side === 'originator') {
      await insertEvent(db, {
        itemId,
        messageId: null,
        direction: 'local',
        type: 'accept.overdue',
        from: 'requested',
        to: 'requested',
        payload: { deadline: new Date(acceptDeadline).toISOString() },
        actorId: null,
        note: '超过签收时限，转督办',
        at: new Date(acceptDeadline),
      });
    }
  }
}

export async function seedDemoLinkage(
  hotline: Db,
  dispatch: Db,
  opts: { transfers?: number; days?: number; seed?: number; now?: Date } = {},
): Promise<{ transfers: number; diversions: number }> {
  const r = rng(opts.seed ?? 20221231);
  const now = (opts.now ?? new Date()).getTime();
  const days = opts.days ?? 90;
  const ref = await loadRef(hotline);
  const location = (district: { code: string }, street: { code: string }) => ({
    address: '',
    district: district.code,
    street: street.code,
  });

  // 12345 → 110: police matters that reached the hotline.
  const transfers = opts.transfers ?? 160;
  for (let i = 0; i < transfers; i++) {
    const district = r.weighted(ref.districts.map((d) => [d, d.weight] as const));
    const street = r.pick(district.streets);
    const kind: LinkageKind = r.weighted([
      ['transfer', 80],
      ['emergency', 12],
    ] as const);
    const category =
      kind === 'emergency' ? 'public_order' : r.pick(['public_order', 'criminal', 'traffic', 'tip_off'] as const);
    const content = `来电人反映：${fill(r, r.pick(T.INCIDENT_TEXTS[category]!), district.name, street.name).replace(/^报警人(称|举报)/, '')}`;
    const t0 = i < 3 ? now - r.int(40, 150) * MIN : receivedTime(r, now, days);
    const reason = r.pick(TRANSFER_REASONS);
    const opening = {
      type: kind === 'emergency' ? 'emergency.escalate' : 'transfer.request',
      kind,
      reason,
      request: {
        content,
        channel: 'phone_12345',
        receivedAt: new Date(t0 - 3 * MIN).toISOString(),
        location: location(district, street),
      },
      deadline: new Date(t0 + (kind === 'emergency' ? 10 : 30) * MIN).toISOString(),
      ...(kind === 'emergency' ? { danger: '正在发生的冲突，有人受伤' } : {}),
    };
    const { msgs, overdue } = i < 3 ? { msgs: [], overdue: true } : messages(r, kind, t0, now, true);
    await writeItem(
      {
        kind,
        originator: { db: hotline, deskId: DEFAULT_DESK_IDS.hotline, localRef: null, localNo: null },
        receiver: { db: dispatch, deskId: DEFAULT_DESK_IDS.dispatch },
        createdAt: t0,
        districtCode: district.code,
        opening,
        msgs,
        overdue,
      },
      await newItemId(hotline, DEFAULT_DESK_IDS.hotline, new Date(now)),
    );
  }

  // 110 → 12345: the demo incidents the 110 desk diverted to the hotline.
  const diverted = await dispatch.query<{
    id: string;
    no: string;
    district_code: string | null;
    street_code: string | null;
    content: string;
    at: Date;
  }>(`
    SELECT i.id, i.no, q.district_code, q.street_code, q.content, a.at FROM incidents i JOIN requests q ON q.id = i.request_id
    JOIN incident_actions a ON a.incident_id = i.id AND a.action = 'divert'
    WHERE i.diverted_to = 'hotline_12345' AND NOT EXISTS (SELECT 1 FROM linkage_items l WHERE l.local_ref = i.id::text) ORDER BY a.at`);
  for (const d of diverted.rows) {
    const t0 = d.at.getTime() + 30_000;
    const opening = {
      type: 'transfer.request',
      kind: 'diversion',
      reason: '非警务事项，按对接联动机制分流',
      request: {
        content: d.content,
        channel: 'phone_110',
        receivedAt: d.at.toISOString(),
        location: { address: '', district: d.district_code ?? undefined, street: d.street_code ?? undefined },
      },
      deadline: new Date(t0 + 30 * MIN).toISOString(),
    };
    const { msgs, overdue } = messages(r, 'diversion', t0, now, false);
    await writeItem(
      {
        kind: 'diversion',
        originator: { db: dispatch, deskId: DEFAULT_DESK_IDS.dispatch, localRef: d.id, localNo: d.no },
        receiver: { db: hotline, deskId: DEFAULT_DESK_IDS.hotline },
        createdAt: t0,
        districtCode: d.district_code,
        opening,
        msgs,
        overdue,
      },
      await newItemId(dispatch, DEFAULT_DESK_IDS.dispatch, new Date(now)),
    );
  }
  return { transfers, diversions: diverted.rows.length };
}
