/**
 * 话务监控 (the supervisor's wallboard): calls waiting and the longest wait per queue, answered within
 * 15 s (GB/T 33358-2016), abandoned, agents by state, open call-backs — live by server-sent events —
 * and surge mode (应急状态) per queue.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Card, Col, Row, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { api, get } from '../../api/client.ts';
import { fmtDuration, fmtTime } from '../../shared/format.ts';
import { useEventStream } from '../../shared/useEventStream.ts';
import { AGENT_STATE_COLOR, AGENT_STATE_LABEL, QUEUE_LABEL, messageOf, pct } from './labels.ts';
import type { AgentState, Wallboard } from './types.ts';

export function WallboardPage() {
  const { message } = App.useApp();
  const [board, setBoard] = useState<Wallboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void get<Wallboard>('/api/telephony/wallboard')
      .then(setBoard)
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);
  useEventStream<Wallboard>(board?.enabled ? '/api/telephony/stream' : null, 'wallboard', setBoard, load);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!board) return null;
  const surge = async (queueId: string, on: boolean) => {
    try {
      await api('PUT', `/api/telephony/queues/${queueId}/surge`, { surge: on });
      message.success(on ? '已开启应急状态' : '已关闭应急状态');
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const t = board.today;
  const byState = board.agents.reduce<Partial<Record<AgentState, number>>>(
    (m, a) => ({ ...m, [a.state]: (m[a.state] ?? 0) + 1 }),
    {},
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="wallboard">
      {!board.enabled && (
        <Alert
          type="info"
          showIcon
          message="本平台未启用话务（未设置 SIP 话务端口）"
          description="下列今日数据来自已导入的话单；排队和坐席状态需启用话务后显示。"
        />
      )}
      <Row gutter={12}>
        {[
          ['今日已结束呼入', t.offered],
          ['人工接通', t.answered],
          ['15秒内接通率', pct(t.serviceLevel)],
          ['人工接通率', pct(t.answerRate)],
          ['放弃', t.abandoned],
          ['通话中', board.talking],
          ['待回拨', board.callBacksOpen],
        ].map(([label, value]) => (
          <Col key={label} flex="1">
            <Card size="small">
              <Statistic title={label} value={value} data-testid={`stat-${label}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12}>
        {board.queues
          .filter((q) => q.id !== 'standby')
          .map((q) => (
            <Col key={q.id} span={12}>
              <Card
                size="small"
                data-testid={`queue-${q.id}`}
                title={QUEUE_LABEL[q.id] ?? q.name}
                extra={
                  <Space>
                    {q.surge && <Tag color="red">应急状态</Tag>}
                    <Switch
                      checked={q.surge}
                      checkedChildren="应急"
                      unCheckedChildren="常态"
                      onChange={(on) => void surge(q.id, on)}
                      aria-label={`${QUEUE_LABEL[q.id] ?? q.name}应急状态`}
                    />
                  </Space>
                }
              >
                <Space size="large">
                  <Statistic title="排队" value={q.waiting} />
                  <Statistic title="最长等待" value={fmtDuration(q.longestWaitSeconds)} />
                </Space>
                {q.surge && (
                  <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
                    {fmtTime(q.surgeSince)} 起：等待超时的来电同时分配给应急备用坐席组，话后整理中的坐席也接听。
                  </Typography.Paragraph>
                )}
              </Card>
            </Col>
          ))}
      </Row>
      <Card
        size="small"
        title="坐席状态"
        extra={
          <Space>
            {(Object.keys(AGENT_STATE_LABEL) as AgentState[])
              .filter((s) => byState[s])
              .map((s) => (
                <Tag key={s} color={AGENT_STATE_COLOR[s]}>
                  {AGENT_STATE_LABEL[s]} {byState[s]}
                </Tag>
              ))}
          </Space>
        }
      >
        <Table
          size="small"
          rowKey="userId"
          pagination={false}
          dataSource={board.agents}
          locale={{ emptyText: '暂无坐席签入' }}
          columns={[
            { title: '坐席', dataIndex: 'name' },
            { title: '分机', dataIndex: 'extension', width: 90 },
            {
              title: '队列',
              dataIndex: 'queues',
              render: (qs: string[]) => qs.map((q) => <Tag key={q}>{QUEUE_LABEL[q] ?? q}</Tag>),
            },
            {
              title: '状态',
              dataIndex: 'state',
              width: 110,
              render: (s: AgentState) => <Tag color={AGENT_STATE_COLOR[s]}>{AGENT_STATE_LABEL[s]}</Tag>,
            },
            { title: '持续', dataIndex: 'sinceSeconds', width: 100, render: (s: number) => fmtDuration(s) },
            {
              title: '话机',
              dataIndex: 'registered',
              width: 90,
              render: (r: boolean) => (r ? <Tag color="green">已注册</Tag> : <Tag color="red">未注册</Tag>),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
