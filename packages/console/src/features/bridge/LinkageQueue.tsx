/**
 * The specialist seat's linkage queue: transferred in and awaiting acceptance, in negotiation, being
 * handled, awaiting confirmation, overdue. New and changed items arrive by server-sent events.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Badge, Button, Card, Space, Table, Tabs, Tag } from 'antd';
import { get, type Page } from '../../api/client.ts';
import type { LinkageItem } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { beep, notifyDesktop } from '../../shared/alerts.ts';
import { Countdown } from '../../shared/Countdown.tsx';
import { fmtShort } from '../../shared/format.ts';
import { useEventStream } from '../../shared/useEventStream.ts';
import { useNow } from '../../shared/useNow.ts';
import { usePeerLabel, linkageNo } from './linkage-labels.ts';
import { LinkageDrawer } from './LinkageDrawer.tsx';
import { StepModal } from './StepModal.tsx';
import { DENSE_TABLE } from '../../shared/dense-table.ts';

interface TabDef {
  key: string;
  label: string;
  query: { status?: string[]; side?: string; overdue?: boolean; dueWithin?: number };
}
const TABS: TabDef[] = [
  { key: 'incoming', label: '待签收', query: { side: 'receiver', status: ['requested'] } },
  { key: 'negotiating', label: '拒收与协商', query: { status: ['rejected', 'negotiating'] } },
  {
    key: 'handling',
    label: '处置中',
    query: { status: ['accepted', 'kept_by_first_receiver', 'in_progress', 'reopened'] },
  },
  { key: 'feedback', label: '待确认闭环', query: { status: ['feedback_given'] } },
  { key: 'overdue', label: '超时未签收', query: { overdue: true } },
  { key: 'soon', label: '即将超时', query: { dueWithin: 15 } },
  { key: 'sent', label: '本方发起', query: { side: 'originator' } },
  { key: 'all', label: '全部', query: {} },
];

const matches = (t: TabDef, i: LinkageItem) =>
  (!t.query.side || t.query.side === i.side) &&
  (!t.query.status || t.query.status.includes(i.status)) &&
  (t.query.overdue === undefined || t.query.overdue === i.acceptOverdue) &&
  (t.query.dueWithin === undefined ||
    (i.status === 'requested' &&
      !!i.acceptDeadline &&
      new Date(i.acceptDeadline).getTime() - Date.now() < t.query.dueWithin * 60_000 &&
      new Date(i.acceptDeadline).getTime() > Date.now()));

/** An item that cannot wait (red, at the top): an emergency escalation, or a matter its opener found urgent or a danger. */
const urgentItem = (i: LinkageItem) =>
  i.kind === 'emergency' || i.opening.request?.triage?.urgent === true || i.opening.request?.triage?.emergency === true;

