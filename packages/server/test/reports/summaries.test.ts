/**
 * The report summaries equal the raw rows (issue 13, docs/reports.md "Scale"): a small year of work
 * orders, incidents, the peer's shared records and linkage items — inserted in single rows and in
 * multi-row statements, folded, then updated (satisfaction, unit, district, category, times, a request
 * moved to another day and street, a request marked a drill afterwards) and deleted, those changes left
 * as deltas — and every figure of the monthly, quarterly, annual and hot-spot reports built twice: from
 * the day summaries and their unfolded deltas (what the reports read) and from the raw rows (the
 * reference in raw-reference.ts). Twice over: with the updates' and deletes' deltas not yet folded, and
 * after the fold worker has folded them. Counts must be equal; P50 and P90 times within the precision the
 * report states (summary.ts timeTolerance). In between, a fold is shown to be one transaction that one
 * process at a time runs, which a crash leaves undone.
 */
import { normaliseAddress, normalisePhone, parsePeriod, type Period } from '@liandong/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyShareRecords } from '../../src/analytics/share-keys.ts';
import { pseudonym } from '../../src/analytics/share.service.ts';
import { phoneHash, seal } from '../../src/crypto/pii.ts';
import type { Db, Queryable } from '../../src/db/pool.ts';
import { annualReport } from '../../src/reports/annual.ts';
import { hotspotsReport } from '../../src/reports/hotspots.ts';
import { MonthlyReport, type ReportDesk } from '../../src/reports/monthly.service.ts';
import { quarterlyReport } from '../../src/reports/quarterly.ts';
import { histogramPercentile, timeBin, timeTolerance } from '../../src/reports/summary.ts';
import { foldReportDeltas, startReportFoldWorker } from '../../src/workers/report-fold.worker.ts';
import { createTestDatabase } from '../helpers.ts';
import { RAW, RAW_HOTSPOTS } from './raw-reference.ts';

/** The sharing key both desks of these tests hold (their feeds' pseudonyms). */
const SHARE_KEY = 'summary-test-key';
/** A number some of the test's orders come from. */
const orders0Phone = '13800000003';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

// a fixed pseudo-random sequence: the same rows every run
let seed = 13;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;

