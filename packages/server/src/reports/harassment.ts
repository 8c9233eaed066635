/**
 * 恶意骚扰 (plan 保障措施: 打击恶意骚扰12345和110): the numbers with repeated invalid or harassing calls
 * in the period (110's incidents closed so, 12345's calls marked so: intake/invalid-calls.ts), on either
 * desk, with their history — the desk's own records by number, the peer's by `callerKey` (matched to
 * this desk's callers with the same pseudonym). A supervisor confirms a number onto the watch list
 * (`harassment_watch`), which the seats' caller panel then shows on its next call.
 * Numbers are masked in the report; a confirmation names the caller by `callerRef`, never by number.
 */
import {
  INCIDENT_CATEGORY_LABELS,
  INVALID_CALL_LABELS,
  INVALID_KIND_LABELS,
  type InvalidKind,
  maskPhone,
  maskShareText,
  normalisePhone,
  type Period,
} from '@liandong/domain';
import { audit } from '../admin/audit.repo.ts';
import { pseudonym } from '../analytics/share.service.ts';
import { shareKeyFingerprint, STALE } from '../analytics/share-keys.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { WatchList, WatchMark } from '../telephony/telephony.service.ts';
import { chineseDate, docNumber, exerciseNote, ISSUER, periodJson } from './common.ts';
import type { ReportDocument } from './document.ts';
import { ownKinds, type ReportDesk } from './monthly.service.ts';
import { openColumns, phoneHash, seal } from '../crypto/pii.ts';

/** A number with at least this many invalid or harassing calls in the period is listed. */
export const HARASSMENT_MIN_CALLS = 3;

interface CallRow {
  caller_id: string | null;
  phone: string | null;
  caller_key: string | null;
  own: boolean;
  /** an incident (110), or a request: a 12345 call marked invalid or harassing */
  record_kind: 'incident' | 'request';
  received_at: Date;
  kind: string;
  category: string;
  district_code: string | null;
  text: string;
}

/**
 * The period's invalid (无效) and harassing (骚扰) calls: this desk's own — incidents closed so on 110,
 * calls marked so on 12345 — and the peer's, as its feed carried them (`shared_records`, `shared_calls`).
 */
async function invalidCalls(db: Db, desk: ReportDesk, p: { from: Date; to: Date }): Promise<CallRow[]> {
  const rows = (
    await db.query<CallRow>(
      `SELECT c.id AS caller_id, c.phone_sealed AS phone, NULL::text AS caller_key, true AS own, 'incident' AS record_kind,
         r.received_at, i.close_kind AS kind, i.category, i.district_code, r.content AS text
       FROM incidents i JOIN requests r ON r.id = i.request_id JOIN callers c ON c.id = r.caller_id
       WHERE 'incident' = ANY($3::text[]) AND i.close_kind IN ('invalid', 'harassment') AND NOT r.exercise
         AND r.received_at >= $1 AND r.received_at < $2
       UNION ALL
       SELECT c.id, c.phone_sealed, NULL, true, 'request', r.received_at, v.kind, 'call', r.district_code, r.content
       FROM invalid_calls v JOIN requests r ON r.id = v.request_id JOIN callers c ON c.id = r.caller_id
       WHERE 'request' = ANY($3::text[]) AND NOT r.exercise AND r.received_at >= $1 AND r.received_at < $2
       UNION ALL
       SELECT NULL, NULL, caller_key, false, kind, received_at, split_part(outcome, ':', 1), type, district_code, text
       FROM (SELECT kind, caller_key, exercise, outcome, received_at, type, district_code, text FROM shared_records
             WHERE kind = 'incident' AND received_at >= $1 AND received_at < $2
             UNION ALL
             SELECT kind, caller_key, exercise, outcome, received_at, type, district_code, text FROM shared_calls
             WHERE received_at >= $1 AND received_at < $2) s
       WHERE NOT (kind = ANY($3::text[])) AND caller_key IS NOT NULL AND NOT exercise
         AND split_part(outcome, ':', 1) IN ('invalid', 'harassment')
       ORDER BY 6`,
      [p.from, p.to, ownKinds(desk.desk)],
    )
  ).rows;
  return openColumns(rows, { phone: 'caller.phone' });
}

