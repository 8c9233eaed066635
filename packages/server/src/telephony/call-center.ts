/**
 * The call centre above the CTI adapter: queues and routing (ACD: the longest-idle ready agent of the
 * call's queue; in surge mode also the standby group once a call has waited, and agents in after-call
 * work), agent states, ring timeouts (an unanswered offer puts the agent on break and the call back at
 * the head of its queue), and the record of every call and leg. It holds the live state in memory (the
 * process that runs the switch) and writes each call's records in the order its events came.
 */
import { EventEmitter } from 'node:events';
import { applyAgentEvent, offerable, type AgentEvent, type AgentState } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import type { CallInfo, CtiAdapter, CtiEvent } from './cti.ts';
import * as repo from './telephony.repo.ts';

export interface LiveAgent {
  userId: string;
  name: string;
  role: string;
  extension: string;
  queues: string[];
  state: AgentState;
  since: Date;
  callId: string | null;
  idleSince: number;
}

export interface LiveCall {
  info: CallInfo;
  queueId: string | null;
  offeredAt: Date;
  answeredAt: Date | null;
  agentId: string | null;
  extension: string | null;
  phase: 'queued' | 'ringing' | 'talking' | 'transferring' | 'consulting' | 'transferred' | 'ended';
  /** a call put back after a missed offer goes first */
  priority: number;
  ringTimer: NodeJS.Timeout | null;
  held: boolean;
  transferTarget: string | null;
}

export type AgentUpdate = { agent: LiveAgent; call: LiveCall | null; event: string };