const period = (s: string): Period => {
  const p = parsePeriod(s);
  if (!p.ok) throw new Error(s);
  return p.value;
};

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  const streets = (
    await db.query<{ code: string; district_code: string }>(
      `SELECT code, district_code FROM streets WHERE district_code IN ('500103', '500105') ORDER BY code LIMIT 6`,
    )
  ).rows;
  const categories = (
    await db.query<{ code: string }>(
      `SELECT code FROM catalogue_categories WHERE parent_code IS NOT NULL ORDER BY code LIMIT 5`,
    )
  ).rows.map((r) => r.code);
  const units = ['d500103.urban-mgmt', 'd500103.housing', 'd500105.agency'];
  expect(streets.length).toBeGreaterThan(2);
  expect(categories.length).toBeGreaterThan(2);

  // instants over January 2026 to early November 2026 (hot spots' baseline windows, September, October,
  // the Beijing-midnight edges) and October 2025 (同比)
  const edges = [
    '2026-09-30T23:59:30+08:00', // September in Beijing
    '2026-10-01T00:00:00+08:00', // October's first instant (30 September in UTC)
    '2026-10-31T23:59:59+08:00',
    '2026-11-01T00:00:00+08:00', // November's
  ];
  const at = (i: number) => {
    if (i < edges.length) return edges[i]!;
    const r = rnd();
    const from =
      r < 0.1
        ? Date.parse('2025-10-01T00:00:00+08:00')
        : r < 0.55
          ? Date.parse('2026-01-20T00:00:00+08:00')
          : Date.parse('2026-09-01T00:00:00+08:00');
    const span = r < 0.1 ? 31 * 86_400_000 : r < 0.55 ? 224 * 86_400_000 : 66 * 86_400_000;
    return new Date(from + Math.floor(rnd() * span)).toISOString();
  };
  const sats = [null, null, 'satisfied', 'basically_satisfied', 'unsatisfied'] as const;
  const types = ['complaint', 'complaint', 'consultation', 'help', 'report'];
  const incCats = ['public_order', 'traffic', 'social_linkage', 'criminal'];

  // work orders: 120 in one multi-row statement each (requests, then orders), then 40 one by one
  const orders = Array.from({ length: 160 }, (_, i) => {
    const s = pick(streets);
    return {
      at: at(i),
      street: rnd() < 0.15 ? null : s.code,
      district: s.district_code,
      type: pick(types),
      category: pick(categories),
      unit: rnd() < 0.1 ? null : pick(units),
      urgent: rnd() < 0.1,
      overdue: rnd() < 0.15,
      satisfaction: pick(sats),
      exercise: rnd() < 0.05,
      phone: `1380000${String(Math.floor(rnd() * 8)).padStart(4, '0')}`,
    };
  });
  // a burst on one street and category in October: a spike against its own baseline
  for (let i = 0; i < 12; i++)
    orders.push({
      ...orders[10]!,
      at: `2026-10-${String(3 + i).padStart(2, '0')}T09:00:00+08:00`,
      street: streets[0]!.code,
      district: streets[0]!.district_code,
      category: categories[0]!,
      exercise: false,
    });
  // the callers (one per number, sealed as intake seals them)
  const callerOf = new Map<string, string>();
  for (const phone of new Set(orders.map((o) => o.phone)))
    callerOf.set(
      phone,
      (
        await db.query<{ id: string }>('INSERT INTO callers (phone_sealed, phone_hash) VALUES ($1, $2) RETURNING id', [
          seal(phone, 'caller.phone'),
          phoneHash(phone),
        ])
      ).rows[0]!.id,
    );
  const insertOrders = async (list: typeof orders, tag: string) => {
    const req = await db.query<{ id: string }>(
      `INSERT INTO requests (channel, content, address, district_code, street_code, received_at, exercise, caller_id)
       SELECT 'phone_12345', '反映小区噪音扰民，电话13800001234', '幸福路' || (x.ord % 5) || '号', x.district, x.street, x.at,
         x.exercise, CASE WHEN x.ord % 3 > 0 THEN x.caller END
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::boolean[], $5::uuid[])
         WITH ORDINALITY AS x (district, street, at, exercise, caller, ord)
       ORDER BY x.ord RETURNING id`,
      [
        list.map((o) => o.district),
        list.map((o) => o.street),
        list.map((o) => o.at),
        list.map((o) => o.exercise),
        list.map((o) => callerOf.get(o.phone)!),
      ],
    );
    await db.query(
      `INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status,
         district_code, lead_unit_id, due_at, overdue, satisfaction, created_at, updated_at)
       SELECT $1 || x.ord, x.req, x.type, x.cat, '诉求', x.urgent, CASE WHEN x.urgent THEN 'emergency_rescue' END,
         'assigned', x.district, x.unit, now(), x.overdue, x.sat, now(), now()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::boolean[], $9::text[])
         WITH ORDINALITY AS x (req, type, cat, urgent, district, unit, overdue, sat, ord)`,
      [
        tag,
        req.rows.map((r) => r.id),
        list.map((o) => o.type),
        list.map((o) => o.category),
        list.map((o) => o.urgent),
        list.map((o) => o.district),
        list.map((o) => o.unit),
        list.map((o) => o.overdue),
        list.map((o) => o.satisfaction),
      ],
    );
  };
  await insertOrders(orders.slice(0, 120), 'M');
  for (const [i, o] of orders.slice(120).entries()) await insertOrders([o], `S${i}-`);

  // this desk's own incidents (counted by a desk that owns them: 'dispatch' and 'both')
  const incidents = Array.from({ length: 60 }, (_, i) => ({ s: pick(streets), at: at(i), cat: pick(incCats) }));
  const ireq = await db.query<{ id: string }>(
    `INSERT INTO requests (channel, content, address, district_code, street_code, received_at)
     SELECT 'phone_110', '有人打架', '', x.district, x.street, x.at
     FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS x (district, street, at, ord) ORDER BY x.ord RETURNING id`,
    [incidents.map((x) => x.s.district_code), incidents.map((x) => x.s.code), incidents.map((x) => x.at)],
  );
  await db.query(
    `INSERT INTO incidents (no, request_id, category, priority, status, district_code, unit_id, created_at, updated_at)
     SELECT 'J' || x.ord, x.req, x.cat, CASE WHEN x.ord % 7 = 0 THEN 1 ELSE 2 END, 'received', x.district,
       'police.command', now(), now()
     FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS x (req, cat, district, ord)`,
    [ireq.rows.map((r) => r.id), incidents.map((x) => x.cat), incidents.map((x) => x.s.district_code)],
  );

  // the peer's records as its feed carried them: 110 incidents (for the 12345 desk) and 12345 orders (for the 110 desk)
  const shared = Array.from({ length: 90 }, (_, i) => {
    const s = pick(streets);
    const kind = rnd() < 0.7 ? 'incident' : 'work_order';
    return {
      id: crypto.randomUUID(),
      kind,
      at: at(i),
      district: s.district_code,
      street: rnd() < 0.2 ? null : s.code,
      type: kind === 'incident' ? pick(incCats) : pick(types),
      category: kind === 'work_order' && rnd() < 0.7 ? pick(categories) : null,
      sat: kind === 'work_order' ? pick(sats) : null,
      urgent: rnd() < 0.1,
      overdue: rnd() < 0.1,
      unit: rnd() < 0.3 ? null : pick(['police.command', ...units]),
      exercise: rnd() < 0.05,
      // the peer's pseudonyms of addresses and numbers this desk has too (the repeat-dispute list matches them)
      placeKey: rnd() < 0.5 ? pseudonym(SHARE_KEY, normaliseAddress(`幸福路${Math.floor(rnd() * 7)}号`)) : null,
      callerKey: rnd() < 0.5 ? pseudonym(SHARE_KEY, normalisePhone(pick(orders).phone)) : null,
    };
  });
  await db.query(
    `INSERT INTO shared_records (source, record_id, kind, received_at, district_code, street_code, type, category, channel,
       status, satisfaction, urgent, overdue, unit_id, text, changed_at, exercise, place_key, caller_key)
     SELECT 'cq-peer', x.id, x.kind, x.at, x.district, x.street, x.type, x.category, 'phone', 'closed', x.sat, x.urgent,
       x.overdue, x.unit, '某某反映' || x.ord % 3, now(), x.exercise, x.place_key, x.caller_key
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::boolean[], $10::boolean[], $11::text[], $12::boolean[], $13::text[], $14::text[]) WITH ORDINALITY
       AS x (id, kind, at, district, street, type, category, sat, urgent, overdue, unit, exercise, place_key, caller_key, ord)`,
    [
      shared.map((x) => x.id),
      shared.map((x) => x.kind),
      shared.map((x) => x.at),
      shared.map((x) => x.district),
      shared.map((x) => x.street),
      shared.map((x) => x.type),
      shared.map((x) => x.category),
      shared.map((x) => x.sat),
      shared.map((x) => x.urgent),
      shared.map((x) => x.overdue),
      shared.map((x) => x.unit),
      shared.map((x) => x.exercise),
      shared.map((x) => x.placeKey),
      shared.map((x) => x.callerKey),
    ],
  );

  // linkage items: both sides, every kind, times from seconds to days
  for (let i = 0; i < 70; i++) {
    const opened = Date.parse(at(i));
    const accept = rnd() < 0.8 ? [5, 40, 127.5, 300, 900, 4000][Math.floor(rnd() * 6)]! * (0.5 + rnd()) : null;
    const feedback = rnd() < 0.6 ? [200, 3600, 86_400, 200_000][Math.floor(rnd() * 4)]! * (0.5 + rnd()) : null;
    await db.query(
      `INSERT INTO linkage_items (item_id, kind, side, peer, status, kept_by_first_receiver, opening, district_code,
         accepted_at, feedback_at, accept_overdue, exercise, created_at, updated_at)
       VALUES ($1, $2, $3, 'cq-110', 'in_progress', $4, '{}', $5, $6, $7, $8, $9, $10, $10)`,
      [
        `cq-12345:L${i}`,
        pick(['transfer', 'transfer', 'emergency', 'mediation', 'assist']),
        rnd() < 0.6 ? 'originator' : 'receiver',
        rnd() < 0.15,
        rnd() < 0.1 ? null : pick(['500103', '500105']),
        accept === null ? null : new Date(opened + accept * 1000),
        feedback === null ? null : new Date(opened + feedback * 1000),
        rnd() < 0.1,
        rnd() < 0.05,
        new Date(opened),
      ],
    );
  }
  await db.query(
    `INSERT INTO linkage_events (item_id, direction, type, payload, at)
     SELECT item_id, 'received', 'transfer.reject', '{"reasonCode": "not_our_jurisdiction"}', created_at + interval '5 minutes'
     FROM linkage_items WHERE item_id LIKE '%3'`,
  );

  // the inserts' deltas folded into the summaries; what follows stays in deltas until the fold below
  expect((await db.query<{ n: number }>('SELECT report_fold_deltas() AS n')).rows[0]!.n).toBeGreaterThan(300);
  expect(await pendingDeltas()).toBe(0);

  // updates: what a desk's work does to its rows (the triggers subtract the old row and add the new one)
  await db.query(`UPDATE work_orders SET satisfaction = 'satisfied', overdue = NOT overdue WHERE no LIKE 'M1%'`);
  await db.query(
    `UPDATE work_orders SET lead_unit_id = 'd500105.agency', district_code = '500105' WHERE no LIKE 'M2%'`,
  );
  await db.query(
    `UPDATE work_orders SET category_code = $1, urgent = true, urgent_kind = 'emergency_rescue' WHERE no LIKE 'S1%'`,
    [categories[1]],
  );
  await db.query(`UPDATE work_orders SET status = 'in_progress' WHERE no LIKE 'M3%'`); // touches no figure
  // a request received on another day and street than first entered, and two requests marked drills later
  await db.query(
    `UPDATE requests SET received_at = received_at - interval '20 days', street_code = NULL
     WHERE id IN (SELECT request_id FROM work_orders WHERE no IN ('M4', 'M5', 'M6'))`,
  );
  await db.query(
    `UPDATE requests SET exercise = true WHERE id IN (SELECT request_id FROM work_orders WHERE no IN ('M7', 'M8'))`,
  );
  await db.query(`UPDATE incidents SET priority = 1, category = 'traffic' WHERE no LIKE 'J1%'`);
  await db.query(
    `UPDATE linkage_items SET accepted_at = created_at + interval '77 seconds', feedback_at = created_at + interval '5 hours'
     WHERE item_id LIKE '%L1_'`,
  );
  await db.query(
    `UPDATE linkage_items SET kept_by_first_receiver = true, district_code = '500105' WHERE item_id LIKE '%L2_'`,
  );
  await db.query(
    `UPDATE shared_records SET satisfaction = 'unsatisfied', street_code = NULL WHERE kind = 'work_order'`,
  );
  await db.query(`UPDATE shared_records SET exercise = NOT exercise WHERE record_id = $1`, [shared[3]!.id]);
  // deletes
  await db.query(`DELETE FROM work_orders WHERE no IN ('M9', 'M11', 'S3-1')`);
  await db.query(`DELETE FROM incidents WHERE no LIKE 'J2_'`);
  await db.query(`DELETE FROM shared_records WHERE record_id = ANY($1::uuid[])`, [shared.slice(0, 5).map((x) => x.id)]);
  await db.query(`DELETE FROM linkage_items WHERE item_id IN ('cq-12345:L4', 'cq-12345:L5')`);
}, 120_000);

