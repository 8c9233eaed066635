/**
 * 统计报表: the reports of both desks' data (月度通报, 季度会商清单, 年度总结, 每周高频咨询, 热点预警,
 * 110指标, 恶意骚扰) for a period the user picks (week, month, quarter, year or a range of days), drawn
 * with ECharts, and downloaded as the same .xlsx and .docx the API and `liandong report` give.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Segmented, Space, Spin, Tabs, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText, get, getBlob } from '../../api/client.ts';
import { saveBlob } from '../../shared/save-file.ts';
import { PERIOD_KIND_LABELS, PERIOD_KINDS, periodKey, periodLabel, type PeriodKind } from './period.ts';
import { ReportView, type ReportName } from './views.tsx';

const REPORTS: { name: ReportName; label: string; kind: PeriodKind; document: string }[] = [
  { name: 'monthly', label: '月度通报', kind: 'month', document: '通报' },
  { name: 'quarterly', label: '季度会商', kind: 'quarter', document: '会商清单' },
  { name: 'annual', label: '年度总结', kind: 'year', document: '总结' },
  { name: 'weekly-faq', label: '每周高频咨询', kind: 'week', document: '汇总' },
  { name: 'hotspots', label: '热点预警', kind: 'month', document: '研判' },
  { name: 'police-figures', label: '110指标', kind: 'month', document: '报告' },
  { name: 'harassment', label: '恶意骚扰', kind: 'month', document: '报告' },
];

const PICKER: Record<Exclude<PeriodKind, 'range'>, 'week' | 'month' | 'quarter' | 'year'> = {
  week: 'week',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

export function ReportsPage() {
  const { message } = App.useApp();
  const [name, setName] = useState<ReportName>('monthly');
  const [kind, setKind] = useState<PeriodKind>('month');
  const [day, setDay] = useState<Dayjs>(() => dayjs());
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs()]);
  const [data, setData] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const report = REPORTS.find((r) => r.name === name)!;
  const period = kind === 'range' ? periodKey(kind, range[0], range[1]) : periodKey(kind, day);
  const label = kind === 'range' ? periodLabel(kind, range[0], range[1]) : periodLabel(kind, day);

  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    get<unknown>(`/api/reports/${name}`, { period }, ctl.signal)
      .then((x) => setData(x))
      .catch((e: Error) => {
        if (e.name !== 'AbortError') {
          setData(null);
          setError(errorText(e));
        }
      })
      .finally(() => setLoading(false));
    return () => ctl.abort();
  }, [name, period, reload]);

  const fetchFile = async (format: 'xlsx' | 'docx') => {
    setBusy(format);
    try {
      const blob = await getBlob(`/api/reports/${name}?period=${encodeURIComponent(period)}&format=${format}`);
      saveBlob(blob, `${report.label}-${period.replace('..', '_')}.${format}`);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="reports-page">
      <Card size="small">
        <Tabs
          data-testid="report-tabs"
          activeKey={name}
          onChange={(k) => {
            const r = REPORTS.find((x) => x.name === k)!;
            setName(r.name);
            setKind(r.kind);
            setData(null);
          }}
          items={REPORTS.map((r) => ({ key: r.name, label: r.label }))}
        />
        <Space wrap size="middle">
          <Segmented
            data-testid="period-kind"
            value={kind}
            onChange={(v) => setKind(v as PeriodKind)}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: PERIOD_KIND_LABELS[k] }))}
          />
          {kind === 'range' ? (
            <DatePicker.RangePicker
              data-testid="period-range"
              allowClear={false}
              value={range}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            />
          ) : (
            <DatePicker
              data-testid="period-picker"
              picker={PICKER[kind]}
              allowClear={false}
              value={day}
              format={(v) => periodLabel(kind, v)}
              onChange={(v) => v && setDay(v)}
            />
          )}
          <Typography.Text type="secondary" data-testid="period-label">
            {label}
          </Typography.Text>
          <Button
            icon={<DownloadOutlined />}
            loading={busy === 'xlsx'}
            onClick={() => void fetchFile('xlsx')}
            data-testid="download-xlsx"
          >
            下载 Excel 表格
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={busy === 'docx'}
            onClick={() => void fetchFile('docx')}
            data-testid="download-docx"
          >
            下载{report.document}文档
          </Button>
        </Space>
      </Card>
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
      {loading && !data && (
        <div className="center" style={{ padding: 48 }}>
          <Spin />
        </div>
      )}
      {data !== null && (
        <div data-testid={`report-${name}`} style={{ marginTop: 12, opacity: loading ? 0.6 : 1 }}>
          <ReportView name={name} data={data} onChanged={() => setReload((n) => n + 1)} />
        </div>
      )}
    </div>
  );
}
