/**
 * 110 figures (plan 任务9: 分级分类处警, 接警员配置): per district, the share of valid incidents handled by
 * police stations (target: at most 50 %), valid incidents per dispatch tier, and per day the call-takers
 * on duty against 1.5 % of the day's inbound calls (the staffing an administrator enters per day,
 * `PUT /api/reports/police-figures/staffing`). Valid: not closed as invalid or harassing, not of the
 * invalid category. The 12345 desk reads the incidents through the share feed; the calls are the 110
 * desk's own, so only it has the staffing figures.
 */
import { DISPATCH_TIER_LABELS, DISPATCH_TIERS, type Period } from '@liandong/domain';
import type { Db, Queryable } from '../db/pool.ts';
import { audit } from '../admin/audit.repo.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { chineseDate, docNumber, exerciseNote, ISSUER, periodJson } from './common.ts';
import type { ReportDocument } from './document.ts';
import type { ReportDesk } from './monthly.service.ts';

/** 任务9: police stations handle at most this share of valid incidents. */
export const STATION_SHARE_TARGET = 0.5;
/** 任务9: call-takers on duty, at least this share of the day's inbound calls. */
export const CALL_TAKER_RATIO = 0.015;

interface TierRow {
  district_code: string | null;
  tier: string | null;
  n: number;
}

/** Valid incidents of the period by district and tier: own ones, or the peer's from the feed. */
async function tiers(db: Db, desk: ReportDesk, p: { from: Date; to: Date }): Promise<TierRow[]> {
  const own = desk.desk !== 'hotline';
  return (
    await db.query<TierRow>(
      own
        ? `SELECT i.district_code, i.tier, count(*)::int AS n FROM incidents i JOIN requests r ON r.id = i.request_id
           WHERE r.received_at >= $1 AND r.received_at < $2 AND NOT r.exercise AND i.category <> 'invalid'
             AND i.close_kind IS DISTINCT FROM 'invalid' AND i.close_kind IS DISTINCT FROM 'harassment'
           GROUP BY 1, 2`
        : `SELECT district_code, tier, count(*)::int AS n FROM shared_records
           WHERE kind = 'incident' AND received_at >= $1 AND received_at < $2 AND NOT exercise AND type <> 'invalid'
             AND COALESCE(outcome, '') NOT LIKE 'invalid%' AND COALESCE(outcome, '') NOT LIKE 'harassment%'
           GROUP BY 1, 2`,
      [p.from, p.to],
    )
  ).rows;
}

