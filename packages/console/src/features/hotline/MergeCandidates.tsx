/**
 * 并单 candidates in the 并单 form: the open orders most like this one (GET /api/work-orders/:id/merge-candidates)
 * — the same matter in other words, near in place and time, on any channel — with their similarity;
 * one click merges this order into the one chosen, by its number.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, List, Space, Tag, Typography } from 'antd';
import { errorText, get, post } from '../../api/client.ts';
import type { WorkOrder } from '../../api/types.ts';
import { fmtShort } from '../../shared/format.ts';

interface Candidate extends WorkOrder {
  channelLabel: string;
  address: string;
  content: string;
  similarity: number;
  parts: { text: number; place: number; time: number };
  sameCategory: boolean;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function MergeCandidates({ order, onDone }: { order: WorkOrder; onDone: (o: WorkOrder) => void }) {
  const [list, setList] = useState<Candidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    get<Candidate[]>(`/api/work-orders/${order.id}/merge-candidates`, undefined, ac.signal)
      .then(setList)
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(errorText(e));
      });
    return () => ac.abort();
  }, [order.id]);
  const merge = async (c: Candidate) => {
    setBusy(c.id);
    setError(null);
    try {
      onDone(await post<WorkOrder>(`/api/work-orders/${order.id}/merge`, { intoWorkOrderNo: c.no }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  if (!list && !error) return <Typography.Text type="secondary">正在查找相似工单…</Typography.Text>;
  return (
    <div data-testid="merge-candidates">
      <Typography.Text strong>疑似同一诉求的未办结工单</Typography.Text>
      {list && list.length === 0 && (
        <div>
          <Typography.Text type="secondary">近30天没有内容、地点相近的未办结工单</Typography.Text>
        </div>
      )}
      {list && list.length > 0 && (
        <List
          size="small"
          dataSource={list}
          renderItem={(c, i) => (
            <List.Item
              data-testid={`merge-candidate-${i}`}
              actions={[
                <Button
                  key="merge"
                  size="small"
                  type={i === 0 ? 'primary' : 'default'}
                  loading={busy === c.id}
                  disabled={busy !== null && busy !== c.id}
                  onClick={() => void merge(c)}
                  data-testid={`merge-into-${i}`}
                >
                  并入此单
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <span translate="no">{c.no}</span>
                    <Tag color="orange">相似度 {pct(c.similarity)}</Tag>
                    <Tag>{c.channelLabel}</Tag>
                    <Typography.Text type="secondary">
                      {fmtShort(c.createdAt)} · {c.statusLabel}
                    </Typography.Text>
                  </Space>
                }
                description={
                  <span>
                    {c.content}
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      内容 {pct(c.parts.text)} · 地点 {pct(c.parts.place)} · 时间 {pct(c.parts.time)}
                      {c.address ? ` · ${c.address}` : ''}
                    </Typography.Text>
                  </span>
                }
              />
            </List.Item>
          )}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid="merge-error" />}
    </div>
  );
}
