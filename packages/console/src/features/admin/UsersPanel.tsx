/**
 * 用户与角色: every user with role, scope and the desks they log in on; new users, changes, password
 * resets, disabling, lifting a lock-out, resetting a lost authenticator.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tag, Tooltip } from 'antd';
import { api, get, post } from '../../api/client.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { UnitSelect } from '../../shared/UnitSelect.tsx';
import { fmtTime } from '../../shared/format.ts';
import { messageOf } from './labels.ts';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  unitId: string | null;
  unitName: string | null;
  districtCode: string | null;
  districtName: string | null;
  active: boolean;
  createdAt: string;
  desks: ('hotline' | 'dispatch')[];
  totpEnabled: boolean;
  lockedUntil: string | null;
}

/** The two desks a user may be bound to (users.desks). */
export const DESK_OPTIONS = [
  { value: 'hotline', label: '12345热线' },
  { value: 'dispatch', label: '110报警服务台' },
];
const deskLabel = (d: string) => DESK_OPTIONS.find((o) => o.value === d)?.label ?? d;

/** Which roles need a unit or a district (the server checks the same). */
const NEEDS_UNIT = new Set(['department_handler']);
const NEEDS_DISTRICT = new Set(['district_agency']);

interface FormValues {
  username?: string;
  displayName: string;
  password?: string;
  role: string;
  unitId?: string;
  districtCode?: string;
  desks?: string[];
}