afterAll(async () => {
  await t?.drop();
});

/** Where a value is a P50 or P90 time: those may differ by the stated precision. */
const TIME_KEY = /Seconds(P50|P90)$|^(accept|feedback)P(50|90)\./;

/** Every difference between the summary-built report and the raw-row one, by path (none expected). */
function differences(sum: unknown, raw: unknown, path = '$', out: string[] = [], time = false): string[] {
  if (typeof sum === 'number' && typeof raw === 'number') {
    if (time ? Math.abs(sum - raw) > timeTolerance(raw) : sum !== raw) out.push(`${path}: ${sum} ≠ ${raw}`);
    return out;
  }
  if (sum === null || raw === null || typeof sum !== 'object' || typeof raw !== 'object') {
    if (sum !== raw) out.push(`${path}: ${JSON.stringify(sum)} ≠ ${JSON.stringify(raw)}`);
    return out;
  }
  if (Array.isArray(sum) !== Array.isArray(raw)) return [...out, `${path}: array ≠ object`];
  const s = sum as Record<string, unknown>,
    r = raw as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(s), ...Object.keys(r)])];
  // a headline time figure: its values within the precision, its changes within what that allows
  if (r.unit === 'seconds' && 'mom' in r) {
    for (const k of keys) {
      const a = s[k],
        b = r[k];
      if (k === 'mom' || k === 'yoy') {
        const base = r[k === 'mom' ? 'previous' : 'lastYear'] as number | null;
        const v = r.value as number | null;
        if ((a === null) !== (b === null)) out.push(`${path}.${k}: ${String(a)} ≠ ${String(b)}`);
        else if (typeof a === 'number' && typeof b === 'number' && v !== null && base) {
          const bound = timeTolerance(v) / base + (Math.abs(v) * timeTolerance(base)) / base ** 2 + 0.001;
          if (Math.abs(a - b) > bound) out.push(`${path}.${k}: ${a} ≠ ${b} (± ${bound})`);
        }
      } else differences(a, b, `${path}.${k}`, out, ['value', 'previous', 'lastYear'].includes(k));
    }
    return out;
  }
  if (Array.isArray(sum) && sum.length !== (raw as unknown[]).length)
    out.push(`${path}: ${sum.length} items ≠ ${(raw as unknown[]).length}`);
  for (const k of keys) differences(s[k], r[k], `${path}.${k}`, out, time || TIME_KEY.test(k));
  return out;
}

