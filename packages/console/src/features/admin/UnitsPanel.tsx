/** 单位管理: every unit that handles orders or incidents, searched on the server; new units, changes, disabling. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { api, get, post } from '../../api/client.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { UnitSelect } from '../../shared/UnitSelect.tsx';
import { useDebounced } from '../../shared/useDebounced.ts';
import { messageOf } from './labels.ts';

interface AdminUnit {
  id: string;
  name: string;
  kind: string;
  desk: string;
  districtCode: string | null;
  districtName: string | null;
  streetCode: string | null;
  streetName: string | null;
  parentId: string | null;
  parentName: string | null;
  active: boolean;
  userCount: number;
}
interface Street {
  code: string;
  name: string;
}

/** Kinds sitting in a district, and those in a street (the server checks the same). */
const IN_DISTRICT = new Set([
  'district_agency',
  'district_department',
  'street_office',
  'police_bureau',
  'police_station',
]);
const IN_STREET = new Set(['street_office', 'police_station']);
const PAGE = 15;

interface FormValues {
  id?: string;
  name: string;
  kind: string;
  districtCode?: string;
  streetCode?: string;
  parentId?: string;
}

export function UnitsPanel() {
  const { message } = App.useApp();
  const { enums, districts } = useReference();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const [kind, setKind] = useState<string | undefined>();
  const [district, setDistrict] = useState<string | undefined>();
  const [active, setActive] = useState<'all' | 'on' | 'off'>('all');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: AdminUnit[]; total: number }>({ items: [], total: 0 });
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AdminUnit | 'new' | null>(null);
  const [streets, setStreets] = useState<Street[]>([]);
  const [form] = Form.useForm<FormValues>();
  const formKind = Form.useWatch('kind', form);
  const formDistrict = Form.useWatch('districtCode', form);

  const load = useCallback(() => {
    void get<{ items: AdminUnit[]; total: number }>('/api/admin/units', {
      q: dq.trim() || undefined,
      kind,
      districtCode: district,
      active: active === 'all' ? undefined : active === 'on',
      page,
      pageSize: PAGE,
    })
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [dq, kind, district, active, page]);
  useEffect(load, [load]);
  useEffect(() => setPage(1), [dq, kind, district, active]);
  useEffect(() => {
    if (!formDistrict) return setStreets([]);
    void get<Street[]>(`/api/reference/districts/${formDistrict}/streets`)
      .then(setStreets)
      .catch(() => setStreets([]));
  }, [formDistrict]);

  const open = (u: AdminUnit | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u !== 'new')
      form.setFieldsValue({
        name: u.name,
        kind: u.kind,
        districtCode: u.districtCode ?? undefined,
        streetCode: u.streetCode ?? undefined,
        parentId: u.parentId ?? undefined,
      });
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') {
        await post('/api/admin/units', {
          id: v.id!.trim(),
          name: v.name.trim(),
          kind: v.kind,
          districtCode: v.districtCode || undefined,
          streetCode: v.streetCode || undefined,
          parentId: v.parentId || undefined,
        });
        message.success(`已新增单位“${v.name.trim()}”，即可派单`);
      } else if (editing) {
        await api('PATCH', `/api/admin/units/${editing.id}`, {
          name: v.name.trim(),
          districtCode: v.districtCode || null,
          streetCode: v.streetCode || null,
          parentId: v.parentId || null,
        });
        message.success('已保存');
      }
      setEditing(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const toggle = async (u: AdminUnit) => {
    try {
      await api('PATCH', `/api/admin/units/${u.id}`, { active: !u.active });
      message.success(u.active ? `已停用“${u.name}”，不再接收新的派单` : `已启用“${u.name}”`);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const kindLabel = (k: string) => enums.unitKinds?.[k] ?? k;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Space wrap>
        <Input
          placeholder="单位名称或编码"
          allowClear
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 220 }}
          data-testid="unit-search"
        />
        <Select
          placeholder="全部类型"
          allowClear
          value={kind}
          onChange={setKind}
          options={enumOptions(enums.unitKinds)}
          style={{ width: 160 }}
        />
        <Select
          placeholder="全部区县"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          value={district}
          onChange={setDistrict}
          options={districts.map((d) => ({ value: d.code, label: d.name }))}
          style={{ width: 160 }}
        />
        <Select
          value={active}
          onChange={setActive}
          options={[
            { value: 'all', label: '全部状态' },
            { value: 'on', label: '启用' },
            { value: 'off', label: '停用' },
          ]}
          style={{ width: 110 }}
        />
        <Button type="primary" onClick={() => open('new')} data-testid="new-unit">
          新增单位
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={data.items}
        data-testid="units"
        pagination={{
          current: page,
          pageSize: PAGE,
          total: data.total,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共${n}个单位`,
        }}
        columns={[
          { title: '单位名称', dataIndex: 'name', ellipsis: true },
          {
            title: '编码',
            dataIndex: 'id',
            width: 170,
            // No cell title: Ant Design would copy the code into the cell's title, outside translate="no".
            ellipsis: { showTitle: false },
            render: (s: string) => <span translate="no">{s}</span>,
          },
          { title: '类型', dataIndex: 'kind', width: 120, render: kindLabel },
          {
            title: '所在区县、街道',
            key: 'place',
            width: 190,
            ellipsis: true,
            render: (_: unknown, u: AdminUnit) => [u.districtName, u.streetName].filter(Boolean).join(' ') || '—',
          },
          {
            title: '上级单位',
            dataIndex: 'parentName',
            width: 170,
            ellipsis: true,
            render: (n: string | null) => n ?? '—',
          },
          { title: '用户', dataIndex: 'userCount', width: 60 },
          {
            title: '状态',
            dataIndex: 'active',
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            key: 'act',
            width: 140,
            render: (_: unknown, u: AdminUnit) => (
              <Space size="small">
                <Button size="small" onClick={() => open(u)}>
                  修改
                </Button>
                <Button size="small" danger={u.active} onClick={() => void toggle(u)}>
                  {u.active ? '停用' : '启用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增单位' : `修改单位：${editing?.name ?? ''}`}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="unit-form">
          {editing === 'new' && (
            <Form.Item
              name="id"
              label="单位编码"
              extra={
                <>
                  全市唯一，小写字母、数字或 . _ -，如 <span translate="no">d500103.sports</span>（新增后不可修改）
                </>
              }
              rules={[
                { required: true, message: '请填写单位编码' },
                { pattern: /^[a-z0-9][a-z0-9_.-]{1,63}$/, message: '单位编码须为2～64位小写字母、数字或 . _ -' },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item
            name="name"
            label="单位名称"
            rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label="单位类型" rules={[{ required: true, message: '请选择单位类型' }]}>
            <Select options={enumOptions(enums.unitKinds)} disabled={editing !== 'new'} data-testid="unit-kind" />
          </Form.Item>
          {formKind && IN_DISTRICT.has(formKind) && (
            <Form.Item name="districtCode" label="所在区县" rules={[{ required: true, message: '请选择区县' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={districts.map((d) => ({ value: d.code, label: d.name }))}
                onChange={() => form.setFieldValue('streetCode', undefined)}
                data-testid="unit-district"
              />
            </Form.Item>
          )}
          {formKind && IN_STREET.has(formKind) && (
            <Form.Item
              name="streetCode"
              label="所在街道（镇、乡）"
              rules={[{ required: formKind === 'street_office', message: '请选择街道' }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                allowClear
                options={streets.map((s) => ({ value: s.code, label: s.name }))}
              />
            </Form.Item>
          )}
          <Form.Item name="parentId" label="上级单位">
            <UnitSelect testId="unit-parent" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
