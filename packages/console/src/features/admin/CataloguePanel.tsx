/**
 * 职责清单版本: the jurisdiction catalogue triage reads. Published versions are whole and never change;
 * the administrator copies the newest into a draft, edits its entries (as a quarterly 会商 agrees them),
 * then publishes the draft as the next version, in effect from its date.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, get, post } from '../../api/client.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { fmtTime } from '../../shared/format.ts';
import { messageOf } from './labels.ts';
import { usePeerLabel } from '../bridge/linkage-labels.ts';

interface VersionSummary {
  version: number;
  effectiveFrom: string;
  source: string;
  note: string | null;
  entryCount: number;
  createdAt: string;
}
/** An entry as stored; the form edits the common fields and keeps every other field as it was. */
interface Entry {
  code: string;
  name: string;
  kind: string;
  route: string;
  category: string;
  terms?: string[];
  patterns?: string[];
  cues?: string[];
  exclude?: string[];
  linked?: string[];
  needsConsultation?: boolean;
  guidance?: string;
  [field: string]: unknown;
}
interface Version {
  version: number;
  effectiveFrom: string;
  source: string;
  note?: string;
  entries: Entry[];
}
interface DraftSummary {
  id: string;
  basedOn: number;
  effectiveFrom: string;
  source: string;
  note: string | null;
  entryCount: number;
  createdByName: string | null;
  updatedByName: string | null;
  updatedAt: string;
}
interface Draft extends Omit<DraftSummary, 'entryCount'> {
  entries: Entry[];
}

type View = { kind: 'list' } | { kind: 'version'; version: number } | { kind: 'draft'; id: string };

const today = () => dayjs().format('YYYY-MM-DD');

/** A catalogue the other desk published that this desk could not install. */
interface PeerConflict {
  version: number;
  from: string;
  at: string;
  source: string | null;
  newestHere: number | null;
}

export function CataloguePanel() {
  const [view, setView] = useState<View>({ kind: 'list' });
  if (view.kind === 'version') return <VersionView version={view.version} onBack={() => setView({ kind: 'list' })} />;
  if (view.kind === 'draft') return <DraftEditor id={view.id} onBack={() => setView({ kind: 'list' })} />;
  return (
    <VersionList
      onOpenVersion={(version) => setView({ kind: 'version', version })}
      onOpenDraft={(id) => setView({ kind: 'draft', id })}
    />
  );
}

