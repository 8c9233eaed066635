/**
 * 热点、风险隐患、矛盾问题 (plan 任务4、12): both desks' records of the period together —
 * - clusters by place (street, or district without one) and topic (the 12345 catalogue category, the
 *   110 incident category), with each desk's share;
 * - spikes: a place's or a topic's count against its own baseline, the 8 windows of the same length just
 *   before (domain `spikeOf`), each with the sentence that says why it is one;
 * - repeat-dispute risk: the same address (`placeKey`), caller (`callerKey`) or street in 12345 complaints
 *   and 110 dispute calls within the period, as a list a district can act on. The desk's own records are
 *   keyed with the same HMAC-SM3 and sharing key as its feed, so they match the peer's records.
 */
import {
  INCIDENT_CATEGORY_LABELS,
  WORK_ORDER_TYPE_LABELS,
  maskPhone,
  maskShareText,
  spikeOf,
  type Period,
} from '@liandong/domain';
import { callerKeyOf, placeKeyOf, shareKeyFingerprint, STALE } from '../analytics/share-keys.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { chineseDate, docNumber, exerciseNote, ISSUER, periodJson } from './common.ts';
import type { ReportDocument } from './document.ts';
import { SUMMARIES, type FigureSource } from './monthly.repo.ts';
import { ownKinds, type ReportDesk } from './monthly.service.ts';
import { openColumns } from '../crypto/pii.ts';
import { dayRange, OWN_VIEW } from './summary.ts';

/** Baseline windows before the period, each as long as the period. */
export const BASELINE_WINDOWS = 8;
/** 110 categories counted as dispute calls (纠纷 are recorded under 治安 and 社会联动), besides any call mediated. */
export const DISPUTE_CATEGORIES = ['public_order', 'social_linkage'];
const TOP = 20;

export interface CountRow {
  place: string | null;
  district: string | null;
  topic: string | null;
  bucket: number;
  n: number;
  orders: number;
  incidents: number;
}

/**
 * Counts by place and by topic in windows of `windowMs` from `from` (bucket 0) to `to`, and by place and
 * topic together in the last window (the period: the clusters), from the day summaries' grains — every
 * window starts at a Beijing midnight, so a day falls in one window whole. Ordered by place, district,
 * topic and window, as the raw-row reference is.
 */
export async function counts(db: Db, own: string[], from: Date, to: Date, windowMs: number): Promise<CountRow[]> {
  const d = dayRange({ from, to });
  const windowDays = Math.round(windowMs / 86_400_000);
  if (windowDays * 86_400_000 !== windowMs) throw new Error(`hot-spot window ${windowMs} ms is not whole days`);
  const lastWindow = Math.ceil(d.days / windowDays) - 1;
  return (
    await db.query<CountRow>(
      `SELECT place, district, topic, bucket, sum(n)::int AS n,
         COALESCE(sum(n) FILTER (WHERE kind = 'work_order'), 0)::int AS orders,
         COALESCE(sum(n) FILTER (WHERE kind = 'incident'), 0)::int AS incidents
       FROM (SELECT grain, CASE WHEN grain <> 'topic' THEN COALESCE(street_code, district_code, '') END AS place,
               district_code AS district, topic, kind, n, (day - $1::date) / $4::int AS bucket
             FROM report_day_records_live
             WHERE grain IN ('place', 'topic', 'place_topic') AND day >= $1::date AND day < $2::date AND NOT exercise
               AND ${OWN_VIEW} AND (grain <> 'place_topic' OR day >= $1::date + $4::int * $5::int)) x
       GROUP BY grain, place, district, topic, bucket
       HAVING sum(n) > 0
       ORDER BY place, district, topic, bucket`,
      [d.fromDay, d.toDay, own, windowDays, lastWindow],
    )
  ).rows;
}

