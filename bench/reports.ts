/**
 * Reports at a city's scale (issue 13): a fresh database (the embedded PostgreSQL in a temporary folder,
 * or DATABASE_URL) gets one month of work orders and incidents with skewed distributions (districts
 * and streets by a power law, order types and incident categories by their usual shares, 1 % of orders
 * transferred, a tenth of those rejected), then each report is built for that month the way the API
 * builds it (ReportService.render, JSON), three times; the best and the median are printed as one JSON
 * line with the issue's targets (monthly ≤ 2 s, annual ≤ 20 s, hot spots ≤ 5 s).
 *
 *   npm run bench:reports -- [--orders 2000000] [--incidents 500000] [--month 2026-10] [--runs 3]
 *
 * The reports read the raw rows (no summary tables yet): see docs/reports.md for what that costs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { ReportService, type ReportName } from '../packages/server/src/reports/reports.service.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000000' },
    incidents: { type: 'string', default: '500000' },
    month: { type: 'string', default: '2026-10' },
    runs: { type: 'string', default: '3' },
    reports: { type: 'string', default: 'monthly,hotspots,annual,quarterly,police-figures' },
  },
});
const ORDERS = Number(values.orders),
  INCIDENTS = Number(values.incidents),
  RUNS = Number(values.runs);
const MONTH = values.month;
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
    // bulk load: no per-row triggers (the share feed's change marks) or foreign-key checks for this session
    const c = await db.connect();
    try {
      await c.query("SET session_replication_role = 'replica'");
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
      await c.query(
        `INSERT INTO requests (id, channel, content, address, district_code, street_code, received_at, created_at)
         SELECT md5('r' || x)::uuid, CASE WHEN x <= $1 THEN 'phone_12345' ELSE 'phone_110' END,
           ($2::text[])[1 + (x % ${TEXTS.length})], street || '号' || (x % 500), district, street, at, at
         FROM g`,
        [ORDERS, TEXTS],
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
      await c.query('ANALYZE');
    } finally {
      await c.query("SET session_replication_role = 'origin'").catch(() => undefined);
      c.release();
    }
    const loadMs = performance.now() - t0;
    const counts = (
      await db.query<{ o: number; i: number; l: number }>(
        'SELECT (SELECT count(*) FROM work_orders)::int AS o, (SELECT count(*) FROM incidents)::int AS i, (SELECT count(*) FROM linkage_items)::int AS l',
      )
    ).rows[0]!;
    const size = (await db.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s'))
      .rows[0]!.s;

    const service = new ReportService(db, { desk: 'hotline', deskId: 'cq-12345', shareKey: 'bench' });
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
    console.log(
      JSON.stringify({
        bench: 'reports',
        orders: ORDERS,
        incidents: INCIDENTS,
        month: MONTH,
        load_s: Math.round(loadMs / 100) / 10,
        loaded: counts,
        database_size: size,
        storage: 'raw rows (no summary tables)',
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
