import { BEIJING_OFFSET_MS } from '../shared/beijing-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * A call record (话单): one call offered to a line, as Liandong's own switch writes it or as another
 * line's switch exports it (CSV import), so that every line of the city is assessed the same way.
 */
export interface CallRecord {
  line: string;
  callId: string;
  caller: string | null;
  queue: string | null;
  agent: string | null;
  offeredAt: Date;
  /** answered by a person (人工接通); null when abandoned or unanswered */
  answeredAt: Date | null;
  endedAt: Date;
}

/** GB/T 33358-2016 (政府热线服务规范): a call is to be answered within 15 s. */
export const ANSWER_TARGET_SECONDS = 15;
/** Plan 二(三)5: a line under 60 % 人工接通率 is merged into 12345. */
export const MIN_ANSWER_RATE = 0.6;
/** Calls that end within this many seconds of ringing count as short abandons, not as offered (common practice). */
export const SHORT_ABANDON_SECONDS = 5;

export const waitSeconds = (r: CallRecord): number =>
  Math.max(0, ((r.answeredAt ?? r.endedAt).getTime() - r.offeredAt.getTime()) / 1000);
export const talkSeconds = (r: CallRecord): number =>
  r.answeredAt ? Math.max(0, (r.endedAt.getTime() - r.answeredAt.getTime()) / 1000) : 0;

export interface CallMeasures {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  answeredWithinTarget: number;
  /** answered / offered (人工接通率) */
  answerRate: number | null;
  /** answered within 15 s / offered (short abandons excluded) */
  serviceLevel: number | null;
  averageWaitSeconds: number | null;
  averageTalkSeconds: number | null;
  longestWaitSeconds: number;
}

export function measureCalls(records: readonly CallRecord[], targetSeconds = ANSWER_TARGET_SECONDS): CallMeasures {
  let answered = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let within = 0;
  let wait = 0;
  let talk = 0;
  let longest = 0;
  for (const r of records) {
    const w = waitSeconds(r);
    longest = Math.max(longest, w);
    if (r.answeredAt) {
      answered++;
      wait += w;
      talk += talkSeconds(r);
      if (w <= targetSeconds) within++;
    } else if (w < SHORT_ABANDON_SECONDS) shortAbandoned++;
    else abandoned++;
  }
  const offered = answered + abandoned;
  return {
    offered,
    answered,
    abandoned,
    shortAbandoned,
    answeredWithinTarget: within,
    answerRate: offered ? answered / offered : null,
    serviceLevel: offered ? within / offered : null,
    averageWaitSeconds: answered ? wait / answered : null,
    averageTalkSeconds: answered ? talk / answered : null,
    longestWaitSeconds: longest,
  };
}

/** Hour of the week in Beijing time: 0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00. */
export function hourOfWeek(at: Date): number {
  const bj = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const day = (bj.getUTCDay() + 6) % 7;
  return day * 24 + bj.getUTCHours();
}

export interface LineAssessment {
  line: string;
  measures: CallMeasures;
  /** hours of the week in which a person answered at least one call */
  staffedHours: number;
  /** hours of the week with calls offered and none answered by a person */
  unansweredHours: number[];
  /** hours of the week with no call at all in the period (staffing there is not shown by the records) */
  silentHours: number[];
  has24x7: boolean;
  belowAnswerRate: boolean;
  /** plan 二(三)5: merge the line's seats into 12345 */
  mergeRecommended: boolean;
  reasons: string[];
}

/**
 * 热线归并 (plan 二(三)5): a line whose seats lack 7×24 staffed service, or answer under 60 % of calls,
 * is to be merged into 12345. 7×24 is read from the records: every one of the week's 168 hours has
 * a call answered by a person in the period.
 */
export function assessLine(line: string, records: readonly CallRecord[]): LineAssessment {
  const measures = measureCalls(records);
  const offered = new Array<number>(168).fill(0);
  const answered = new Array<number>(168).fill(0);
  for (const r of records) {
    const h = hourOfWeek(r.offeredAt);
    offered[h]!++;
    if (r.answeredAt) answered[h]!++;
  }
  const unansweredHours: number[] = [];
  const silentHours: number[] = [];
  let staffedHours = 0;
  for (let h = 0; h < 168; h++) {
    if (answered[h]! > 0) staffedHours++;
    else if (offered[h]! > 0) unansweredHours.push(h);
    else silentHours.push(h);
  }
  const has24x7 = staffedHours === 168;
  const belowAnswerRate = measures.answerRate !== null && measures.answerRate < MIN_ANSWER_RATE;
  const reasons: string[] = [];
  if (!has24x7)
    reasons.push(
      unansweredHours.length
        ? `每周有 ${unansweredHours.length} 个小时段有来电但无人工接听，不具备7×24小时人工服务`
        : `每周有 ${silentHours.length} 个小时段没有人工接听记录，未证明7×24小时人工服务`,
    );
  if (belowAnswerRate) reasons.push(`人工接通率 ${(measures.answerRate! * 100).toFixed(1)}%，低于60%`);
  if (measures.offered === 0) reasons.push('评估期内没有话单');
  return {
    line,
    measures,
    staffedHours,
    unansweredHours,
    silentHours,
    has24x7,
    belowAnswerRate,
    mergeRecommended: measures.offered > 0 && (!has24x7 || belowAnswerRate),
    reasons,
  };
}