/** Where the hot spots' counts and the drill note come from: the day summaries, or the test's raw-row reference. */
export interface HotspotSource {
  counts: typeof counts;
  risks: typeof riskGroups;
  drillCounts: FigureSource['drillCounts'];
}

/**
 * One group of the repeat-dispute list: an address (its placeKey), a caller (callerKey) or a street, with
 * its 12345 complaints and 110 dispute calls of the period. `label` is the desk's own address or masked
 * number when one of its own records is in the group (null: only the peer's de-identified records);
 * `districtCode` and `streetCode` are the group's first record's; `examples` the first two distinct texts
 * among its first EXAMPLE_ROWS records (the desk's own masked as its feed masks them).
 */
export interface RiskGroup {
  dimension: 'place' | 'caller' | 'street';
  key: string;
  label: string | null;
  districtCode: string | null;
  streetCode: string | null;
  complaints: number;
  disputes: number;
  first: Date;
  last: Date;
  examples: string[];
}

/** The repeat-dispute statement's work_mem (SET LOCAL: that statement only). */
const RISK_WORK_MEM = '128MB';

/** Groups listed, at most. */
export const RISK_GROUPS = TOP * 3;

/** A group's examples are the first two distinct texts among its first EXAMPLE_ROWS records (time order). */
export const EXAMPLE_ROWS = 10;

/**
 * The period's 12345 complaints and 110 dispute calls, both desks' ($1, $2 the period, $3 this desk's own
 * kinds, $4 the categories counted as disputes, $5 the sharing key's fingerprint), each with its
 * placeKey and callerKey: the desk's own as stored (migration 20261216100000) or, for a row the worker has
 * not keyed under the current key yet, as the report keyed it ($6–$9: request and caller ids with their
 * keys); the peer's as its feed carried them.
 */
const RISK_ROWS = `
  fr AS (SELECT * FROM unnest($6::uuid[], $7::text[]) f (id, k)),
  fc AS (SELECT * FROM unnest($8::uuid[], $9::text[]) f (id, k)),
  risk AS MATERIALIZED (
    SELECT x.kind, x.received_at, x.district_code, x.street_code, true AS own, x.rid, NULL::text AS source,
      CASE WHEN x.rfp = $5 THEN x.place_key ELSE fr.k END AS place_key,
      CASE WHEN x.cfp = $5 THEN x.caller_key ELSE fc.k END AS caller_key
    FROM (
      SELECT 'work_order'::text AS kind, r.received_at, w.district_code, r.street_code, r.id AS rid, r.share_key_fp AS rfp,
        r.place_key, c.id AS cid, c.share_key_fp AS cfp, c.caller_key
      FROM work_orders w JOIN requests r ON r.id = w.request_id LEFT JOIN callers c ON c.id = r.caller_id
      WHERE 'work_order' = ANY($3::text[]) AND w.order_type = 'complaint' AND NOT r.exercise
        AND r.received_at >= $1 AND r.received_at < $2
      UNION ALL
      SELECT 'incident', r.received_at, i.district_code, r.street_code, r.id, r.share_key_fp, r.place_key, c.id, c.share_key_fp, c.caller_key
      FROM incidents i JOIN requests r ON r.id = i.request_id LEFT JOIN callers c ON c.id = r.caller_id
      WHERE 'incident' = ANY($3::text[]) AND (i.category = ANY($4::text[]) OR i.disposition = 'mediated') AND NOT r.exercise
        AND r.received_at >= $1 AND r.received_at < $2) x
      LEFT JOIN fr ON fr.id = x.rid LEFT JOIN fc ON fc.id = x.cid
    UNION ALL
    SELECT kind, received_at, district_code, street_code, false, record_id, source, place_key, caller_key
    FROM shared_records
    WHERE NOT (kind = ANY($3::text[])) AND NOT exercise AND received_at >= $1 AND received_at < $2
      AND ((kind = 'work_order' AND type = 'complaint')
        OR (kind = 'incident' AND (type = ANY($4::text[]) OR outcome LIKE '%mediated%')))
  )`;