const strip = <T extends { generatedAt?: unknown }>(x: T) => ({ ...x, generatedAt: null });

const DESKS: ReportDesk[] = [
  { desk: 'hotline', deskId: 'cq-12345', shareKey: SHARE_KEY },
  { desk: 'dispatch', deskId: 'cq-110', shareKey: SHARE_KEY },
  { desk: 'both', deskId: 'cq-joint', shareKey: null },
];

/** The summary tables' keys and sums. */
const TABLES = [
  [
    'report_day_records',
    'grain, day, source, kind, exercise, district_code, street_code, unit_id, topic',
    ['n', 'urgent', 'overdue', 'satisfied', 'basically_satisfied', 'unsatisfied'],
  ],
  [
    'report_day_linkage',
    'day, side, kind, exercise, district_code',
    ['items', 'accepted', 'feedback', 'closed_loop', 'loop_base', 'accept_overdue', 'first_receiver'],
  ],
  ['report_day_linkage_times', 'day, side, kind, exercise, district_code, measure, bin', ['n']],
] as const;

/**
 * What the reports read, key by key: the live views (summaries plus unfolded deltas) added up. Sums of
 * seconds to the millisecond: floating-point residues of a subtraction are not a difference.
 */
async function live(q: Queryable): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key, sums] of TABLES) {
    const extra = table === 'report_day_linkage_times' ? ', round(sum(seconds)::numeric, 3) AS seconds' : '';
    out[table] = (
      await q.query(
        `SELECT ${key}, ${sums.map((x) => `sum(${x})::int AS ${x}`).join(', ')}${extra}
         FROM ${table}_live GROUP BY ${key} HAVING ${sums.map((x) => `sum(${x}) <> 0`).join(' OR ')} ORDER BY ${key}`,
      )
    ).rows;
  }
  return out;
}