/** The columns of the call-record CSV (UTF-8, a header line, comma-separated, RFC 4180 quoting). */
export const CALL_RECORD_CSV_COLUMNS = [
  'line',
  'call_id',
  'caller',
  'queue',
  'agent',
  'offered_at',
  'answered_at',
  'ended_at',
] as const;
const REQUIRED = ['line', 'call_id', 'offered_at', 'ended_at'] as const;

/** RFC 4180 fields of one CSV text (quotes, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

function parseTime(v: string): Date | null {
  // ISO 8601 with an offset, or "YYYY-MM-DD HH:MM:SS" in Beijing time (how switches export).
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  const d = local
    ? new Date(`${local[1]}-${local[2]}-${local[3]}T${local[4]}:${local[5]}:${local[6] ?? '00'}+08:00`)
    : /^\d{4}-\d{2}-\d{2}T.+([Zz]|[+-]\d{2}:?\d{2})$/.test(v)
      ? new Date(v)
      : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

export interface CsvRowError {
  row: number;
  column?: string;
  message: string;
}

/**
 * Reads a call-record CSV. Every row is checked; any bad row refuses the whole file (an import
 * either lands whole or not at all), and the errors say which row and column.
 */
export function parseCallRecordCsv(text: string, maxRows = 200_000): Result<CallRecord[]> {
  const rows = parseCsv(text);
  if (rows.length === 0) return fail('CALL_RECORD_CSV_INVALID', '文件为空');
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length)
    return fail('CALL_RECORD_CSV_INVALID', `缺少列：${missing.join('、')}`, { columns: CALL_RECORD_CSV_COLUMNS });
  if (rows.length - 1 > maxRows) return fail('CALL_RECORD_CSV_INVALID', `一次最多导入 ${maxRows} 行`);
  const col = (name: string) => header.indexOf(name);
  const errors: CsvRowError[] = [];
  const out: CallRecord[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    const get = (name: string) => {
      const j = col(name);
      return j >= 0 ? (r[j] ?? '').trim() : '';
    };
    const rowErr = (column: string, message: string) => errors.push({ row: i + 1, column, message });
    const line = get('line');
    const callId = get('call_id');
    if (!line || line.length > 40) rowErr('line', '线路号码须为 1–40 个字符');
    if (!callId || callId.length > 100) rowErr('call_id', '话单编号须为 1–100 个字符');
    else if (seen.has(`${line}\u0000${callId}`)) rowErr('call_id', '话单编号在文件中重复');
    seen.add(`${line}\u0000${callId}`);
    const offeredAt = parseTime(get('offered_at'));
    const endedAt = parseTime(get('ended_at'));
    const answeredRaw = get('answered_at');
    const answeredAt = answeredRaw ? parseTime(answeredRaw) : null;
    if (!offeredAt) rowErr('offered_at', '呼入时间格式不正确');
    if (!endedAt) rowErr('ended_at', '结束时间格式不正确');
    if (answeredRaw && !answeredAt) rowErr('answered_at', '接听时间格式不正确');
    if (offeredAt && endedAt && endedAt < offeredAt) rowErr('ended_at', '结束时间早于呼入时间');
    if (offeredAt && answeredAt && (answeredAt < offeredAt || (endedAt && answeredAt > endedAt)))
      rowErr('answered_at', '接听时间须在呼入与结束之间');
    if (errors.length > 50) break;
    if (offeredAt && endedAt && line && callId)
      out.push({
        line,
        callId,
        caller: get('caller') || null,
        queue: get('queue') || null,
        agent: get('agent') || null,
        offeredAt,
        answeredAt,
        endedAt,
      });
  }
  if (errors.length)
    return fail('CALL_RECORD_CSV_INVALID', `第 ${errors[0]!.row} 行：${errors[0]!.message}`, {
      errors: errors.slice(0, 50),
    });
  return ok(out);
}