/**
 * The repeat-dispute groups in one statement: the period's rows grouped by each key, the groups that
 * qualify (complaints and dispute calls both, or three records of one address or caller) ordered as the
 * list shows them and cut at RISK_GROUPS, and for each the first rows with what its label and examples
 * need. The own rows not yet keyed under the current sharing key are keyed here first.
 */
export async function riskGroups(
  db: Db,
  own: string[],
  p: { from: Date; to: Date },
  shareKey: string | null,
): Promise<RiskGroup[]> {
  const fp = shareKey ? shareKeyFingerprint(shareKey) : null;
  const fresh = {
    rids: [] as string[],
    rkeys: [] as (string | null)[],
    cids: [] as string[],
    ckeys: [] as (string | null)[],
  };
  if (shareKey) {
    const stale = await db.query<{ t: 'r' | 'c'; id: string; v: string | null }>(
      `SELECT 'r' AS t, id, address AS v FROM requests
       WHERE ${STALE('share_key_fp', '$1')} AND received_at >= $2 AND received_at < $3
       UNION ALL
       SELECT 'c', id, phone_sealed FROM callers WHERE ${STALE('share_key_fp', '$1')}`,
      [fp, p.from, p.to],
    );
    for (const s of stale.rows) {
      if (s.t === 'r') {
        fresh.rids.push(s.id);
        fresh.rkeys.push(placeKeyOf(shareKey, s.v));
      } else {
        fresh.cids.push(s.id);
        fresh.ckeys.push(callerKeyOf(shareKey, s.v));
      }
    }
  }
  interface Row {
    dimension: RiskGroup['dimension'];
    key: string;
    complaints: number;
    disputes: number;
    first: Date;
    last: Date;
    own: boolean;
    rn: string;
    district_code: string | null;
    street_code: string | null;
    text: string | null;
    address: string | null;
    phone: string | null;
  }
  // One statement in a transaction of its own, with memory enough to group a month's keys in a hash
  // table (at 2,000,000 orders a month some 700,000 keys; with the default work_mem the grouping sorted on
  // disk, most of the statement's time).
  const rows = await inTransaction(db, async (tx) => {
    await tx.query(`SET LOCAL work_mem = '${RISK_WORK_MEM}'`);
    return (
      await tx.query<Row>(
        `WITH ${RISK_ROWS},
       keyed AS (
         SELECT 'place'::text AS dimension, place_key AS key, kind, received_at FROM risk WHERE place_key IS NOT NULL
         UNION ALL SELECT 'caller', caller_key, kind, received_at FROM risk WHERE caller_key IS NOT NULL
         UNION ALL SELECT 'street', street_code, kind, received_at FROM risk WHERE street_code IS NOT NULL
       ),
       g AS (
         SELECT dimension, key, count(*) FILTER (WHERE kind = 'work_order')::int AS complaints,
           count(*) FILTER (WHERE kind = 'incident')::int AS disputes, min(received_at) AS first, max(received_at) AS last
         FROM keyed GROUP BY dimension, key
         HAVING (count(*) FILTER (WHERE kind = 'work_order') > 0 AND count(*) FILTER (WHERE kind = 'incident') > 0)
           OR (dimension <> 'street' AND count(*) >= 3)
         ORDER BY (count(*) FILTER (WHERE kind = 'work_order') > 0 AND count(*) FILTER (WHERE kind = 'incident') > 0) DESC,
           count(*) DESC, dimension COLLATE "C", key COLLATE "C"
         LIMIT ${RISK_GROUPS}
       ),
       members AS (
         SELECT g.dimension, g.key, x.* FROM g JOIN risk x ON g.dimension = 'place' AND x.place_key = g.key
         UNION ALL SELECT g.dimension, g.key, x.* FROM g JOIN risk x ON g.dimension = 'caller' AND x.caller_key = g.key
         UNION ALL SELECT g.dimension, g.key, x.* FROM g JOIN risk x ON g.dimension = 'street' AND x.street_code = g.key
       ),
       picked AS (
         SELECT * FROM (
           SELECT m.*, row_number() OVER (PARTITION BY dimension, key ORDER BY received_at, rid) AS rn,
             row_number() OVER (PARTITION BY dimension, key, own ORDER BY received_at, rid) AS rn_own
           FROM members m) y
         WHERE rn <= ${EXAMPLE_ROWS} OR (own AND rn_own = 1)
       )
       SELECT g.*, p.own, p.rn, p.district_code, p.street_code,
         CASE WHEN p.own THEN rq.content ELSE s.text END AS text, rq.address, c.phone_sealed AS phone
       FROM g JOIN picked p USING (dimension, key)
         LEFT JOIN requests rq ON p.own AND rq.id = p.rid
         LEFT JOIN callers c ON c.id = rq.caller_id
         LEFT JOIN shared_records s ON NOT p.own AND s.source = p.source AND s.record_id = p.rid
       ORDER BY (g.complaints > 0 AND g.disputes > 0) DESC, g.complaints + g.disputes DESC, g.dimension COLLATE "C",
         g.key COLLATE "C", p.rn`,
        [p.from, p.to, own, DISPUTE_CATEGORIES, fp, fresh.rids, fresh.rkeys, fresh.cids, fresh.ckeys],
      )
    ).rows;
  });
  openColumns(rows, { phone: 'caller.phone' });
  const groups = new Map<string, RiskGroup>();
  for (const r of rows) {
    const id = `${r.dimension}:${r.key}`;
    let g = groups.get(id);
    if (!g)
      groups.set(
        id,
        (g = {
          dimension: r.dimension,
          key: r.key,
          label: null,
          districtCode: null,
          streetCode: null,
          complaints: r.complaints,
          disputes: r.disputes,
          first: r.first,
          last: r.last,
          examples: [],
        }),
      );
    if (Number(r.rn) === 1) {
      g.districtCode = r.district_code;
      g.streetCode = r.street_code;
    }
    // the label from the desk's first own record (it knows its own address or number)
    if (r.own && g.label === null)
      g.label = r.dimension === 'place' ? r.address : r.phone ? `来电人 ${maskPhone(r.phone)}` : null;
    if (Number(r.rn) <= EXAMPLE_ROWS && g.examples.length < 2 && r.text !== null) {
      const text = r.own ? maskShareText(r.text) : r.text;
      if (!g.examples.includes(text)) g.examples.push(text);
    }
  }
  return [...groups.values()];
}

