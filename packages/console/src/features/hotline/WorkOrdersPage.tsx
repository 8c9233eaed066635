/**
 * Work orders, paged, filtered and sorted on the server (lists of 100,000 orders stay fast).
 * `mine`: a handler's own orders by due time, open ones first.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Card, Checkbox, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { get, type Page } from '../../api/client.ts';
import { ExportButton } from '../../shared/ExportButton.tsx';
import type { WorkOrder } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtShort } from '../../shared/format.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { useNow } from '../../shared/useNow.ts';
import { Countdown } from '../../shared/Countdown.tsx';
import { UnitSelect } from '../../shared/UnitSelect.tsx';
import { WorkOrderDrawer } from './WorkOrderDrawer.tsx';
import { DENSE_TABLE } from '../../shared/dense-table.ts';

const OPEN = ['received', 'assigned', 'returned', 'signed', 'in_progress'];
// Column widths: every column but the title has a width; at 1366×768 (≈1,150 px of table) all of them,
// a 催办 column included, fit without a horizontal scroll bar.
const FIXED_WIDTH = 176 + 72 + 88 + 144 + 108 + 230;
const TITLE_MIN = 240;
const EXTRA_WIDTH = 80;

export interface OrderQuery {
  page: number;
  pageSize: number;
  status?: string[];
  q?: string;
  phone?: string;
  address?: string;
  text?: string;
  leadUnitId?: string;
  createdFrom?: string;
  createdTo?: string;
  districtCode?: string;
  urgent?: boolean;
  overdue?: boolean;
  /** only orders whose deadline runs (the server's one list of open statuses) */
  open?: boolean;
  supervised?: boolean;
  satisfaction?: string;
  dueBefore?: string;
  sort: 'createdAt' | 'dueAt' | 'updatedAt';
  order: 'asc' | 'desc';
}

export function WorkOrderTable({
  query,
  setQuery,
  reloadKey,
  extraColumns,
}: {
  query: OrderQuery;
  setQuery: (q: OrderQuery) => void;
  reloadKey?: number;
  extraColumns?: { title: string; key: string; width?: number; render: (r: WorkOrder) => React.ReactNode }[];
}) {
  const [data, setData] = useState<Page<WorkOrder> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const now = useNow(30_000);
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    get<Page<WorkOrder>>('/api/work-orders', { ...query }, ac.signal)
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      })
      .finally(() => {
        if (!ac.signal.aborted) setLoading(false);
      });
    return () => ac.abort();
  }, [query, reloadKey, tick]);
  const onChange = useCallback(
    (
      p: { current?: number; pageSize?: number },
      _f: unknown,
      s: SorterResult<WorkOrder> | SorterResult<WorkOrder>[],
    ) => {
      const one = Array.isArray(s) ? s[0] : s;
      const field = one?.order ? (one.field as OrderQuery['sort']) : query.sort;
      const order = one?.order ? (one.order === 'ascend' ? 'asc' : 'desc') : query.order;
      setQuery({ ...query, page: p.current ?? 1, pageSize: p.pageSize ?? query.pageSize, sort: field, order });
    },
    [query, setQuery],
  );
  // Stable columns: a page turn re-renders the rows, not the column set-up.
  const columns = useMemo<ColumnsType<WorkOrder>>(() => {
    const sortOrder = (f: string) => (query.sort === f ? (query.order === 'asc' ? 'ascend' : 'descend') : null);
    return [
      // An order number on one line: GD + 14 digits at the table's font, with the cell's padding.
      {
        title: '工单号',
        dataIndex: 'no',
        width: 176,
        render: (no: string) => (
          <span className="nowrap" translate="no">
            {no}
          </span>
        ),
      },
      // The title takes what the fixed columns leave (at least TITLE_MIN through the table's scroll width).
      {
        title: '标题',
        dataIndex: 'title',
        ellipsis: true,
        render: (t: string, r) => (
          <span>
            {r.exercise && (
              <Tag color="cyan" data-testid="exercise-tag">
                演练
              </Tag>
            )}
            {r.urgent && <Tag color="red">急</Tag>}
            {r.supervised && <Tag color="purple">督</Tag>}
            {t}
          </span>
        ),
      },
      { title: '状态', dataIndex: 'statusLabel', width: 72 },
      { title: '区县', dataIndex: 'districtName', width: 88, ellipsis: true },
      { title: '主办单位', dataIndex: 'leadUnitName', width: 144, ellipsis: true },
      {
        title: '受理时间',
        dataIndex: 'createdAt',
        key: 'createdAt',
        width: 108,
        sorter: true,
        sortOrder: sortOrder('createdAt'),
        render: (v: string) => <span className="nowrap">{fmtShort(v)}</span>,
      },
      {
        title: '办理时限',
        dataIndex: 'dueAt',
        key: 'dueAt',
        width: 230,
        sorter: true,
        sortOrder: sortOrder('dueAt'),
        render: (v: string, r) =>
          OPEN.includes(r.status) ? (
            <Space size={4} className="nowrap">
              {fmtShort(v)}
              <Countdown deadline={v} now={now} warnMinutes={240} />
            </Space>
          ) : (
            <span className="nowrap">{fmtShort(v)}</span>
          ),
      },
      // Row actions stay in view on a narrow screen.
      ...(extraColumns ?? []).map((c) => ({
        title: c.title,
        key: c.key,
        width: c.width ?? EXTRA_WIDTH,
        fixed: 'right' as const,
        render: (_: unknown, r: WorkOrder) => c.render(r),
      })),
    ];
  }, [query.sort, query.order, now, extraColumns]);
  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<WorkOrder>
        {...DENSE_TABLE}
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="work-order-table"
        rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (t) => `共 ${t} 条`,
        }}
        onChange={onChange as never}
        scroll={{ x: FIXED_WIDTH + TITLE_MIN + (extraColumns ?? []).reduce((w, c) => w + (c.width ?? EXTRA_WIDTH), 0) }}
        columns={columns}
      />
      {open && <WorkOrderDrawer id={open} onClose={() => setOpen(null)} onChanged={() => setTick((t) => t + 1)} />}
    </>
  );
}