export class CallCenter extends EventEmitter {
  readonly agents = new Map<string, LiveAgent>();
  readonly calls = new Map<string, LiveCall>();
  queues = new Map<string, repo.QueueRow>();
  private readonly writes = new Map<string, Promise<void>>();
  /** call events from the switch, call-event rows written (those and the ACD's own), writes that failed */
  readonly counts = { ctiCallEvents: 0, eventRows: 0, failedWrites: 0 };
  private overflowTimer: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    readonly cti: CtiAdapter,
    private readonly log: { error(o: object, m: string): void },
  ) {
    super();
    this.setMaxListeners(0);
    cti.onEvent((e) => this.onCti(e));
    // Surge overflow depends on how long a call has waited: look again every second.
    this.overflowTimer = setInterval(() => {
      if ([...this.queues.values()].some((q) => q.surge)) this.route();
    }, 1000);
    this.overflowTimer.unref();
  }

  async reloadQueues(): Promise<void> {
    this.queues = new Map((await repo.listQueues(this.db)).map((q) => [q.id, q]));
    this.route();
  }

  close(): void {
    clearInterval(this.overflowTimer);
    for (const c of this.calls.values()) if (c.ringTimer) clearTimeout(c.ringTimer);
  }

  /** Resolves when every record written so far is in the database. */
  async settled(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes.values()]);
  }

  private write(callId: string, fn: () => Promise<void>): void {
    const prev = this.writes.get(callId) ?? Promise.resolve();
    const next = prev
      .then(fn)
      .catch((err) => {
        this.counts.failedWrites++;
        this.log.error({ err, callId }, 'telephony: a call record was not written');
      })
      .finally(() => {
        if (this.writes.get(callId) === next) this.writes.delete(callId);
      });
    this.writes.set(callId, next);
  }

  private event(call: LiveCall, type: string, at: Date, detail: object = {}, extension = call.extension): void {
    const agentId = call.agentId;
    this.write(call.info.callId, async () => {
      await repo.insertCallEvent(this.db, { callId: call.info.callId, type, extension, agentId, detail, at });
      this.counts.eventRows++;
    });
  }

  // ---- agents (the console) ----

  agentEvent(agent: LiveAgent, event: AgentEvent, reason: string | null = null): boolean {
    const r = applyAgentEvent(agent.state, event);
    if (!r.ok) return false;
    this.setState(agent, r.value, reason);
    return true;
  }

  private setState(agent: LiveAgent, state: AgentState, reason: string | null): void {
    if (agent.state !== state) {
      agent.state = state;
      agent.since = new Date();
      if (state === 'ready') agent.idleSince = Date.now();
      const snapshot = { userId: agent.userId, extension: agent.extension, queues: agent.queues, state, reason };
      this.write(`agent:${agent.userId}`, () =>
        repo.saveAgentState(this.db, { ...snapshot, extension: state === 'offline' ? null : snapshot.extension }),
      );
    }
    this.emit('agent', { agent, call: agent.callId ? (this.calls.get(agent.callId) ?? null) : null, event: state });
    this.changed();
    if (state === 'offline') this.agents.delete(agent.userId);
    if (offerable(state, true)) this.route();
  }

  signIn(a: Omit<LiveAgent, 'state' | 'since' | 'callId' | 'idleSince'>): LiveAgent {
    const agent: LiveAgent = { ...a, state: 'offline', since: new Date(), callId: null, idleSince: Date.now() };
    this.agents.set(a.userId, agent);
    this.agentEvent(agent, 'sign_in');
    return agent;
  }

  // ---- the switch's events ----

  private onCti(e: CtiEvent): void {
    if (e.type === 'seat_registered' || e.type === 'seat_unregistered') {
      this.changed();
      if (e.type === 'seat_registered') this.route();
      return;
    }
    this.counts.ctiCallEvents++;
    if (e.type === 'offered') return this.offered(e.call, e.at);
    const call = this.calls.get(e.callId);
    if (!call) return;
    const agent = call.agentId ? this.agents.get(call.agentId) : undefined;
    switch (e.type) {
      case 'ringing':
        this.event(call, 'ringing', e.at, {}, e.extension);
        break;
      case 'answered': {
        if (call.ringTimer) clearTimeout(call.ringTimer);
        call.ringTimer = null;
        call.phase = 'talking';
        const first = call.answeredAt === null;
        call.answeredAt ??= e.at;
        if (agent) this.agentEvent(agent, 'answer');
        const set = { agent_id: call.agentId, extension: e.extension, ...(first ? { answered_at: e.at } : {}) };
        this.write(call.info.callId, () => repo.updateCall(this.db, call.info.callId, set));
        this.event(call, 'answered', e.at, { waitSeconds: (e.at.getTime() - call.offeredAt.getTime()) / 1000 });
        break;
      }
      case 'no_answer': {
        if (call.ringTimer) clearTimeout(call.ringTimer);
        call.ringTimer = null;
        this.event(call, 'no_answer', e.at, { reason: e.reason }, e.extension);
        if (agent && agent.callId === call.info.callId) {
          agent.callId = null;
          // An offer not answered (RONA) puts the agent on break, so the next call is not lost to her too.
          this.agentEvent(agent, 'no_answer', e.reason);
          if (agent.state === 'ready') this.agentEvent(agent, 'set_break', e.reason);
        }
        call.agentId = null;
        call.extension = null;
        this.requeue(call);
        break;
      }
      case 'returned':
        this.event(call, 'returned', e.at, { reason: e.reason });
        call.agentId = null;
        call.extension = null;
        this.requeue(call);
        break;
      case 'held':
      case 'resumed':
        call.held = e.type === 'held';
        this.event(call, e.type, e.at, {}, e.extension);
        break;
      case 'transferring':
        call.phase = 'transferring';
        call.transferTarget = e.target;
        this.event(call, 'transferring', e.at, { target: e.target, mode: e.mode });
        break;
      case 'transferred':
        call.phase = 'transferred';
        this.write(call.info.callId, () => repo.updateCall(this.db, call.info.callId, { transferred_to: e.target }));
        this.event(call, 'transferred', e.at, { target: e.target, mode: e.mode });
        this.releaseAgent(call, agent);
        break;
      case 'consulting':
        call.phase = 'consulting';
        this.event(call, 'consulting', e.at, { target: e.target });
        break;
      case 'transfer_failed':
        call.phase = call.agentId ? 'talking' : 'queued';
        this.event(call, 'transfer_failed', e.at, { target: e.target, reason: e.reason });
        break;
      case 'conferenced':
        this.event(call, 'conferenced', e.at, { target: e.target });
        break;
      case 'ended':
        this.ended(call, agent, e);
        break;
    }
    if (agent) this.emit('agent', { agent, call, event: e.type } satisfies AgentUpdate);
    this.emit('call', call, e.type);
    this.changed();
  }

  private offered(info: CallInfo, at: Date): void {
    const queue = [...this.queues.values()].find((q) => q.number === info.line) ?? null;
    const call: LiveCall = {
      info,
      queueId: queue?.id ?? null,
      offeredAt: at,
      answeredAt: null,
      agentId: null,
      extension: null,
      phase: 'queued',
      priority: 0,
      ringTimer: null,
      held: false,
      transferTarget: null,
    };
    this.calls.set(info.callId, call);
    this.write(info.callId, () =>
      repo.insertCall(this.db, {
        id: info.callId,
        callRef: info.callRef,
        line: info.line,
        queue: queue?.id ?? null,
        caller: info.callerNumber,
        callerName: info.callerName,
        peerCallRef: info.peerCallRef,
        offeredAt: at,
      }),
    );
    this.event(call, 'offered', at, { line: info.line, queue: queue?.id ?? null, peerCallRef: info.peerCallRef });
    this.emit('call', call, 'offered');
    if (!queue) {
      // A number this desk does not serve: the caller hears it refused at once, never a silent ring.
      this.cti.hangup(info.callId);
      return;
    }
    this.changed();
    this.route();
  }

  private ended(call: LiveCall, agent: LiveAgent | undefined, e: Extract<CtiEvent, { type: 'ended' }>): void {
    if (call.ringTimer) clearTimeout(call.ringTimer);
    const wasQueued = call.phase === 'queued' || call.phase === 'ringing';
    const waited = (e.at.getTime() - call.offeredAt.getTime()) / 1000;
    call.phase = 'ended';
    this.write(call.info.callId, () =>
      repo.updateCall(this.db, call.info.callId, {
        ended_at: e.at,
        end_reason: e.reason,
        ended_by: e.by,
        recording_ref: e.recordingRef,
      }),
    );
    this.event(call, 'ended', e.at, { by: e.by, reason: e.reason, duringTransfer: e.duringTransfer });
    // 漏接回拨: a caller lost in a transfer, or who gave up after waiting, is called back.
    const caller = call.info.callerNumber;
    if (caller && !call.info.peerCallRef && (e.duringTransfer || (wasQueued && !call.answeredAt && waited >= 5)))
      this.write(call.info.callId, () =>
        repo.insertCallBack(
          this.db,
          call.info.callId,
          caller,
          e.duringTransfer ? 'dropped_in_transfer' : 'abandoned_in_queue',
        ),
      );
    this.releaseAgent(call, agent);
    setTimeout(() => this.calls.delete(call.info.callId), 60_000).unref();
  }

  private releaseAgent(call: LiveCall, agent: LiveAgent | undefined): void {
    if (!agent || agent.callId !== call.info.callId) return;
    agent.callId = null;
    this.agentEvent(agent, 'call_end');
    if (call.phase !== 'ended') call.agentId = null;
  }

  private requeue(call: LiveCall): void {
    if (call.phase === 'ended') return;
    call.phase = 'queued';
    call.priority = 1;
    this.route();
  }

  // ---- routing ----

  /** Offers every waiting call it can, oldest (and returned calls) first, to the longest-idle agent. */
  route(): void {
    const waiting = [...this.calls.values()]
      .filter((c) => c.phase === 'queued' && c.queueId)
      .sort((a, b) => b.priority - a.priority || a.offeredAt.getTime() - b.offeredAt.getTime());
    for (const call of waiting) {
      const queue = this.queues.get(call.queueId!)!;
      const waited = (Date.now() - call.offeredAt.getTime()) / 1000;
      const groups = new Set([queue.id]);
      if (queue.surge && queue.overflow_to && waited >= queue.overflow_after_seconds) groups.add(queue.overflow_to);
      const candidates = [...this.agents.values()]
        .filter(
          (a) =>
            a.callId === null &&
            offerable(a.state, queue.surge) &&
            a.queues.some((q) => groups.has(q)) &&
            this.cti.isRegistered(a.extension),
        )
        .sort((a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || a.idleSince - b.idleSince);
      const agent = candidates[0];
      if (!agent) continue;
      this.offer(call, agent, queue);
    }
  }

  private offer(call: LiveCall, agent: LiveAgent, queue: repo.QueueRow): void {
    agent.callId = call.info.callId;
    call.agentId = agent.userId;
    call.extension = agent.extension;
    call.phase = 'ringing';
    this.agentEvent(agent, 'offer');
    this.event(call, 'delivered', new Date(), { queue: queue.id, agent: agent.name }, agent.extension);
    call.ringTimer = setTimeout(() => {
      call.ringTimer = null;
      if (call.phase === 'ringing' && call.agentId === agent.userId) this.cti.withdraw(call.info.callId);
    }, queue.ring_seconds * 1000);
    call.ringTimer.unref();
    this.cti.deliver(call.info.callId, agent.extension);
  }

  // ---- the wallboard ----

  private changedTimer: NodeJS.Timeout | null = null;
  /** Coalesces changes: the wallboard is pushed at most every 250 ms. */
  private changed(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = null;
      this.emit('wallboard');
    }, 250);
    this.changedTimer.unref();
  }

  live(now = Date.now()) {
    const queues = [...this.queues.values()].map((q) => {
      const waiting = [...this.calls.values()].filter(
        (c) => c.queueId === q.id && (c.phase === 'queued' || c.phase === 'ringing'),
      );
      return {
        id: q.id,
        name: q.name,
        number: q.number,
        surge: q.surge,
        surgeSince: q.surge_since?.toISOString() ?? null,
        overflowTo: q.overflow_to,
        waiting: waiting.length,
        longestWaitSeconds: waiting.length
          ? Math.round(Math.max(...waiting.map((c) => now - c.offeredAt.getTime())) / 1000)
          : 0,
      };
    });
    const agents = [...this.agents.values()].map((a) => ({
      userId: a.userId,
      name: a.name,
      extension: a.extension,
      queues: a.queues,
      state: a.state,
      sinceSeconds: Math.round((now - a.since.getTime()) / 1000),
      registered: this.cti.isRegistered(a.extension),
    }));
    const talking = [...this.calls.values()].filter(
      (c) => c.phase === 'talking' || c.phase === 'transferring' || c.phase === 'consulting',
    ).length;
    return { queues, agents, talking };
  }
}