const HOTSPOT_SUMMARIES: HotspotSource = { counts, risks: riskGroups, drillCounts: SUMMARIES.drillCounts };

export async function hotspotsReport(
  db: Db,
  desk: ReportDesk,
  period: Period,
  source: HotspotSource = HOTSPOT_SUMMARIES,
) {
  const own = ownKinds(desk.desk);
  const len = period.to.getTime() - period.from.getTime();
  const base = new Date(period.from.getTime() - BASELINE_WINDOWS * len);
  const [rows, risks, exercise, streets, districts, cats] = await Promise.all([
    source.counts(db, own, base, period.to, len),
    source.risks(db, own, period, desk.shareKey ?? null),
    exerciseNote(db, desk, period, source),
    db.query<{ code: string; name: string }>('SELECT code, name FROM streets'),
    db.query<{ code: string; name: string }>('SELECT code, name FROM districts'),
    db.query<{ code: string; name: string }>('SELECT code, name FROM catalogue_categories'),
  ]);
  const streetName = new Map(streets.rows.map((s) => [s.code, s.name]));
  const districtName = new Map(districts.rows.map((d) => [d.code, d.name]));
  const catName = new Map(cats.rows.map((c) => [c.code, c.name]));
  const placeLabel = (place: string, district: string | null) => {
    const d = district ? (districtName.get(district) ?? district) : '未注明区县';
    if (!place || place === district) return d;
    return `${d}${streetName.get(place) ?? place}`;
  };
  const topicLabel = (t: string | null) =>
    t === null
      ? '未分类'
      : (catName.get(t) ??
        (INCIDENT_CATEGORY_LABELS[t as keyof typeof INCIDENT_CATEGORY_LABELS]
          ? `${INCIDENT_CATEGORY_LABELS[t as keyof typeof INCIDENT_CATEGORY_LABELS]}类警情`
          : (WORK_ORDER_TYPE_LABELS[t as keyof typeof WORK_ORDER_TYPE_LABELS] ?? t)));

  // the three groupings; GROUPING SETS leaves the columns of the others null
  const placeRows = rows.filter((r) => r.place !== null && r.topic === null);
  const topicRows = rows.filter((r) => r.place === null && r.topic !== null);
  const pairRows = rows.filter((r) => r.place !== null && r.topic !== null && r.bucket === BASELINE_WINDOWS);

  const series = (list: CountRow[], keyOf: (r: CountRow) => string) => {
    const m = new Map<string, { row: CountRow; buckets: number[]; current: CountRow | null }>();
    for (const r of list) {
      const k = keyOf(r);
      let e = m.get(k);
      if (!e) m.set(k, (e = { row: r, buckets: new Array<number>(BASELINE_WINDOWS).fill(0), current: null }));
      if (r.bucket === BASELINE_WINDOWS) e.current = r;
      else if (r.bucket >= 0 && r.bucket < BASELINE_WINDOWS) e.buckets[r.bucket] = r.n;
    }
    return m;
  };
  const why = (s: NonNullable<ReturnType<typeof spikeOf>>) =>
    `本期${s.count}件，前${BASELINE_WINDOWS}个等长周期平均${s.mean}件、标准差${s.sd}，高出平均${s.z}个标准差` +
    (s.ratio === null ? '（此前无记录）' : `，为平均的${s.ratio}倍`);

  const spikes: {
    dimension: 'place' | 'topic';
    key: string;
    label: string;
    districtCode: string | null;
    count: number;
    baselineMean: number;
    baselineSd: number;
    z: number;
    ratio: number | null;
    baseline: number[];
    why: string;
  }[] = [];
  for (const [key, e] of series(placeRows, (r) => r.place!)) {
    const s = e.current ? spikeOf(e.current.n, e.buckets) : null;
    if (s)
      spikes.push({
        dimension: 'place',
        key,
        label: placeLabel(key, e.row.district),
        districtCode: e.row.district,
        count: s.count,
        baselineMean: s.mean,
        baselineSd: s.sd,
        z: s.z,
        ratio: s.ratio,
        baseline: e.buckets,
        why: why(s),
      });
  }
  for (const [key, e] of series(topicRows, (r) => r.topic!)) {
    const s = e.current ? spikeOf(e.current.n, e.buckets) : null;
    if (s)
      spikes.push({
        dimension: 'topic',
        key,
        label: topicLabel(key),
        districtCode: null,
        count: s.count,
        baselineMean: s.mean,
        baselineSd: s.sd,
        z: s.z,
        ratio: s.ratio,
        baseline: e.buckets,
        why: why(s),
      });
  }
  spikes.sort((a, b) => b.z - a.z || b.count - a.count || a.key.localeCompare(b.key));

  const current = (list: CountRow[]) => list.filter((r) => r.bucket === BASELINE_WINDOWS);
  const places = current(placeRows)
    .sort((a, b) => b.n - a.n || a.place!.localeCompare(b.place!))
    .slice(0, TOP)
    .map((r) => ({
      key: r.place!,
      label: placeLabel(r.place!, r.district),
      districtCode: r.district,
      count: r.n,
      workOrders: r.orders,
      incidents: r.incidents,
      topTopics: pairRows
        .filter((p) => p.place === r.place)
        .sort((a, b) => b.n - a.n || a.topic!.localeCompare(b.topic!))
        .slice(0, 3)
        .map((p) => ({ topic: p.topic!, label: topicLabel(p.topic), count: p.n })),
    }));
  const topics = current(topicRows)
    .sort((a, b) => b.n - a.n || a.topic!.localeCompare(b.topic!))
    .slice(0, TOP)
    .map((r) => ({
      key: r.topic!,
      label: topicLabel(r.topic),
      count: r.n,
      workOrders: r.orders,
      incidents: r.incidents,
    }));
  const clusters = pairRows
    .filter((r) => r.n >= 2)
    .sort((a, b) => b.n - a.n || a.place!.localeCompare(b.place!) || a.topic!.localeCompare(b.topic!))
    .slice(0, TOP)
    .map((r) => ({
      place: r.place!,
      placeLabel: placeLabel(r.place!, r.district),
      districtCode: r.district,
      topic: r.topic!,
      topicLabel: topicLabel(r.topic),
      count: r.n,
      workOrders: r.orders,
      incidents: r.incidents,
    }));

  // repeat-dispute risk: the desk's own rows keyed as its feed keys them
  const key = desk.shareKey ?? null;
  const placeholder = '（对方平台记录的地址，已去标识）',
    callerPlaceholder = '（对方平台记录的来电人，已去标识）';
  const repeatRisks = risks
    .filter((g) => (g.complaints > 0 && g.disputes > 0) || (g.dimension !== 'street' && g.complaints + g.disputes >= 3))
    .map((g) => ({
      dimension: g.dimension,
      key: g.key,
      label:
        g.dimension === 'street'
          ? placeLabel(g.key, g.districtCode)
          : (g.label ?? (g.dimension === 'place' ? placeholder : callerPlaceholder)),
      districtCode: g.districtCode,
      districtName: g.districtCode ? (districtName.get(g.districtCode) ?? g.districtCode) : null,
      streetName: g.streetCode ? (streetName.get(g.streetCode) ?? g.streetCode) : null,
      complaints: g.complaints,
      disputes: g.disputes,
      bothDesks: g.complaints > 0 && g.disputes > 0,
      first: g.first.toISOString(),
      last: g.last.toISOString(),
      examples: g.examples,
      why:
        `${g.complaints}件12345投诉、${g.disputes}起110纠纷类警情` +
        (g.dimension === 'place' ? '来自同一地址' : g.dimension === 'caller' ? '来自同一来电人' : '发生在同一街道'),
    }))
    .sort(
      (a, b) =>
        Number(b.bothDesks) - Number(a.bothDesks) ||
        b.complaints + b.disputes - (a.complaints + a.disputes) ||
        a.dimension.localeCompare(b.dimension) ||
        a.key.localeCompare(b.key),
    )
    .slice(0, RISK_GROUPS);

  return {
    name: 'hotspots' as const,
    title: '12345热线与110报警服务台热点及风险隐患研判',
    desk: desk.deskId,
    period: periodJson(period),
    generatedAt: new Date().toISOString(),
    exercise,
    method: {
      baseline: `各地点、各主题以本期之前${BASELINE_WINDOWS}个等长周期为基线；本期不少于3件、不低于基线平均的2倍且高出平均3个标准差（标准差不足1按1计）的列为突增`,
      repeat: `同一地址（placeKey）、同一来电人（callerKey）或同一街道在本期内既有12345投诉又有110纠纷类警情（治安、社会联动类及经调解的警情），或同一地址、来电人累计3次以上`,
      pseudonyms: key
        ? '地址与来电人以双方共享密钥的 HMAC-SM3 匹配，不交换原始地址与号码'
        : '未配置共享密钥（BRIDGE_SHARE_KEY）：地址与来电人无法跨平台匹配，仅按街道研判',
    },
    places,
    topics,
    clusters,
    spikes,
    repeatRisks,
  };
}

