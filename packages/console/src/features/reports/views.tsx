/** Each report's page: its figures as the API gives them, charts by ECharts, tables that fit the page. */
import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Empty, Input, Modal, Row, Statistic, Table, Tag, Typography } from 'antd';
import { errorText, post } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDuration, fmtTime } from '../../shared/format.ts';
import { EChart } from '../analytics/EChart.tsx';

export type ReportName =
  'monthly' | 'quarterly' | 'annual' | 'weekly-faq' | 'hotspots' | 'police-figures' | 'harassment';

type Unit = 'count' | 'seconds' | 'rate';
interface Figure {
  key: string;
  label: string;
  unit: Unit;
  value: number | null;
  previous?: number | null;
  lastYear: number | null;
  mom?: number | null;
  yoy: number | null;
}
interface Common {
  period: { key: string; label: string };
  exercise: { note: string };
}
interface Monthly extends Common {
  headline: Figure[];
  previous: { label: string };
  lastYear: { label: string };
  districts: { code: string; name: string; current: { workOrders: number; incidents: number } }[];
  rejections: { byReason: { code: string; label: string; count: number }[] };
}
interface Annual extends Monthly {
  months: { key: string; label: string; values: Record<string, number | null> }[];
}
interface Quarterly extends Common {
  totals: Record<string, number>;
  types: {
    type: string;
    label: string;
    items: number;
    rejections: number;
    negotiations: number;
    closureDisputes: number;
    returns: number;
    bounced: number;
    catalogueEntries: { code: string; name: string }[];
    proposal: { text: string } | null;
  }[];
  negotiationOutcomes: { code: string; label: string; count: number }[];
}
interface Faq extends Common {
  total: number;
  previousTotal: number;
  clusters: {
    key: string;
    label: string;
    count: number;
    previous: number;
    trendLabel: string;
    trend: string;
    examples: string[];
    daily: { day: string; count: number }[];
  }[];
}
interface Hotspots extends Common {
  places: { key: string; label: string; count: number; workOrders: number; incidents: number }[];
  spikes: { dimension: string; key: string; label: string; count: number; baselineMean: number; why: string }[];
  repeatRisks: {
    dimension: 'place' | 'caller' | 'street';
    key: string;
    label: string;
    districtName: string | null;
    complaints: number;
    disputes: number;
    why: string;
  }[];
  method: { baseline: string; pseudonyms: string };
}
interface Police extends Common {
  valid: number;
  stationShare: number | null;
  tiers: { tier: string; label: string; count: number }[];
  districts: {
    code: string | null;
    name: string;
    valid: number;
    stationShare: number | null;
    meetsTarget: boolean | null;
  }[];
  staffing: {
    days: { day: string; inboundCalls: number; required: number; onDuty: number | null; met: boolean | null }[];
    daysShort: string[];
  } | null;
}
interface Harassment extends Common {
  total: number;
  numbers: {
    callerRef: string | null;
    label: string;
    calls: number;
    harassment: number;
    invalid: number;
    ownCalls: number;
    peerCalls: number;
    last: string;
    onWatchList: boolean;
    confirmable: boolean;
    history: { at: string; label: string; text: string }[];
  }[];
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const signed = (x: number | null | undefined, unit: Unit) =>
  x === null || x === undefined
    ? '—'
    : unit === 'rate'
      ? `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}个百分点`
      : `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
const value = (x: number | null | undefined, unit: Unit) =>
  x === null || x === undefined ? '—' : unit === 'rate' ? pct(x) : unit === 'seconds' ? fmtDuration(x) : String(x);

const bar = (labels: string[], series: { name: string; data: number[]; stack?: string }[], horizontal = false) => ({
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: { left: horizontal ? 120 : 40, right: 16, top: 32, bottom: horizontal ? 16 : 48 },
  [horizontal ? 'yAxis' : 'xAxis']: {
    type: 'category',
    data: labels,
    inverse: horizontal,
    axisLabel: horizontal ? { width: 110, overflow: 'truncate' } : { interval: 0, rotate: 30 },
  },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  series: series.map((s) => ({ type: 'bar', ...s })),
});

function Note({ r }: { r: Common }) {
  return (
    <Typography.Paragraph type="secondary" data-testid="exercise-note" style={{ marginTop: 8 }}>
      {r.exercise.note}
    </Typography.Paragraph>
  );
}

function Headline({ figures, compare }: { figures: Figure[]; compare: 'both' | 'year' }) {
  return (
    <Table<Figure>
      size="small"
      rowKey="key"
      data-testid="headline-table"
      pagination={false}
      dataSource={figures}
      columns={[
        { title: '指标', dataIndex: 'label', ellipsis: true },
        { title: '本期', render: (_v, f) => value(f.value, f.unit), width: 110 },
        ...(compare === 'both'
          ? [
              { title: '上期', render: (_v: unknown, f: Figure) => value(f.previous, f.unit), width: 110 },
              { title: '环比', render: (_v: unknown, f: Figure) => signed(f.mom, f.unit), width: 130 },
            ]
          : []),
        { title: '去年同期', render: (_v, f) => value(f.lastYear, f.unit), width: 110 },
        { title: '同比', render: (_v, f) => signed(f.yoy, f.unit), width: 130 },
      ]}
    />
  );
}

function MonthlyView({ r }: { r: Monthly }) {
  const f = (k: string) => r.headline.find((x) => x.key === k);
  const top = useMemo(
    () =>
      [...r.districts]
        .sort((a, b) => b.current.workOrders + b.current.incidents - (a.current.workOrders + a.current.incidents))
        .slice(0, 12),
    [r],
  );
  const cards = ['transfers.sent', 'transfers.received', 'closedLoopRate', 'rejections', 'satisfactionRate']
    .map(f)
    .filter((x): x is Figure => Boolean(x));
  return (
    <Row gutter={[12, 12]}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} lg={Math.floor(24 / cards.length)}>
          <Card size="small">
            <Statistic title={c.label} value={value(c.value, c.unit)} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              环比 {signed(c.mom, c.unit)}
            </Typography.Text>
          </Card>
        </Col>
      ))}
      <Col xs={24} lg={14}>
        <Card size="small" title="各区县工单与警情">
          <EChart
            className="chart-box"
            testId="district-chart"
            option={bar(
              top.map((d) => d.name),
              [
                { name: '工单', data: top.map((d) => d.current.workOrders), stack: 'n' },
                { name: '警情', data: top.map((d) => d.current.incidents), stack: 'n' },
              ],
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title="拒收原因">
          {r.rejections.byReason.length ? (
            <EChart
              className="chart-box"
              testId="reject-chart"
              option={{
                tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
                legend: { bottom: 0, type: 'scroll' },
                series: [
                  {
                    type: 'pie',
                    radius: ['30%', '58%'],
                    center: ['50%', '44%'],
                    data: r.rejections.byReason.map((x) => ({ name: x.label, value: x.count })),
                  },
                ],
              }}
            />
          ) : (
            <Empty description="本期无拒收" />
          )}
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={`主要指标（上期${r.previous.label}，去年同期${r.lastYear.label}）`}>
          <Headline figures={r.headline} compare="both" />
          <Note r={r} />
        </Card>
      </Col>
    </Row>
  );
}

const ANNUAL_LINES = [
  ['workOrders', '工单'],
  ['incidents', '警情'],
  ['transfers.sent', '转出事项'],
  ['transfers.received', '转入事项'],
] as const;

function AnnualView({ r }: { r: Annual }) {
  return (
    <Row gutter={[12, 12]}>
      <Col span={24}>
        <Card size="small" title="逐月情况">
          <EChart
            className="chart-box"
            testId="months-chart"
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 40, right: 16, top: 32, bottom: 24 },
              xAxis: { type: 'category', data: r.months.map((m) => m.label) },
              yAxis: { type: 'value', minInterval: 1 },
              series: ANNUAL_LINES.map(([k, name]) => ({
                name,
                type: 'line',
                data: r.months.map((m) => m.values[k] ?? 0),
              })),
            }}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={`主要指标（同比为与${r.lastYear.label}相比）`}>
          <Headline figures={r.headline} compare="year" />
          <Note r={r} />
        </Card>
      </Col>
    </Row>
  );
}

function QuarterlyView({ r }: { r: Quarterly }) {
  const types = r.types.slice(0, 12);
  return (
    <Row gutter={[12, 12]}>
      {(
        [
          ['disputedItems', '争议事项'],
          ['rejections', '拒收'],
          ['negotiations', '协商'],
          ['returns', '退单'],
          ['bounced', '往返两次以上'],
        ] as const
      ).map(([k, label]) => (
        <Col key={k} xs={12} lg={4}>
          <Card size="small">
            <Statistic title={label} value={r.totals[k] ?? 0} />
          </Card>
        </Col>
      ))}
      <Col span={24}>
        <Card size="small" title="高频争议事项">
          {types.length ? (
            <EChart
              className="chart-box"
              testId="disputes-chart"
              option={bar(
                types.map((t) => t.label),
                [
                  { name: '拒收', data: types.map((t) => t.rejections), stack: 'n' },
                  { name: '协商', data: types.map((t) => t.negotiations), stack: 'n' },
                  { name: '闭环异议', data: types.map((t) => t.closureDisputes), stack: 'n' },
                  { name: '退单', data: types.map((t) => t.returns), stack: 'n' },
                ],
                true,
              )}
            />
          ) : (
            <Empty description="本期无争议事项" />
          )}
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="会商议题与目录调整建议">
          <Table
            size="small"
            rowKey="type"
            data-testid="disputes-table"
            pagination={false}
            dataSource={r.types}
            columns={[
              { title: '事项类型', dataIndex: 'label', width: 150, ellipsis: true },
              { title: '事项', dataIndex: 'items', width: 60 },
              { title: '拒收', dataIndex: 'rejections', width: 60 },
              { title: '协商', dataIndex: 'negotiations', width: 60 },
              { title: '退单', dataIndex: 'returns', width: 60 },
              {
                title: '现行目录条目',
                width: 220,
                ellipsis: true,
                render: (_v, t) => t.catalogueEntries.map((e) => e.name).join('；') || '无',
              },
              { title: '建议', ellipsis: true, render: (_v, t) => t.proposal?.text ?? '—' },
            ]}
          />
          <Note r={r} />
        </Card>
      </Col>
    </Row>
  );
}

function FaqView({ r }: { r: Faq }) {
  const days = r.clusters[0]?.daily.map((d) => d.day.slice(5)) ?? [];
  return (
    <Row gutter={[12, 12]}>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic title="咨询类诉求" value={r.total} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            上期 {r.previousTotal}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic title="高频主题" value={r.clusters.length} />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="高频咨询主题（本期与上期）">
          {r.clusters.length ? (
            <EChart
              className="chart-box"
              testId="faq-chart"
              option={bar(
                r.clusters.map((c) => c.label),
                [
                  { name: '本期', data: r.clusters.map((c) => c.count) },
                  { name: '上期', data: r.clusters.map((c) => c.previous) },
                ],
                true,
              )}
            />
          ) : (
            <Empty description="本期无高频咨询主题" />
          )}
        </Card>
      </Col>
      {r.clusters.length > 0 && days.length > 1 && (
        <Col span={24}>
          <Card size="small" title="每日咨询量（前五个主题）">
            <EChart
              className="chart-box"
              testId="faq-daily-chart"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0, type: 'scroll' },
                grid: { left: 40, right: 16, top: 32, bottom: 24 },
                xAxis: { type: 'category', data: days },
                yAxis: { type: 'value', minInterval: 1 },
                series: r.clusters.slice(0, 5).map((c) => ({
                  name: c.label,
                  type: 'line',
                  data: c.daily.map((d) => d.count),
                })),
              }}
            />
          </Card>
        </Col>
      )}
      <Col span={24}>
        <Card size="small" title="主题明细">
          <Table
            size="small"
            rowKey="key"
            data-testid="faq-table"
            pagination={false}
            dataSource={r.clusters}
            columns={[
              { title: '主题', dataIndex: 'label', width: 200, ellipsis: true },
              { title: '咨询量', dataIndex: 'count', width: 80 },
              { title: '上期', dataIndex: 'previous', width: 70 },
              {
                title: '趋势',
                width: 80,
                render: (_v, c) => (
                  <Tag color={c.trend === 'up' || c.trend === 'new' ? 'red' : c.trend === 'down' ? 'green' : 'default'}>
                    {c.trendLabel}
                  </Tag>
                ),
              },
              { title: '示例', ellipsis: true, render: (_v, c) => c.examples[0] ?? '' },
            ]}
          />
          <Note r={r} />
        </Card>
      </Col>
    </Row>
  );
}

const DIMENSION = { place: '同一地址', caller: '同一来电人', street: '同一街道' } as const;

function HotspotsView({ r }: { r: Hotspots }) {
  const top = r.places.slice(0, 12);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={12}>
        <Card size="small" title="热点地点（两个平台合计）">
          {top.length ? (
            <EChart
              className="chart-box"
              testId="places-chart"
              option={bar(
                top.map((p) => p.label),
                [
                  { name: '12345工单', data: top.map((p) => p.workOrders), stack: 'n' },
                  { name: '110警情', data: top.map((p) => p.incidents), stack: 'n' },
                ],
                true,
              )}
            />
          ) : (
            <Empty description="本期无记录" />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="突增预警" data-testid="spikes">
          {r.spikes.length ? (
            <Table
              size="small"
              rowKey={(s) => `${s.dimension}:${s.key}`}
              pagination={{ pageSize: 6, size: 'small' }}
              dataSource={r.spikes}
              columns={[
                { title: '地点或主题', dataIndex: 'label', width: 150, ellipsis: true },
                { title: '本期', dataIndex: 'count', width: 60 },
                { title: '原因', dataIndex: 'why', ellipsis: true },
              ]}
            />
          ) : (
            <Empty description="本期无相对自身基线的突增" />
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {r.method.baseline}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="重复矛盾风险清单">
          <Table
            size="small"
            data-testid="risk-table"
            rowKey={(x) => `${x.dimension}:${x.key}`}
            pagination={{ pageSize: 10, size: 'small' }}
            dataSource={r.repeatRisks}
            columns={[
              { title: '类型', width: 100, render: (_v, x) => DIMENSION[x.dimension] },
              { title: '对象', dataIndex: 'label', width: 260, ellipsis: true },
              { title: '区县', dataIndex: 'districtName', width: 100, ellipsis: true },
              { title: '投诉', dataIndex: 'complaints', width: 60 },
              { title: '纠纷警情', dataIndex: 'disputes', width: 80 },
              { title: '研判', dataIndex: 'why', ellipsis: true },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            {r.method.pseudonyms}。
          </Typography.Paragraph>
          <Note r={r} />
        </Card>
      </Col>
    </Row>
  );
}

function PoliceView({ r }: { r: Police }) {
  const ds = r.districts.slice(0, 20);
  return (
    <Row gutter={[12, 12]}>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic title="有效警情" value={r.valid} />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic
            title="派出所处警占比（目标不高于50%）"
            value={pct(r.stationShare)}
            styles={r.stationShare !== null && r.stationShare > 0.5 ? { content: { color: '#cf1322' } } : undefined}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="各层级处警">
          <EChart
            className="pie-box"
            testId="tier-chart"
            option={{
              tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
              legend: { right: 0, orient: 'vertical' },
              series: [
                {
                  type: 'pie',
                  radius: ['30%', '62%'],
                  center: ['40%', '50%'],
                  data: r.tiers.filter((t) => t.count).map((t) => ({ name: t.label, value: t.count })),
                },
              ],
            }}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title="各区县派出所处警占比">
          {ds.length ? (
            <EChart
              className="chart-box"
              testId="station-chart"
              option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
                grid: { left: 40, right: 16, top: 24, bottom: 48 },
                xAxis: { type: 'category', data: ds.map((d) => d.name), axisLabel: { interval: 0, rotate: 30 } },
                yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                series: [
                  {
                    type: 'bar',
                    name: '派出所占比',
                    data: ds.map((d) => ({
                      value: d.stationShare === null ? 0 : Math.round(d.stationShare * 1000) / 10,
                      itemStyle: { color: d.meetsTarget === false ? '#cf1322' : '#1f5fbf' },
                    })),
                    markLine: { symbol: 'none', data: [{ yAxis: 50, name: '目标' }], label: { formatter: '目标50%' } },
                  },
                ],
              }}
            />
          ) : (
            <Empty description="本期无有效警情" />
          )}
        </Card>
      </Col>
      {r.staffing && (
        <Col span={24}>
          <Card size="small" title="每日接警员配置（不低于呼入量的1.5%）">
            <Table
              size="small"
              rowKey="day"
              data-testid="staffing-table"
              pagination={{ pageSize: 7, size: 'small' }}
              dataSource={r.staffing.days}
              columns={[
                { title: '日期', dataIndex: 'day' },
                { title: '呼入量', dataIndex: 'inboundCalls' },
                { title: '应配接警员', dataIndex: 'required' },
                { title: '在岗接警员', render: (_v, d) => d.onDuty ?? '未填报' },
                {
                  title: '是否达标',
                  render: (_v, d) =>
                    d.met === null ? '—' : d.met ? <Tag color="green">达标</Tag> : <Tag color="red">未达标</Tag>,
                },
              ]}
            />
          </Card>
        </Col>
      )}
      <Col span={24}>
        <Note r={r} />
      </Col>
    </Row>
  );
}

function HarassmentView({ r, onChanged }: { r: Harassment; onChanged: () => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [confirming, setConfirming] = useState<Harassment['numbers'][number] | null>(null);
  const [note, setNote] = useState('');
  const submit = async () => {
    if (!confirming?.callerRef) return;
    try {
      await post('/api/reports/harassment/watch', {
        callerRef: confirming.callerRef,
        note: note.trim(),
        period: r.period.key,
        calls: confirming.calls,
      });
      void message.success('已列入关注名单，该号码再次来电时坐席将看到提示');
      setConfirming(null);
      setNote('');
      onChanged();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Card size="small" title={`重复无效、骚扰来电号码（有来电号码的无效及骚扰报警${r.total}起）`}>
      <Table
        size="small"
        data-testid="harassment-table"
        rowKey={(n) => `${n.callerRef ?? n.label}:${n.last}`}
        pagination={{ pageSize: 10, size: 'small' }}
        dataSource={r.numbers}
        expandable={{
          expandedRowRender: (n) => (
            <ul style={{ margin: 0 }}>
              {n.history.map((h) => (
                <li key={h.at}>
                  {fmtTime(h.at)} {h.label}：{h.text}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: '号码', dataIndex: 'label', width: 220, ellipsis: true },
          { title: '合计', dataIndex: 'calls', width: 60 },
          { title: '骚扰', dataIndex: 'harassment', width: 60 },
          { title: '无效', dataIndex: 'invalid', width: 60 },
          { title: '最近一次', width: 140, render: (_v, n) => fmtTime(n.last) },
          {
            title: '关注名单',
            render: (_v, n) =>
              n.onWatchList ? (
                <Tag color="red">已列入</Tag>
              ) : can('watch_list.manage') && n.confirmable ? (
                <Button size="small" onClick={() => setConfirming(n)} data-testid="confirm-watch">
                  确认列入
                </Button>
              ) : (
                <Typography.Text type="secondary">未列入</Typography.Text>
              ),
          },
        ]}
      />
      <Note r={r} />
      <Modal
        open={confirming !== null}
        title={`列入恶意骚扰关注名单：${confirming?.label ?? ''}`}
        okText="确认列入"
        cancelText="取消"
        okButtonProps={{ disabled: !note.trim() }}
        onOk={() => void submit()}
        onCancel={() => setConfirming(null)}
      >
        <Typography.Paragraph>
          本期无效或骚扰来电 {confirming?.calls ?? 0} 次。列入后该号码来电时，坐席的来电弹屏将显示关注提示。
        </Typography.Paragraph>
        <Input.TextArea
          data-testid="watch-note"
          placeholder="确认依据（如：多次辱骂接警员）"
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

export function ReportView({ name, data, onChanged }: { name: ReportName; data: unknown; onChanged: () => void }) {
  switch (name) {
    case 'monthly':
      return <MonthlyView r={data as Monthly} />;
    case 'annual':
      return <AnnualView r={data as Annual} />;
    case 'quarterly':
      return <QuarterlyView r={data as Quarterly} />;
    case 'weekly-faq':
      return <FaqView r={data as Faq} />;
    case 'hotspots':
      return <HotspotsView r={data as Hotspots} />;
    case 'police-figures':
      return <PoliceView r={data as Police} />;
    case 'harassment':
      return <HarassmentView r={data as Harassment} onChanged={onChanged} />;
  }
}
