/** 来电弹屏: who is calling — the number, earlier requests and calls from it, and watch-list marks. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { CALL_PHASE_LABEL, QUEUE_LABEL, messageOf } from './labels.ts';
import type { CallerHistory, LiveCall } from './types.ts';

export function CallerPopup({ call }: { call: LiveCall }) {
  const [history, setHistory] = useState<CallerHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const number = call.callerNumber;
  useEffect(() => {
    setHistory(null);
    setError(null);
    if (!number || !/^[0-9+]{3,20}$/.test(number)) return;
    void get<CallerHistory>(`/api/telephony/callers/${encodeURIComponent(number)}`)
      .then(setHistory)
      .catch((e) => setError(messageOf(e)));
  }, [number]);
  return (
    <Card
      size="small"
      className="caller-popup"
      data-testid="caller-popup"
      title={
        <span>
          来电 <Typography.Text strong>{number ?? '未显示号码'}</Typography.Text>
          {call.callerName ? `（${call.callerName}）` : ''}
        </span>
      }
      extra={<Tag color={call.phase === 'talking' ? 'blue' : 'gold'}>{CALL_PHASE_LABEL[call.phase]}</Tag>}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {call.queue ? (QUEUE_LABEL[call.queue] ?? call.queue) : call.line}
        {call.peerCallRef ? ' · 对方平台转来的通话' : ''} · {fmtTime(call.offeredAt)}
      </Typography.Paragraph>
      <ConsultControls call={call} />
      {error && <Alert type="error" showIcon message={error} />}
      {history && (
        <>
          {history.marks.map((m) => (
            <Tag key={m.kind} color="red" data-testid="caller-mark">
              {m.label}
            </Tag>
          ))}
          {!history.watchListAvailable && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="watch-list-off">
              骚扰号码名单尚未接入，未核对关注标记
            </Typography.Text>
          )}
          <Typography.Paragraph style={{ margin: '6px 0' }}>
            此前来电 {history.callsBefore} 次{history.lastCallAt ? `，最近 ${fmtTime(history.lastCallAt)}` : ''}
          </Typography.Paragraph>
          {history.requests.length ? (
            <List
              size="small"
              data-testid="caller-history"
              dataSource={history.requests.slice(0, 5)}
              renderItem={(r) => (
                <List.Item>
                  <div>
                    <Typography.Text type="secondary">{fmtTime(r.receivedAt)}</Typography.Text>{' '}
                    {r.record && <Tag>{r.record.no}</Tag>}
                    <div>{r.content}</div>
                  </div>
                </List.Item>
              )}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该号码没有历史诉求" />
          )}
        </>
      )}
    </Card>
  );
}

/**
 * 咨询转接: the caller waits on hold while the call-taker speaks to the other desk's specialist first;
 * then she gives the caller to the specialist (or 一键转110 in the intake form does), or takes the caller back.
 */
function ConsultControls({ call }: { call: LiveCall }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = (path: string, done: string) => async () => {
    setBusy(path);
    try {
      await post(`/api/telephony/calls/${encodeURIComponent(call.id)}/${path}`, {});
      message.success(done);
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(null);
    }
  };
  if (call.phase === 'talking' || busy === 'consult')
    return (
      <Button
        size="small"
        style={{ marginBottom: 8 }}
        loading={busy === 'consult'}
        onClick={() => void run('consult', '对方专席已接听，来电人保持中')()}
        data-testid="call-consult"
      >
        {busy === 'consult' ? '正在呼叫对方专席（来电人保持）' : '咨询转接：先与对方专席通话'}
      </Button>
    );
  if (call.phase !== 'consulting') return null;
  return (
    <Space style={{ marginBottom: 8 }} wrap>
      <Button
        size="small"
        type="primary"
        loading={busy === 'consult/complete'}
        disabled={busy !== null}
        onClick={() => void run('consult/complete', '已把来电人转给对方专席')()}
        data-testid="call-consult-complete"
      >
        转给专席
      </Button>
      <Button
        size="small"
        loading={busy === 'consult/cancel'}
        disabled={busy !== null}
        onClick={() => void run('consult/cancel', '已取回来电，与来电人恢复通话')()}
        data-testid="call-consult-cancel"
      >
        取回来电
      </Button>
    </Space>
  );
}