export type HotspotsData = Awaited<ReturnType<typeof hotspotsReport>>;

const DIM_LABELS = { place: '同一地址', caller: '同一来电人', street: '同一街道' } as const;

export function hotspotsDocument(r: HotspotsData): ReportDocument {
  return {
    title: r.title,
    docNo: docNumber('联动研', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、热点地区与主题',
        paragraphs: [
          r.places[0]
            ? `${r.period.label}，诉求与警情最集中的地点为${r.places
                .slice(0, 3)
                .map((p) => `${p.label}（${p.count}件）`)
                .join('、')}；最集中的主题为${r.topics
                .slice(0, 3)
                .map((t) => `${t.label}（${t.count}件）`)
                .join('、')}。`
            : `${r.period.label}无诉求与警情记录。`,
          r.exercise.note,
        ],
        tables: [
          {
            sheet: '热点地点',
            caption: '表1 热点地点',
            columns: [
              { header: '地点', format: 'text' },
              { header: '合计', format: 'count' },
              { header: '12345工单', format: 'count' },
              { header: '110警情', format: 'count' },
              { header: '主要主题', format: 'text' },
            ],
            rows: r.places.map((p) => [
              p.label,
              p.count,
              p.workOrders,
              p.incidents,
              p.topTopics.map((t) => `${t.label}${t.count}`).join('、'),
            ]),
          },
          {
            sheet: '地点主题聚集',
            caption: '表2 地点与主题聚集',
            columns: [
              { header: '地点', format: 'text' },
              { header: '主题', format: 'text' },
              { header: '合计', format: 'count' },
              { header: '12345工单', format: 'count' },
              { header: '110警情', format: 'count' },
            ],
            rows: r.clusters.map((c) => [c.placeLabel, c.topicLabel, c.count, c.workOrders, c.incidents]),
          },
        ],
      },
      {
        heading: '二、突增预警',
        paragraphs: [
          r.method.baseline + '。',
          ...(r.spikes.length
            ? r.spikes.map((s, i) => `${i + 1}. ${s.label}：${s.why}。`)
            : ['本期无相对自身基线的突增。']),
        ],
        tables: [
          {
            sheet: '突增',
            caption: '表3 突增预警',
            columns: [
              { header: '维度', format: 'text' },
              { header: '地点或主题', format: 'text' },
              { header: '本期', format: 'count' },
              { header: '基线平均', format: 'text' },
              { header: '原因', format: 'text' },
            ],
            rows: r.spikes.map((s) => [
              s.dimension === 'place' ? '地点' : '主题',
              s.label,
              s.count,
              String(s.baselineMean),
              s.why,
            ]),
          },
        ],
      },
      {
        heading: '三、重复矛盾风险',
        paragraphs: [
          r.method.repeat + '。' + r.method.pseudonyms + '。',
          ...(r.repeatRisks.length ? [] : ['本期无重复矛盾风险。']),
        ],
        tables: [
          {
            sheet: '重复矛盾风险',
            caption: '表4 重复矛盾风险清单',
            columns: [
              { header: '类型', format: 'text' },
              { header: '对象', format: 'text' },
              { header: '区县', format: 'text' },
              { header: '街道', format: 'text' },
              { header: '12345投诉', format: 'count' },
              { header: '110纠纷警情', format: 'count' },
              { header: '最近一次', format: 'text' },
              { header: '示例', format: 'text' },
            ],
            rows: r.repeatRisks.map((x) => [
              DIM_LABELS[x.dimension],
              x.label,
              x.districtName ?? '',
              x.streetName ?? '',
              x.complaints,
              x.disputes,
              chineseDate(x.last),
              x.examples[0] ?? '',
            ]),
          },
        ],
      },
    ],
  };
}
