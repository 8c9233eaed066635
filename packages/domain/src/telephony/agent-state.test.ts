import { describe, expect, it } from 'vitest';
import { AGENT_EVENTS, AGENT_STATES, AGENT_TRANSITIONS, applyAgentEvent, offerable } from './agent-state.ts';

describe('agent states', () => {
  it.each(AGENT_STATES.flatMap((s) => AGENT_EVENTS.map((e) => [s, e] as const)))(
    '%s × %s follows the table',
    (state, event) => {
      const expected = (AGENT_TRANSITIONS[state] as Record<string, string | undefined>)[event];
      const r = applyAgentEvent(state, event);
      if (expected) expect(r).toEqual({ ok: true, value: expected });
      else expect(r).toMatchObject({ ok: false, code: 'AGENT_STATE_NOT_ALLOWED' });
    },
  );

  it('a talking agent cannot take a break; a call ends in after-call work', () => {
    expect(applyAgentEvent('busy', 'set_break').ok).toBe(false);
    expect(applyAgentEvent('busy', 'call_end')).toEqual({ ok: true, value: 'after_call_work' });
  });

  it('after-call work is offered calls only in surge mode', () => {
    expect(offerable('after_call_work', false)).toBe(false);
    expect(offerable('after_call_work', true)).toBe(true);
    expect(offerable('break', true)).toBe(false);
  });
});
