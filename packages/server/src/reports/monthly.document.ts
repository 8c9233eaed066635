/** The monthly report as a 通报: the sections and tables of its .docx and .xlsx. */
import { chineseDate, docNumber as docNumberOf, ISSUER } from './common.ts';
import { formatSeconds, formatValue, type ColumnFormat, type ReportDocument } from './document.ts';
import type { Figure, MonthlyReportData } from './monthly.service.ts';

const FORMAT: Record<Figure['unit'], ColumnFormat> = { count: 'count', seconds: 'seconds', rate: 'rate' };

function says(f: Figure | undefined): string {
  if (!f) return '';
  const v = f.unit === 'seconds' ? formatSeconds(f.value) : formatValue(f.value, FORMAT[f.unit]);
  const ch = (x: number | null) => (x === null ? '—' : formatValue(x, f.unit === 'rate' ? 'points' : 'change'));
  return `${f.label}${v}（环比${ch(f.mom)}，同比${ch(f.yoy)}）`;
}

/** 文号: 联动通〔year〕N号, N the month (a monthly 通报 is one a month), the week or quarter number otherwise. */
export const docNumber = (period: MonthlyReportData['period']) => docNumberOf('联动通', period);

export function monthlyDocument(r: MonthlyReportData): ReportDocument {
  const f = (k: string) => r.headline.find((x) => x.key === k);
  const sentences = [
    ['transfers.sent', 'transfers.received', 'closedLoopRate'],
    ['acceptP50.sent', 'feedbackP50.sent', 'acceptP50.received', 'feedbackP50.received'],
    ['rejections', 'negotiations', 'firstReceiver', 'mediations'],
    ['urgentOrders', 'overdueOrders', 'satisfactionRate'],
  ].map((keys) => `${keys.map((k) => says(f(k))).join('；')}。`);
  return {
    title: r.title,
    docNo: docNumber(r.period),
    subtitle: r.period.label,
    issuer: ISSUER,
    issuedOn: chineseDate(r.generatedAt),
    sections: [
      {
        heading: '一、总体情况',
        paragraphs: [
          `${r.period.label}，${sentences[0]}`,
          ...sentences.slice(1),
          `上期为${r.previous.label}，去年同期为${r.lastYear.label}。数据来源：${r.sources.records}。${r.sources.timePrecision}`,
          r.exercise.note,
        ],
        tables: [
          {
            sheet: '主要指标',
            caption: '表1 主要指标',
            columns: [
              { header: '指标', format: 'text' },
              { header: '本期', format: 'row' },
              { header: '上期', format: 'row' },
              { header: '环比', format: 'rowChange' },
              { header: '去年同期', format: 'row' },
              { header: '同比', format: 'rowChange' },
            ],
            rows: r.headline.map((x) => [x.label, x.value, x.previous, x.mom, x.lastYear, x.yoy]),
            rowFormats: r.headline.map((x) => FORMAT[x.unit]),
          },
        ],
      },
      {
        heading: '二、双向转接与受理反馈',
        paragraphs: ['签收、反馈用时自事项发起起算；闭环率为已受理（含首接负责）事项中已反馈的比例。'],
        tables: [
          {
            sheet: '双向转接',
            caption: '表2 双向转接',
            columns: [
              { header: '方向', format: 'text' },
              { header: '事项', format: 'count' },
              { header: '已签收', format: 'count' },
              { header: '签收用时中位数', format: 'seconds' },
              { header: '签收用时P90', format: 'seconds' },
              { header: '已反馈', format: 'count' },
              { header: '反馈用时中位数', format: 'seconds' },
              { header: '反馈用时P90', format: 'seconds' },
              { header: '闭环率', format: 'rate' },
              { header: '超时未签收', format: 'count' },
              { header: '首接负责', format: 'count' },
            ],
            rows: r.transfers.map((t) => [
              t.label,
              t.items,
              t.accepted,
              t.acceptSecondsP50,
              t.acceptSecondsP90,
              t.feedback,
              t.feedbackSecondsP50,
              t.feedbackSecondsP90,
              t.closedLoopRate,
              t.acceptOverdue,
              t.firstReceiver,
            ]),
          },
        ],
      },
      {
        heading: '三、拒收、协商与退单',
        paragraphs: [
          `本期发起协商${r.negotiations.opened}次；${r.negotiations.outcomes.map((o) => `${o.label}${o.count}件`).join('，') || '无协商结果'}。`,
          ...(r.returns === null ? ['退单明细由12345平台出具。'] : []),
        ],
        tables: [
          {
            sheet: '拒收原因',
            caption: '表3 拒收原因',
            columns: [
              { header: '原因', format: 'text' },
              { header: '次数', format: 'count' },
            ],
            rows: r.rejections.byReason.map((x) => [x.label, x.count]),
          },
          {
            sheet: '拒收单位',
            caption: '表4 拒收单位',
            columns: [
              { header: '拒收方', format: 'text' },
              { header: '次数', format: 'count' },
            ],
            rows: r.rejections.byRejecter.map((x) => [x.name, x.count]),
          },
          ...(r.returns === null
            ? []
            : [
                {
                  sheet: '退单',
                  caption: '表5 承办单位退单',
                  columns: [
                    { header: '承办单位', format: 'text' as const },
                    { header: '退单原因', format: 'text' as const },
                    { header: '次数', format: 'count' as const },
                  ],
                  rows: r.returns.map((x) => [x.unitName, x.label, x.count]),
                },
              ]),
        ],
      },
      {
        heading: '四、各区县情况',
        paragraphs: ['各区县按本期工单量排序；括号内为上期与去年同期。'],
        tables: [
          {
            sheet: '区县',
            caption: '表6 各区县情况',
            columns: [
              { header: '区县', format: 'text' },
              { header: '工单', format: 'count' },
              { header: '上期工单', format: 'count' },
              { header: '去年同期工单', format: 'count' },
              { header: '警情', format: 'count' },
              { header: '上期警情', format: 'count' },
              { header: '去年同期警情', format: 'count' },
              { header: '转出事项', format: 'count' },
              { header: '转入事项', format: 'count' },
              { header: '紧急工单', format: 'count' },
              { header: '超期工单', format: 'count' },
              { header: '满意率', format: 'rate' },
              { header: '上期满意率', format: 'rate' },
            ],
            rows: [...r.districts]
              .sort((a, b) => b.current.workOrders - a.current.workOrders || a.code.localeCompare(b.code))
              .map((d) => [
                d.name,
                d.current.workOrders,
                d.previous.workOrders,
                d.lastYear.workOrders,
                d.current.incidents,
                d.previous.incidents,
                d.lastYear.incidents,
                d.current.linkageSent,
                d.current.linkageReceived,
                d.current.urgentOrders,
                d.current.overdueOrders,
                d.current.satisfactionRate,
                d.previous.satisfactionRate,
              ]),
          },
        ],
      },
      {
        heading: '五、各承办单位情况',
        paragraphs: [],
        tables: [
          {
            sheet: '承办单位',
            caption: '表7 各承办单位情况',
            columns: [
              { header: '单位', format: 'text' },
              { header: '工单', format: 'count' },
              { header: '上期工单', format: 'count' },
              { header: '去年同期工单', format: 'count' },
              { header: '警情', format: 'count' },
              { header: '超期工单', format: 'count' },
              { header: '上期超期', format: 'count' },
              { header: '满意率', format: 'rate' },
              { header: '上期满意率', format: 'rate' },
            ],
            rows: r.units.map((u) => [
              u.name,
              u.current.workOrders,
              u.previous.workOrders,
              u.lastYear.workOrders,
              u.current.incidents,
              u.current.overdueOrders,
              u.previous.overdueOrders,
              u.current.satisfactionRate,
              u.previous.satisfactionRate,
            ]),
          },
        ],
      },
    ],
  };
}
