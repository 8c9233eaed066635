/** Triage (分流研判) contract: design §5. Every route, kind and channel name is defined here, once. */
import { URGENT_KINDS, type UrgentKind } from '../hotline/work-order/work-order.ts';
import type { Result } from '../shared/result.ts';

export { URGENT_KINDS };

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
/** Full names, as the console shows them. */
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
/** Short names, as reasons cite them. */
export const ROUTE_NAMES: Record<Route, string> = {
  '110': '110',
  '12345': '12345',
  '119': '119',
  '120': '120',
  utility: '水电气抢修',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务',
  guidance: '引导解释',
};
/** Queues where a danger may be handled; anything else is a non-emergency queue. */
export const EMERGENCY_ROUTES: ReadonlySet<Route> = new Set(['110', '119', '120', 'utility']);
/** Which emergency line leads when several are needed: "由110派警先行处置" (渝府办发〔2022〕130号 二(二)1). */
export const EMERGENCY_PRECEDENCE: readonly Route[] = ['110', '119', '120', 'utility'];

export const ENTRY_KINDS = ['danger', 'urgent', 'police', 'diversion', 'guidance', 'boundary', 'hotline'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
/** What each kind of catalogue entry means, as the administration page shows it. */
export const ENTRY_KIND_LABELS: Record<EntryKind, string> = {
  danger: '危险情形（紧急）',
  urgent: '紧急工单',
  police: '110受理事项',
  diversion: '分流事项',
  guidance: '引导解释',
  boundary: '职责交叉（需会商）',
  hotline: '12345受理事项',
};

/** 12345's urgent work-order channel (the work order's own kinds): 重症救治、孕检生产、应急救援. */
export type TriageUrgentKind = UrgentKind;

/** The channels a request comes in on, as the triage contract names them. */
export const TRIAGE_CHANNELS = ['12345', '110', 'web'] as const;
export type TriageChannel = (typeof TRIAGE_CHANNELS)[number];

/** The desk that asks: its call-takers (12345) or dispatchers (110) read the wording. */
export const TRIAGE_DESKS = ['hotline', 'dispatch'] as const;
export type TriageDesk = (typeof TRIAGE_DESKS)[number];

/** What a danger threatens: a property-only event that is over is police business, not an emergency. */
export const HARMS = ['person', 'property', 'public'] as const;
export type Harm = (typeof HARMS)[number];

interface EntryCommon {
  code: string;
  name: string;
  kind: EntryKind;
  route: Route;
  category: string;
  linked?: Route[];
  urgentKind?: TriageUrgentKind;
  needsConsultation?: boolean;
  guidance?: string;
  /** A different route by the channel the request came in on (e.g. a dispute called in to 12345 stays with 12345). */
  channelRoute?: Record<string, Route>;
  linkedByChannel?: Record<string, Route[]>;
  examples?: string[];
}

/** Catalogue format 1: regular expressions over the normalised text (still loadable; matched per clause). */
export interface CatalogueEntryV1 extends EntryCommon {
  /** Regular expressions (any one matches) over the normalised text. */
  patterns: string[];
  /** At least one must also match somewhere in the text. */
  context?: string[];
  /** Any match disqualifies the entry. */
  exclude?: string[];
  /** [pattern, route]: notify `route` as well when the (non-negated) pattern is present. */
  linkedIf?: [string, Route][];
  /** A negator just before the match ("没有人受伤") cancels it. */
  negatable?: boolean;
  /** A danger told in the past ("昨晚被盗") with nothing happening now is not an emergency. */
  pastSensitive?: boolean;
  /** For a danger: also open an urgent work order (救灾 needs) when this matches. */
  urgentIf?: string;
}

/**
 * Catalogue format 2: words, matched on word boundaries within one clause, read with the clause's time
 * and modality. A term is a word or phrase ("滋事"), or two parts in order in one clause ("政策…打架").
 */
export interface CatalogueEntryV2 extends EntryCommon {
  /** What happened: the events that make this entry (full weight). */
  terms: string[];
  /** Where or with what: places and objects (weak evidence; never decide against an event). */
  cues?: string[];
  /** One of these must be in the same sentence as the term. */
  context?: string[];
  /** One of these in the same sentence disqualifies the term there. */
  exclude?: string[];
  /** For a danger: what it threatens (a property-only event that is over is not an emergency). */
  harm?: Harm;
  /** For a danger: told negated ("无人受伤"), one of these makes it no emergency (a collision nobody was hurt in). */
  calmIf?: string[];
  /**
   * For an urgent entry: a danger going to one of these routes, told in the same sentence as one of the
   * entry's terms, is this urgent order instead (a patient already in a hospital that has no bed is
   * 12345's 重症救治 order, not an ambulance).
   */
  defers?: Route[];
  /** Only requests from these channels (e.g. "12345", "web"); absent: all. */
  channels?: string[];
  /** Only a situation now counts (a blocking car, not a parking space taken for months). */
  nowOnly?: boolean;
  /** [terms, route]: notify `route` as well when one of the terms is present now and not negated. */
  linkedIf?: [string[], Route][];
  /** For a danger: also open an urgent work order (救灾 needs) when one of these is present. */
  urgentIf?: string[];
  /** Relative strength of the entry's evidence (default 1). */
  weight?: number;
}

export type CatalogueEntry = CatalogueEntryV1 | CatalogueEntryV2;
export const isV2Entry = (e: CatalogueEntry): e is CatalogueEntryV2 => Array.isArray((e as CatalogueEntryV2).terms);

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
  /** Words for today ("今天", "今晚"): they end a past or habitual time, without saying "going on now". */
  today?: string[];
  /** Words that make what follows a worry or a condition, not an event ("担心发生火灾", "一旦着火"). */
  hypothetical?: string[];
  /** Words that make a clause a repeated or chronic state ("每天", "经常", "多年"). */
  habitual?: string[];
  /** Words that say the event is over or the offender gone ("就跑了", "已扑灭"). */
  completed?: string[];
  /** Questions and consultations ("请问", "如何"): not an event. */
  consult?: string[];
  /**
   * Questions about redress after the fact ("该找哪个", "谁来赔", "要不要报警"): who answers for an event
   * or where to take it presupposes the event is over; a danger told before one is not happening now
   * unless its clause says it is going on.
   */
  redress?: string[];
  /** Phrases that are figures of speech, masked before reading ("政策…打架", "明火执仗"). */
  figurative?: string[];
  /** What a request says it wants ("希望", "请求"): these clauses weigh more in a long text. */
  request?: string[];
  /** Intake boilerplate removed before reading ("来电人称", "市民通过网站反映"). */
  intake?: string[];
  /** Police-internal openings removed before reading ("我队工作发现", "视频巡查发现"). */
  policeHeaders?: string[];
  /** Openings of a police record's outcome ("民警到场后", "经查"): what follows is not the event reported. */
  outcome?: string[];
  /** Words that say the matter is resolved ("秩序恢复", "已带回"): a record that has one tells a past event. */
  resolved?: string[];
  /** Surnames, so masked names ("张某", "王**", "杨先生") read as "someone". */
  surnames?: string;
  /** Words for the segmenter. */
  words: string[];
}

export interface TriageInput {
  id?: unknown;
  text: unknown;
  /** A web message's title, when it has one (weighs more than the body). */
  title?: unknown;
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
  /** A person must look: the model was out of its depth, or the evidence was thin or conflicting. */
  review: boolean;
  reasons: string[];
  guidance: string | null;
  catalogueVersion: number;
  modelVersion: string | null;
}

export const TRIAGE_TEXT_ERRORS = ['TEXT_MISSING', 'TEXT_TOO_LONG', 'TEXT_EMPTY', 'TEXT_NO_CONTENT'] as const;
export type TriageTextError = (typeof TRIAGE_TEXT_ERRORS)[number];

/** A triage answer: the outcome, or why the text cannot be triaged (the house's Result). */
export type TriageResult = Result<TriageOutcome> & { id: string | null };