export function LinkageQueue({ fixedTab }: { fixedTab?: string }) {
  const { me } = useAuth();
  const { notification } = App.useApp();
  const now = useNow();
  const peerLabel = usePeerLabel();
  const [tab, setTab] = useState(fixedTab ?? 'incoming');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<Page<LinkageItem> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<{ id: string; version: string } | null>(null);
  const [quick, setQuick] = useState<{ item: LinkageItem; step: string } | null>(null);
  const [incoming, setIncoming] = useState(0);
  const [tick, setTick] = useState(0);
  const alerted = useRef(new Set<string>());
  const def = TABS.find((t) => t.key === tab)!;
  // The newest state seen of each item (from a page, the stream or a step just taken): an event that
  // arrives late with an older state must not put an item back into a queue it has left.
  const seen = useRef(new Map<string, LinkageItem>());
  const isStale = useCallback((item: LinkageItem) => {
    const known = seen.current.get(item.itemId);
    if (known && known.updatedAt > item.updatedAt) return true;
    seen.current.set(item.itemId, item);
    return false;
  }, []);
  /** A page's items with any item it holds in an older state replaced by the newest seen (or left out). */
  const fresh = useCallback(
    (items: LinkageItem[]) =>
      items.flatMap((i) => {
        if (!isStale(i)) return [i];
        const known = seen.current.get(i.itemId)!;
        return matches(def, known) ? [known] : [];
      }),
    [def, isStale],
  );
  const apply = (item: LinkageItem) =>
    setData((d) => {
      if (!d) return d;
      const at = d.items.findIndex((x) => x.itemId === item.itemId);
      if (at >= 0)
        return {
          ...d,
          items: matches(def, item)
            ? d.items.map((x) => (x.itemId === item.itemId ? item : x))
            : d.items.filter((x) => x.itemId !== item.itemId),
          total: matches(def, item) ? d.total : d.total - 1,
        };
      return matches(def, item) && page.page === 1
        ? { ...d, items: [item, ...d.items].slice(0, page.pageSize), total: d.total + 1 }
        : d;
    });

  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    // Waiting for acceptance, what cannot wait comes first; elsewhere the newest (live arrivals go on top).
    const sort = def.key === 'incoming' ? 'urgency' : 'time';
    get<Page<LinkageItem>>('/api/linkage/items', { ...def.query, ...page, sort }, ac.signal)
      .then((d) => {
        setData({ ...d, items: fresh(d.items) });
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      })
      .finally(() => {
        if (!ac.signal.aborted) setLoading(false);
      });
    return () => ac.abort();
  }, [def, page, tick, fresh]);

  const refreshIncoming = useCallback(
    () =>
      get<Page<LinkageItem>>('/api/linkage/items', { side: 'receiver', status: ['requested'], pageSize: 1 })
        .then((d) => setIncoming(d.total))
        .catch(() => undefined),
    [],
  );
  useEffect(() => {
    void refreshIncoming();
  }, [refreshIncoming, tick]);

  useEventStream<LinkageItem>(
    '/api/linkage/stream',
    'item',
    (item) => {
      if (isStale(item)) return;
      apply(item);
      const fresh = new Date(item.createdAt).getTime() > Date.now() - 60_000;
      const urgent = urgentItem(item);
      // Accepted on receipt (an emergency at 110, an urgent item at 12345): it cannot wait for anyone to look.
      if (
        item.side === 'receiver' &&
        fresh &&
        urgent &&
        item.status === 'accepted' &&
        !alerted.current.has(item.itemId)
      ) {
        alerted.current.add(item.itemId);
        const title = `${item.kind === 'emergency' ? '紧急移交' : '紧急工单'}已自动签收：${linkageNo(item)}`;
        const text = item.opening.request?.content ?? item.opening.reason ?? linkageNo(item);
        notification.error({ title, description: text, key: item.itemId, placement: 'bottomRight' });
        beep();
        notifyDesktop(title, text, item.itemId);
      } else if (item.side === 'receiver' && item.status === 'requested' && fresh) {
        notification.info({
          title: `新转入：${item.kindLabel}`,
          description: item.opening.request?.content ?? item.opening.reason ?? linkageNo(item),
          key: item.itemId,
          placement: 'bottomRight',
        });
      }
      if (open?.id === item.itemId) setOpen({ id: item.itemId, version: item.updatedAt });
      void refreshIncoming();
    },
    () => setTick((t) => t + 1),
  );

  const seat = me && ['specialist_seat', 'call_taker', 'dispatcher', 'admin'].includes(me.role);
  return (
    <Card size="small" title="联动事项">
      {!fixedTab && (
        <Tabs
          size="small"
          activeKey={tab}
          onChange={(k) => {
            setTab(k);
            setPage({ ...page, page: 1 });
          }}
          data-testid="linkage-tabs"
          items={TABS.map((t) => ({
            key: t.key,
            label:
              t.key === 'incoming' ? (
                <Badge count={incoming} size="small" offset={[8, -2]}>
                  {t.label}
                </Badge>
              ) : (
                t.label
              ),
          }))}
        />
      )}
      {error && <Alert type="error" showIcon title={error} />}
      <Table<LinkageItem>
        {...DENSE_TABLE}
        rowKey="itemId"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="linkage-table"
        rowClassName={(r) =>
          [r.acceptOverdue ? 'row-overdue' : '', urgentItem(r) && r.status !== 'closed' ? 'incident-emergency' : '']
            .filter(Boolean)
            .join(' ')
        }
        onRow={(r) => ({
          onClick: () => setOpen({ id: r.itemId, version: r.updatedAt }),
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
        }}
        columns={[
          {
            title: '类型',
            dataIndex: 'kindLabel',
            width: 110,
            render: (v: string, r) => <Tag color={r.kind === 'emergency' ? 'red' : 'blue'}>{v}</Tag>,
          },
          {
            title: '方向',
            width: 150,
            render: (_, r) => (r.side === 'receiver' ? `${peerLabel(r.peer)} → 本方` : `本方 → ${peerLabel(r.peer)}`),
          },
          {
            title: '诉求摘要',
            ellipsis: true,
            render: (_, r) =>
              r.opening.request?.content ?? r.opening.summary ?? r.opening.need ?? r.opening.reason ?? '',
          },
          { title: '状态', dataIndex: 'statusLabel', width: 90 },
          { title: '转入时间', dataIndex: 'createdAt', width: 108, render: fmtShort },
          {
            title: '时限',
            width: 170,
            render: (_, r) =>
              r.status === 'requested' ? (
                <Countdown deadline={r.acceptDeadline} now={now} />
              ) : r.status === 'negotiating' ? (
                <Countdown deadline={r.negotiationDeadline} now={now} />
              ) : (
                <Tag>{r.acceptedAt ? '已签收' : r.statusLabel}</Tag>
              ),
          },
          ...(seat
            ? [
                {
                  title: '操作',
                  width: 130,
                  render: (_: unknown, r: LinkageItem) => (
                    <Space size={4} onClick={(e) => e.stopPropagation()}>
                      {r.allowedSteps.includes('transfer.accept') && (
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => setQuick({ item: r, step: 'transfer.accept' })}
                          data-testid="quick-accept"
                        >
                          签收
                        </Button>
                      )}
                      {r.allowedSteps.includes('transfer.reject') && (
                        <Button
                          size="small"
                          danger
                          onClick={() => setQuick({ item: r, step: 'transfer.reject' })}
                          data-testid="quick-reject"
                        >
                          拒收
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {open && (
        <LinkageDrawer
          itemId={open.id}
          version={open.version}
          onClose={() => setOpen(null)}
          onChanged={() => setTick((t) => t + 1)}
        />
      )}
      {quick && (
        <StepModal
          item={quick.item}
          step={quick.step}
          onClose={() => setQuick(null)}
          onDone={(i) => {
            setQuick(null);
            if (!isStale(i)) apply(i);
            setTick((t) => t + 1);
          }}
        />
      )}
    </Card>
  );
}
