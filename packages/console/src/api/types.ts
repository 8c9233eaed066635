/** Shapes of the server's answers that the console reads (see the OpenAPI document at /docs). */
export type Role =
  | 'call_taker'
  | 'dispatcher'
  | 'specialist_seat'
  | 'district_agency'
  | 'department_handler'
  | 'supervisor'
  | 'analyst'
  | 'admin';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  unitId: string | null;
  districtCode: string | null;
  permissions: string[];
  /** From GET /api/auth/me: minutes unused after which the server ends the session (0: never). */
  idleMinutes?: number;
  /** From GET /api/auth/me: a session's lifetime in hours (SESSION_TTL_HOURS), however it is used. */
  sessionHours?: number;
  /** From GET /api/auth/me: seconds this session has left at most, when the answer was sent. */
  sessionSecondsLeft?: number | null;
}
export interface DeskInfo {
  desk: 'hotline' | 'dispatch' | 'both';
  deskId: string;
  name: string;
  /** The other desk on the bridge, as the seats name it. */
  peer?: { id: string; name: string } | null;
}

export interface TriageOutcome {
  route: string;
  routeLabel?: string;
  emergency: boolean;
  urgent: boolean;
  urgentKind: string | null;
  linked: string[];
  needsConsultation: boolean;
  /** A person must look: the evidence was thin or the model out of its depth. */
  review?: boolean;
  guidance: string | null;
  category: string | null;
  categoryName?: string | null;
  confidence: number;
  reasons: string[];
  orderType?: string | null;
  incidentCategory?: string | null;
  /** The jurisdiction catalogue version (职责清单第N版) the suggestion was made with. */
  catalogueVersion: number;
}

export interface WorkOrder {
  id: string;
  no: string;
  requestId: string;
  orderType: string;
  orderTypeLabel: string;
  categoryCode: string;
  title: string;
  urgent: boolean;
  /** 应急演练: handled as any other, counted in no report. */
  exercise: boolean;
  urgentKindLabel: string | null;
  status: string;
  statusLabel: string;
  districtCode: string | null;
  districtName?: string | null;
  leadUnitId: string | null;
  leadUnitName?: string | null;
  dueAt: string;
  overdue: boolean;
  supervised: boolean;
  pendingExtension: { requestedDueAt: string; reason: string } | null;
  satisfactionLabel: string | null;
  reply: string | null;
  createdAt: string;
  updatedAt: string;
  address?: string;
  sameAddress?: boolean;
  sameCategory?: boolean;
}
export interface WorkOrderAction {
  id: number;
  action: string;
  actionLabel: string;
  fromStatus: string | null;
  toStatus: string;
  actor: { name: string | null; role: string | null; unitId: string | null };
  details: Record<string, unknown>;
  at: string;
}
export interface WorkOrderDetail extends WorkOrder {
  units: { id: string; name: string; role: 'lead' | 'assist' }[];
  request: {
    channelLabel: string;
    content: string;
    confidential: boolean;
    location: { address: string; districtName: string | null; streetName: string | null };
    receivedAt: string;
    caller: { name: string | null; phone: string | null; masked: boolean };
  } | null;
  actions: WorkOrderAction[];
  allowedActions: string[];
  triage: TriageOutcome | null;
}

export interface Incident {
  id: string;
  no: string;
  /** 应急演练: handled as any other, counted in no report. */
  exercise: boolean;
  category: string;
  categoryLabel: string;
  priority: number;
  status: string;
  statusLabel: string;
  tier: string | null;
  tierLabel?: string | null;
  unitId: string | null;
  unitName?: string | null;
  districtCode: string | null;
  districtName?: string | null;
  content?: string;
  address?: string;
  closeKind: string | null;
  divertedTo: string | null;
  createdAt: string;
  allowedActions?: string[];
  /** In a queue: a danger now (triage, or an emergency handed over), and how long it has waited (s). */
  emergency?: boolean;
  waitingSeconds?: number;
  /** In a queue: the linkage item it was accepted from, with the lines notified with it and the callback. */
  linkage?: {
    itemId: string;
    kind: string;
    peer: string;
    linked: { to: string; itemId: string }[];
    callback?: { name?: string; phone?: string } | null;
  } | null;
}

export interface LinkageItem {
  itemId: string;
  kind: string;
  kindLabel: string;
  side: 'originator' | 'receiver';
  peer: string;
  status: string;
  statusLabel: string;
  keptByFirstReceiver: boolean;
  opening: Record<string, unknown> & {
    type: string;
    reason?: string;
    request?: { content?: string; location?: { address?: string }; triage?: { urgent?: boolean; emergency?: boolean } };
    danger?: string;
    need?: string;
    summary?: string;
  };
  localRef: string | null;
  localNo: string | null;
  districtCode: string | null;
  acceptDeadline: string | null;
  negotiationDeadline: string | null;
  acceptOverdue: boolean;
  acceptedAt: string | null;
  feedbackAt: string | null;
  closedAt: string | null;
  secondsToAccept: number | null;
  secondsToFeedback: number | null;
  createdAt: string;
  updatedAt: string;
  allowedSteps: string[];
}
export interface LinkageEvent {
  id: number;
  direction: 'sent' | 'received' | 'local';
  type: string;
  from_status: string | null;
  to_status: string | null;
  payload: Record<string, unknown>;
  actor_name: string | null;
  note: string | null;
  at: string;
}

export interface Reminder {
  id: string;
  workOrderId: string | null;
  linkageItemId: string | null;
  subject: string;
  target: { unitId?: string; unitName?: string | null; role?: string };
  message: string;
  sentBy: { name: string | null };
  sentAt: string;
  readAt: string | null;
  readBy: string | null;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedBy: { name: string | null };
  uploadedAt: string;
  url: string;
}

export type Enums = Record<string, Record<string, string>>;

/** A text of a work order to its citizen (GET /api/work-orders/:id/texts): no number, no words. */
export interface OrderText {
  id: string;
  purpose: 'receipt' | 'reply' | 'survey';
  purposeLabel: string;
  status: 'not_sent' | 'queued' | 'sent' | 'failed' | 'delivered' | 'undelivered';
  statusLabel: string;
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  answer: { rating: number; level: string; at: string } | null;
}
