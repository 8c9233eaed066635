/** 派单目录: the dispatch catalogue call-takers file orders under, two levels; new entries, renames, disabling. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { api, get, post } from '../../api/client.ts';
import { useReference } from '../../shared/reference.tsx';
import { messageOf } from './labels.ts';

interface AdminCategory {
  code: string;
  name: string;
  parentCode: string | null;
  defaultFunction: string | null;
  defaultUnitKind: string | null;
  active: boolean;
}
type Row = AdminCategory & { children?: Row[] };

const LEAD_KINDS = ['city_department', 'district_department', 'street_office', 'district_agency'];

export function CategoriesPanel() {
  const { message } = App.useApp();
  const { enums } = useReference();
  const [rows, setRows] = useState<AdminCategory[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<AdminCategory | 'new' | null>(null);
  const [form] = Form.useForm<Omit<AdminCategory, 'active'>>();
  const load = useCallback(() => {
    void get<AdminCategory[]>('/api/admin/categories')
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);
  const tree = useMemo(() => {
    const match = (c: AdminCategory) => !q || c.name.includes(q) || c.code.includes(q.toUpperCase());
    const tops = rows.filter((c) => !c.parentCode);
    return tops
      .map((t): Row => {
        const children = rows.filter((c) => c.parentCode === t.code && (match(c) || match(t)));
        return children.length ? { ...t, children } : { ...t };
      })
      .filter((t) => match(t) || t.children?.length);
  }, [rows, q]);
  const tops = rows.filter((c) => !c.parentCode);
  const kindLabel = (k: string | null) => (k ? (enums.unitKinds?.[k] ?? k) : '—');

  const open = (c: AdminCategory | 'new', parentCode?: string) => {
    setEditing(c);
    form.resetFields();
    if (c === 'new') form.setFieldsValue({ parentCode: parentCode ?? null });
    else form.setFieldsValue(c);
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') {
        await post('/api/admin/categories', {
          code: v.code.trim().toUpperCase(),
          name: v.name.trim(),
          parentCode: v.parentCode || undefined,
          defaultUnitKind: v.defaultUnitKind || undefined,
          defaultFunction: v.defaultFunction?.trim() || undefined,
        });
        message.success(`已新增派单目录“${v.name.trim()}”`);
      } else if (editing) {
        await api('PATCH', `/api/admin/categories/${editing.code}`, {
          name: v.name.trim(),
          defaultUnitKind: v.defaultUnitKind || null,
          defaultFunction: v.defaultFunction?.trim() || null,
        });
        message.success('已保存');
      }
      setEditing(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const toggle = async (c: AdminCategory) => {
    try {
      await api('PATCH', `/api/admin/categories/${c.code}`, { active: !c.active });
      message.success(c.active ? `已停用“${c.name}”，受理时不再可选` : `已启用“${c.name}”`);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Space>
        <Input.Search
          placeholder="目录名称或编码"
          allowClear
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          style={{ width: 220 }}
        />
        <Button type="primary" onClick={() => open('new')} data-testid="new-category">
          新增目录
        </Button>
      </Space>
      <Table<Row>
        size="small"
        rowKey="code"
        dataSource={tree}
        data-testid="categories"
        expandable={{ defaultExpandAllRows: false }}
        pagination={{ pageSize: 15, showSizeChanger: false, showTotal: () => `共${rows.length}个条目` }}
        columns={[
          { title: '目录名称', dataIndex: 'name', ellipsis: true },
          {
            title: '编码',
            dataIndex: 'code',
            width: 110,
            render: (s: string) => <span translate="no">{s}</span>,
          },
          { title: '主办单位类型', dataIndex: 'defaultUnitKind', width: 140, render: kindLabel },
          {
            title: '状态',
            dataIndex: 'active',
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            key: 'act',
            width: 220,
            render: (_: unknown, c: AdminCategory) => (
              <Space size="small">
                <Button size="small" onClick={() => open(c)}>
                  修改
                </Button>
                {!c.parentCode && (
                  <Button size="small" onClick={() => open('new', c.code)}>
                    添加下级
                  </Button>
                )}
                <Button size="small" danger={c.active} onClick={() => void toggle(c)}>
                  {c.active ? '停用' : '启用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增派单目录' : `修改派单目录：${editing?.name ?? ''}`}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="category-form">
          <Form.Item
            name="code"
            label="目录编码"
            rules={[
              { required: true, message: '请填写目录编码' },
              { pattern: /^[A-Za-z][A-Za-z0-9]{1,15}$/, message: '目录编码须为字母开头的2～16位字母或数字' },
            ]}
          >
            <Input disabled={editing !== 'new'} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="name"
            label="目录名称"
            rules={[{ required: true, whitespace: true, message: '请填写目录名称' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="parentCode" label="上级目录">
            <Select
              allowClear
              disabled={editing !== 'new'}
              placeholder="不选则为一级目录"
              showSearch={{ optionFilterProp: 'label' }}
              options={tops.map((t) => ({ value: t.code, label: t.name }))}
            />
          </Form.Item>
          <Form.Item name="defaultUnitKind" label="主办单位类型">
            <Select allowClear options={LEAD_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
          </Form.Item>
          <Form.Item
            name="defaultFunction"
            label="职能代码"
            extra={
              <>
                与单位编码的职能部分一致，如 <span translate="no">urban-mgmt</span>（城市管理）
              </>
            }
          >
            <Input autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
