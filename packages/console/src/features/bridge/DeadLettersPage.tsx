/**
 * 死信与拒收: the bridge messages this desk could not deliver (死信: the peer refused them for good, or
 * did not answer for 24 hours), with a retry once the cause is fixed; and the messages this desk refused
 * (拒收记录, bridge-protocol.md "Trust rules"), by reason and sender. For the specialist seats and the
 * administrators of the desk.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { MESSAGE_LABELS, usePeerLabel } from './linkage-labels.ts';

interface DeadLetter {
  id: string;
  itemId: string;
  seq: number;
  type: string;
  peer: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}
interface Refusal {
  id: string;
  code: string;
  peer: string | null;
  keyId: string | null;
  messageId: string | null;
  itemId: string | null;
  detail: string | null;
  count: number;
  firstAt: string;
  lastAt: string;
}
interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The protocol's refusal codes (docs/errors.md, "对接消息拒收"), as people read them. */
export const WIRE_ERROR_LABELS: Record<string, string> = {
  payload_too_large: '消息体过大',
  schema_invalid: '消息格式不合法',
  field_not_allowed: '含有不允许的字段',
  unknown_type: '未知的消息类型',
  wrong_recipient: '收件方不是本平台',
  item_not_senders: '事项编号不属于发送方',
  signature_invalid: '签名无效',
  unknown_key: '密钥未登记',
  stale_timestamp: '时间戳超出允许范围（时钟不同步）',
  replayed_nonce: '重复的消息（随机数已用过）',
  not_item_peer: '发送方不是该事项的对方',
  sequence_gap: '缺少该事项的前序消息',
};

/** Why a message died, from the sender's record ("401 unknown_key", "no answer: …", "HTTP 502"). */
function failure(lastError: string | null): { text: string; raw?: string } {
  if (!lastError) return { text: '—' };
  const refused = /^(\d{3}) ([a-z_]+)$/.exec(lastError);
  if (refused && WIRE_ERROR_LABELS[refused[2]!])
    return { text: `对方拒收：${WIRE_ERROR_LABELS[refused[2]!]}（${refused[1]}）` };
  if (/^sequence_gap/.test(lastError)) return { text: `对方拒收：${WIRE_ERROR_LABELS.sequence_gap}` };
  if (lastError.startsWith('no answer')) return { text: '对方无应答', raw: lastError.replace(/^no answer: /, '') };
  const http = /^(?:HTTP )?(\d{3})\b/.exec(lastError);
  if (http) return { text: `对方答复错误（${http[1]}）`, raw: lastError };
  return { text: '发送失败', raw: lastError };
}

export function DeadLettersPage() {
  const [deadCount, setDeadCount] = useState<number | null>(null);
  return (
    <Card size="small" title="死信与拒收" data-testid="dead-letters-page">
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'dead',
            label: deadCount === null ? '死信' : `死信（${deadCount}）`,
            children: <DeadLetters onCount={setDeadCount} />,
          },
          { key: 'refusals', label: '拒收记录', children: <Refusals /> },
        ]}
      />
    </Card>
  );
}

