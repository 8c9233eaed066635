import { describe, expect, it } from 'vitest';
import { STATE_MACHINES, stateDiagram, withStateMachines, GENERATED_BEGIN, GENERATED_END } from './state-machines.ts';

describe('state machines drawn from their tables', () => {
  it('draws every move of every table, and only states the table has', () => {
    for (const m of STATE_MACHINES) {
      const known = new Set(m.states.map(([s]) => s));
      for (const mv of m.moves) {
        expect(known.has(mv.from), `${m.title}: ${mv.from}`).toBe(true);
        expect(known.has(mv.to), `${m.title}: ${mv.to}`).toBe(true);
      }
      const text = stateDiagram(m);
      for (const mv of m.moves) expect(text).toContain(mv.on);
    }
  });

  it('marks the work order’s archived and merged states final and lists 督办 as a move that keeps the state', () => {
    const wo = stateDiagram(STATE_MACHINES[0]!);
    expect(wo).toContain('  archived --> [*]');
    expect(wo).toContain('  merged --> [*]');
    expect(wo).toContain('  received --> assigned: assign 派单');
    expect(wo).not.toContain('  received --> [*]');
    expect(wo).toMatch(/- `supervise 督办` in `received`, `assigned`/);
  });

  it('names the sending side on linkage moves and leaves out info.copy and link', () => {
    const lk = stateDiagram(STATE_MACHINES[2]!);
    expect(lk).toContain('requested --> accepted: transfer.accept (receiver)');
    expect(lk).not.toContain('info.copy');
  });

  it('replaces only what stands between the markers, and refuses a document without them', () => {
    const doc = `# A\n\n${GENERATED_BEGIN}\nold\n${GENERATED_END}\n\ntail\n`;
    const out = withStateMachines(doc);
    expect(out.startsWith('# A\n\n')).toBe(true);
    expect(out.endsWith('\n\ntail\n')).toBe(true);
    expect(out).not.toContain('\nold\n');
    expect(withStateMachines(out)).toBe(out);
    expect(() => withStateMachines('# no markers')).toThrow(/markers/);
  });
});
