/**
 * 警情查询 (110 desk): every incident the reader may see, searched by number or words, status, category,
 * district and period, newest first; one opens in its drawer; the list as chosen exports to .xlsx. For the
 * supervisors and analysts who do not work the dispatch queues (the analyst reads callers masked).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Card, DatePicker, Input, Select, Space, Table, Tag } from 'antd';
import { errorText, get, type Page } from '../../api/client.ts';
import type { Incident } from '../../api/types.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { fmtShort } from '../../shared/format.ts';
import { ExportButton } from '../../shared/ExportButton.tsx';
import { IncidentActionModal } from './IncidentActionModal.tsx';
import { IncidentDrawer } from './IncidentDesk.tsx';
import { DENSE_TABLE } from '../../shared/dense-table.ts';

type Listed = Incident & { content: string; districtName: string | null; unitName: string | null; createdAt: string };
interface Query {
  page: number;
  pageSize: number;
  q?: string;
  status?: string[];
  category?: string;
  districtCode?: string;
  createdFrom?: string;
  createdTo?: string;
}

export function IncidentsQueryPage() {
  const { message } = App.useApp();
  const ref = useReference();
  const [query, setQuery] = useState<Query>({ page: 1, pageSize: 20 });
  const [data, setData] = useState<Page<Listed> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [act, setAct] = useState<{ incident: Incident; action: string } | null>(null);
  const [tick, setTick] = useState(0);
  const set = (patch: Partial<Query>) => setQuery({ ...query, ...patch, page: 1 });

  useEffect(() => {
    const ac = new AbortController();
    get<Page<Listed>>('/api/incidents', { ...query, order: 'desc' }, ac.signal)
      .then((p) => {
        setData(p);
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(errorText(e));
      });
    return () => ac.abort();
  }, [query, tick]);

  return (
    <Card
      size="small"
      title="警情查询"
      extra={
        <ExportButton
          path="/api/incidents/export.xlsx"
          query={{ ...query, order: 'desc' }}
          name="警情查询"
          testId="incident-export"
        />
      }
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search
          placeholder="警情号或内容"
          allowClear
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ width: 220 }}
          data-testid="incident-search"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="状态"
          style={{ minWidth: 200 }}
          maxTagCount={3}
          options={enumOptions(ref.enums.incidentStatuses)}
          onChange={(v: string[]) => set({ status: v.length ? v : undefined })}
        />
        <Select
          allowClear
          placeholder="类别"
          style={{ width: 140 }}
          options={enumOptions(ref.enums.incidentCategories)}
          onChange={(v?: string) => set({ category: v })}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="区县"
          style={{ width: 140 }}
          options={ref.districts.map((d) => ({ value: d.code, label: d.name }))}
          onChange={(v?: string) => set({ districtCode: v })}
        />
        <DatePicker.RangePicker
          placeholder={['接警起', '接警止']}
          style={{ width: 230 }}
          onChange={(r) =>
            set({
              createdFrom: r?.[0]?.startOf('day').toDate().toISOString(),
              createdTo: r?.[1]?.add(1, 'day').startOf('day').toDate().toISOString(),
            })
          }
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Table<Listed>
        {...DENSE_TABLE}
        rowKey="id"
        data-testid="incident-query-table"
        dataSource={data?.items ?? []}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          onChange: (p, ps) => setQuery({ ...query, page: p, pageSize: ps }),
        }}
        columns={[
          {
            title: '警情号',
            dataIndex: 'no',
            width: 170,
            render: (v: string) => (
              <span translate="no" style={{ whiteSpace: 'nowrap' }}>
                {v}
              </span>
            ),
          },
          { title: '接警时间', dataIndex: 'createdAt', width: 110, render: (v: string) => fmtShort(v) },
          {
            title: '等级',
            dataIndex: 'priority',
            width: 56,
            render: (p: number) => <Tag color={p === 1 ? 'red' : p === 2 ? 'orange' : 'default'}>{p}级</Tag>,
          },
          { title: '类别', dataIndex: 'categoryLabel', width: 88, ellipsis: true },
          {
            title: '内容',
            dataIndex: 'content',
            ellipsis: true,
            render: (v: string, r) => (
              <span>
                {r.exercise && <Tag color="cyan">演练</Tag>}
                {v}
              </span>
            ),
          },
          { title: '区县', dataIndex: 'districtName', width: 76, ellipsis: true },
          { title: '状态', dataIndex: 'statusLabel', width: 70 },
          { title: '处警单位', dataIndex: 'unitName', width: 120, ellipsis: true },
        ]}
      />
      {act && (
        <IncidentActionModal
          incident={act.incident}
          action={act.action}
          onClose={() => setAct(null)}
          onDone={() => {
            setAct(null);
            message.success('操作成功');
            setTick((t) => t + 1);
          }}
        />
      )}
      {open && (
        <IncidentDrawer
          id={open}
          onClose={() => setOpen(null)}
          onAct={(incident, action) => setAct({ incident, action })}
          version={tick}
        />
      )}
    </Card>
  );
}
