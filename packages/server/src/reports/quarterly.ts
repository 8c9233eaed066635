/**
 * 季度会商清单: the agenda of the quarterly consultation — the request types most often rejected,
 * renegotiated, disputed at closure or returned (退单) in the period, with counts, examples, the current
 * triage catalogue's entries for the type, and a proposal read from the figures. Any period works; the
 * plan's is the quarter.
 */
import {
  INCIDENT_CATEGORY_LABELS,
  LINKAGE_KIND_LABELS,
  NEGOTIATION_OUTCOME_LABELS,
  REJECT_REASON_LABELS,
  RETURN_REASON_LABELS,
  ROUTE_LABELS,
  maskShareText,
  type Period,
} from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { findActiveCatalogue } from '../triage/catalogue.repo.ts';
import { chineseDate, docNumber, exerciseNote, ISSUER, periodJson } from './common.ts';
import { SUMMARIES, type FigureSource } from './monthly.repo.ts';
import type { ReportDocument } from './document.ts';
import type { ReportDesk } from './monthly.service.ts';

interface ItemRow {
  item_id: string;
  kind: string;
  type: string;
  content: string | null;
  rejections: number;
  negotiations: number;
  disputes: number;
  reasons: (string | null)[] | null;
  outcomes: (string | null)[] | null;
}

/** Linkage items with a rejection, a negotiation or a closure dispute in the period (drills left out). */
async function disputedItems(db: Db, p: { from: Date; to: Date }): Promise<ItemRow[]> {
  return (
    await db.query<ItemRow>(
      `WITH ev AS (
         SELECT e.item_id, e.type, e.payload FROM linkage_events e JOIN linkage_items i ON i.item_id = e.item_id
         WHERE e.direction IN ('sent', 'received') AND e.at >= $1 AND e.at < $2 AND NOT i.exercise
           AND e.type IN ('transfer.reject', 'negotiation.open', 'negotiation.resolve', 'closure.dispute')
       ), per AS (
         SELECT item_id, count(*) FILTER (WHERE type = 'transfer.reject')::int AS rejections,
           count(*) FILTER (WHERE type = 'negotiation.open')::int AS negotiations,
           count(*) FILTER (WHERE type = 'closure.dispute')::int AS disputes,
           array_agg(payload->>'reasonCode') FILTER (WHERE type = 'transfer.reject') AS reasons,
           array_agg(payload->>'outcome') FILTER (WHERE type = 'negotiation.resolve') AS outcomes
         FROM ev GROUP BY item_id
       )
       SELECT i.item_id, i.kind, COALESCE(NULLIF(i.opening #>> '{request,triage,category}', ''), i.kind) AS type,
         COALESCE(i.opening #>> '{request,content}', i.opening ->> 'summary', i.opening ->> 'need') AS content,
         per.rejections, per.negotiations, per.disputes, per.reasons, per.outcomes
       FROM per JOIN linkage_items i ON i.item_id = per.item_id ORDER BY i.created_at, i.item_id`,
      [p.from, p.to],
    )
  ).rows;
}

/** 退单 of the period (12345 desk: a unit sent the order back), by the order's catalogue category. */
async function returnedOrders(db: Db, p: { from: Date; to: Date }) {
  return (
    await db.query<{ type: string; reason: string | null; content: string; n: number }>(
      `SELECT w.category_code AS type, a.details->>'reasonCode' AS reason, r.content, count(*)::int AS n
       FROM work_order_actions a JOIN work_orders w ON w.id = a.work_order_id JOIN requests r ON r.id = w.request_id
       WHERE a.action = 'return' AND a.at >= $1 AND a.at < $2 AND NOT r.exercise
       GROUP BY w.id, w.category_code, a.details->>'reasonCode', r.content ORDER BY min(a.at)`,
      [p.from, p.to],
    )
  ).rows;
}

const tally = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

interface Proposal {
  action: 'change_route' | 'confirm_route' | 'complete_information' | 'check_district' | 'review_lead_unit';
  text: string;
}

/** What the figures suggest for the catalogue, in words citing them (none below two disputed events). */
function propose(t: {
  label: string;
  events: number;
  rejectionsByReason: Map<string, number>;
  outcomes: Map<string, number>;
  returns: number;
  entries: { name: string; route: string }[];
}): Proposal | null {
  if (t.events < 2) return null;
  const keeps = t.outcomes.get('first_receiver_keeps') ?? 0,
    takes = t.outcomes.get('receiver_takes') ?? 0;
  const [topReason, topN] = sorted(t.rejectionsByReason)[0] ?? [null, 0];
  const route = t.entries[0]
    ? (ROUTE_LABELS[t.entries[0].route as keyof typeof ROUTE_LABELS] ?? t.entries[0].route)
    : null;
  if (keeps > takes)
    return {
      action: 'change_route',
      text: `“${t.label}”协商${keeps + takes}次中${keeps}次由首接方负责，建议调整分流目录${route ? `（现由${route}受理）` : ''}，明确由首接方受理。`,
    };
  if (takes > 0)
    return {
      action: 'confirm_route',
      text: `“${t.label}”协商${keeps + takes}次中${takes}次判由接收方受理，建议在分流目录中写明由接收方受理，减少拒收。`,
    };
  if (topReason === 'insufficient_information' && topN >= 2)
    return { action: 'complete_information', text: `“${t.label}”因信息不全被拒收${topN}次，建议明确转接必填信息。` };
  if (topReason === 'wrong_district' && topN >= 2)
    return { action: 'check_district', text: `“${t.label}”因属地不符被拒收${topN}次，建议核对属地划分。` };
  if (t.returns >= 2)
    return {
      action: 'review_lead_unit',
      text: `“${t.label}”被承办单位退单${t.returns}次，建议核定派单目录中的承办单位。`,
    };
  if (topN >= 2)
    return {
      action: 'change_route',
      text: `“${t.label}”被拒收${topN}次（${REJECT_REASON_LABELS[topReason as keyof typeof REJECT_REASON_LABELS] ?? '未注明原因'}），建议会商明确受理平台。`,
    };
  return null;
}