export async function harassmentReport(db: Db, desk: ReportDesk, period: Period) {
  const key = desk.shareKey ?? null;
  const [calls, exercise, watched] = await Promise.all([
    invalidCalls(db, desk, period),
    exerciseNote(db, desk, period),
    db
      .query<{ phone: string; confirmed_at: Date }>(
        'SELECT phone_sealed AS phone, confirmed_at FROM harassment_watch WHERE removed_at IS NULL',
      )
      .then((r) => ({ rows: openColumns(r.rows, { phone: 'caller.phone' }) })),
  ]);
  // the peer's calls name a pseudonym: this desk's callers of the period that carry it give the number
  const peerKeys = [...new Set(calls.filter((c) => !c.own).map((c) => c.caller_key!))];
  const ownByKey = new Map<string, { id: string; phone: string }>();
  if (peerKeys.length && key) {
    // the callers keyed under the current sharing key (migration 20261216100000) that carry one of the
    // peer's pseudonyms, and those not keyed under it yet, keyed here
    const fp = shareKeyFingerprint(key);
    const callers = await db.query<{ id: string; phone: string; caller_key: string | null }>(
      `SELECT DISTINCT c.id, c.phone_sealed AS phone, CASE WHEN c.share_key_fp = $3 THEN c.caller_key END AS caller_key
       FROM callers c JOIN requests r ON r.caller_id = c.id
       WHERE c.phone_sealed IS NOT NULL AND r.received_at >= $1 AND r.received_at < $2
         AND (c.caller_key = ANY($4::text[]) OR ${STALE('c.share_key_fp', '$3')})`,
      [period.from, period.to, fp, peerKeys],
    );
    const wanted = new Set(peerKeys);
    for (const c of openColumns(callers.rows, { phone: 'caller.phone' })) {
      const k = c.caller_key ?? pseudonym(key, normalisePhone(c.phone));
      if (k && wanted.has(k)) ownByKey.set(k, { id: c.id, phone: c.phone });
    }
  }
  const watchedPhones = new Map(watched.rows.map((w) => [w.phone, w.confirmed_at]));

  interface Group {
    callerRef: string | null;
    phone: string | null;
    callerKey: string | null;
    invalid: number;
    harassment: number;
    ownCalls: number;
    peerCalls: number;
    history: { at: string; desk: 'own' | 'peer'; kind: string; label: string; category: string; text: string }[];
  }
  const groups = new Map<string, Group>();
  for (const c of calls) {
    const matched = c.own ? null : ownByKey.get(c.caller_key!);
    const id = c.own ? `c:${c.caller_id}` : matched ? `c:${matched.id}` : `k:${c.caller_key}`;
    let g = groups.get(id);
    if (!g)
      groups.set(
        id,
        (g = {
          callerRef: c.own ? c.caller_id : (matched?.id ?? null),
          phone: c.own ? c.phone : (matched?.phone ?? null),
          callerKey: c.own ? null : c.caller_key,
          invalid: 0,
          harassment: 0,
          ownCalls: 0,
          peerCalls: 0,
          history: [],
        }),
      );
    if (c.kind === 'harassment') g.harassment++;
    else g.invalid++;
    if (c.own) g.ownCalls++;
    else g.peerCalls++;
    g.history.push({
      at: c.received_at.toISOString(),
      desk: c.own ? 'own' : 'peer',
      kind: c.kind,
      label: (c.record_kind === 'request' ? INVALID_CALL_LABELS : INVALID_KIND_LABELS)[c.kind as InvalidKind] ?? c.kind,
      category:
        c.record_kind === 'request'
          ? '12345来电'
          : (INCIDENT_CATEGORY_LABELS[c.category as keyof typeof INCIDENT_CATEGORY_LABELS] ?? c.category),
      text: c.own ? maskShareText(c.text) : c.text,
    });
  }
  const numbers = [...groups.values()]
    .filter((g) => g.invalid + g.harassment >= HARASSMENT_MIN_CALLS)
    .map((g) => {
      const phone = g.phone ? normalisePhone(g.phone) : null;
      const since = phone ? watchedPhones.get(phone) : undefined;
      return {
        callerRef: g.callerRef,
        number: g.phone ? maskPhone(g.phone) : null,
        label: g.phone ? maskPhone(g.phone) : '对方平台来电人（已去标识，须在对方平台确认）',
        calls: g.invalid + g.harassment,
        invalid: g.invalid,
        harassment: g.harassment,
        ownCalls: g.ownCalls,
        peerCalls: g.peerCalls,
        first: g.history[0]!.at,
        last: g.history[g.history.length - 1]!.at,
        history: g.history,
        onWatchList: since !== undefined,
        watchedSince: since?.toISOString() ?? null,
        /** a supervisor can confirm only a number this desk holds */
        confirmable: g.callerRef !== null,
      };
    })
    .sort((a, b) => b.harassment - a.harassment || b.calls - a.calls || a.last.localeCompare(b.last));

  return {
    name: 'harassment' as const,
    title: '恶意骚扰及无效来电情况',
    desk: desk.deskId,
    period: periodJson(period),
    generatedAt: new Date().toISOString(),
    exercise,
    minCalls: HARASSMENT_MIN_CALLS,
    source:
      desk.desk === 'hotline'
        ? '本平台记为无效或骚扰的来电，及110平台共享的无效、骚扰报警记录（以 callerKey 与本平台来电人匹配）'
        : desk.desk === 'dispatch'
          ? '本平台记为无效或骚扰报警的警情，及12345平台共享的无效、骚扰来电记录（以 callerKey 与本平台报警人匹配）'
          : '本平台记为无效或骚扰报警的警情和记为无效或骚扰的12345来电',
    /** what the calls are called in the document: 110's 报警, 12345's 来电 */
    noun: desk.desk === 'hotline' ? '来电' : '报警',
    /** invalid and harassing calls with a number (a call without one cannot repeat) */
    total: calls.length,
    numbers,
  };
}

