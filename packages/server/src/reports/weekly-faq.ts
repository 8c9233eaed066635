/**
 * 每周高频咨询 (plan task 8: 每周汇总企业和群众高频咨询类问题): the period's consultation requests (12345
 * work orders of type 咨询, the desk's own or through the share feed), their texts masked, segmented by
 * jieba and clustered by TF-IDF (domain `clusterTopics`), each cluster named by its top terms, with its
 * count, its share, its count per day and its trend against the period before (the same clusters, the
 * earlier texts assigned by the same rule). The clusters have the shape the knowledge base's
 * ConsultationCluster reads.
 */
import {
  beijingDate,
  clusterTopics,
  maskShareText,
  previousPeriod,
  questionOf,
  topicTerms,
  trendOf,
  TREND_LABELS,
  type Period,
} from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { segmentWords } from '../knowledge/analyzer.ts';
import { chineseDate, docNumber, exerciseNote, ISSUER, periodJson } from './common.ts';
import type { ReportDocument } from './document.ts';
import { ownKinds, type ReportDesk } from './monthly.service.ts';

/** A cluster with fewer requests than this is not high-frequency. */
export const FAQ_MIN_COUNT = 2;
/** At most this many clusters in the report. */
export const FAQ_TOP = 20;

async function consultations(db: Db, desk: ReportDesk, p: { from: Date; to: Date }) {
  return (
    await db.query<{ received_at: Date; text: string; category: string | null; own: boolean; order_id: string | null }>(
      `SELECT r.received_at, r.content AS text, w.category_code AS category, true AS own, w.id::text AS order_id
       FROM work_orders w JOIN requests r ON r.id = w.request_id
       WHERE 'work_order' = ANY($3::text[]) AND w.order_type = 'consultation' AND NOT r.exercise
         AND r.received_at >= $1 AND r.received_at < $2
       UNION ALL
       SELECT received_at, text, category, false, NULL FROM shared_records
       WHERE kind = 'work_order' AND NOT ('work_order' = ANY($3::text[])) AND type = 'consultation' AND NOT exercise
         AND received_at >= $1 AND received_at < $2
       ORDER BY 1`,
      [p.from, p.to, ownKinds(desk.desk)],
    )
  ).rows;
}

/** The Beijing days of a period, in order. */
function daysOf(p: { from: Date; to: Date }): string[] {
  const out: string[] = [];
  for (let t = p.from.getTime(); t < p.to.getTime(); t += 86_400_000) out.push(beijingDate(new Date(t)));
  return out;
}

/** A cluster as the knowledge base links it: its words and the desk's own orders among its requests. */
export interface FaqClusterToLink {
  label: string;
  terms: string[];
  examples: string[];
  orderIds: string[];
}

/**
 * Links each cluster to the article that answered it, or to none and the draft-article task (待补知识)
 * made for it (the knowledge module's KnowledgeTasks; absent when the report runs without it).
 */
export interface FaqLinker {
  link(period: string, clusters: FaqClusterToLink[]): Promise<FaqLink[]>;
}
export interface FaqLink {
  answer: { articleId: string; version: number; title: string; via: 'used' | 'search'; uses: number } | null;
  task: { id: string; status: string; statusLabel: string; dueAt: string; owner: string; overdue: boolean } | null;
}

