/**
 * 接话能力规划: agents needed per half hour (Erlang C) for a target service level, from the period's call
 * records (plan 二(三)6: 提升应急状态下接话能力); and the 110 minimum of full-time call-takers at 1.5 % of
 * average daily inbound (plan 二(四)9).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Card, Col, DatePicker, InputNumber, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { get } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDuration } from '../../shared/format.ts';
import { messageOf, pct } from './labels.ts';
import type { Capacity } from './types.ts';

export function CapacityPage() {
  const { desk } = useAuth();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().subtract(28, 'day').startOf('day'),
    dayjs().startOf('day'),
  ]);
  const [level, setLevel] = useState(80);
  const [target, setTarget] = useState(15);
  const [data, setData] = useState<Capacity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void get<Capacity>('/api/telephony/capacity', {
      from: range[0].toISOString(),
      to: range[1].toISOString(),
      serviceLevel: level / 100,
      targetSeconds: target,
    })
      .then((r) => {
        setData(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [range, level, target]);
  useEffect(load, [load]);
  const max = Math.max(1, ...(data?.intervals.map((i) => i.agents) ?? []));
  return (
    <Card size="small">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].startOf('day')])}
          />
          <span>
            目标：
            <InputNumber
              min={50}
              max={99}
              value={level}
              onChange={(v) => v && setLevel(v)}
              addonAfter="%"
              style={{ width: 100 }}
            />
            的来电在
            <InputNumber
              min={5}
              max={120}
              value={target}
              onChange={(v) => v && setTarget(v)}
              addonAfter="秒"
              style={{ width: 100 }}
            />
            内接通
          </span>
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        {data && (
          <>
            <Row gutter={12}>
              <Col flex="1">
                <Card size="small">
                  <Statistic title="评估天数 / 话单" value={`${data.days} 天 / ${data.records} 条`} />
                </Card>
              </Col>
              <Col flex="1">
                <Card size="small">
                  <Statistic title="日均呼入" value={data.averageDailyInbound} />
                </Card>
              </Col>
              <Col flex="1">
                <Card size="small">
                  <Statistic title="高峰所需坐席" value={data.peakAgents} data-testid="peak-agents" />
                </Card>
              </Col>
              {desk?.desk !== 'hotline' && (
                <Col flex="1">
                  <Card size="small">
                    <Statistic title="110专职接警人员不少于（日均呼入1.5%）" value={data.required110CallTakers} />
                  </Card>
                </Col>
              )}
            </Row>
            <Typography.Text type="secondary">
              按 Erlang C 计算，每半小时的来电量与平均处理时长取评估期内的平均日。
            </Typography.Text>
            <Table
              size="small"
              rowKey="start"
              pagination={false}
              dataSource={data.intervals}
              data-testid="capacity"
              scroll={{ y: 480 }}
              columns={[
                { title: '时段', dataIndex: 'start', width: 80 },
                { title: '来电（平均）', dataIndex: 'calls', width: 110 },
                { title: '平均处理时长', dataIndex: 'ahtSeconds', width: 120, render: (s: number) => fmtDuration(s) },
                {
                  title: '所需坐席',
                  dataIndex: 'agents',
                  render: (n: number) => (
                    <Space>
                      <div
                        style={{ width: `${(n / max) * 160}px`, height: 10, background: '#1677ff', borderRadius: 2 }}
                      />
                      {n}
                    </Space>
                  ),
                },
                { title: '预计接通率', dataIndex: 'serviceLevel', width: 110, render: (x: number) => pct(x) },
                { title: '坐席占用率', dataIndex: 'occupancy', width: 110, render: (x: number) => pct(x) },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
