/**
 * Smart dispatch (智能派单) in the console: the three units the active model ranks highest for an order,
 * with their scores, beside the catalogue's category; one click dispatches (派单) to the unit chosen.
 * Shown where the order is dispatched: the intake's result and the drawer's 派单 form.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Tag, Typography } from 'antd';
import { errorText, get, post } from '../../api/client.ts';
import type { WorkOrder } from '../../api/types.ts';

export interface DispatchSuggestions {
  modelVersion: string;
  modelSource: 'database' | 'shipped';
  suggestions: { unitId: string; unitName: string; label: string; score: number }[];
  category?: { code: string; name: string };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The suggestions as one-click buttons (the best first, as the primary button). */
export function DispatchSuggestionButtons({
  data,
  orderId,
  onDone,
}: {
  data: DispatchSuggestions;
  orderId: string;
  onDone: (o: WorkOrder, unitName: string) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = async (unitId: string, unitName: string) => {
    setBusy(unitId);
    setError(null);
    try {
      onDone(await post<WorkOrder>(`/api/work-orders/${orderId}/assign`, { leadUnitId: unitId }), unitName);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  if (data.suggestions.length === 0)
    return <Typography.Text type="secondary">模型没有可派的承办单位建议，请手动选择</Typography.Text>;
  return (
    <div data-testid="dispatch-suggestions">
      <Space wrap style={{ marginBottom: 4 }}>
        <Typography.Text strong>智能派单建议</Typography.Text>
        {data.category && (
          <Tag>
            派单目录：{data.category.name}（{data.category.code}）
          </Tag>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {data.modelSource === 'database' ? `模型 ${data.modelVersion}` : '随附默认模型'}
        </Typography.Text>
      </Space>
      <Space wrap>
        {data.suggestions.map((s, i) => (
          <Button
            key={s.unitId}
            type={i === 0 ? 'primary' : 'default'}
            loading={busy === s.unitId}
            disabled={busy !== null && busy !== s.unitId}
            onClick={() => void pick(s.unitId, s.unitName)}
            data-testid={`dispatch-suggestion-${i}`}
          >
            派给 {s.unitName} <Tag style={{ marginInlineStart: 6, marginInlineEnd: 0 }}>{pct(s.score)}</Tag>
          </Button>
        ))}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid="dispatch-error" />}
    </div>
  );
}

/** Loads an order's suggestions (GET /api/work-orders/:id/dispatch-suggestions) and shows them. */
export function OrderDispatchSuggestions({
  orderId,
  onDone,
}: {
  orderId: string;
  onDone: (o: WorkOrder, unitName: string) => void;
}) {
  const [data, setData] = useState<DispatchSuggestions | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    get<DispatchSuggestions>(`/api/work-orders/${orderId}/dispatch-suggestions`, undefined, ac.signal)
      .then(setData)
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(errorText(e));
      });
    return () => ac.abort();
  }, [orderId]);
  if (error) return <Alert type="warning" showIcon title={`智能派单建议暂不可用：${error}`} />;
  if (!data) return <Typography.Text type="secondary">正在计算智能派单建议…</Typography.Text>;
  return <DispatchSuggestionButtons data={data} orderId={orderId} onDone={onDone} />;
}