export type HarassmentData = Awaited<ReturnType<typeof harassmentReport>>;

export function harassmentDocument(r: HarassmentData): ReportDocument {
  return {
    title: r.title,
    docNo: docNumber('联动扰', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、总体情况',
        paragraphs: [
          `${r.period.label}，有来电号码的无效及骚扰${r.noun}${r.total}起；${r.minCalls}次以上的号码${r.numbers.length}个，其中已列入关注名单${r.numbers.filter((n) => n.onWatchList).length}个。`,
          `数据来源：${r.source}。号码已去标识。${r.exercise.note}`,
        ],
        tables: [
          {
            sheet: '重复号码',
            caption: '表1 重复无效、骚扰来电号码',
            columns: [
              { header: '号码', format: 'text' },
              { header: '合计', format: 'count' },
              { header: '骚扰', format: 'count' },
              { header: '无效', format: 'count' },
              { header: '本平台', format: 'count' },
              { header: '对方平台', format: 'count' },
              { header: '最近一次', format: 'text' },
              { header: '关注名单', format: 'text' },
            ],
            rows: r.numbers.map((n) => [
              n.label,
              n.calls,
              n.harassment,
              n.invalid,
              n.ownCalls,
              n.peerCalls,
              chineseDate(n.last),
              n.onWatchList ? '已列入' : '未列入',
            ]),
          },
        ],
      },
      {
        heading: '二、来电记录',
        paragraphs: r.numbers.length
          ? r.numbers.map(
              (n, i) =>
                `${i + 1}. ${n.label}：${n.history.map((h) => `${chineseDate(h.at)}${h.label}（${h.text}）`).join('；')}。`,
            )
          : ['本期无重复无效或骚扰来电号码。'],
        tables: [],
      },
    ],
  };
}