/** Per Beijing day: the 110 line's inbound calls (the switch's records), else the 110 requests received. */
async function staffing(db: Db, p: { from: Date; to: Date }) {
  const calls = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM calls WHERE line = '110' AND offered_at >= $1 AND offered_at < $2`,
    [p.from, p.to],
  );
  const source = calls.rows[0]!.n > 0 ? 'calls' : 'requests';
  const rows = await db.query<{ day: string; inbound: number; on_duty: number | null }>(
    `WITH days AS (
       SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series(($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
         (($2::timestamptz - interval '1 second') AT TIME ZONE 'Asia/Shanghai')::date, interval '1 day') d
     ), inbound AS (
       ${
         source === 'calls'
           ? `SELECT to_char(offered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS n
              FROM calls WHERE line = '110' AND offered_at >= $1 AND offered_at < $2 GROUP BY 1`
           : `SELECT to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS n
              FROM requests WHERE channel = 'phone_110' AND NOT exercise AND received_at >= $1 AND received_at < $2 GROUP BY 1`
       }
     )
     SELECT days.day, COALESCE(inbound.n, 0) AS inbound, s.call_takers AS on_duty
     FROM days LEFT JOIN inbound ON inbound.day = days.day LEFT JOIN duty_staffing s ON to_char(s.day, 'YYYY-MM-DD') = days.day
     ORDER BY 1`,
    [p.from, p.to],
  );
  return {
    source,
    days: rows.rows.map((r) => {
      const required = Math.ceil(r.inbound * CALL_TAKER_RATIO);
      return {
        day: r.day,
        inboundCalls: r.inbound,
        required,
        onDuty: r.on_duty,
        met: r.on_duty === null ? null : r.on_duty >= required,
      };
    }),
  };
}

const share = (n: number, base: number) => (base > 0 ? Math.round((n / base) * 10_000) / 10_000 : null);

export async function policeFiguresReport(db: Db, desk: ReportDesk, period: Period) {
  const [rows, exercise, districts, staff] = await Promise.all([
    tiers(db, desk, period),
    exerciseNote(db, desk, period),
    db.query<{ code: string; name: string }>('SELECT code, name FROM districts ORDER BY code'),
    desk.desk === 'hotline' ? Promise.resolve(null) : staffing(db, period),
  ]);
  const tierKeys = [...DISPATCH_TIERS, 'unassigned'] as const;
  const tierOf = (t: string | null) => (t && (DISPATCH_TIERS as readonly string[]).includes(t) ? t : 'unassigned');
  const byDistrict = new Map<string, Record<string, number>>();
  const total: Record<string, number> = Object.fromEntries(tierKeys.map((k) => [k, 0]));
  for (const r of rows) {
    const code = r.district_code ?? '';
    const d = byDistrict.get(code) ?? Object.fromEntries(tierKeys.map((k) => [k, 0]));
    d[tierOf(r.tier)]! += r.n;
    total[tierOf(r.tier)]! += r.n;
    byDistrict.set(code, d);
  }
  const valid = (t: Record<string, number>) => tierKeys.reduce((s, k) => s + t[k]!, 0);
  const districtRows = [...districts.rows, ...(byDistrict.has('') ? [{ code: '', name: '未注明区县' }] : [])]
    .filter((d) => byDistrict.has(d.code))
    .map((d) => {
      const t = byDistrict.get(d.code)!;
      const stationShare = share(t.police_station!, valid(t));
      return {
        code: d.code || null,
        name: d.name,
        valid: valid(t),
        tiers: t,
        stationShare,
        meetsTarget: stationShare === null ? null : stationShare <= STATION_SHARE_TARGET,
      };
    });
  const days = staff?.days ?? null;
  const entered = days?.filter((d) => d.met !== null) ?? [];
  return {
    name: 'police-figures' as const,
    title: '110报警服务台分级分类处警与接警员配置情况',
    desk: desk.deskId,
    period: periodJson(period),
    generatedAt: new Date().toISOString(),
    exercise,
    target: { stationShare: STATION_SHARE_TARGET, callTakerRatio: CALL_TAKER_RATIO },
    source: desk.desk === 'hotline' ? '110平台共享的去标识化警情数据' : '本平台警情',
    valid: valid(total),
    tiers: tierKeys.map((k) => ({
      tier: k,
      label: k === 'unassigned' ? '未分级' : DISPATCH_TIER_LABELS[k],
      count: total[k]!,
      share: share(total[k]!, valid(total)),
    })),
    stationShare: share(total.police_station!, valid(total)),
    districts: districtRows,
    districtsOverTarget: districtRows.filter((d) => d.meetsTarget === false).map((d) => d.name),
    /** null on the 12345 desk: the 110 line's calls are the 110 desk's records */
    staffing:
      days === null
        ? null
        : {
            inboundSource: staff!.source === 'calls' ? '110话务系统呼入记录' : '110来电受理记录（无话务记录时）',
            days,
            daysEntered: entered.length,
            daysMet: entered.filter((d) => d.met).length,
            daysShort: entered.filter((d) => d.met === false).map((d) => d.day),
          },
  };
}

export type PoliceFiguresData = Awaited<ReturnType<typeof policeFiguresReport>>;

export function policeFiguresDocument(r: PoliceFiguresData): ReportDocument {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const s = r.staffing;
  return {
    title: r.title,
    docNo: docNumber('联动警', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、分级分类处警',
        paragraphs: [
          `${r.period.label}，有效警情${r.valid}起，其中${r.tiers.map((t) => `${t.label}${t.count}起（${pct(t.share)}）`).join('、')}。派出所处警占比${pct(r.stationShare)}（目标不高于${pct(r.target.stationShare)}）。`,
          r.districtsOverTarget.length
            ? `派出所处警占比高于目标的区县：${r.districtsOverTarget.join('、')}。`
            : '各区县派出所处警占比均未超过目标。',
          `数据来源：${r.source}。${r.exercise.note}`,
        ],
        tables: [
          {
            sheet: '各区县',
            caption: '表1 各区县分级处警',
            columns: [
              { header: '区县', format: 'text' },
              { header: '有效警情', format: 'count' },
              ...r.tiers.map((t) => ({ header: t.label, format: 'count' as const })),
              { header: '派出所占比', format: 'rate' },
              { header: '是否达标', format: 'text' },
            ],
            rows: r.districts.map((d) => [
              d.name,
              d.valid,
              ...r.tiers.map((t) => d.tiers[t.tier] ?? 0),
              d.stationShare,
              d.meetsTarget === null ? '—' : d.meetsTarget ? '达标' : '未达标',
            ]),
          },
        ],
      },
      {
        heading: '二、接警员配置',
        paragraphs: s
          ? [
              `按日呼入量的${pct(r.target.callTakerRatio)}配置在岗接警员；呼入量取自${s.inboundSource}。已填报${s.daysEntered}天，达标${s.daysMet}天${s.daysShort.length ? `，未达标：${s.daysShort.join('、')}` : ''}。`,
            ]
          : ['接警员配置由110平台出具（呼入话务记录为110平台数据）。'],
        tables: s
          ? [
              {
                sheet: '接警员',
                caption: '表2 每日接警员配置',
                columns: [
                  { header: '日期', format: 'text' },
                  { header: '呼入量', format: 'count' },
                  { header: '应配接警员', format: 'count' },
                  { header: '在岗接警员', format: 'count' },
                  { header: '是否达标', format: 'text' },
                ],
                rows: s.days.map((d) => [
                  d.day,
                  d.inboundCalls,
                  d.required,
                  d.onDuty,
                  d.met === null ? '未填报' : d.met ? '达标' : '未达标',
                ]),
              },
            ]
          : [],
      },
    ],
  };
}

/** An administrator's entry of the call-takers on duty, per day (audited); returns the days written. */
export async function enterStaffing(
  db: Queryable,
  actor: Actor,
  days: { day: string; callTakers: number }[],
): Promise<number> {
  requirePermission(actor, 'admin.staffing');
  for (const d of days)
    await db.query(
      `INSERT INTO duty_staffing (day, call_takers, entered_by) VALUES ($1, $2, $3)
       ON CONFLICT (day) DO UPDATE SET call_takers = EXCLUDED.call_takers, entered_by = EXCLUDED.entered_by, entered_at = now()`,
      [d.day, d.callTakers, actor.id],
    );
  await audit(db, actor.id, 'duty_staffing.enter', days.map((d) => d.day).join(','), { days });
  return days.length;
}