function VersionList({
  onOpenVersion,
  onOpenDraft,
}: {
  onOpenVersion: (v: number) => void;
  onOpenDraft: (id: string) => void;
}) {
  const { message } = App.useApp();
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [conflicts, setConflicts] = useState<PeerConflict[]>([]);
  const peerName = usePeerLabel();
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ effectiveFrom: Dayjs; source: string; note?: string }>();
  const load = useCallback(() => {
    void Promise.all([
      get<VersionSummary[]>('/api/admin/triage-catalogue'),
      get<DraftSummary[]>('/api/admin/triage-catalogue/drafts'),
      get<PeerConflict[]>('/api/admin/triage-catalogue/peer-conflicts'),
    ])
      .then(([v, d, c]) => {
        setVersions(v);
        setDrafts(d);
        setConflicts(c);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);
  // The version in effect: the newest whose date has come (the server's rule, in Beijing time).
  const current = versions.find((v) => v.effectiveFrom <= today())?.version;
  const newest = versions[0]?.version;
  const create = async () => {
    const v = await form.validateFields();
    try {
      const d = await post<Draft>('/api/admin/triage-catalogue/drafts', {
        effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        source: v.source.trim(),
        note: v.note?.trim() || undefined,
      });
      message.success(`已以第${d.basedOn}版为底稿新建草稿`);
      setCreating(false);
      onOpenDraft(d.id);
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const discard = async (d: DraftSummary) => {
    try {
      await api('DELETE', `/api/admin/triage-catalogue/drafts/${d.id}`);
      message.success('已放弃草稿');
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const status = (v: VersionSummary) => {
    if (v.version === current) return <Tag color="green">现行</Tag>;
    if (v.effectiveFrom > today()) return <Tag color="blue">待生效</Tag>;
    return <Tag>已被取代</Tag>;
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="catalogue-page">
      {error && <Alert type="error" showIcon title={error} />}
      {conflicts.map((c) => (
        <Alert
          key={`${c.from}-${c.version}-${c.at}`}
          type="warning"
          showIcon
          data-testid="catalogue-peer-conflict"
          title={`${peerName(c.from)}于${fmtTime(c.at)}发布的职责清单第${c.version}版未能在本方安装`}
          description={`本方已有第${c.version}版或更新的版本（本方最新为第${c.newestHere ?? '—'}版），两平台目前可能按不同版本研判${
            c.source ? `；对方依据：${c.source}` : ''
          }。请与对方会商，由一方以高于双方现有版本的编号发布新版本，对方平台收到后即同步安装。`}
        />
      ))}
      <Typography.Text type="secondary">
        分流研判依据生效日期已到的最新版本。已发布的版本不再修改；调整清单请以最新版本为底稿新建草稿，修改条目后发布为下一版本。
      </Typography.Text>
      <Space>
        <Typography.Text strong>草稿</Typography.Text>
        <Button
          type="primary"
          disabled={newest === undefined}
          onClick={() => {
            form.resetFields();
            form.setFieldsValue({ effectiveFrom: dayjs() });
            setCreating(true);
          }}
          data-testid="new-catalogue-draft"
        >
          以第{newest ?? ''}版为底稿新建草稿
        </Button>
      </Space>
      <Table<DraftSummary>
        size="small"
        rowKey="id"
        dataSource={drafts}
        pagination={false}
        data-testid="catalogue-drafts"
        locale={{ emptyText: '没有未发布的草稿' }}
        columns={[
          { title: '底稿', dataIndex: 'basedOn', width: 80, render: (v: number) => `第${v}版` },
          { title: '拟生效日期', dataIndex: 'effectiveFrom', width: 110 },
          { title: '依据', dataIndex: 'source', ellipsis: true },
          { title: '条目数', dataIndex: 'entryCount', width: 70 },
          {
            title: '最后修改',
            key: 'by',
            width: 200,
            render: (_: unknown, d) => `${d.updatedByName ?? ''} ${fmtTime(d.updatedAt)}`,
          },
          {
            title: '操作',
            key: 'act',
            width: 160,
            render: (_: unknown, d) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => onOpenDraft(d.id)}>
                  继续编辑
                </Button>
                <Popconfirm
                  title="放弃这份草稿？其中的修改将丢失"
                  okText="放弃草稿"
                  cancelText="保留"
                  onConfirm={() => void discard(d)}
                >
                  <Button size="small" danger>
                    放弃
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Typography.Text strong>已发布版本</Typography.Text>
      <Table<VersionSummary>
        size="small"
        rowKey="version"
        dataSource={versions}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        data-testid="catalogue-versions"
        columns={[
          { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => `第${v}版` },
          { title: '状态', key: 'status', width: 90, render: (_: unknown, v) => status(v) },
          { title: '生效日期', dataIndex: 'effectiveFrom', width: 110 },
          { title: '依据', dataIndex: 'source', ellipsis: true },
          { title: '条目数', dataIndex: 'entryCount', width: 70 },
          { title: '发布时间', dataIndex: 'createdAt', width: 150, render: (t: string) => fmtTime(t) },
          {
            title: '操作',
            key: 'act',
            width: 70,
            render: (_: unknown, v) => (
              <Button size="small" onClick={() => onOpenVersion(v.version)}>
                查看
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={`以第${newest ?? ''}版为底稿新建草稿`}
        okText="新建草稿"
        cancelText="取消"
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="catalogue-draft-form">
          <DraftHeaderFields />
        </Form>
      </Modal>
    </Space>
  );
}

function DraftHeaderFields() {
  return (
    <>
      <Form.Item name="effectiveFrom" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="source"
        label="依据"
        rules={[{ required: true, whitespace: true, message: '请写明依据，如“2026年第四季度12345与110联席会商”' }]}
      >
        <Input maxLength={500} placeholder="如：2026年第四季度12345与110联席会商" />
      </Form.Item>
      <Form.Item name="note" label="说明">
        <Input.TextArea maxLength={2000} rows={2} placeholder="本版的主要变化" />
      </Form.Item>
    </>
  );
}

/** Labels of an entry's kind, route and category (dispatch-catalogue codes or incident categories). */
function useLabels() {
  const { enums, categories } = useReference();
  return useMemo(() => {
    const names = new Map(categories.map((c) => [c.code, c.name]));
    return {
      kind: (k: string) => enums.catalogueEntryKinds?.[k] ?? k,
      route: (r: string) => enums.triageRoutes?.[r] ?? r,
      category: (c: string) => names.get(c) ?? enums.incidentCategories?.[c] ?? c,
    };
  }, [enums, categories]);
}

function EntriesTable({
  entries,
  actions,
  testId,
}: {
  entries: Entry[];
  actions?: (e: Entry) => ReactNode;
  testId: string;
}) {
  const labels = useLabels();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const shown = useMemo(() => {
    const t = q.trim();
    if (!t) return entries;
    return entries.filter(
      (e) =>
        e.name.includes(t) ||
        e.code.includes(t.toUpperCase()) ||
        (e.terms ?? []).some((w) => w.includes(t)) ||
        (e.cues ?? []).some((w) => w.includes(t)),
    );
  }, [entries, q]);
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Input.Search
        placeholder="条目名称、编码或词语"
        allowClear
        onSearch={(v) => {
          setQ(v);
          setPage(1);
        }}
        onChange={(e) => !e.target.value && setQ('')}
        style={{ width: 260 }}
        data-testid={`${testId}-search`}
      />
      <Table<Entry>
        size="small"
        rowKey="code"
        dataSource={shown}
        data-testid={testId}
        pagination={{
          pageSize: 15,
          current: page,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共${n}个条目`,
        }}
        columns={[
          {
            title: '编码',
            dataIndex: 'code',
            width: 150,
            render: (s: string) => <span translate="no">{s}</span>,
          },
          { title: '名称', dataIndex: 'name', ellipsis: true },
          { title: '类型', dataIndex: 'kind', width: 140, render: labels.kind },
          {
            title: '去向',
            dataIndex: 'route',
            width: 120,
            render: (r: string, e) => (
              <Space size={2}>
                {labels.route(r)}
                {e.needsConsultation && <Tag color="orange">会商</Tag>}
              </Space>
            ),
          },
          { title: '分类', dataIndex: 'category', width: 150, ellipsis: true, render: labels.category },
          {
            title: '识别词语',
            key: 'terms',
            ellipsis: true,
            // Format 1 entries match regular expressions, shown as code.
            render: (_: unknown, e) =>
              e.terms ? e.terms.join('、') : <span translate="no">{(e.patterns ?? []).join(' | ')}</span>,
          },
          ...(actions ? [{ title: '操作', key: 'act', width: 120, render: (_: unknown, e: Entry) => actions(e) }] : []),
        ]}
      />
    </Space>
  );
}

function VersionView({ version, onBack }: { version: number; onBack: () => void }) {
  const [v, setV] = useState<Version | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void get<Version>(`/api/admin/triage-catalogue/${version}`)
      .then(setV)
      .catch((e) => setError(messageOf(e)));
  }, [version]);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="catalogue-version">
      <Space>
        <Button onClick={onBack}>返回版本列表</Button>
        <Typography.Text strong>职责清单第{version}版</Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {v && (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'from', label: '生效日期', children: v.effectiveFrom },
              { key: 'count', label: '条目数', children: v.entries.length },
              { key: 'source', label: '依据', children: v.source, span: 2 },
              ...(v.note ? [{ key: 'note', label: '说明', children: v.note, span: 2 }] : []),
            ]}
          />
          <EntriesTable entries={v.entries} testId="catalogue-entries" />
        </>
      )}
    </Space>
  );
}

interface EntryForm {
  code: string;
  name: string;
  kind: string;
  route: string;
  category: string;
  terms: string[];
  cues: string[];
  exclude: string[];
  linked: string[];
  needsConsultation: boolean;
  guidance?: string;
}

function DraftEditor({ id, onBack }: { id: string; onBack: () => void }) {
  const { message } = App.useApp();
  const { enums, categories } = useReference();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [newest, setNewest] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Entry | 'new' | null>(null);
  const [editingHeader, setEditingHeader] = useState(false);
  const [form] = Form.useForm<EntryForm>();
  const [header] = Form.useForm<{ effectiveFrom: Dayjs; source: string; note?: string }>();
  const load = useCallback(() => {
    void Promise.all([
      get<Draft>(`/api/admin/triage-catalogue/drafts/${id}`),
      get<VersionSummary[]>('/api/admin/triage-catalogue'),
    ])
      .then(([d, v]) => {
        setDraft(d);
        setNewest(v[0]?.version ?? null);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [id]);
  useEffect(load, [load]);
  const categoryOptions = useMemo(
    () => [
      {
        label: '12345派单目录',
        options: categories.filter((c) => c.parentCode).map((c) => ({ value: c.code, label: c.name })),
      },
      { label: '110警情类别', options: enumOptions(enums.incidentCategories) },
    ],
    [categories, enums],
  );

  const open = (e: Entry | 'new') => {
    setEditing(e);
    form.resetFields();
    form.setFieldsValue(
      e === 'new'
        ? { kind: 'hotline', route: '12345', terms: [], cues: [], exclude: [], linked: [], needsConsultation: false }
        : {
            ...e,
            terms: e.terms ?? [],
            cues: e.cues ?? [],
            exclude: e.exclude ?? [],
            linked: e.linked ?? [],
            needsConsultation: e.needsConsultation ?? false,
          },
    );
  };
  const saveEntry = async () => {
    const v = await form.validateFields();
    const base: Entry = editing && editing !== 'new' ? editing : ({} as Entry);
    const code = (editing === 'new' ? v.code : base.code).trim().toUpperCase();
    // The fields this form does not show (harm, context, linkedIf, …) are kept as they were.
    const entry: Entry = {
      ...base,
      code,
      name: v.name.trim(),
      kind: v.kind,
      route: v.route,
      category: v.category,
      terms: v.terms.map((t) => t.trim()).filter(Boolean),
    };
    const list = (k: 'cues' | 'exclude' | 'linked', xs: string[]) => {
      const clean = xs.map((t) => t.trim()).filter(Boolean);
      if (clean.length) entry[k] = clean;
      else delete entry[k];
    };
    list('cues', v.cues);
    list('exclude', v.exclude);
    list('linked', v.linked);
    if (v.needsConsultation) entry.needsConsultation = true;
    else delete entry.needsConsultation;
    if (v.guidance?.trim()) entry.guidance = v.guidance.trim();
    else delete entry.guidance;
    try {
      const d = await api<Draft>('PUT', `/api/admin/triage-catalogue/drafts/${id}/entries/${code}`, entry);
      setDraft(d);
      message.success(editing === 'new' ? `已在草稿中新增条目“${entry.name}”` : `已修改条目“${entry.name}”`);
      setEditing(null);
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const remove = async (e: Entry) => {
    try {
      setDraft(await api<Draft>('DELETE', `/api/admin/triage-catalogue/drafts/${id}/entries/${e.code}`));
      message.success(`已从草稿中删除条目“${e.name}”`);
    } catch (err) {
      message.error(messageOf(err));
    }
  };
  const saveHeader = async () => {
    const v = await header.validateFields();
    try {
      setDraft(
        await api<Draft>('PATCH', `/api/admin/triage-catalogue/drafts/${id}`, {
          effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
          source: v.source.trim(),
          note: v.note?.trim() || null,
        }),
      );
      message.success('已保存草稿信息');
      setEditingHeader(false);
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const publish = async () => {
    try {
      const { version } = await post<{ version: number }>(`/api/admin/triage-catalogue/drafts/${id}/publish`, {});
      const from = draft?.effectiveFrom ?? '';
      message.success(
        from <= today()
          ? `已发布职责清单第${version}版，分流研判即日起依据此版`
          : `已发布职责清单第${version}版，自 ${from} 起用于分流研判`,
      );
      onBack();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const outdated = draft !== null && newest !== null && draft.basedOn !== newest;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="catalogue-draft">
      <Space wrap>
        <Button onClick={onBack}>返回版本列表</Button>
        <Typography.Text strong>
          职责清单草稿{draft ? `（以第${draft.basedOn}版为底稿，发布后为第${(newest ?? draft.basedOn) + 1}版）` : ''}
        </Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {outdated && (
        <Alert
          type="warning"
          showIcon
          title={`草稿的底稿第${draft.basedOn}版已不是最新版本（最新为第${newest}版），发布会覆盖新版本的修改，不能发布。请放弃此草稿，以最新版本重新建立。`}
        />
      )}
      {draft && (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            data-testid="catalogue-draft-header"
            items={[
              { key: 'from', label: '生效日期', children: draft.effectiveFrom },
              { key: 'count', label: '条目数', children: draft.entries.length },
              { key: 'source', label: '依据', children: draft.source, span: 2 },
              { key: 'note', label: '说明', children: draft.note ?? '—', span: 2 },
            ]}
          />
          <Space>
            <Button
              onClick={() => {
                header.setFieldsValue({
                  effectiveFrom: dayjs(draft.effectiveFrom),
                  source: draft.source,
                  note: draft.note ?? undefined,
                });
                setEditingHeader(true);
              }}
            >
              修改生效日期与依据
            </Button>
            <Button onClick={() => open('new')} data-testid="new-catalogue-entry">
              新增条目
            </Button>
            <Popconfirm
              title={`发布为职责清单第${(newest ?? draft.basedOn) + 1}版？`}
              description={`自 ${draft.effectiveFrom} 起，分流研判依据此版`}
              okText="发布"
              cancelText="再看看"
              onConfirm={() => void publish()}
              disabled={outdated}
            >
              <Button type="primary" disabled={outdated} data-testid="publish-catalogue-draft">
                发布
              </Button>
            </Popconfirm>
          </Space>
          <EntriesTable
            entries={draft.entries}
            testId="catalogue-draft-entries"
            actions={(e) => (
              <Space size={4}>
                {/* A format-1 entry (regular expressions) is replaced by a new entry in words, not edited. */}
                {e.terms && (
                  <Button size="small" onClick={() => open(e)}>
                    修改
                  </Button>
                )}
                <Popconfirm
                  title={`从草稿中删除“${e.name}”？`}
                  okText="删除"
                  cancelText="保留"
                  onConfirm={() => void remove(e)}
                >
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            )}
          />
        </>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增条目' : '修改条目'}
        okText="保存"
        cancelText="取消"
        width={720}
        onOk={() => void saveEntry()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="catalogue-entry-form">
          <Space align="start" style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
            <Form.Item
              name="code"
              label="条目编码"
              rules={[
                { required: true, message: '请填写编码' },
                { pattern: /^[A-Za-z][A-Za-z0-9-]{1,31}$/, message: '字母开头，2至32位字母、数字或连字符' },
              ]}
              extra={
                <>
                  如 <span translate="no">H-DRONE</span>（新增后不可修改）
                </>
              }
            >
              <Input disabled={editing !== 'new'} maxLength={32} />
            </Form.Item>
            <Form.Item
              name="name"
              label="条目名称"
              rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Space>
          <Space align="start" style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
            <Form.Item name="kind" label="事项类型" rules={[{ required: true }]}>
              <Select options={enumOptions(enums.catalogueEntryKinds)} data-testid="entry-kind" />
            </Form.Item>
            <Form.Item name="route" label="去向" rules={[{ required: true }]}>
              <Select options={enumOptions(enums.triageRoutes)} data-testid="entry-route" />
            </Form.Item>
            <Form.Item name="category" label="分类" rules={[{ required: true, message: '请选择分类' }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={categoryOptions}
                data-testid="entry-category"
                style={{ minWidth: 180 }}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="terms"
            label="识别词语（事件）"
            rules={[{ required: true, type: 'array', min: 1, message: '至少填写一个词语' }]}
            extra="每个词语输入后按回车；“放…无人机”表示同一分句中先后出现的两部分"
          >
            <Select mode="tags" open={false} tokenSeparators={['，', ',', '、']} data-testid="entry-terms" />
          </Form.Item>
          <Form.Item name="cues" label="线索（地点、物品，作为辅助依据）">
            <Select mode="tags" open={false} tokenSeparators={['，', ',', '、']} data-testid="entry-cues" />
          </Form.Item>
          <Form.Item name="exclude" label="排除词语（同一句出现则不算）">
            <Select mode="tags" open={false} tokenSeparators={['，', ',', '、']} />
          </Form.Item>
          <Space align="start" style={{ width: '100%' }} styles={{ item: { flex: 1 } }}>
            <Form.Item name="linked" label="同时联动">
              <Select mode="multiple" options={enumOptions(enums.triageRoutes)} />
            </Form.Item>
            <Form.Item name="needsConsultation" valuePropName="checked" label="职责边界">
              <Checkbox>需三方会商确认</Checkbox>
            </Form.Item>
          </Space>
          <Form.Item name="guidance" label="答复口径（引导解释时告诉来电人的话）">
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editingHeader}
        title="修改生效日期与依据"
        okText="保存"
        cancelText="取消"
        onOk={() => void saveHeader()}
        onCancel={() => setEditingHeader(false)}
        destroyOnHidden
      >
        <Form form={header} layout="vertical">
          <DraftHeaderFields />
        </Form>
      </Modal>
    </Space>
  );
}