async function pendingDeltas(): Promise<number> {
  return (
    await db.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM report_delta_records) + (SELECT count(*) FROM report_delta_linkage) AS n',
    )
  ).rows[0]!.n;
}

function equalToTheRawRows() {
  it('the summaries and deltas add up to a rebuild from the rows', async () => {
    const maintained = await live(db);
    expect(maintained.report_day_records!.length).toBeGreaterThan(50);
    expect(maintained.report_day_linkage_times!.length).toBeGreaterThan(20);
    // the rebuild in a transaction rolled back: the state under test stays as it is
    const c = await db.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT report_summaries_rebuild()');
      expect(await live(c)).toEqual(maintained);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
    // nothing negative: a subtraction never outran its addition
    const neg = await db.query(
      `SELECT count(*)::int AS n FROM (SELECT sum(n) AS n, sum(urgent) AS u, sum(overdue) AS o, sum(satisfied) AS s
         FROM report_day_records_live GROUP BY grain, day, source, kind, exercise, district_code, street_code, unit_id, topic) x
       WHERE n < 0 OR u < 0 OR o < 0 OR s < 0`,
    );
    expect(neg.rows[0]).toEqual({ n: 0 });
  });

  for (const desk of DESKS)
    it(`monthly, quarterly, annual and hot spots on the ${desk.desk} desk: every figure both ways`, async () => {
      const summary = new MonthlyReport(db, desk),
        raw = new MonthlyReport(db, desk, RAW);
      for (const key of ['2026-10', '2026-09', '2026-10-01..2026-10-15', '2026-W41']) {
        const [a, b] = [await summary.build(period(key)), await raw.build(period(key))];
        expect(differences(strip(a), strip(b)), `monthly ${key}`).toEqual([]);
      }
      const oct = await raw.build(period('2026-10'));
      // the month is not empty: the comparison compared figures
      const f = (k: string) => oct.headline.find((x) => x.key === k)!.value;
      expect(f(desk.desk === 'dispatch' ? 'incidents' : 'workOrders')).toBeGreaterThan(5);
      expect((f('transfers.sent') ?? 0) + (f('transfers.received') ?? 0)).toBeGreaterThan(3);
      expect(f('acceptP50.sent')).not.toBeNull();

      const q = period('2026-Q4');
      expect(
        differences(strip(await quarterlyReport(db, desk, q)), strip(await quarterlyReport(db, desk, q, RAW))),
      ).toEqual([]);

      const y = period('2026');
      const [ya, yb] = [await annualReport(desk, summary, y), await annualReport(desk, raw, y)];
      expect(differences(strip(ya), strip(yb)), 'annual').toEqual([]);
      expect(yb.months.length).toBe(12);

      // the repeat-dispute list with none of the desk's records keyed (the report keys them), all keyed by
      // the worker, and all keyed under a sharing key since replaced (the report keys them again)
      for (const keyed of [null, SHARE_KEY, 'a-replaced-share-key']) {
        if (keyed) {
          expect(await keyShareRecords(db, keyed, 50)).toBeGreaterThan(100);
          // the stored keys are the feed's pseudonyms under that key
          const place = await db.query<{ place_key: string }>(
            `SELECT DISTINCT place_key FROM requests WHERE address = '幸福路1号'`,
          );
          expect(place.rows).toEqual([{ place_key: pseudonym(keyed, normaliseAddress('幸福路1号')) }]);
          const caller = await db.query<{ caller_key: string }>(
            `SELECT caller_key FROM callers WHERE phone_hash = $1`,
            [phoneHash(orders0Phone)],
          );
          expect(caller.rows).toEqual([{ caller_key: pseudonym(keyed, normalisePhone(orders0Phone)) }]);
        }
        for (const key of ['2026-10', '2026-W41', '2026-Q3']) {
          const [ha, hb] = [
            await hotspotsReport(db, desk, period(key)),
            await hotspotsReport(db, desk, period(key), RAW_HOTSPOTS),
          ];
          expect(differences(strip(ha), strip(hb)), `hotspots ${key}, keyed under ${keyed}`).toEqual([]);
          if (key === '2026-10') {
            expect(hb.places.length).toBeGreaterThan(0);
            if (desk.desk !== 'dispatch') expect(hb.spikes.length).toBeGreaterThan(0);
            // the 12345 desk's list has every kind of group, some matched with the peer's records by the
            // sharing key (the compared lists are not empty)
            if (desk.desk === 'hotline') {
              expect([...new Set(hb.repeatRisks.map((r) => r.dimension))].sort()).toEqual([
                'caller',
                'place',
                'street',
              ]);
              expect(hb.repeatRisks.some((r) => r.bothDesks && r.dimension !== 'street')).toBe(true);
            }
          }
        }
        // a second run keys nothing more
        if (keyed) expect(await keyShareRecords(db, keyed)).toBe(0);
      }
    });

  it('the drills marked after the fact are out of the summaries’ figures and in the note', async () => {
    const desk = DESKS[0]!;
    const oct = await new MonthlyReport(db, desk).build(period('2026-10'));
    const raw = await new MonthlyReport(db, desk, RAW).build(period('2026-10'));
    expect(oct.exercise.drills).toEqual(raw.exercise.drills);
    const all = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM work_orders w JOIN requests r ON r.id = w.request_id
       WHERE r.exercise AND r.received_at >= '2026-10-01T00:00:00+08:00' AND r.received_at < '2026-11-01T00:00:00+08:00'`,
    );
    expect(oct.exercise.drills.workOrders).toBe(all.rows[0]!.n);
  });
}

describe('the reports read the day summaries and the deltas not yet folded, and these equal the raw rows', () => {
  it('the updates and deletes are still deltas, the inserts folded', async () => {
    expect(await pendingDeltas()).toBeGreaterThan(20);
    expect((await db.query('SELECT 1 FROM report_day_records LIMIT 1')).rowCount).toBe(1);
  });
  equalToTheRawRows();
});

describe('a fold is one transaction, run by one process at a time', () => {
  it('a second process finds the fold taken, readers see it whole or not at all, and a crash leaves it undone', async () => {
    const before = await live(db);
    const pending = await pendingDeltas();
    const a = await db.connect(),
      b = await db.connect();
    let aDead = false;
    try {
      const pid = (await a.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await a.query('BEGIN');
      expect((await a.query<{ n: number }>('SELECT report_fold_deltas() AS n')).rows[0]!.n).toBe(pending);
      // what the fold did is not visible before its commit: the figures read as they were
      expect(await live(db)).toEqual(before);
      expect(await pendingDeltas()).toBe(pending);
      // another process (a second server) tries to fold meanwhile: it leaves the fold to the first
      expect((await b.query<{ n: number | null }>('SELECT report_fold_deltas() AS n')).rows[0]!.n).toBeNull();
      expect(await foldReportDeltas(db)).toBeNull();
      // the folding process dies before its commit
      await b.query('SELECT pg_terminate_backend($1)', [pid]);
      aDead = true;
      await expect(a.query('COMMIT')).rejects.toThrow();
    } finally {
      a.release(aDead ? true : undefined);
      b.release();
    }
    // nothing folded, nothing lost
    expect(await pendingDeltas()).toBe(pending);
    expect(await live(db)).toEqual(before);
  });

  it('a fold of at most a few deltas of each table leaves the others, and the figures as they were', async () => {
    const before = await live(db);
    const pending = await pendingDeltas();
    expect((await db.query<{ n: number }>('SELECT report_fold_deltas(3) AS n')).rows[0]!.n).toBe(6);
    expect(await pendingDeltas()).toBe(pending - 6);
    expect(await live(db)).toEqual(before);
  });
});

describe('after the fold worker has folded every delta, the reports still equal the raw rows', () => {
  beforeAll(async () => {
    const errors: object[] = [];
    const stop = startReportFoldWorker(db, 20, { error: (o) => errors.push(o) });
    try {
      for (let i = 0; i < 500 && (await pendingDeltas()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await stop();
    }
    expect(errors).toEqual([]);
  });

  it('no delta is left', async () => {
    expect(await pendingDeltas()).toBe(0);
  });
  equalToTheRawRows();

  it('the histogram percentile is within the stated precision of the exact one', () => {
    const values = Array.from({ length: 501 }, (_, i) => 0.3 + i ** 1.7);
    const bins = new Map<number, { n: number; seconds: number }>();
    for (const v of values) {
      const b = bins.get(timeBin(v)) ?? { n: 0, seconds: 0 };
      bins.set(timeBin(v), { n: b.n + 1, seconds: b.seconds + v });
    }
    const hist = [...bins].sort((a, b) => a[0] - b[0]).map(([bin, b]) => ({ bin, ...b }));
    for (const p of [0.5, 0.9]) {
      const rank = p * (values.length - 1);
      const exact = values[Math.floor(rank)]! + (rank % 1) * (values[Math.ceil(rank)]! - values[Math.floor(rank)]!);
      expect(Math.abs(histogramPercentile(hist, p)! - exact)).toBeLessThanOrEqual(timeTolerance(exact) - 1);
    }
    expect(histogramPercentile([], 0.5)).toBeNull();
  });
});