export function UsersPanel() {
  const { message, modal } = App.useApp();
  const { enums, districts } = useReference();
  const [rows, setRows] = useState<AdminUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const formRole = Form.useWatch('role', form);
  const load = useCallback(() => {
    void get<AdminUser[]>('/api/admin/users')
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);

  const shown = useMemo(
    () =>
      rows.filter(
        (u) => (!role || u.role === role) && (!q || u.displayName.includes(q) || u.username.includes(q.toLowerCase())),
      ),
    [rows, q, role],
  );
  const roleCounts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const u of rows) if (u.active) c[u.role] = (c[u.role] ?? 0) + 1;
    return c;
  }, [rows]);

  const open = (u: AdminUser | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u !== 'new')
      form.setFieldsValue({
        displayName: u.displayName,
        role: u.role,
        unitId: u.unitId ?? undefined,
        districtCode: u.districtCode ?? undefined,
        desks: u.desks,
      });
  };
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      if (editing === 'new') {
        await post('/api/admin/users', {
          username: v.username!.trim(),
          displayName: v.displayName.trim(),
          password: v.password!,
          role: v.role,
          unitId: v.unitId || undefined,
          districtCode: v.districtCode || undefined,
          // none ticked: the role's desks (the server's default)
          ...(v.desks?.length ? { desks: v.desks } : {}),
        });
        message.success(`已新建用户“${v.displayName.trim()}”`);
      } else if (editing) {
        await api('PATCH', `/api/admin/users/${editing.id}`, {
          displayName: v.displayName.trim(),
          role: v.role,
          unitId: v.unitId || null,
          districtCode: v.districtCode || null,
          ...(v.desks?.length ? { desks: v.desks } : {}),
          ...(v.password ? { password: v.password } : {}),
        });
        message.success(v.password ? '已保存，密码已重置，该用户须重新登录' : '已保存');
      }
      setEditing(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };
  const setActive = async (u: AdminUser, active: boolean) => {
    try {
      await api('PATCH', `/api/admin/users/${u.id}`, { active });
      message.success(active ? `已启用“${u.displayName}”` : `已停用“${u.displayName}”，其登录已失效`);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  const unlock = async (u: AdminUser) => {
    try {
      await post(`/api/admin/users/${u.id}/unlock`);
      message.success(`已解除“${u.displayName}”的登录锁定`);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const resetTotp = (u: AdminUser) =>
    modal.confirm({
      title: `重置“${u.displayName}”的动态验证码？`,
      content: '用于手机丢失或更换：其登录随即失效，下次登录时重新绑定。',
      okText: '重置',
      cancelText: '取消',
      onOk: async () => {
        try {
          await post(`/api/admin/users/${u.id}/totp/reset`);
          message.success(`已重置“${u.displayName}”的动态验证码`);
          load();
        } catch (e) {
          message.error(messageOf(e));
        }
      },
    });

  const roleLabel = (r: string) => enums.roles?.[r] ?? r;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Space wrap>
        <Input.Search
          placeholder="姓名或用户名"
          allowClear
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          style={{ width: 220 }}
        />
        <Select
          placeholder="全部角色"
          allowClear
          value={role}
          onChange={setRole}
          options={enumOptions(enums.roles)}
          style={{ width: 180 }}
        />
        <Button type="primary" onClick={() => open('new')} data-testid="new-user">
          新建用户
        </Button>
      </Space>
      <Space wrap size={[8, 4]} data-testid="role-counts">
        {Object.entries(enums.roles ?? {}).map(([k, label]) => (
          <Tag key={k} color={role === k ? 'blue' : undefined} style={{ cursor: 'pointer' }} onClick={() => setRole(k)}>
            {label} {roleCounts[k] ?? 0}人
          </Tag>
        ))}
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={shown}
        data-testid="users"
        pagination={{ pageSize: 15, showSizeChanger: false, showTotal: (n) => `共${n}人` }}
        columns={[
          { title: '姓名', dataIndex: 'displayName', width: 120 },
          {
            title: '用户名',
            dataIndex: 'username',
            width: 130,
            render: (s: string) => <span translate="no">{s}</span>,
          },
          { title: '角色', dataIndex: 'role', width: 130, render: roleLabel },
          {
            title: '工作平台',
            dataIndex: 'desks',
            width: 150,
            render: (d: string[]) => d.map(deskLabel).join('、'),
          },
          {
            title: '所属单位或区县',
            key: 'scope',
            ellipsis: true,
            render: (_: unknown, u: AdminUser) => u.unitName ?? u.districtName ?? '—',
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 80,
            render: (a: boolean, u: AdminUser) => (
              <Space size={4}>
                {a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>}
                {u.lockedUntil && (
                  <Tooltip title={`多次登录失败，锁定至 ${fmtTime(u.lockedUntil)}`}>
                    <Tag color="red">锁定</Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          { title: '创建时间', dataIndex: 'createdAt', width: 150, render: fmtTime },
          {
            title: '操作',
            key: 'act',
            width: 160,
            render: (_: unknown, u: AdminUser) => (
              <Space size="small">
                <Button size="small" onClick={() => open(u)}>
                  修改
                </Button>
                <Button size="small" danger={u.active} onClick={() => void setActive(u, !u.active)}>
                  {u.active ? '停用' : '启用'}
                </Button>
                {u.lockedUntil && (
                  <Button size="small" onClick={() => void unlock(u)}>
                    解锁
                  </Button>
                )}
                {u.totpEnabled && (
                  <Button size="small" onClick={() => resetTotp(u)}>
                    重置验证码
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新建用户' : `修改用户：${editing?.displayName ?? ''}`}
        okText="保存"
        cancelText="取消"
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="user-form">
          {editing === 'new' && (
            <Form.Item
              name="username"
              label="用户名"
              extra="小写字母、数字，3～32位，登录时使用"
              rules={[
                { required: true, message: '请填写用户名' },
                { pattern: /^[a-z0-9][a-z0-9_.-]{2,31}$/, message: '用户名须为3～32位小写字母、数字或 . _ -' },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item
            name="displayName"
            label="姓名"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="password"
            label={editing === 'new' ? '初始密码' : '重置密码（不改则留空）'}
            extra="须足够长、混合大小写字母、数字和其他字符，不含用户名，不用常见密码"
            rules={[{ required: editing === 'new', message: '请填写初始密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select options={enumOptions(enums.roles)} data-testid="user-role" />
          </Form.Item>
          {formRole && NEEDS_DISTRICT.has(formRole) && (
            <Form.Item name="districtCode" label="区县" rules={[{ required: true, message: '请选择区县' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={districts.map((d) => ({ value: d.code, label: d.name }))}
                data-testid="user-district"
              />
            </Form.Item>
          )}
          <Form.Item
            name="unitId"
            label="所属单位"
            rules={[{ required: Boolean(formRole && NEEDS_UNIT.has(formRole)), message: '请选择所属单位' }]}
          >
            <UnitSelect testId="user-unit" />
          </Form.Item>
          <Form.Item
            name="desks"
            label="工作平台"
            extra={
              editing === 'new'
                ? '可登录的平台；不勾选则按角色：110接警调度员为110，话务员和承办单位为12345，其他角色两者'
                : '可登录的平台'
            }
            rules={[{ required: editing !== 'new', message: '请至少选择一个平台' }]}
          >
            <Checkbox.Group options={DESK_OPTIONS} data-testid="user-desks" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
