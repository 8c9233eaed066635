/** Triage (分流研判) contract: design §5. */
export const ROUTES = [
  '110',
  '12345',
  '119',
  '120',
  'utility',
  'governance_center',
  'vehicle_moving',
  'guidance',
] as const;
export type Route = (typeof ROUTES)[number];
export const ROUTE_LABELS: Record<Route, string> = {
  '110': '110报警服务台',
  '12345': '12345热线',
  '119': '119消防救援',
  '120': '120医疗急救',
  utility: '水电气抢修',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务',
  guidance: '引导解释',
};
/** Queues where a danger may be handled; anything else is a non-emergency queue. */
export const EMERGENCY_ROUTES: ReadonlySet<Route> = new Set(['110', '119', '120', 'utility']);

export const ENTRY_KINDS = ['danger', 'urgent', 'police', 'diversion', 'guidance', 'boundary', 'hotline'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export type TriageUrgentKind = 'critical_care' | 'pregnancy_childbirth' | 'emergency_rescue';

/** One item of the jurisdiction catalogue (职责清单): what it is, who takes it, how to recognise it. */
export interface CatalogueEntry {
  code: string;
  name: string;
  kind: EntryKind;
  route: Route;
  /** Regular expressions (any one matches) over the normalised text. */
  patterns: string[];
  category: string;
  /** At least one must also match somewhere in the text. */
  context?: string[];
  /** Any match disqualifies the entry. */
  exclude?: string[];
  linked?: Route[];
  /** [pattern, route]: notify `route` as well when the (non-negated) pattern is present. */
  linkedIf?: [string, Route][];
  /** A negator just before the match ("没有人受伤") cancels it. */
  negatable?: boolean;
  /** A danger told in the past ("昨晚被盗") with nothing happening now is not an emergency. */
  pastSensitive?: boolean;
  urgentKind?: TriageUrgentKind;
  /** For a danger: also open an urgent work order (救灾 needs) when this matches. */
  urgentIf?: string;
  needsConsultation?: boolean;
  guidance?: string;
  /** A different route by the channel the request came in on (e.g. a dispute called in to 12345 stays with 12345). */
  channelRoute?: Record<string, Route>;
  linkedByChannel?: Record<string, Route[]>;
  examples?: string[];
}

export interface Catalogue {
  version: number;
  effectiveFrom: string;
  source: string;
  note?: string;
  entries: CatalogueEntry[];
}

export interface Lexicon {
  dialect: [string, string][];
  typos: [string, string][];
  negators: string[];
  past: string[];
  present: string[];
  /** Words that make what follows a worry, not an event ("担心发生火灾"). */
  hypothetical?: string[];
  words: string[];
}

export interface TriageInput {
  id?: unknown;
  text: unknown;
  channel?: unknown;
}

export interface TriageOutcome {
  id: string | null;
  route: Route;
  emergency: boolean;
  urgent: boolean;
  urgentKind: TriageUrgentKind | null;
  linked: Route[];
  category: string;
  confidence: number;
  needsConsultation: boolean;
  reasons: string[];
  guidance: string | null;
  catalogueVersion: number;
  modelVersion: string | null;
}

export interface TriageError {
  id: string | null;
  error: { code: string; message: string };
}