/**
 * `source` gives only the drill note's counts (the day summaries, or the test's raw-row reference): the
 * disputed items are few and read from their event rows.
 */
export async function quarterlyReport(
  db: Db,
  desk: ReportDesk,
  period: Period,
  source: Pick<FigureSource, 'drillCounts'> = SUMMARIES,
) {
  const [items, returns, catalogue, exercise, cats] = await Promise.all([
    disputedItems(db, period),
    desk.desk === 'dispatch' ? Promise.resolve(null) : returnedOrders(db, period),
    findActiveCatalogue(db),
    exerciseNote(db, desk, period, source),
    db.query<{ code: string; name: string }>('SELECT code, name FROM catalogue_categories'),
  ]);
  const catName = new Map(cats.rows.map((c) => [c.code, c.name]));
  const typeLabel = (t: string) =>
    INCIDENT_CATEGORY_LABELS[t as keyof typeof INCIDENT_CATEGORY_LABELS] ??
    LINKAGE_KIND_LABELS[t as keyof typeof LINKAGE_KIND_LABELS] ??
    catName.get(t) ??
    t;

  interface Acc {
    items: Set<string>;
    rejections: number;
    negotiations: number;
    disputes: number;
    returns: number;
    bounced: number;
    rejectionsByReason: Map<string, number>;
    outcomes: Map<string, number>;
    returnsByReason: Map<string, number>;
    examples: string[];
  }
  const byType = new Map<string, Acc>();
  const acc = (t: string) => {
    let a = byType.get(t);
    if (!a)
      byType.set(
        t,
        (a = {
          items: new Set(),
          rejections: 0,
          negotiations: 0,
          disputes: 0,
          returns: 0,
          bounced: 0,
          rejectionsByReason: new Map(),
          outcomes: new Map(),
          returnsByReason: new Map(),
          examples: [],
        }),
      );
    return a;
  };
  const allReasons = new Map<string, number>(),
    allOutcomes = new Map<string, number>();
  let negotiationsOpened = 0;
  for (const it of items) {
    const a = acc(it.type);
    a.items.add(it.item_id);
    a.rejections += it.rejections;
    a.negotiations += it.negotiations;
    a.disputes += it.disputes;
    negotiationsOpened += it.negotiations;
    // 往返: an item that went back and forth twice or more in the period
    if (it.rejections + it.negotiations + it.disputes >= 2) a.bounced++;
    for (const r of it.reasons ?? []) {
      tally(a.rejectionsByReason, r ?? 'unknown');
      tally(allReasons, r ?? 'unknown');
    }
    for (const o of it.outcomes ?? []) {
      tally(a.outcomes, o ?? 'unknown');
      tally(allOutcomes, o ?? 'unknown');
    }
    if (it.content && a.examples.length < 3) a.examples.push(maskShareText(it.content));
  }
  const allReturns = new Map<string, number>();
  for (const r of returns ?? []) {
    const a = acc(r.type);
    a.returns += r.n;
    tally(a.returnsByReason, r.reason ?? 'unknown', r.n);
    tally(allReturns, r.reason ?? 'unknown', r.n);
    if (a.examples.length < 3) a.examples.push(maskShareText(r.content));
  }

  const entriesFor = (t: string) =>
    (catalogue?.entries ?? [])
      .filter((e) => e.category === t)
      .map((e) => ({ code: e.code, name: e.name, route: e.route, kind: e.kind }));
  const rejectLabel = (c: string) => REJECT_REASON_LABELS[c as keyof typeof REJECT_REASON_LABELS] ?? '未注明';
  const outcomeLabel = (c: string) =>
    NEGOTIATION_OUTCOME_LABELS[c as keyof typeof NEGOTIATION_OUTCOME_LABELS] ?? '未注明';
  const returnLabel = (c: string) => RETURN_REASON_LABELS[c as keyof typeof RETURN_REASON_LABELS] ?? '未注明';

  const types = [...byType]
    .map(([type, a]) => {
      const events = a.rejections + a.negotiations + a.disputes + a.returns;
      const entries = entriesFor(type);
      const label = typeLabel(type);
      return {
        type,
        label,
        items: a.items.size,
        rejections: a.rejections,
        negotiations: a.negotiations,
        closureDisputes: a.disputes,
        returns: a.returns,
        bounced: a.bounced,
        events,
        rejectionsByReason: sorted(a.rejectionsByReason).map(([code, count]) => ({
          code,
          label: rejectLabel(code),
          count,
        })),
        negotiationOutcomes: sorted(a.outcomes).map(([code, count]) => ({ code, label: outcomeLabel(code), count })),
        returnsByReason: sorted(a.returnsByReason).map(([code, count]) => ({ code, label: returnLabel(code), count })),
        examples: a.examples,
        catalogueEntries: entries,
        proposal: propose({
          label,
          events,
          rejectionsByReason: a.rejectionsByReason,
          outcomes: a.outcomes,
          returns: a.returns,
          entries,
        }),
      };
    })
    .sort((a, b) => b.events - a.events || a.type.localeCompare(b.type));

  return {
    name: 'quarterly' as const,
    title: '12345政务服务便民热线与110报警服务台对接联动季度会商清单',
    desk: desk.deskId,
    period: periodJson(period),
    generatedAt: new Date().toISOString(),
    exercise,
    catalogueVersion: catalogue ? { version: catalogue.version, effectiveFrom: catalogue.effectiveFrom } : null,
    totals: {
      disputedItems: items.length,
      rejections: types.reduce((s, t) => s + t.rejections, 0),
      negotiations: negotiationsOpened,
      closureDisputes: types.reduce((s, t) => s + t.closureDisputes, 0),
      returns: types.reduce((s, t) => s + t.returns, 0),
      bounced: types.reduce((s, t) => s + t.bounced, 0),
    },
    rejectionsByReason: sorted(allReasons).map(([code, count]) => ({ code, label: rejectLabel(code), count })),
    negotiationOutcomes: sorted(allOutcomes).map(([code, count]) => ({ code, label: outcomeLabel(code), count })),
    returnsByReason:
      returns === null ? null : sorted(allReturns).map(([code, count]) => ({ code, label: returnLabel(code), count })),
    /** the agenda: every disputed type, most disputed first */
    types,
    proposals: types.filter((t) => t.proposal).map((t) => ({ type: t.type, label: t.label, ...t.proposal! })),
  };
}

