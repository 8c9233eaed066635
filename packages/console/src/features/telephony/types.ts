/** The telephony API's shapes, as the console reads them. */
export type AgentState = 'offline' | 'ready' | 'ringing' | 'busy' | 'after_call_work' | 'break';

export interface Agent {
  userId: string;
  name: string;
  extension: string;
  queues: string[];
  state: AgentState;
  since: string;
}

export interface LiveCall {
  id: string;
  callRef: string;
  line: string;
  queue: string | null;
  callerNumber: string | null;
  callerName: string | null;
  peerCallRef: string | null;
  phase: 'queued' | 'ringing' | 'talking' | 'transferring' | 'consulting' | 'transferred' | 'ended';
  held: boolean;
  offeredAt: string;
  answeredAt: string | null;
  transferTarget: string | null;
}

export interface TelephonyStatus {
  enabled: boolean;
  sipPort: number | null;
  realm: string;
  peer: string | null;
  watchList: boolean;
}

export interface CallerHistory {
  number: string;
  requests: {
    requestId: string;
    receivedAt: string;
    content: string;
    channel: string;
    record: { kind: 'work_order' | 'incident'; id: string; no: string; status: string } | null;
  }[];
  callsBefore: number;
  lastCallAt: string | null;
  marks: { kind: string; label: string; since: string | null; source: string }[];
  watchListAvailable: boolean;
}

export interface CallMeasures {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  answeredWithinTarget: number;
  answerRate: number | null;
  serviceLevel: number | null;
  averageWaitSeconds: number | null;
  averageTalkSeconds: number | null;
  longestWaitSeconds: number;
}

export interface Wallboard {
  at: string;
  enabled: boolean;
  queues: {
    id: string;
    name: string;
    number: string;
    surge: boolean;
    surgeSince: string | null;
    overflowTo: string | null;
    waiting: number;
    longestWaitSeconds: number;
  }[];
  agents: {
    userId: string;
    name: string;
    extension: string;
    queues: string[];
    state: AgentState;
    sinceSeconds: number;
    registered: boolean;
  }[];
  talking: number;
  today: CallMeasures;
  callBacksOpen: number;
}

export interface CallRecordRow {
  id: string;
  callRef: string;
  line: string;
  queue: string | null;
  caller: string | null;
  agent: string | null;
  offeredAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  endReason: string | null;
  transferredTo: string | null;
  peerCallRef: string | null;
}

export interface CallEvent {
  id: number;
  callId: string;
  type: string;
  extension: string | null;
  agent: string | null;
  detail: Record<string, unknown>;
  at: string;
}

export interface CallBack {
  callId: string;
  caller: string;
  reason: 'dropped_in_transfer' | 'abandoned_in_queue';
  line: string;
  offeredAt: string;
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
  outcome: 'reached' | 'no_answer' | 'wrong_number' | null;
  note: string | null;
}

export interface LineAssessment {
  line: string;
  measures: CallMeasures;
  staffedHours: number;
  unansweredHours: number[];
  silentHours: number[];
  has24x7: boolean;
  belowAnswerRate: boolean;
  mergeRecommended: boolean;
  reasons: string[];
}

export interface Capacity {
  days: number;
  records: number;
  target: { serviceLevel: number; targetSeconds: number };
  intervals: {
    start: string;
    calls: number;
    ahtSeconds: number;
    agents: number;
    serviceLevel: number;
    averageSpeedOfAnswer: number | null;
    occupancy: number;
  }[];
  peakAgents: number;
  averageDailyInbound: number;
  required110CallTakers: number;
}

export interface TrainingCheck {
  userId: string;
  name: string;
  role: string;
  month: string;
  periods: number;
  shortBy: number;
  meets: boolean;
}

export interface TrainingSession {
  id: string;
  title: string;
  topic: string | null;
  trainer: string | null;
  held_on: string;
  minutes: number;
  periods: number;
  attendees: number;
}
