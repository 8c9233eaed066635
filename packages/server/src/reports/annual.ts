/**
 * 年度总结: the year's (or any period's) headline figures with their change from the year before, and
 * the same figures month by month — each month computed by the monthly report's own code (one snapshot
 * per month), so a month here equals that month's 通报.
 */
import { beijingDate, month, type Period } from '@liandong/domain';
import { chineseDate, docNumber, ISSUER } from './common.ts';
import { formatValue, type ColumnFormat, type ReportDocument } from './document.ts';
import type { MonthlyReport, ReportDesk } from './monthly.service.ts';

/** The calendar months (Beijing) the period touches, each cut to the period. */
export function monthsOf(p: { from: Date; to: Date }): { key: string; label: string; from: Date; to: Date }[] {
  const out = [];
  let [y, m] = beijingDate(p.from).split('-').map(Number) as [number, number];
  for (;;) {
    const mo = month(y, m);
    if (mo.from >= p.to) break;
    out.push({
      key: mo.key,
      label: mo.label,
      from: mo.from < p.from ? p.from : mo.from,
      to: mo.to > p.to ? p.to : mo.to,
    });
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** The figures the month-by-month table shows (all the headline's are in the JSON). */
const MONTHLY_COLUMNS = [
  'workOrders',
  'incidents',
  'transfers.sent',
  'transfers.received',
  'closedLoopRate',
  'rejections',
  'negotiations',
  'urgentOrders',
  'overdueOrders',
  'satisfactionRate',
];

export async function annualReport(desk: ReportDesk, monthly: MonthlyReport, period: Period) {
  const whole = await monthly.build(period);
  const months = [];
  for (const mo of monthsOf(period)) {
    const values = await monthly.values(mo);
    months.push({ key: mo.key, label: mo.label, values: Object.fromEntries(values.map((v) => [v.key, v.value])) });
  }
  return {
    name: 'annual' as const,
    title: '12345政务服务便民热线与110报警服务台对接联动年度工作总结',
    desk: desk.deskId,
    period: whole.period,
    previous: whole.previous,
    lastYear: whole.lastYear,
    generatedAt: whole.generatedAt,
    exercise: whole.exercise,
    headline: whole.headline,
    months,
    districts: whole.districts,
    rejections: whole.rejections,
    negotiations: whole.negotiations,
  };
}

export type AnnualReportData = Awaited<ReturnType<typeof annualReport>>;

const FORMAT: Record<string, ColumnFormat> = { count: 'count', seconds: 'seconds', rate: 'rate' };

export function annualDocument(r: AnnualReportData): ReportDocument {
  const f = (k: string) => r.headline.find((x) => x.key === k)!;
  const say = (k: string) => {
    const x = f(k);
    const ch = x.unit === 'rate' ? 'points' : 'change';
    return `${x.label}${formatValue(x.value, FORMAT[x.unit]!)}（同比${x.yoy === null ? '—' : formatValue(x.yoy, ch)}）`;
  };
  const cols = MONTHLY_COLUMNS.map((k) => f(k));
  return {
    title: r.title,
    docNo: docNumber('联动总', r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、全年总体情况',
        paragraphs: [
          `${r.period.label}，${['workOrders', 'incidents', 'transfers.sent', 'transfers.received'].map(say).join('；')}。`,
          `${['closedLoopRate', 'rejections', 'negotiations', 'firstReceiver', 'mediations'].map(say).join('；')}。`,
          `${['urgentOrders', 'overdueOrders', 'satisfactionRate'].map(say).join('；')}。`,
          `同比为与${r.lastYear.label}相比。${r.exercise.note}`,
        ],
        tables: [
          {
            sheet: '主要指标',
            caption: '表1 主要指标',
            columns: [
              { header: '指标', format: 'text' },
              { header: '本期', format: 'row' },
              { header: '去年同期', format: 'row' },
              { header: '同比', format: 'rowChange' },
            ],
            rows: r.headline.map((x) => [x.label, x.value, x.lastYear, x.yoy]),
            rowFormats: r.headline.map((x) => FORMAT[x.unit]!),
          },
        ],
      },
      {
        heading: '二、逐月情况',
        paragraphs: ['各月数据与当月月度通报同一口径。'],
        tables: [
          {
            sheet: '逐月',
            caption: '表2 逐月主要指标',
            columns: [
              { header: '月份', format: 'text' },
              ...cols.map((c) => ({ header: c.label, format: FORMAT[c.unit]! })),
            ],
            rows: r.months.map((m) => [m.label, ...MONTHLY_COLUMNS.map((k) => m.values[k] ?? null)]),
          },
        ],
      },
      {
        heading: '三、各区县情况',
        paragraphs: [],
        tables: [
          {
            sheet: '区县',
            caption: '表3 各区县情况',
            columns: [
              { header: '区县', format: 'text' },
              { header: '工单', format: 'count' },
              { header: '去年同期工单', format: 'count' },
              { header: '警情', format: 'count' },
              { header: '去年同期警情', format: 'count' },
              { header: '转出事项', format: 'count' },
              { header: '转入事项', format: 'count' },
              { header: '满意率', format: 'rate' },
            ],
            rows: [...r.districts]
              .sort((a, b) => b.current.workOrders - a.current.workOrders || a.code.localeCompare(b.code))
              .map((d) => [
                d.name,
                d.current.workOrders,
                d.lastYear.workOrders,
                d.current.incidents,
                d.lastYear.incidents,
                d.current.linkageSent,
                d.current.linkageReceived,
                d.current.satisfactionRate,
              ]),
          },
        ],
      },
    ],
  };
}
