/**
 * Overview: today's and this month's volumes, transfers each way, acceptance and feedback times,
 * rejection and return reasons, Chongqing's districts coloured by volume, and trends by category.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Segmented, Spin, Statistic, Table } from 'antd';
import { get } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDuration } from '../../shared/format.ts';
import { usePeerLabel } from '../bridge/linkage-labels.ts';
import { EChart, echarts } from './EChart.tsx';

interface Overview {
  generatedAt: string;
  volumes: {
    today: { workOrders: number; incidents: number };
    month: { workOrders: number; incidents: number };
    urgentThisMonth: number;
    overdueOpen: number;
  };
  transfers: { direction: 'sent' | 'received'; peer: string; today: number; month: number }[];
  linkageTimes: {
    direction: 'sent' | 'received';
    accepted: number;
    acceptSecondsP50: number | null;
    acceptSecondsP90: number | null;
    feedback: number;
    feedbackSecondsP50: number | null;
    feedbackSecondsP90: number | null;
    acceptOverdue: number;
  }[];
  rejectionReasons: { code: string; label: string; count: number }[];
  returnReasons: { code: string; label: string; count: number }[];
  districts: { code: string; name: string; workOrders: number; incidents: number }[];
  trends: {
    workOrders: { day: string; label: string; count: number }[];
    incidents: { day: string; label: string; count: number }[];
  };
}

let mapLoaded: Promise<void> | null = null;
/** The district boundaries the project ships (public/geo, from ECharts 4.9.0's map, names updated). */
function loadMap(): Promise<void> {
  mapLoaded ??= fetch('/geo/chongqing-districts.json')
    .then((r) => r.json())
    .then((geo) => {
      echarts.registerMap('chongqing', geo);
    })
    .catch((e: unknown) => {
      mapLoaded = null;
      throw e;
    }); // a failed load is tried again next time
  return mapLoaded;
}

const dur = (s: number | null) => (s === null ? '—' : fmtDuration(s));

