/**
 * Reports at a city's scale (issue 13): a fresh database (the embedded PostgreSQL in a temporary folder,
 * or DATABASE_URL) gets one month of work orders and incidents with skewed distributions (districts
 * and streets by a power law, order types and incident categories by their usual shares, 1 % of orders
 * transferred, a tenth of those rejected), then each report is built for that month the way the API
 * builds it (ReportService.render, JSON), three times; the best and the median are printed as one JSON
 * line with the issue's targets (monthly ≤ 2 s, annual ≤ 20 s, hot spots ≤ 5 s).
 *
 *   npm run bench:reports -- [--orders 2000000] [--incidents 500000] [--month 2026-10] [--runs 3]
 *     [--year-of-summaries true|false]
 *
 * The reports read the day summaries (migration 20261214130000): the load's inserts append their
 * deltas through the summaries' own statement-level triggers (switched to fire during the bulk load,
 * which otherwise runs with triggers off), and the deltas are then folded in one go, timed apart
 * (fold_s), as the server's worker folds them every few seconds. With --year-of-summaries (the default) the other eleven months of the month's year get
 * copies of the loaded month's summary rows, without raw rows (a raw year would be ~90 GB here), so the
 * annual summary reads twelve full months of summaries; the figures it reads from event rows
 * (rejections, negotiations, returns, 派单准确率) are empty in those months. See docs/reports.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { keyShareRecords } from '../packages/server/src/analytics/share-keys.ts';
import { phoneHash, seal } from '../packages/server/src/crypto/pii.ts';
import { parsePeriod } from '@liandong/domain';
import { BASELINE_WINDOWS, counts as hotspotCounts, riskGroups } from '../packages/server/src/reports/hotspots.ts';
import { ReportService, type ReportName } from '../packages/server/src/reports/reports.service.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000000' },
    incidents: { type: 'string', default: '500000' },
    month: { type: 'string', default: '2026-10' },
    runs: { type: 'string', default: '3' },
    reports: { type: 'string', default: 'monthly,hotspots,annual,quarterly,police-figures' },
    'year-of-summaries': { type: 'string', default: 'true' },
  },
});
const ORDERS = Number(values.orders),
  INCIDENTS = Number(values.incidents),
  RUNS = Number(values.runs);
const MONTH = values.month;
const SHARE_KEY = 'bench';
const TARGETS: Partial<Record<ReportName, number>> = { monthly: 2000, annual: 20_000, hotspots: 5000 };

async function main() {
  const tmp = process.env.DATABASE_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-reports-'));
  const database = await openDatabase(
    { databaseUrl: process.env.DATABASE_URL || null, dataDir: tmp ?? 'data', embeddedPgPort: null, poolSize: 8 },
    () => undefined,
  );
  const db = database.db;
  const from = `${MONTH}-01T00:00:00+08:00`;
  try {
    const t0 = performance.now();
    let foldMs = 0,
      keyMs = 0,
      keyed = 0;
    // bulk load: no per-row triggers (the share feed's change marks) or foreign-key checks for this session
    const c = await db.connect();
    try {
      await c.query("SET session_replication_role = 'replica'");
      // ... except the report summaries' triggers: the load builds them the way every write does
      for (const t of ['work_orders', 'incidents', 'linkage_items'])
        await c.query(`ALTER TABLE ${t} ENABLE ALWAYS TRIGGER ${t}_report_ins`);
      await c.query(`SET work_mem = '256MB'`);
      // streets weighted by a power law (a few central streets take most requests), each with its district
      await c.query(
        `CREATE TEMP TABLE s AS SELECT row_number() OVER (ORDER BY code) AS i, code, district_code FROM streets`,
      );
      await c.query(`CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM units`);
      await c.query(
        `CREATE TEMP TABLE k AS SELECT row_number() OVER (ORDER BY code) AS i, code FROM catalogue_categories WHERE parent_code IS NOT NULL OR code ~ '[0-9]$'`,
      );
      const n = async (t: string) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
      const [ns, nu, nk] = [await n('s'), await n('u'), await n('k')];
      const pick = (count: number, skew: number) => `(1 + floor(${count} * power(random(), ${skew})))::int`;
      const TEXTS = [
        '来电反映小区夜间施工噪音扰民，要求相关部门查处',
        '咨询社保卡丢失如何补办，需要带哪些材料',
        '反映楼下餐馆油烟直排，影响居民生活',
        '咨询公积金提取条件和到账时间',
        '反映道路井盖破损，存在安全隐患',
        '投诉物业不作为，电梯长期故障无人维修',
        '邻里因漏水发生纠纷，多次协商未果',
        '反映占道经营堵塞人行道',
      ];
      // each row's street, category and unit drawn once (a volatile pick in a join condition would match
      // any number of rows)
      await c.query(
        `CREATE TEMP TABLE g AS
         SELECT x, s.code AS street, s.district_code AS district, r1, r2, at, ki, ui
         FROM (SELECT x, ${pick(ns, 2.5)} AS si, ${pick(nk, 1.8)} AS ki, ${pick(nu, 1.5)} AS ui,
                 random() AS r1, random() AS r2,
                 $1::timestamptz + random() * (($1::timestamptz + interval '1 month') - $1::timestamptz) AS at
               FROM generate_series(1, $2::int) x) r
         JOIN s ON s.i = r.si`,
        [from, ORDERS + INCIDENTS],
      );
      // callers: a pool of numbers, one for every five records, sealed as intake seals them; nine records
      // in ten name one, drawn by a power law (a few numbers call often)
      const nc = Math.max(1, Math.floor((ORDERS + INCIDENTS) / 5));
      for (let i = 0; i < nc; i += 20_000) {
        const phones = Array.from(
          { length: Math.min(20_000, nc - i) },
          (_, j) => `139${String(i + j).padStart(8, '0')}`,
        );
        await c.query(
          `INSERT INTO callers (id, phone_sealed, phone_hash)
           SELECT md5('c' || (${i} + x.ord))::uuid, x.s, x.h FROM unnest($1::text[], $2::text[]) WITH ORDINALITY x (s, h, ord)`,
          [phones.map((p) => seal(p, 'caller.phone')), phones.map((p) => phoneHash(p))],
        );
      }
      await c.query(
        `INSERT INTO requests (id, channel, content, address, district_code, street_code, received_at, created_at, caller_id)
         SELECT md5('r' || x)::uuid, CASE WHEN x <= $1 THEN 'phone_12345' ELSE 'phone_110' END,
           ($2::text[])[1 + (x % ${TEXTS.length})], street || '号' || (x % 500), district, street, at, at,
           CASE WHEN random() < 0.9 THEN md5('c' || (1 + floor($3 * power(random(), 3))::int))::uuid END
         FROM g`,
        [ORDERS, TEXTS, nc],
      );
      await c.query(
        `INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status,
           district_code, lead_unit_id, due_at, overdue, satisfaction, created_at, updated_at)
         SELECT 'B' || x, md5('r' || x)::uuid,
           CASE WHEN r1 < 0.35 THEN 'consultation' WHEN r1 < 0.65 THEN 'complaint' WHEN r1 < 0.85 THEN 'help'
                WHEN r1 < 0.95 THEN 'report' ELSE 'suggestion' END,
           k.code, '诉求', r2 < 0.01, CASE WHEN r2 < 0.01 THEN 'emergency_rescue' END,
           CASE WHEN r2 < 0.5 THEN 'archived' WHEN r2 < 0.8 THEN 'replied' ELSE 'in_progress' END,
           district, u.id, at + interval '5 days', r2 > 0.97,
           CASE WHEN r2 < 0.35 THEN 'satisfied' WHEN r2 < 0.45 THEN 'basically_satisfied' WHEN r2 < 0.5 THEN 'unsatisfied' END,
           at, at
         FROM g JOIN k ON k.i = g.ki JOIN u ON u.i = g.ui WHERE x <= $1`,
        [ORDERS],
      );
      await c.query(
        `INSERT INTO incidents (no, request_id, category, priority, status, district_code, tier, unit_id, close_kind,
           created_at, updated_at)
         SELECT 'J' || x, md5('r' || x)::uuid,
           (ARRAY['public_order','traffic','public_help','criminal','emergency_help','social_linkage','non_police','tip_off'])[1 + floor(power(r1, 1.6) * 8)::int],
           CASE WHEN r2 < 0.05 THEN 1 ELSE 2 END, 'closed', district,
           (ARRAY['police_station','police_station','specialized_police','command_center'])[1 + floor(r2 * 4)::int],
           'police.command', CASE WHEN r2 > 0.96 THEN 'invalid' WHEN r2 > 0.95 THEN 'harassment' ELSE 'handled' END,
           at, at
         FROM g WHERE x > $1`,
        [ORDERS],
      );
      // 1 % of the orders transferred to 110, accepted within minutes, fed back within hours; a tenth rejected
      await c.query(
        `INSERT INTO linkage_items (item_id, kind, side, peer, status, opening, district_code, accepted_at, feedback_at,
           accept_overdue, created_at, updated_at)
         SELECT 'cq-12345:' || x, 'transfer', 'originator', 'cq-110', 'feedback_given',
           jsonb_build_object('request', jsonb_build_object('content', '转办', 'triage', jsonb_build_object('category', k.code))),
           district, at + (60 + r1 * 1800) * interval '1 second', at + (3600 + r2 * 86400) * interval '1 second',
           r1 > 0.95, at, at
         FROM g JOIN k ON k.i = g.ki WHERE x <= $1 AND x % 100 = 0`,
        [ORDERS],
      );
      await c.query(
        `INSERT INTO linkage_events (item_id, direction, type, payload, at)
         SELECT item_id, 'received', 'transfer.reject', '{"reasonCode": "not_our_jurisdiction"}', created_at + interval '5 minutes'
         FROM linkage_items WHERE right(item_id, 3) = '000'`,
      );
      const f0 = performance.now();
      await c.query('SELECT report_fold_now(NULL)');
      foldMs = performance.now() - f0;
      // the sharing pseudonyms on every request and caller, as the server's worker keys them
      const k0 = performance.now();
      keyed = await keyShareRecords(db, SHARE_KEY);
      keyMs = performance.now() - k0;
      if (values['year-of-summaries'] === 'true') {
        // the month's summaries copied into the year's other months (a day past a shorter month's end
        // joins its last day)
        const copy = (table: string, key: string, sums: string[]) => {
          const dims = key
            .split(', ')
            .filter((x) => x !== 'day')
            .join(', ');
          return c.query(
            `INSERT INTO ${table} AS t (day, ${dims}, ${sums.join(', ')})
             SELECT day, ${dims}, ${sums.map((x) => `sum(${x})`).join(', ')}
             FROM (SELECT least((date_trunc('month', day) + k * interval '1 month'
                                 + (day - date_trunc('month', day)::date) * interval '1 day')::date,
                                (date_trunc('month', day) + (k + 1) * interval '1 month' - interval '1 day')::date) AS day,
                          ${dims}, ${sums.join(', ')}
                   FROM ${table}
                   CROSS JOIN generate_series(-(extract(month FROM $1::date)::int - 1), 12 - extract(month FROM $1::date)::int) k
                   WHERE k <> 0 AND day >= $1::date AND day < ($1::date + interval '1 month')::date) s
             GROUP BY ${key} ORDER BY ${key}
             ON CONFLICT (${key}) DO UPDATE SET ${sums.map((x) => `${x} = t.${x} + excluded.${x}`).join(', ')}`,
            [`${MONTH}-01`],
          );
        };
        await copy(
          'report_day_records',
          'grain, day, source, kind, exercise, district_code, street_code, unit_id, topic',
          ['n', 'urgent', 'overdue', 'satisfied', 'basically_satisfied', 'unsatisfied'],
        );
        await copy('report_day_linkage', 'day, side, kind, exercise, district_code', [
          'items',
          'accepted',
          'feedback',
          'closed_loop',
          'loop_base',
          'accept_overdue',
          'first_receiver',
        ]);
        await copy('report_day_linkage_times', 'day, side, kind, exercise, district_code, measure, bin', [
          'n',
          'seconds',
        ]);
      }
      // the keying rewrote every request and caller: vacuumed, as autovacuum would have kept up with it
      await c.query('VACUUM ANALYZE');
    } finally {
      await c.query("SET session_replication_role = 'origin'").catch(() => undefined);
      for (const t of ['work_orders', 'incidents', 'linkage_items'])
        await c.query(`ALTER TABLE ${t} ENABLE TRIGGER ${t}_report_ins`).catch(() => undefined);
      c.release();
    }
    const loadMs = performance.now() - t0;
    const counts = (
      await db.query<{
        o: number;
        i: number;
        l: number;
        days: number;
        records: number;
        linkage: number;
        times: number;
      }>(
        `SELECT (SELECT count(*) FROM work_orders)::int AS o, (SELECT count(*) FROM incidents)::int AS i,
           (SELECT count(*) FROM linkage_items)::int AS l,
           (SELECT count(DISTINCT day) FROM report_day_records)::int AS days,
           (SELECT count(*) FROM report_day_records WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date)::int AS records,
           (SELECT count(*) FROM report_day_linkage WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date)::int AS linkage,
           (SELECT count(*) FROM report_day_linkage_times WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date)::int AS times`,
        [`${MONTH}-01`],
      )
    ).rows[0]!;
    const size = (await db.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s'))
      .rows[0]!.s;

    const service = new ReportService(db, { desk: 'hotline', deskId: 'cq-12345', shareKey: SHARE_KEY });
    const results: Record<string, unknown> = {};
    for (const name of values.reports.split(',') as ReportName[]) {
      const period = name === 'annual' ? MONTH.slice(0, 4) : name === 'quarterly' ? `${MONTH.slice(0, 4)}-Q4` : MONTH;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await service.render(name, period, 'json');
        times.push(Math.round(performance.now() - t));
      }
      times.sort((a, b) => a - b);
      results[name] = {
        period,
        best_ms: times[0],
        median_ms: times[Math.floor(times.length / 2)],
        target_ms: TARGETS[name] ?? null,
        meets_target: TARGETS[name] === undefined ? null : times[0]! <= TARGETS[name]!,
      };
    }
    // the hot spots' place and topic counts alone (the day summaries), apart from the repeat-dispute
    // list the report builds from raw rows
    if (values.reports.split(',').includes('hotspots')) {
      const p = parsePeriod(MONTH);
      if (!p.ok) throw new Error(MONTH);
      const len = p.value.to.getTime() - p.value.from.getTime();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await hotspotCounts(
          db,
          ['work_order'],
          new Date(p.value.from.getTime() - BASELINE_WINDOWS * len),
          p.value.to,
          len,
        );
        times.push(Math.round(performance.now() - t));
      }
      times.sort((a, b) => a - b);
      results['hotspots.counts'] = { period: MONTH, best_ms: times[0], median_ms: times[Math.floor(times.length / 2)] };
      // and the repeat-dispute list alone (one statement over the period's complaints and dispute calls)
      const rt: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await riskGroups(db, ['work_order'], p.value, SHARE_KEY);
        rt.push(Math.round(performance.now() - t));
      }
      rt.sort((a, b) => a - b);
      results['hotspots.risks'] = { period: MONTH, best_ms: rt[0], median_ms: rt[Math.floor(rt.length / 2)] };
    }
    console.log(
      JSON.stringify({
        bench: 'reports',
        orders: ORDERS,
        incidents: INCIDENTS,
        month: MONTH,
        load_s: Math.round(loadMs / 100) / 10,
        fold_s: Math.round(foldMs / 100) / 10,
        key_s: Math.round(keyMs / 100) / 10,
        keyed,
        loaded: { o: counts.o, i: counts.i, l: counts.l },
        summary_rows_of_month: { records: counts.records, linkage: counts.linkage, linkage_times: counts.times },
        summary_days: counts.days,
        database_size: size,
        storage:
          values['year-of-summaries'] === 'true'
            ? 'day summaries (trigger deltas, folded); the year’s other 11 months are copies of this month’s summary rows, without raw rows'
            : 'day summaries (trigger deltas, folded); one month',
        load_avg: os.loadavg().map((x) => Math.round(x * 10) / 10),
        cpus: os.cpus().length,
        results,
      }),
    );
  } finally {
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