export async function weeklyFaqReport(db: Db, desk: ReportDesk, period: Period, linker?: FaqLinker) {
  const prev = previousPeriod(period);
  const [rows, before, exercise, cats] = await Promise.all([
    consultations(db, desk, period),
    consultations(db, desk, prev),
    exerciseNote(db, desk, period),
    db.query<{ code: string; name: string }>('SELECT code, name FROM catalogue_categories'),
  ]);
  const catName = new Map(cats.rows.map((c) => [c.code, c.name]));
  // the desk's own texts are masked as the feed masks them before anything reads them
  const texts = rows.map((r) => (r.own ? maskShareText(r.text) : r.text));
  // the topic is read from the question, not the recorder's opening (市民来电称，咨询…)
  const terms = texts.map((t) => topicTerms(segmentWords(questionOf(t))));
  const model = clusterTopics(terms);
  const previousCounts = new Map<number, number>();
  for (const r of before) {
    const c = model.assign(topicTerms(segmentWords(questionOf(r.own ? maskShareText(r.text) : r.text))));
    if (c >= 0) previousCounts.set(c, (previousCounts.get(c) ?? 0) + 1);
  }
  const days = daysOf(period);
  const clusters = model.clusters
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.members.length >= FAQ_MIN_COUNT)
    .sort((a, b) => b.c.members.length - a.c.members.length || a.i - b.i)
    .slice(0, FAQ_TOP)
    .map(({ c, i }, rank) => {
      const count = c.members.length,
        previous = previousCounts.get(i) ?? 0;
      const perDay = new Map<string, number>();
      const byCat = new Map<string, number>();
      for (const m of c.members) {
        const day = beijingDate(rows[m]!.received_at);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
        const cat = rows[m]!.category;
        if (cat) byCat.set(cat, (byCat.get(cat) ?? 0) + 1);
      }
      const categoryCode = [...byCat].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
      const trend = trendOf(count, previous);
      return {
        key: `${period.key}:${rank + 1}`,
        period: period.key,
        label: c.terms.join('·'),
        terms: c.terms,
        count,
        share: rows.length ? Math.round((count / rows.length) * 10_000) / 10_000 : null,
        previous,
        change: previous ? Math.round(((count - previous) / previous) * 10_000) / 10_000 : null,
        trend,
        trendLabel: TREND_LABELS[trend],
        daily: days.map((day) => ({ day, count: perDay.get(day) ?? 0 })),
        examples: [...new Set(c.members.map((m) => texts[m]!))].slice(0, 3),
        orderIds: c.members.map((m) => rows[m]!.order_id).filter((id): id is string => id !== null),
        categoryCode,
        categoryName: categoryCode ? (catName.get(categoryCode) ?? categoryCode) : null,
      };
    });
  const links: (FaqLink | null)[] = linker ? await linker.link(period.key, clusters) : clusters.map(() => null);
  const linked = clusters.map(({ orderIds: _ids, ...c }, i) => ({
    ...c,
    answer: links[i]?.answer ?? null,
    task: links[i]?.task ?? null,
  }));
  return {
    name: 'weekly-faq' as const,
    title: '12345热线每周高频咨询问题汇总',
    desk: desk.deskId,
    period: periodJson(period),
    previous: { key: prev.key, label: prev.label },
    generatedAt: new Date().toISOString(),
    exercise,
    method:
      '咨询类工单文本去标识化后以 jieba 分词，按 TF-IDF 向量聚类（余弦相似度不低于0.3归入同一主题），以主题高频词命名',
    total: rows.length,
    previousTotal: before.length,
    inClusters: clusters.reduce((s, c) => s + c.count, 0),
    minCount: FAQ_MIN_COUNT,
    /** Whether the clusters were linked to the knowledge base (the 12345 desk's report). */
    linked: linker !== undefined,
    answered: linked.filter((c) => c.answer).length,
    clusters: linked,
  };
}

export type WeeklyFaqData = Awaited<ReturnType<typeof weeklyFaqReport>>;

/** The cluster's article, or the task made for it. */
function linkText(c: WeeklyFaqData['clusters'][number]): string {
  if (c.answer) return `${c.answer.title}（${c.answer.via === 'used' ? `答复${c.answer.uses}次` : '检索可答'}）`;
  if (c.task) return `无：待补知识，${c.task.owner}，${beijingDate(new Date(c.task.dueAt))}前，${c.task.statusLabel}`;
  return '无';
}

export function weeklyFaqDocument(r: WeeklyFaqData): ReportDocument {
  return {
    title: r.title,
    docNo: docNumber('联动咨', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、总体情况',
        paragraphs: [
          `${r.period.label}，受理咨询类诉求${r.total}件（上期${r.previousTotal}件），归入${r.clusters.length}个高频主题的${r.inClusters}件。`,
          `${r.method}；${r.minCount}件以上的主题列为高频。`,
          ...(r.linked
            ? [
                `${r.answered}个主题有知识库中的知识答复，${r.clusters.length - r.answered}个主题无对应知识，列为待补知识，由主管部门限期起草。`,
              ]
            : []),
          r.exercise.note,
        ],
        tables: [],
      },
      {
        heading: '二、高频咨询主题',
        paragraphs: r.clusters.length
          ? r.clusters.map(
              (c, i) =>
                `${i + 1}. “${c.label}”${c.count}件（上期${c.previous}件，${c.trendLabel}）${c.examples[0] ? `，如：${c.examples[0]}` : ''}`,
            )
          : ['本期无高频咨询主题。'],
        tables: [
          {
            sheet: '高频咨询',
            caption: '表1 高频咨询主题',
            columns: [
              { header: '主题', format: 'text' },
              { header: '咨询量', format: 'count' },
              { header: '占比', format: 'rate' },
              { header: '上期', format: 'count' },
              { header: '环比', format: 'change' },
              { header: '趋势', format: 'text' },
              { header: '主要分类', format: 'text' },
              { header: '示例', format: 'text' },
              ...(r.linked ? [{ header: '对应知识', format: 'text' as const }] : []),
            ],
            rows: r.clusters.map((c) => [
              c.label,
              c.count,
              c.share,
              c.previous,
              c.change,
              c.trendLabel,
              c.categoryName ?? '',
              c.examples[0] ?? '',
              ...(r.linked ? [linkText(c)] : []),
            ]),
          },
        ],
      },
    ],
  };
}