/** The harassment watch list: what a supervisor confirmed, shown to the seats on the number's next call. */
export class HarassmentWatchList implements WatchList {
  readonly available = true;
  constructor(private readonly db: Db) {}

  async marksFor(number: string): Promise<WatchMark[]> {
    const phone = normalisePhone(number);
    if (!phone) return [];
    const r = await this.db.query<{ note: string; confirmed_at: Date; period: string; calls: number }>(
      'SELECT note, confirmed_at, period, calls FROM harassment_watch WHERE phone_hash = $1 AND removed_at IS NULL',
      [phoneHash(phone)],
    );
    return r.rows.map((w) => ({
      kind: 'harassment',
      label: `恶意骚扰关注号码：${w.note}`,
      since: w.confirmed_at.toISOString(),
      source: `${w.period}骚扰报表（${w.calls}次无效或骚扰来电），值班长确认`,
    }));
  }

  async list(actor: Actor) {
    requirePermission(actor, 'analytics.read');
    const r = await this.db.query<{
      id: string;
      phone: string;
      note: string;
      period: string;
      calls: number;
      confirmed_at: Date;
      by: string | null;
    }>(
      `SELECT w.id::text, w.phone_sealed AS phone, w.note, w.period, w.calls, w.confirmed_at, u.display_name AS by
       FROM harassment_watch w LEFT JOIN users u ON u.id = w.confirmed_by WHERE w.removed_at IS NULL ORDER BY w.confirmed_at DESC`,
    );
    return openColumns(r.rows, { phone: 'caller.phone' }).map((w) => ({
      id: w.id,
      number: maskPhone(w.phone),
      note: w.note,
      period: w.period,
      calls: w.calls,
      confirmedAt: w.confirmed_at.toISOString(),
      confirmedBy: w.by,
    }));
  }

  /** Confirms a caller of this desk onto the list, with the calls the report counted (audited). */
  async confirm(actor: Actor, x: { callerRef: string; note: string; period: string; calls: number }) {
    requirePermission(actor, 'watch_list.manage');
    const c = await this.db.query<{ phone: string | null }>('SELECT phone_sealed AS phone FROM callers WHERE id = $1', [
      x.callerRef,
    ]);
    const phone = normalisePhone(openColumns(c.rows, { phone: 'caller.phone' })[0]?.phone);
    if (!phone) throw new AppError('CALLER_NOT_FOUND');
    const r = await this.db.query<{ id: string }>(
      `INSERT INTO harassment_watch (phone_sealed, phone_hash, note, period, calls, confirmed_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (phone_hash) WHERE removed_at IS NULL AND phone_hash IS NOT NULL DO NOTHING RETURNING id::text`,
      [seal(phone, 'caller.phone'), phoneHash(phone), x.note, x.period, x.calls, actor.id],
    );
    if (!r.rows[0]) throw new AppError('ALREADY_EXISTS', '该号码已在关注名单中');
    await audit(this.db, actor.id, 'watch_list.add', maskPhone(phone), { period: x.period, calls: x.calls });
    return { id: r.rows[0].id, number: maskPhone(phone) };
  }

  async remove(actor: Actor, id: string) {
    requirePermission(actor, 'watch_list.manage');
    const r = await this.db.query<{ phone: string }>(
      `UPDATE harassment_watch SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL
       RETURNING phone_sealed AS phone`,
      [id, actor.id],
    );
    if (!r.rows[0]) throw new AppError('WATCH_ENTRY_NOT_FOUND');
    await audit(
      this.db,
      actor.id,
      'watch_list.remove',
      maskPhone(openColumns(r.rows, { phone: 'caller.phone' })[0]!.phone),
    );
  }
}