export function WorkOrdersPage({ mine = false }: { mine?: boolean }) {
  const { me } = useAuth();
  const ref = useReference();
  const [query, setQuery] = useState<OrderQuery>(
    mine
      ? { page: 1, pageSize: 20, status: OPEN, sort: 'dueAt', order: 'asc' }
      : { page: 1, pageSize: 20, sort: 'createdAt', order: 'desc' },
  );
  const set = (patch: Partial<OrderQuery>) => setQuery({ ...query, ...patch, page: 1 });
  return (
    <Card
      size="small"
      title={mine ? `我的工单 · ${me?.displayName ?? ''}` : '工单查询'}
      extra={
        <ExportButton
          path="/api/work-orders/export.xlsx"
          query={query}
          name={mine ? '我的工单' : '工单查询'}
          testId="order-export"
        />
      }
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          placeholder="工单号或标题"
          allowClear
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ width: 220 }}
          data-testid="order-search"
        />
        {!mine && me?.role !== 'analyst' && (
          <Input.Search
            placeholder="来电号码"
            allowClear
            onSearch={(v) => set({ phone: v.trim() || undefined })}
            style={{ width: 150 }}
            data-testid="order-search-phone"
          />
        )}
        <Input.Search
          placeholder="地址"
          allowClear
          onSearch={(v) => set({ address: v.trim() || undefined })}
          style={{ width: 150 }}
          data-testid="order-search-address"
        />
        <Input.Search
          placeholder="诉求或答复内容"
          allowClear
          onSearch={(v) => set({ text: v.trim() || undefined })}
          style={{ width: 170 }}
          data-testid="order-search-text"
        />
        {!mine && (
          <div style={{ width: 200 }}>
            <UnitSelect
              value={query.leadUnitId}
              onChange={(v) => set({ leadUnitId: v || undefined })}
              desk="hotline"
              placeholder="主办单位"
              testId="order-search-unit"
            />
          </div>
        )}
        <DatePicker.RangePicker
          placeholder={['受理起', '受理止']}
          style={{ width: 230 }}
          data-testid="order-search-period"
          onChange={(r) =>
            set({
              createdFrom: r?.[0]?.startOf('day').toDate().toISOString(),
              createdTo: r?.[1]?.add(1, 'day').startOf('day').toDate().toISOString(),
            })
          }
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="状态"
          style={{ minWidth: 220 }}
          value={query.status}
          maxTagCount={3}
          options={enumOptions(ref.enums.workOrderStatuses)}
          onChange={(v: string[]) => set({ status: v.length ? v : undefined })}
          data-testid="status-filter"
        />
        {!mine && me?.role !== 'district_agency' && (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="区县"
            style={{ width: 140 }}
            options={ref.districts.map((d) => ({ value: d.code, label: d.name }))}
            onChange={(v?: string) => set({ districtCode: v })}
          />
        )}
        <Checkbox checked={query.urgent === true} onChange={(e) => set({ urgent: e.target.checked || undefined })}>
          紧急
        </Checkbox>
        <Checkbox checked={query.overdue === true} onChange={(e) => set({ overdue: e.target.checked || undefined })}>
          超期
        </Checkbox>
        <Checkbox
          checked={query.supervised === true}
          onChange={(e) => set({ supervised: e.target.checked || undefined })}
        >
          督办
        </Checkbox>
      </Space>
      <WorkOrderTable query={query} setQuery={setQuery} />
    </Card>
  );
}