function DeadLetters({ onCount }: { onCount: (n: number) => void }) {
  const { message } = App.useApp();
  const peerLabel = usePeerLabel();
  const [data, setData] = useState<Paged<DeadLetter> | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void get<Paged<DeadLetter>>('/api/admin/bridge/dead-letters', { page, pageSize: 15 })
      .then((d) => {
        setData(d);
        onCount(d.total);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [page, onCount]);
  useEffect(load, [load]);
  const retry = async (d: DeadLetter) => {
    try {
      await post(`/api/admin/bridge/dead-letters/${encodeURIComponent(d.id)}/retry`);
      message.success(
        `已重新发送给${peerLabel(d.peer)}：${MESSAGE_LABELS[d.type] ?? '对接消息'}，该事项其后的消息随之按序发送`,
      );
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        对方永久拒收或连续24小时无法送达的消息。排除原因（如核对密钥、地址）后重发；同一事项其后的消息在它送达后按序发送。
      </Typography.Text>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<DeadLetter>
        size="small"
        rowKey="id"
        dataSource={data?.items ?? []}
        loading={!data && !error}
        data-testid="dead-letters"
        locale={{ emptyText: '没有死信：所有对接消息均已送达或正在发送' }}
        pagination={{
          current: page,
          pageSize: 15,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共${n}条`,
        }}
        columns={[
          { title: '生成时间', dataIndex: 'createdAt', width: 140, render: fmtTime },
          {
            title: '对接事项',
            dataIndex: 'itemId',
            width: 230,
            render: (s: string) => <span translate="no">{s}</span>,
          },
          {
            title: '消息',
            key: 'type',
            width: 150,
            render: (_: unknown, d) => `${MESSAGE_LABELS[d.type] ?? '对接消息'}（第${d.seq}条）`,
          },
          { title: '收件方', dataIndex: 'peer', width: 190, ellipsis: true, render: (p: string) => peerLabel(p) },
          { title: '尝试次数', dataIndex: 'attempts', width: 80 },
          {
            title: '失败原因',
            dataIndex: 'lastError',
            render: (e: string | null) => {
              const f = failure(e);
              return (
                <Space size={4} wrap>
                  <Tag color="red">{f.text}</Tag>
                  {f.raw && (
                    <Typography.Text type="secondary" translate="no">
                      {f.raw}
                    </Typography.Text>
                  )}
                </Space>
              );
            },
          },
          {
            title: '操作',
            key: 'act',
            width: 80,
            render: (_: unknown, d) => (
              <Popconfirm
                title="确认已排除原因，重新发送？"
                okText="重发"
                cancelText="取消"
                onConfirm={() => void retry(d)}
              >
                <Button size="small" type="primary">
                  重发
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Space>
  );
}

function Refusals() {
  const peerLabel = usePeerLabel();
  const [code, setCode] = useState<string | undefined>();
  const [peer, setPeer] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Paged<Refusal> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void get<Paged<Refusal>>('/api/admin/bridge/refusals', { page, pageSize: 15, code, peer: peer || undefined })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [page, code, peer]);
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        本平台拒收的对接消息：签名或密钥不对、收件方不是本平台、内容不合规定、对方动了不属于它的事项等。签名验证前的拒收按小时合并计数。
      </Typography.Text>
      <Space>
        <Select
          placeholder="全部拒收原因"
          allowClear
          value={code}
          onChange={(v) => {
            setCode(v);
            setPage(1);
          }}
          options={Object.entries(WIRE_ERROR_LABELS).map(([value, label]) => ({ value, label }))}
          style={{ width: 260 }}
          data-testid="refusal-code"
        />
        <Input.Search
          placeholder="发送方编号"
          allowClear
          onSearch={(v) => {
            setPeer(v.trim());
            setPage(1);
          }}
          style={{ width: 200 }}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Refusal>
        size="small"
        rowKey="id"
        dataSource={data?.items ?? []}
        loading={!data && !error}
        data-testid="refusals"
        locale={{ emptyText: '没有拒收记录' }}
        pagination={{
          current: page,
          pageSize: 15,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共${n}条`,
        }}
        columns={[
          { title: '最近一次', dataIndex: 'lastAt', width: 140, render: fmtTime },
          {
            title: '拒收原因',
            dataIndex: 'code',
            width: 230,
            render: (c: string) => <Tag color="orange">{WIRE_ERROR_LABELS[c] ?? c}</Tag>,
          },
          {
            title: '发送方',
            dataIndex: 'peer',
            width: 190,
            // the cell's own tooltip would repeat the id outside translate="no"
            ellipsis: { showTitle: false },
            // a sender the console cannot name shows by its id, a machine identifier
            render: (p: string | null) => (p ? <span translate="no">{peerLabel(p)}</span> : '未验明身份'),
          },
          {
            title: '密钥编号',
            dataIndex: 'keyId',
            width: 170,
            render: (k: string | null) => (k ? <span translate="no">{k}</span> : '—'),
          },
          {
            title: '对接事项',
            dataIndex: 'itemId',
            width: 220,
            render: (s: string | null) => (s ? <span translate="no">{s}</span> : '—'),
          },
          { title: '次数', dataIndex: 'count', width: 60 },
          {
            title: '技术详情',
            dataIndex: 'detail',
            render: (d: string | null) =>
              d ? (
                <Typography.Text type="secondary" translate="no">
                  {d}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Space>
  );
}
