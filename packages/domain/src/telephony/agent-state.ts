import { fail, ok, type Result } from '../shared/result.ts';

/** A call-taker's state at the switch (ACD): who may be offered the next call. */
export const AGENT_STATES = ['offline', 'ready', 'ringing', 'busy', 'after_call_work', 'break'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export const AGENT_STATE_LABELS: Record<AgentState, string> = {
  offline: '未签入',
  ready: '示闲',
  ringing: '振铃',
  busy: '通话中',
  after_call_work: '话后整理',
  break: '小休',
};

/** What moves an agent: the console (sign in/out, ready, break, wrap-up done) and the switch (offer, answer, end). */
export const AGENT_EVENTS = [
  'sign_in',
  'sign_out',
  'set_ready',
  'set_break',
  'offer',
  'answer',
  'no_answer',
  'call_end',
  'wrap_up_done',
] as const;
export type AgentEvent = (typeof AGENT_EVENTS)[number];

/**
 * The allowed moves. A ringing or talking agent cannot take a break or sign out by a click; a call
 * ends in after-call work (话后整理), from which the agent makes herself ready or takes a break.
 */
export const AGENT_TRANSITIONS = {
  offline: { sign_in: 'ready' },
  ready: { set_break: 'break', sign_out: 'offline', offer: 'ringing', set_ready: 'ready' },
  ringing: { answer: 'busy', no_answer: 'ready', call_end: 'ready' },
  busy: { call_end: 'after_call_work' },
  after_call_work: {
    set_ready: 'ready',
    wrap_up_done: 'ready',
    set_break: 'break',
    sign_out: 'offline',
    offer: 'ringing',
  },
  break: { set_ready: 'ready', sign_out: 'offline', set_break: 'break' },
} as const satisfies Record<AgentState, Partial<Record<AgentEvent, AgentState>>>;

export function applyAgentEvent(state: AgentState, event: AgentEvent): Result<AgentState> {
  const next = (AGENT_TRANSITIONS[state] as Partial<Record<AgentEvent, AgentState>>)[event];
  if (!next)
    return fail('AGENT_STATE_NOT_ALLOWED', `坐席当前为“${AGENT_STATE_LABELS[state]}”，不能执行此操作`, {
      state,
      event,
    });
  return ok(next);
}

/** An agent in after-call work is offered calls only when the queue is in surge mode (应急状态). */
export const offerable = (state: AgentState, surge: boolean): boolean =>
  state === 'ready' || (surge && state === 'after_call_work');
