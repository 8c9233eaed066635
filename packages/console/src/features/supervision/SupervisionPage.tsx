/**
 * 督办: overdue and about-to-be-overdue orders and linkage items, point-to-point reminders (催办),
 * escalation (督办 on the order), and each unit's returns, refusals and lateness.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Select, Table, Tabs, Tag } from 'antd';
import { get } from '../../api/client.ts';
import type { Reminder, WorkOrder } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtTime } from '../../shared/format.ts';
import { useReference } from '../../shared/reference.tsx';
import { LinkageQueue } from '../bridge/LinkageQueue.tsx';
import { WorkOrderTable, type OrderQuery } from '../hotline/WorkOrdersPage.tsx';
import { RemindModal } from './RemindModal.tsx';

function OrdersTab({ initial }: { initial: OrderQuery }) {
  const [query, setQuery] = useState(initial);
  const [remind, setRemind] = useState<WorkOrder | null>(null);
  const [reload, setReload] = useState(0);
  return (
    <>
      <WorkOrderTable
        query={query}
        setQuery={setQuery}
        reloadKey={reload}
        extraColumns={[
          {
            title: '催办',
            key: 'remind',
            width: 80,
            render: (r) => (
              <Button
                size="small"
                type="primary"
                ghost
                onClick={(e) => {
                  e.stopPropagation();
                  setRemind(r);
                }}
                data-testid="row-remind"
              >
                催办
              </Button>
            ),
          },
        ]}
      />
      {remind && (
        <RemindModal
          target={{ kind: 'order', id: remind.id, label: `${remind.no}（${remind.leadUnitName ?? ''}）` }}
          onClose={() => setRemind(null)}
          onDone={() => {
            setRemind(null);
            setReload((x) => x + 1);
          }}
        />
      )}
    </>
  );
}

interface UnitRow {
  unitId: string;
  unitName: string;
  assigned: number;
  open: number;
  returns: number;
  extensionRefusals: number;
  reopened: number;
  overdue: number;
  replied: number;
  repliedLate: number;
  lateRate: number;
  avgReplyHours: number | null;
  /** Orders first dispatched to the unit and concluded in the period, and the share it handled itself (派单准确率). */
  firstDispatched: number;
  dispatchAccuracy: number | null;
}

function UnitFigures() {
  const ref = useReference();
  const [sort, setSort] = useState('overdue');
  const [districtCode, setDistrict] = useState<string | undefined>();
  const [rows, setRows] = useState<UnitRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<UnitRow[]>('/api/analytics/units', { sort, districtCode, limit: 200 })
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [sort, districtCode]);
  return (
    <>
      <div style={{ marginBottom: 8 }}>
        近30天，排序：
        <Select
          value={sort}
          onChange={setSort}
          style={{ width: 140 }}
          options={[
            { value: 'overdue', label: '超期件数' },
            { value: 'returns', label: '退单次数' },
            { value: 'repliedLate', label: '逾期办结' },
            { value: 'extensionRefusals', label: '延期被驳回' },
            { value: 'reopened', label: '重办' },
            { value: 'assigned', label: '受派件数' },
          ]}
        />{' '}
        <Select
          allowClear
          placeholder="全部区县"
          style={{ width: 140 }}
          showSearch={{ optionFilterProp: 'label' }}
          options={ref.districts.map((d) => ({ value: d.code, label: d.name }))}
          onChange={setDistrict}
        />
      </div>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<UnitRow>
        size="small"
        rowKey="unitId"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        data-testid="unit-figures"
        columns={[
          { title: '单位', dataIndex: 'unitName', ellipsis: true },
          { title: '受派', dataIndex: 'assigned', width: 64 },
          { title: '在办', dataIndex: 'open', width: 64 },
          {
            title: '退单',
            dataIndex: 'returns',
            width: 64,
            render: (v: number) => (v ? <Tag color="orange">{v}</Tag> : 0),
          },
          { title: '延期被驳回', dataIndex: 'extensionRefusals', width: 90 },
          { title: '重办', dataIndex: 'reopened', width: 64 },
          {
            title: '超期',
            dataIndex: 'overdue',
            width: 64,
            render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0),
          },
          { title: '办结', dataIndex: 'replied', width: 64 },
          { title: '逾期办结', dataIndex: 'repliedLate', width: 80 },
          { title: '逾期率', dataIndex: 'lateRate', width: 72, render: (v: number) => `${Math.round(v * 100)}%` },
          { title: '平均办结(小时)', dataIndex: 'avgReplyHours', width: 110, render: (v: number | null) => v ?? '—' },
          {
            title: '派单准确率',
            dataIndex: 'dispatchAccuracy',
            width: 96,
            render: (v: number | null, r) => (v === null ? '—' : `${Math.round(v * 100)}%（${r.firstDispatched}件）`),
          },
        ]}
      />
    </>
  );
}

function SentReminders() {
  const [rows, setRows] = useState<Reminder[]>([]);
  useEffect(() => {
    get<Reminder[]>('/api/reminders/sent')
      .then(setRows)
      .catch(() => undefined);
  }, []);
  return (
    <Table<Reminder>
      size="small"
      rowKey="id"
      dataSource={rows}
      data-testid="sent-reminders"
      columns={[
        { title: '事项', dataIndex: 'subject', ellipsis: true },
        {
          title: '催办对象',
          render: (_, r) => r.target.unitName ?? (r.target.role === 'specialist_seat' ? '本平台专席' : r.target.role),
        },
        { title: '内容', dataIndex: 'message', ellipsis: true },
        { title: '发出', dataIndex: 'sentAt', width: 140, render: fmtTime },
        {
          title: '阅读',
          width: 160,
          render: (_, r) =>
            r.readAt ? (
              <Tag color="green">
                {r.readBy} 已读 {fmtTime(r.readAt)}
              </Tag>
            ) : (
              <Tag color="orange">未读</Tag>
            ),
        },
      ]}
    />
  );
}

export function SupervisionPage() {
  const { desk } = useAuth();
  const hotline = desk?.desk !== 'dispatch';
  const soon = useMemo(() => new Date(Date.now() + 24 * 3600_000).toISOString(), []);
  const items = [
    ...(hotline
      ? [
          {
            key: 'overdue',
            label: '超期工单',
            children: (
              <OrdersTab initial={{ page: 1, pageSize: 20, overdue: true, open: true, sort: 'dueAt', order: 'asc' }} />
            ),
          },
          {
            key: 'soon',
            label: '24小时内到期',
            children: (
              <OrdersTab
                initial={{
                  page: 1,
                  pageSize: 20,
                  overdue: false,
                  open: true,
                  dueBefore: soon,
                  sort: 'dueAt',
                  order: 'asc',
                }}
              />
            ),
          },
        ]
      : []),
    { key: 'linkage', label: '超时对接事项', children: <LinkageQueue fixedTab="overdue" /> },
    { key: 'linkage-soon', label: '15分钟内将超时的对接事项', children: <LinkageQueue fixedTab="soon" /> },
    ...(hotline ? [{ key: 'units', label: '单位统计', children: <UnitFigures /> }] : []),
    { key: 'sent', label: '已发催办', children: <SentReminders /> },
  ];
  return (
    <Card size="small" title="督办">
      <Tabs items={items} data-testid="supervision-tabs" destroyOnHidden />
    </Card>
  );
}