export function Dashboard() {
  const { desk } = useAuth();
  const peerLabel = usePeerLabel();
  const [o, setO] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mapReady, setMapReady] = useState(false);
  const [measure, setMeasure] = useState<'workOrders' | 'incidents'>(
    desk?.desk === 'dispatch' ? 'incidents' : 'workOrders',
  );
  useEffect(() => {
    const load = () =>
      get<Overview>('/api/analytics/overview')
        .then((x) => {
          setO(x);
          setError(null);
        })
        .catch((e: Error) => setError(e.message));
    void load();
    const t = setInterval(load, 60_000);
    void loadMap()
      .then(() => setMapReady(true))
      .catch(() => setError('区县边界文件加载失败'));
    return () => clearInterval(t);
  }, []);

  const mapOption = useMemo(() => {
    if (!o) return {};
    const values = o.districts.map((d) => ({ name: d.name, value: d[measure] }));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number }) =>
          `${p.name}<br/>本月${measure === 'workOrders' ? '工单' : '警情'}：${Number.isFinite(p.value) ? p.value : 0}`,
      },
      visualMap: {
        min: 0,
        max: Math.max(1, ...values.map((v) => v.value)),
        left: 8,
        bottom: 8,
        text: ['多', '少'],
        calculable: true,
        inRange: { color: ['#e6f0ff', '#6ea1ec', '#1f5fbf', '#0b2f6b'] },
      },
      series: [
        {
          type: 'map',
          map: 'chongqing',
          roam: true,
          nameProperty: 'name',
          data: values,
          label: { show: false },
          emphasis: { label: { show: true } },
        },
      ],
    };
  }, [o, measure]);

  const trendOption = useMemo(() => {
    if (!o) return {};
    const rows = measure === 'workOrders' ? o.trends.workOrders : o.trends.incidents;
    const days = [...new Set(rows.map((r) => r.day))].sort();
    const labels = [...new Set(rows.map((r) => r.label))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: labels.map((l) => ({
        name: l,
        type: 'line',
        smooth: true,
        showSymbol: false,
        data: days.map((d) => rows.find((r) => r.day === d && r.label === l)?.count ?? 0),
      })),
    };
  }, [o, measure]);

  const pie = (rows: { label: string; count: number }[]) => ({
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0, type: 'scroll', itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'pie',
        radius: ['32%', '58%'],
        center: ['50%', '42%'],
        data: rows.map((r) => ({ name: r.label, value: r.count })),
        label: { show: true, position: 'inside', formatter: '{c}' },
      },
    ],
  });
  const rejectOption = useMemo(() => pie(o?.rejectionReasons ?? []), [o]);
  const returnOption = useMemo(() => pie(o?.returnReasons ?? []), [o]);

  if (error && !o) return <Alert type="error" showIcon title={error} />;
  if (!o) return <Spin />;
  const sent = o.transfers.filter((t) => t.direction === 'sent');
  const received = o.transfers.filter((t) => t.direction === 'received');
  const sum = (xs: typeof sent, k: 'today' | 'month') => xs.reduce((s, x) => s + x[k], 0);
  // Each desk counts its own business; a combined deployment shows both.
  const showOrders = desk?.desk !== 'dispatch',
    showIncidents = desk?.desk !== 'hotline';
  const cards: { title: string; value: number | string; alert?: boolean }[] = [
    ...(showOrders
      ? [
          { title: '今日工单', value: o.volumes.today.workOrders },
          { title: '本月工单', value: o.volumes.month.workOrders },
        ]
      : []),
    ...(showIncidents
      ? [
          { title: '今日警情', value: o.volumes.today.incidents },
          { title: '本月警情', value: o.volumes.month.incidents },
        ]
      : []),
    { title: '今日转出 / 转入', value: `${sum(sent, 'today')} / ${sum(received, 'today')}` },
    { title: '本月转出 / 转入', value: `${sum(sent, 'month')} / ${sum(received, 'month')}` },
    ...(showOrders
      ? [
          { title: '本月紧急工单', value: o.volumes.urgentThisMonth },
          { title: '在办超期工单', value: o.volumes.overdueOpen, alert: o.volumes.overdueOpen > 0 },
        ]
      : []),
  ].slice(0, 6);
  return (
    <div data-testid="dashboard">
      <Row gutter={[12, 12]}>
        {cards.map((c) => (
          <Col key={c.title} xs={12} lg={4}>
            <Card size="small">
              <Statistic
                title={c.title}
                value={c.value}
                styles={c.alert ? { content: { color: '#cf1322' } } : undefined}
              />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title="各区县本月受理量"
            extra={
              desk?.desk === 'both' && (
                <Segmented
                  size="small"
                  value={measure}
                  onChange={(v) => setMeasure(v as typeof measure)}
                  options={[
                    { value: 'workOrders', label: '工单' },
                    { value: 'incidents', label: '警情' },
                  ]}
                />
              )
            }
          >
            {mapReady ? <EChart option={mapOption} className="map-box" testId="district-map" /> : <Spin />}
          </Card>
          <Card
            size="small"
            style={{ marginTop: 12 }}
            title={`近30天分类趋势（${measure === 'workOrders' ? '工单' : '警情'}）`}
          >
            <EChart option={trendOption} className="chart-box" testId="trend-chart" />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="双向转接与时效（近30天）" style={{ marginBottom: 12 }}>
            <Table
              size="small"
              pagination={false}
              rowKey={(r) => `${r.direction}-${r.peer}`}
              data-testid="transfer-table"
              dataSource={o.transfers}
              columns={[
                {
                  title: '方向',
                  render: (_, r) =>
                    r.direction === 'sent' ? `本方 → ${peerLabel(r.peer)}` : `${peerLabel(r.peer)} → 本方`,
                },
                { title: '今日', dataIndex: 'today', width: 60 },
                { title: '本月', dataIndex: 'month', width: 60 },
              ]}
            />
            <Table
              size="small"
              pagination={false}
              rowKey="direction"
              style={{ marginTop: 8 }}
              dataSource={o.linkageTimes}
              columns={[
                { title: '', render: (_, r) => (r.direction === 'sent' ? '本方发起' : '对方转入') },
                { title: '签收用时中位', render: (_, r) => dur(r.acceptSecondsP50) },
                { title: '签收P90', render: (_, r) => dur(r.acceptSecondsP90) },
                { title: '反馈用时中位', render: (_, r) => dur(r.feedbackSecondsP50) },
                { title: '超时未签', dataIndex: 'acceptOverdue', width: 70 },
              ]}
            />
          </Card>
          <Card size="small" title="拒收与退单原因（近30天）">
            <Row>
              <Col span={12}>
                <div className="chart-caption">对接拒收原因</div>
                {o.rejectionReasons.length ? (
                  <EChart option={rejectOption} className="pie-box" testId="reject-chart" />
                ) : (
                  <Empty description="近30天无拒收" />
                )}
              </Col>
              <Col span={12}>
                <div className="chart-caption">工单退单原因</div>
                {o.returnReasons.length ? (
                  <EChart option={returnOption} className="pie-box" testId="return-chart" />
                ) : (
                  <Empty description="近30天无退单" />
                )}
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