export type QuarterlyReportData = Awaited<ReturnType<typeof quarterlyReport>>;

export function quarterlyDocument(r: QuarterlyReportData): ReportDocument {
  const t = r.totals;
  return {
    title: r.title,
    docNo: docNumber('联动会', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、总体情况',
        paragraphs: [
          `${r.period.label}，存在争议的对接事项${t.disputedItems}件：拒收${t.rejections}次，发起协商${t.negotiations}次，闭环异议${t.closureDisputes}次，承办单位退单${t.returns}次，往返两次以上的事项${t.bounced}件。`,
          r.catalogueVersion
            ? `现行分流目录为第${r.catalogueVersion.version}版（${r.catalogueVersion.effectiveFrom}起施行）。`
            : '尚无生效的分流目录版本。',
          r.exercise.note,
        ],
        tables: [
          {
            sheet: '拒收原因',
            caption: '表1 拒收原因',
            columns: [
              { header: '原因', format: 'text' },
              { header: '次数', format: 'count' },
            ],
            rows: r.rejectionsByReason.map((x) => [x.label, x.count]),
          },
          {
            sheet: '协商结果',
            caption: '表2 协商结果',
            columns: [
              { header: '结果', format: 'text' },
              { header: '次数', format: 'count' },
            ],
            rows: r.negotiationOutcomes.map((x) => [x.label, x.count]),
          },
        ],
      },
      {
        heading: '二、高频争议事项',
        paragraphs: r.types.length ? ['按争议次数（拒收、协商、闭环异议、退单之和）排序。'] : ['本期无争议事项。'],
        tables: [
          {
            sheet: '争议事项',
            caption: '表3 高频争议事项',
            columns: [
              { header: '事项类型', format: 'text' },
              { header: '事项', format: 'count' },
              { header: '拒收', format: 'count' },
              { header: '协商', format: 'count' },
              { header: '闭环异议', format: 'count' },
              { header: '退单', format: 'count' },
              { header: '往返', format: 'count' },
              { header: '现行目录条目', format: 'text' },
              { header: '示例', format: 'text' },
            ],
            rows: r.types.map((x) => [
              x.label,
              x.items,
              x.rejections,
              x.negotiations,
              x.closureDisputes,
              x.returns,
              x.bounced,
              x.catalogueEntries
                .map((e) => `${e.code} ${e.name}（${ROUTE_LABELS[e.route as keyof typeof ROUTE_LABELS] ?? e.route}）`)
                .join('；') || '无',
              x.examples[0] ?? '',
            ]),
          },
        ],
      },
      {
        heading: '三、目录调整建议',
        paragraphs: r.proposals.length
          ? r.proposals.map((p, i) => `${i + 1}. ${p.text}`)
          : ['本期争议事项均少于两次，暂无目录调整建议。'],
        tables: [],
      },
    ],
  };
}
