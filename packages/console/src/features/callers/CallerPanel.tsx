/**
 * 来电人 panel beside intake: as the call-taker types the number, the caller's earlier requests on this
 * desk (one caller record per number), newest first, with the order or incident each became. A 保密
 * request is marked so the call-taker does not repeat it to the handling unit.
 */
import { useEffect, useState } from 'react';
import { Alert, Card, Empty, List, Tag, Typography } from 'antd';
import { errorText, get } from '../../api/client.ts';
import { fmtShort } from '../../shared/format.ts';
import { useDebounced } from '../../shared/useDebounced.ts';

export interface CallerHistory {
  phone: string;
  name: string | null;
  known: boolean;
  requestCount: number;
  confidentialCount?: number;
  requests: {
    requestId: string;
    receivedAt: string;
    channelLabel: string;
    confidential: boolean;
    content: string;
    address: string;
    districtName: string | null;
    /** 无效来电 / 骚扰来电: a call recorded with no work order */
    invalidLabel?: string | null;
    record: {
      kind: 'work_order' | 'incident';
      id: string;
      no: string;
      title: string | null;
      statusLabel: string;
    } | null;
  }[];
}

/** A number worth looking up: seven or more digits, as typed (spaces and dashes allowed). */
export const lookupNumber = (phone: string | undefined) => {
  const p = (phone ?? '').trim();
  return /^[0-9+\-() ]{3,20}$/.test(p) && p.replace(/\D/g, '').length >= 7 ? p : null;
};

export function CallerPanel({
  phone,
  onOpen,
  shown = 5,
}: {
  phone: string | undefined;
  onOpen?: (record: NonNullable<CallerHistory['requests'][number]['record']>) => void;
  shown?: number;
}) {
  const number = lookupNumber(useDebounced(phone, 300));
  const [history, setHistory] = useState<CallerHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setHistory(null);
    setError(null);
    if (!number) return;
    const ctl = new AbortController();
    get<CallerHistory>('/api/callers', { phone: number, limit: 20 }, ctl.signal)
      .then(setHistory)
      .catch((e) => {
        if ((e as Error).name !== 'AbortError') setError(errorText(e));
      });
    return () => ctl.abort();
  }, [number]);
  if (!number) return null;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="caller-panel"
      title={
        <span>
          来电人 {history?.name ? <Typography.Text strong>{history.name}</Typography.Text> : null}{' '}
          {history && history.requestCount > 0 && (
            <Tag color={history.requestCount >= 2 ? 'orange' : 'blue'} data-testid="caller-count">
              此前诉求 {history.requestCount} 件
            </Tag>
          )}
        </span>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {history && !history.known && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="新来电人：该号码没有历史诉求" />
      )}
      {history && history.known && (
        <List
          size="small"
          data-testid="caller-requests"
          dataSource={history.requests.slice(0, shown)}
          footer={
            history.requestCount > shown ? (
              <Typography.Text type="secondary">另有 {history.requestCount - shown} 件较早的诉求</Typography.Text>
            ) : undefined
          }
          renderItem={(r) => (
            <List.Item style={{ display: 'block', padding: '4px 0' }} data-testid="caller-request">
              <div style={{ display: 'flex', gap: 6, alignItems: 'center', whiteSpace: 'nowrap' }}>
                <Typography.Text type="secondary">{fmtShort(r.receivedAt)}</Typography.Text>
                {r.record ? (
                  <Typography.Link onClick={() => onOpen?.(r.record!)} className="order-no">
                    {r.record.no}
                  </Typography.Link>
                ) : r.invalidLabel ? (
                  <Tag color="volcano" data-testid="caller-request-invalid">
                    {r.invalidLabel}
                  </Tag>
                ) : (
                  <Typography.Text type="secondary">未成单</Typography.Text>
                )}
                {r.record && <Tag>{r.record.statusLabel}</Tag>}
                {r.confidential && <Tag color="red">保密</Tag>}
              </div>
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                {r.content}
              </Typography.Paragraph>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
