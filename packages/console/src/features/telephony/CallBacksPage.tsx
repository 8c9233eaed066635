/** 漏接回拨: callers lost in a transfer or who gave up waiting, to be called back, and what came of it. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Radio, Table, Tabs, Tag } from 'antd';
import { get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { CALL_BACK_OUTCOME, CALL_BACK_REASON, messageOf } from './labels.ts';
import type { CallBack } from './types.ts';

export function CallBacksPage() {
  const { message } = App.useApp();
  const [tab, setTab] = useState<'open' | 'done'>('open');
  const [rows, setRows] = useState<CallBack[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [doing, setDoing] = useState<CallBack | null>(null);
  const [outcome, setOutcome] = useState<NonNullable<CallBack['outcome']>>('reached');
  const [note, setNote] = useState('');
  const load = useCallback(() => {
    void get<CallBack[]>('/api/telephony/call-backs', { status: tab })
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [tab]);
  useEffect(load, [load]);
  const save = async () => {
    if (!doing) return;
    try {
      await post(`/api/telephony/call-backs/${doing.callId}/done`, { outcome, note: note.trim() || undefined });
      message.success('已登记回拨结果');
      setDoing(null);
      setNote('');
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  return (
    <Card size="small">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'open' | 'done')}
        items={[
          { key: 'open', label: '待回拨' },
          { key: 'done', label: '已回拨' },
        ]}
      />
      <Table
        size="small"
        rowKey="callId"
        dataSource={rows}
        data-testid="call-backs"
        locale={{ emptyText: tab === 'open' ? '没有待回拨的来电' : '暂无回拨记录' }}
        columns={[
          {
            title: '来电号码',
            dataIndex: 'caller',
            width: 140,
            // erased once done and past its time (保存期限)
            render: (v: string | null) => v ?? '已按期清除',
          },
          { title: '来电时间', dataIndex: 'offeredAt', width: 150, render: fmtTime },
          {
            title: '原因',
            dataIndex: 'reason',
            width: 120,
            render: (r: CallBack['reason']) => <Tag color="orange">{CALL_BACK_REASON[r]}</Tag>,
          },
          ...(tab === 'open'
            ? [
                {
                  title: '操作',
                  key: 'act',
                  width: 120,
                  render: (_: unknown, r: CallBack) => (
                    <Button size="small" type="primary" onClick={() => setDoing(r)}>
                      登记回拨
                    </Button>
                  ),
                },
              ]
            : [
                { title: '回拨时间', dataIndex: 'doneAt', width: 150, render: fmtTime },
                {
                  title: '结果',
                  dataIndex: 'outcome',
                  width: 110,
                  render: (o: NonNullable<CallBack['outcome']>) => CALL_BACK_OUTCOME[o],
                },
                { title: '回拨人', dataIndex: 'doneBy', width: 100 },
                { title: '说明', dataIndex: 'note' },
              ]),
        ]}
      />
      <Modal
        open={doing !== null}
        title={`回拨 ${doing?.caller ?? ''}`}
        okText="登记"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setDoing(null)}
      >
        <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value)} style={{ marginBottom: 12 }}>
          {(Object.keys(CALL_BACK_OUTCOME) as NonNullable<CallBack['outcome']>[]).map((o) => (
            <Radio key={o} value={o}>
              {CALL_BACK_OUTCOME[o]}
            </Radio>
          ))}
        </Radio.Group>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="说明（可选）"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Card>
  );
}
