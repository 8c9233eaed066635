/**
 * The telephony use cases the console calls: agents sign in at a seat and change state, the live call
 * is transferred, callers' histories, call records and legs, call-backs (漏接回拨), the wallboard,
 * surge mode, the CSV import, the hotline assessment (热线归并), capacity planning (Erlang C) and the
 * training log. Without a switch (no SIP_PORT) only the records, assessment, planning and training work.
 */
import {
  agentsNeeded,
  assessLine,
  checkTraining,
  measureCalls,
  parseCallRecordCsv,
  periodsFor,
  required110CallTakers,
  beijingDate,
  BEIJING_OFFSET_MS,
  type CallRecord,
  type Role,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import type { CallCenter, LiveAgent } from './call-center.ts';
import * as repo from './telephony.repo.ts';
import { ha1For } from './sip/digest.ts';
import { phoneHash } from '../crypto/pii.ts';

/** The number of a desk's specialist queue (专席), where the other desk's transfers arrive. */
const SPECIALIST_LINE = 'specialist';

/** A mark against a caller's number (e.g. 恶意骚扰 from the harassment watch list), with where it came from. */
export interface WatchMark {
  kind: string;
  label: string;
  since: string | null;
  source: string;
}

/**
 * Where watch-list marks come from. The harassment watch list belongs to the analysis stream (issue 13);
 * until it is there the desk has no marks to show, and says so rather than inventing any.
 */
export interface WatchList {
  readonly available: boolean;
  marksFor(number: string): Promise<WatchMark[]>;
}

export const NO_WATCH_LIST: WatchList = { available: false, marksFor: async () => [] };

/** The queues of a desk: the public line, the specialist seats (专席), and the standby group for surges. */
export function deskQueues(desk: 'hotline' | 'dispatch') {
  return desk === 'dispatch'
    ? [
        { id: 'standby', name: '应急备用坐席组', number: 'standby', overflowTo: null },
        { id: 'alarm', name: '110接警', number: '110', overflowTo: 'standby' },
        { id: 'specialist', name: '12345专席', number: 'specialist', overflowTo: null },
      ]
    : [
        { id: 'standby', name: '应急备用坐席组', number: 'standby', overflowTo: null },
        { id: 'hotline', name: '12345热线', number: '12345', overflowTo: 'standby' },
        { id: 'specialist', name: '110专席', number: 'specialist', overflowTo: null },
      ];
}

const QUEUE_OF_ROLE: Partial<Record<Role, string>> = {
  call_taker: 'hotline',
  dispatcher: 'alarm',
  specialist_seat: 'specialist',
};

export class TelephonyService {
  readonly center: CallCenter | null;

  constructor(
    private readonly db: Db,
    private readonly phone: { center: CallCenter; reloadSeats(): Promise<void> } | null,
    private readonly opts: { deskId: string; realm: string; sipPort: number | null; peerSip: string | null },
    private readonly watchList: WatchList = NO_WATCH_LIST,
  ) {
    this.center = phone?.center ?? null;
  }

  status() {
    return {
      enabled: this.center !== null,
      sipPort: this.opts.sipPort,
      realm: this.opts.realm,
      peer: this.opts.peerSip,
      watchList: this.watchList.available,
    };
  }

  private centre(): CallCenter {
    if (!this.center) throw new AppError('TELEPHONY_OFF');
    return this.center;
  }

  // ---- seats (admin) ----

  async putSeat(actor: Actor, extension: string, label: string, password: string): Promise<void> {
    requirePermission(actor, 'telephony.admin');
    await repo.upsertSeat(this.db, { extension, label, ha1: ha1For(extension, this.opts.realm, password) });
    await this.phone?.reloadSeats();
  }

  /** The demo's seats (`serve --demo`), created once with the demo password. */
  async ensureDemoSeats(extensions: readonly string[], password: string): Promise<void> {
    const have = new Set((await repo.listSeats(this.db)).map((s) => s.extension));
    for (const ext of extensions)
      if (!have.has(ext))
        await repo.upsertSeat(this.db, {
          extension: ext,
          label: `演示坐席${ext}`,
          ha1: ha1For(ext, this.opts.realm, password),
        });
    await this.phone?.reloadSeats();
  }

  async seats(actor: Actor) {
    requirePermission(actor, 'telephony.supervise');
    return (await repo.listSeats(this.db)).map((s) => ({
      extension: s.extension,
      label: s.label,
      registered: this.center?.cti.isRegistered(s.extension) ?? false,
    }));
  }

  // ---- agents ----

  async signIn(actor: Actor, extension: string, standby: boolean): Promise<LiveAgent> {
    requirePermission(actor, 'telephony.agent');
    const centre = this.centre();
    const seat = (await repo.listSeats(this.db)).find((s) => s.extension === extension);
    if (!seat) throw new AppError('SEAT_NOT_FOUND');
    if (!centre.cti.isRegistered(extension)) throw new AppError('SEAT_NOT_REGISTERED');
    const holder = [...centre.agents.values()].find((a) => a.extension === extension && a.userId !== actor.id);
    if (holder) throw new AppError('SEAT_IN_USE', `该坐席已由${holder.name}签入`);
    const current = centre.agents.get(actor.id!);
    if (current) {
      if (current.extension === extension) return current;
      throw new AppError('AGENT_STATE_NOT_ALLOWED', `您已在坐席 ${current.extension} 签入，请先签出`);
    }
    const queue = QUEUE_OF_ROLE[actor.role as Role];
    const queues = [...(queue ? [queue] : []), ...(standby ? ['standby'] : [])];
    return centre.signIn({ userId: actor.id!, name: actor.displayName, role: actor.role, extension, queues });
  }

  setState(actor: Actor, state: 'ready' | 'break' | 'offline'): LiveAgent | null {
    requirePermission(actor, 'telephony.agent');
    const centre = this.centre();
    const agent = centre.agents.get(actor.id!);
    if (!agent) throw new AppError('AGENT_NOT_SIGNED_IN');
    const event = state === 'ready' ? 'set_ready' : state === 'break' ? 'set_break' : 'sign_out';
    if (!centre.agentEvent(agent, event))
      throw new AppError('AGENT_STATE_NOT_ALLOWED', '当前状态不能切换（通话或振铃中），请先结束通话');
    return state === 'offline' ? null : agent;
  }

  me(actor: Actor) {
    const agent = this.center?.agents.get(actor.id!) ?? null;
    const call = agent?.callId ? (this.center!.calls.get(agent.callId) ?? null) : null;
    return { agent, call };
  }

  // ---- the live call ----

  /** The actor's own live call, answered and not being moved (for the intake that carries it along). */
  liveCall(actor: Actor, callId: string): { callRef: string } {
    requirePermission(actor, 'telephony.agent');
    const call = this.centre().calls.get(callId);
    if (!call || call.agentId !== actor.id || (call.phase !== 'talking' && call.phase !== 'consulting'))
      throw new AppError('CALL_NOT_FOUND');
    return { callRef: call.info.callRef };
  }

  /** The console's one-click transfer: the desk moves the caller to the peer desk's specialist queue. */
  async transfer(actor: Actor, callId: string, linkageItemId: string | null) {
    requirePermission(actor, 'telephony.agent');
    const centre = this.centre();
    const call = centre.calls.get(callId);
    if (!call || call.agentId !== actor.id) throw new AppError('CALL_NOT_FOUND');
    if (!this.opts.peerSip) throw new AppError('TELEPHONY_NO_PEER');
    if (linkageItemId) {
      // The call's own record may still be on its way to the database (writes are queued per call).
      await centre.settled();
      await repo.updateCall(this.db, callId, { linkage_item_id: linkageItemId });
    }
    // While she consults the specialist (咨询转接), the one-click transfer gives the caller to that specialist.
    const outcome =
      call.phase === 'consulting'
        ? await centre.cti.completeConsult(callId)
        : await centre.cti.transfer(callId, SPECIALIST_LINE, 'console');
    if (!outcome.ok) throw new AppError('CALL_TRANSFER_FAILED', `转接未成功：${outcome.reason}`);
    return { transferred: true, callRef: call.info.callRef };
  }

  /**
   * 咨询转接 (attended transfer), first step: the caller waits on hold while the desk calls the peer
   * desk's specialist queue for the call-taker; answers when the specialist speaks to her (or why not:
   * the caller is then back with her).
   */
  async consult(actor: Actor, callId: string, linkageItemId: string | null) {
    const { centre, call } = this.ownCall(actor, callId);
    if (!this.opts.peerSip) throw new AppError('TELEPHONY_NO_PEER');
    if (linkageItemId) {
      await centre.settled();
      await repo.updateCall(this.db, callId, { linkage_item_id: linkageItemId });
    }
    const outcome = await centre.cti.consult(callId, SPECIALIST_LINE);
    if (!outcome.ok) throw new AppError('CALL_TRANSFER_FAILED', `转接未成功：${outcome.reason}`);
    return { consulting: true, callRef: call.info.callRef };
  }

  /** 咨询转接, second step: the caller goes to the specialist she has spoken to; she is released. */
  async completeConsult(actor: Actor, callId: string) {
    const { centre, call } = this.ownCall(actor, callId);
    const outcome = await centre.cti.completeConsult(callId);
    if (!outcome.ok) throw new AppError('CALL_TRANSFER_FAILED', `转接未成功：${outcome.reason}`);
    return { transferred: true, callRef: call.info.callRef };
  }

  /** 咨询转接 given up: the specialist is hung up on (or stops ringing), the caller is back with her. */
  async cancelConsult(actor: Actor, callId: string) {
    const { centre, call } = this.ownCall(actor, callId);
    const outcome = await centre.cti.cancelConsult(callId);
    if (!outcome.ok) throw new AppError('CALL_TRANSFER_FAILED', `取消未成功：${outcome.reason}`);
    return { consulting: false, callRef: call.info.callRef };
  }

  private ownCall(actor: Actor, callId: string) {
    requirePermission(actor, 'telephony.agent');
    const centre = this.centre();
    const call = centre.calls.get(callId);
    if (!call || call.agentId !== actor.id) throw new AppError('CALL_NOT_FOUND');
    return { centre, call };
  }

  async linkRequest(actor: Actor, callId: string, requestId: string): Promise<void> {
    requirePermission(actor, 'telephony.agent');
    const call = await repo.findCall(this.db, callId);
    if (!call || (call.agent_id !== actor.id && call.source === 'switch')) throw new AppError('CALL_NOT_FOUND');
    await repo.updateCall(this.db, callId, { request_id: requestId }).catch((err: { code?: string }) => {
      if (err.code === '23503') throw new AppError('REFERENCE_NOT_FOUND', '诉求不存在');
      throw err;
    });
  }

  // ---- callers, records, legs ----

  async callerHistory(actor: Actor, number: string) {
    requirePermission(actor, 'telephony.agent');
    const { rows } = await this.db.query<{
      request_id: string;
      received_at: Date;
      content: string;
      channel: string;
      record_no: string | null;
      record_kind: 'work_order' | 'incident' | null;
      record_id: string | null;
      status: string | null;
    }>(
      `SELECT r.id AS request_id, r.received_at, r.content, r.channel,
              coalesce(w.no, i.no) AS record_no, CASE WHEN w.id IS NOT NULL THEN 'work_order' WHEN i.id IS NOT NULL THEN 'incident' END AS record_kind,
              coalesce(w.id, i.id) AS record_id, coalesce(w.status, i.status) AS status
       FROM requests r JOIN callers c ON c.id = r.caller_id
       LEFT JOIN work_orders w ON w.request_id = r.id LEFT JOIN incidents i ON i.request_id = r.id
       WHERE c.phone_hash = $1 ORDER BY r.received_at DESC LIMIT 20`,
      [phoneHash(number)],
    );
    const calls = await this.db.query<{ n: number; last: Date | null }>(
      'SELECT count(*)::int AS n, max(offered_at) AS last FROM calls WHERE caller_hash = $1',
      [phoneHash(number)],
    );
    return {
      number,
      requests: rows.map((r) => ({
        requestId: r.request_id,
        receivedAt: r.received_at.toISOString(),
        content: r.content.length > 120 ? `${r.content.slice(0, 120)}…` : r.content,
        channel: r.channel,
        record: r.record_id ? { kind: r.record_kind, id: r.record_id, no: r.record_no, status: r.status } : null,
      })),
      callsBefore: calls.rows[0]!.n,
      lastCallAt: calls.rows[0]!.last?.toISOString() ?? null,
      marks: await this.watchList.marksFor(number),
      watchListAvailable: this.watchList.available,
    };
  }

  async call(actor: Actor, id: string) {
    requirePermission(actor, 'telephony.records');
    const call = await repo.findCall(this.db, id);
    if (!call) throw new AppError('CALL_NOT_FOUND');
    return { call, events: await repo.callEvents(this.db, [id]) };
  }

  async callByRef(actor: Actor, ref: string) {
    this.requireLegs(actor);
    const call = await repo.findCallByRef(this.db, ref);
    const calls = call ? [call] : await repo.callsByPeerRef(this.db, ref);
    return {
      calls,
      events: await repo.callEvents(
        this.db,
        calls.map((c) => c.id),
      ),
    };
  }

  /** The call legs of a request (its timeline), including a call moved in from the peer desk. */
  async legsForRequest(actor: Actor, requestId: string) {
    this.requireLegs(actor);
    const calls = await repo.callsForRequest(this.db, requestId);
    return {
      calls,
      events: await repo.callEvents(
        this.db,
        calls.map((c) => c.id),
      ),
    };
  }

  /** The legs of a call are read by those who keep the records and by the seats who work the request. */
  private requireLegs(actor: Actor): void {
    if (!can(actor, 'telephony.agent')) requirePermission(actor, 'telephony.records');
  }

  async calls(
    actor: Actor,
    f: { from: Date; to: Date; line?: string; caller?: string; page: number; pageSize: number },
  ) {
    requirePermission(actor, 'telephony.records');
    return repo.listCalls(this.db, { ...f, limit: f.pageSize, offset: (f.page - 1) * f.pageSize });
  }

  async callBacks(actor: Actor, open: boolean) {
    requirePermission(actor, 'telephony.agent');
    return repo.listCallBacks(this.db, open);
  }

  async completeCallBack(actor: Actor, callId: string, outcome: string, note: string | null): Promise<void> {
    requirePermission(actor, 'telephony.agent');
    if (!(await repo.completeCallBack(this.db, callId, actor.id!, outcome, note)))
      throw new AppError('CALL_BACK_NOT_FOUND');
  }

  // ---- supervisor ----

  async wallboard(actor: Actor) {
    requirePermission(actor, 'telephony.supervise');
    const now = new Date();
    const today = await repo.callRecords(this.db, new Date(`${beijingDate(now)}T00:00:00+08:00`), now);
    return {
      at: now.toISOString(),
      enabled: this.center !== null,
      ...(this.center ? this.center.live(now.getTime()) : { queues: [], agents: [], talking: 0 }),
      today: measureCalls(today),
      callBacksOpen: await repo.countOpenCallBacks(this.db),
    };
  }

  async setSurge(actor: Actor, queueId: string, surge: boolean, note: string | null) {
    requirePermission(actor, 'telephony.supervise');
    const q = await repo.setSurge(this.db, queueId, surge, actor.id!, note);
    if (!q) throw new AppError('QUEUE_NOT_FOUND');
    await this.center?.reloadQueues();
    return q;
  }

  // ---- records from other lines, assessment, planning ----

  async importCsv(actor: Actor, filename: string, text: string) {
    requirePermission(actor, 'telephony.import');
    const parsed = parseCallRecordCsv(text);
    if (!parsed.ok) throw fromDomain(parsed);
    return inTransaction(this.db, async (tx) => {
      const importId = await repo.insertImport(tx, filename, parsed.value.length, actor.id!);
      const inserted = await repo.insertImportedCalls(tx, importId, parsed.value);
      return { importId, rows: parsed.value.length, inserted, duplicates: parsed.value.length - inserted };
    });
  }

  async assessment(actor: Actor, from: Date, to: Date) {
    requirePermission(actor, 'telephony.records');
    // The specialist queue (专席) takes only calls the other desk moves to it: no public line to merge.
    const lines = (await repo.linesWithCalls(this.db, from, to)).filter((l) => l !== SPECIALIST_LINE);
    const out = [];
    for (const line of lines) out.push(assessLine(line, await repo.callRecords(this.db, from, to, line)));
    return { from: from.toISOString(), to: to.toISOString(), lines: out };
  }

  /**
   * Agents needed per half hour of the day for a target service level (Erlang C), from the average
   * day of the period's call records: calls offered per half hour and the average handling time.
   */
  async capacity(
    actor: Actor,
    p: { from: Date; to: Date; line?: string; serviceLevel: number; targetSeconds: number; wrapUpSeconds: number },
  ) {
    requirePermission(actor, 'telephony.records');
    const records = await repo.callRecords(this.db, p.from, p.to, p.line);
    const days = Math.max(1, Math.round((p.to.getTime() - p.from.getTime()) / 86_400_000));
    const slots = Array.from({ length: 48 }, () => ({ calls: 0, talk: 0, answered: 0 }));
    for (const r of records) {
      const bj = new Date(r.offeredAt.getTime() + BEIJING_OFFSET_MS);
      const s = slots[bj.getUTCHours() * 2 + (bj.getUTCMinutes() >= 30 ? 1 : 0)]!;
      s.calls++;
      if (r.answeredAt) {
        s.answered++;
        s.talk += (r.endedAt.getTime() - r.answeredAt.getTime()) / 1000;
      }
    }
    const all = measureCalls(records);
    const overallAht = (all.averageTalkSeconds ?? 180) + p.wrapUpSeconds;
    const intervals = slots.map((s, i) => {
      const calls = s.calls / days;
      const aht = s.answered ? s.talk / s.answered + p.wrapUpSeconds : overallAht;
      const need = agentsNeeded(
        { calls, ahtSeconds: aht, intervalSeconds: 1800 },
        { serviceLevel: p.serviceLevel, targetSeconds: p.targetSeconds },
      );
      const hh = String(Math.floor(i / 2)).padStart(2, '0');
      return {
        start: `${hh}:${i % 2 ? '30' : '00'}`,
        calls: Math.round(calls * 10) / 10,
        ahtSeconds: Math.round(aht),
        agents: need.agents,
        serviceLevel: need.serviceLevel,
        averageSpeedOfAnswer: Number.isFinite(need.averageSpeedOfAnswer) ? need.averageSpeedOfAnswer : null,
        occupancy: need.occupancy,
      };
    });
    const dailyInbound = records.length / days;
    return {
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      days,
      records: records.length,
      target: { serviceLevel: p.serviceLevel, targetSeconds: p.targetSeconds },
      intervals,
      peakAgents: Math.max(0, ...intervals.map((i) => i.agents)),
      averageDailyInbound: Math.round(dailyInbound * 10) / 10,
      // plan 二(四)9: the 110 desk staffs full-time call-takers at ≥ 1.5 % of its average daily inbound
      required110CallTakers: required110CallTakers(dailyInbound),
    };
  }

  // ---- training (plan 二(三)6) ----

  async addTraining(
    actor: Actor,
    s: {
      title: string;
      topic: string | null;
      trainer: string | null;
      heldOn: string;
      minutes: number;
      attendees: string[];
    },
  ) {
    requirePermission(actor, 'training.manage');
    return inTransaction(this.db, async (tx) => {
      const users = await tx.query<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active', [
        s.attendees,
      ]);
      if (users.rows.length !== new Set(s.attendees).size) throw new AppError('REFERENCE_NOT_FOUND', '参训人员不存在');
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO training_sessions (title, topic, trainer, held_on, minutes, periods, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [s.title, s.topic, s.trainer, s.heldOn, s.minutes, periodsFor(s.minutes), actor.id],
      );
      for (const u of new Set(s.attendees))
        await tx.query('INSERT INTO training_attendance (session_id, user_id) VALUES ($1, $2)', [rows[0]!.id, u]);
      return { id: rows[0]!.id, periods: periodsFor(s.minutes) };
    });
  }

  async trainingSessions(actor: Actor, month: string) {
    requirePermission(actor, 'training.manage');
    const { rows } = await this.db.query(
      `SELECT s.id, s.title, s.topic, s.trainer, s.held_on, s.minutes, s.periods, count(a.user_id)::int AS attendees
       FROM training_sessions s LEFT JOIN training_attendance a ON a.session_id = s.id
       WHERE to_char(s.held_on, 'YYYY-MM') = $1 GROUP BY s.id ORDER BY s.held_on DESC`,
      [month],
    );
    return rows;
  }

  /** Every active call-taker of the desk (12345 话务员, 110 接警员, 专席) against ≥ 5 课时 in the month. */
  async trainingCheck(actor: Actor, month: string) {
    requirePermission(actor, 'training.manage');
    const users = await this.db.query<{ id: string; display_name: string; role: string }>(
      `SELECT id, display_name, role FROM users WHERE active AND role IN ('call_taker', 'dispatcher', 'specialist_seat')
       ORDER BY display_name`,
    );
    const att = await this.db.query<{ user_id: string; periods: number }>(
      `SELECT a.user_id, s.periods FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
       WHERE to_char(s.held_on, 'YYYY-MM') = $1`,
      [month],
    );
    const checks = checkTraining(
      month,
      users.rows.map((u) => u.id),
      att.rows.map((a) => ({ userId: a.user_id, month, periods: a.periods })),
    );
    const byId = new Map(users.rows.map((u) => [u.id, u]));
    return checks.map((c) => ({ ...c, name: byId.get(c.userId)!.display_name, role: byId.get(c.userId)!.role }));
  }
}

export type { CallRecord };
