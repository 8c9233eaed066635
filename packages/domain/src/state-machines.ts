/**
 * Every state machine of the domain, drawn from its own transition table as a Mermaid state diagram.
 * docs/architecture.md carries the drawings between generated markers (`npm run docs:architecture`
 * writes them; a server test fails when the document and the tables differ), so they cannot drift.
 */
import { LINKAGE_STATUS_LABELS, LINKAGE_TRANSITIONS } from './bridge/linkage.ts';
import { INCIDENT_ACTION_LABELS, INCIDENT_TRANSITIONS } from './dispatch/incident/transitions.ts';
import { INCIDENT_STATUS_LABELS } from './dispatch/incident/status.ts';
import { WORK_ORDER_STATUS_LABELS } from './hotline/work-order/status.ts';
import { WORK_ORDER_ACTION_LABELS, WORK_ORDER_TRANSITIONS } from './hotline/work-order/transitions.ts';
import { KNOWLEDGE_ACTION_LABELS, KNOWLEDGE_STATUS_LABELS, KNOWLEDGE_TRANSITIONS } from './knowledge/review.ts';
import { AGENT_STATE_LABELS, AGENT_TRANSITIONS } from './telephony/agent-state.ts';

/** One move of a machine: from a state, on an event, to a state ('same' keeps it). */
export interface Move {
  from: string;
  on: string;
  to: string;
  /** who may take it, where the table says (the linkage table names the sending side) */
  by?: string;
}

export interface StateMachine {
  /** the heading in the document */
  title: string;
  /** where the table is, relative to packages/domain/src */
  source: string;
  initial: string;
  /** the states in the table's order, with their Chinese labels */
  states: [string, string][];
  moves: Move[];
  /** event → Chinese label, where the domain has them */
  eventLabels?: Record<string, string>;
}

const movesOf = (table: Record<string, Record<string, unknown>>): Move[] =>
  Object.entries(table).flatMap(([from, row]) =>
    Object.entries(row).map(([on, target]) =>
      Array.isArray(target)
        ? { from, on, by: String(target[0]), to: String(target[1]) === 'same' ? from : String(target[1]) }
        : { from, on, to: target === 'same' ? from : String(target) },
    ),
  );

const statesOf = (labels: Record<string, string>): [string, string][] => Object.entries(labels);

export const STATE_MACHINES: StateMachine[] = [
  {
    title: 'Work order (工单), 12345 desk',
    source: 'hotline/work-order/transitions.ts',
    initial: 'received',
    states: statesOf(WORK_ORDER_STATUS_LABELS),
    moves: movesOf(WORK_ORDER_TRANSITIONS),
    eventLabels: WORK_ORDER_ACTION_LABELS,
  },
  {
    title: 'Incident (警情), 110 desk',
    source: 'dispatch/incident/transitions.ts',
    initial: 'received',
    states: statesOf(INCIDENT_STATUS_LABELS),
    moves: movesOf(INCIDENT_TRANSITIONS),
    eventLabels: INCIDENT_ACTION_LABELS,
  },
  {
    title: 'Linkage item (联动事项), both desks, driven by bridge messages',
    source: 'bridge/linkage.ts',
    initial: 'requested',
    states: statesOf(LINKAGE_STATUS_LABELS),
    // info.copy and link are allowed in every state and change nothing: left out of the drawing
    moves: movesOf(LINKAGE_TRANSITIONS).filter((m) => m.on !== 'info.copy' && m.on !== 'link'),
  },
  {
    title: 'Knowledge article version (知识版本)',
    source: 'knowledge/review.ts',
    initial: 'draft',
    states: statesOf(KNOWLEDGE_STATUS_LABELS),
    moves: movesOf(KNOWLEDGE_TRANSITIONS),
    eventLabels: KNOWLEDGE_ACTION_LABELS,
  },
  {
    title: 'Call-centre agent (坐席状态)',
    source: 'telephony/agent-state.ts',
    initial: 'offline',
    states: statesOf(AGENT_STATE_LABELS),
    moves: movesOf(AGENT_TRANSITIONS),
  },
];

/** Mermaid's state ids may not contain dots or dashes. */
const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

/** One machine as a Mermaid `stateDiagram-v2`; self-loops are listed under the drawing instead. */
export function stateDiagram(m: StateMachine): string {
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const [s, label] of m.states) lines.push(`  ${id(s)}: ${s} ${label}`);
  lines.push(`  [*] --> ${id(m.initial)}`);
  const label = (mv: Move) =>
    `${mv.on}${m.eventLabels?.[mv.on] ? ` ${m.eventLabels[mv.on]}` : ''}${mv.by ? ` (${mv.by})` : ''}`;
  for (const mv of m.moves.filter((x) => x.from !== x.to))
    lines.push(`  ${id(mv.from)} --> ${id(mv.to)}: ${label(mv)}`);
  // a state with no way out is final
  for (const [s] of m.states) if (!m.moves.some((x) => x.from === s && x.to !== s)) lines.push(`  ${id(s)} --> [*]`);
  lines.push('```');
  const loops = m.moves.filter((x) => x.from === x.to);
  if (loops.length) {
    const byEvent = new Map<string, string[]>();
    for (const mv of loops) byEvent.set(label(mv), [...(byEvent.get(label(mv)) ?? []), mv.from]);
    lines.push('', 'Moves that keep the state:', '');
    for (const [ev, from] of byEvent) lines.push(`- \`${ev}\` in ${from.map((f) => `\`${f}\``).join(', ')}`);
  }
  return lines.join('\n');
}

export const GENERATED_BEGIN = '<!-- generated: state machines (npm run docs:architecture); do not edit by hand -->';
export const GENERATED_END = '<!-- end of generated state machines -->';

/** The generated part of docs/architecture.md: every machine, in order. */
export function stateMachinesSection(): string {
  const parts = STATE_MACHINES.map(
    (m) => `### ${m.title}\n\nFrom \`packages/domain/src/${m.source}\`.\n\n${stateDiagram(m)}`,
  );
  return [GENERATED_BEGIN, '', parts.join('\n\n'), '', GENERATED_END].join('\n');
}

/** The document with its generated part replaced by the tables as they are now. */
export function withStateMachines(doc: string): string {
  const a = doc.indexOf(GENERATED_BEGIN);
  const b = doc.indexOf(GENERATED_END);
  if (a < 0 || b < a) throw new Error('docs/architecture.md has lost its generated markers');
  return doc.slice(0, a) + stateMachinesSection() + doc.slice(b + GENERATED_END.length);
}
