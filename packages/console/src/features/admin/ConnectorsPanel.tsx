/**
 * 外部接口: the connectors this desk exchanges signed messages with (119, 120, the utilities, 综治中心, 挪车):
 * their settings, a new key for either direction (shown once), enabling and disabling. Secrets never come back.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { api, get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { messageOf } from './labels.ts';

interface Connector {
  id: string;
  name: string;
  kind: string;
  endpointUrl: string;
  keyId: string;
  inboundKeyId: string;
  alg: 'hmac-sha256' | 'hmac-sm3';
  active: boolean;
  updatedAt: string;
}
type Direction = 'inbound' | 'outbound';

export const CONNECTOR_KIND: Record<string, string> = {
  fire: '119 消防救援',
  medical: '120 急救',
  water: '供水抢修',
  power: '供电抢修',
  gas: '燃气抢修',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务',
};
const ALG: Record<string, string> = { 'hmac-sha256': 'HMAC-SHA256', 'hmac-sm3': 'HMAC-SM3（国密）' };
const DIRECTION: Record<Direction, string> = {
  inbound: '对方发来消息所用的密钥',
  outbound: '本方发出消息所用的密钥',
};

type FormValues = Pick<Connector, 'name' | 'kind' | 'endpointUrl' | 'keyId' | 'inboundKeyId' | 'alg'>;

export function ConnectorsPanel() {
  const { message, modal } = App.useApp();
  const [rows, setRows] = useState<Connector[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Connector | null>(null);
  const [rotating, setRotating] = useState<Connector | null>(null);
  const [direction, setDirection] = useState<Direction>('inbound');
  const [newKey, setNewKey] = useState<{ name: string; direction: Direction; keyId: string; key: string } | null>(null);
  const [form] = Form.useForm<FormValues>();

  const load = useCallback(() => {
    void get<Connector[]>('/api/admin/connectors')
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);

  const open = (c: Connector) => {
    setEditing(c);
    form.setFieldsValue({
      name: c.name,
      kind: c.kind,
      endpointUrl: c.endpointUrl,
      keyId: c.keyId,
      inboundKeyId: c.inboundKeyId,
      alg: c.alg,
    });
  };
  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    const patch: Partial<FormValues> = {};
    for (const k of Object.keys(v) as (keyof FormValues)[]) {
      const value = typeof v[k] === 'string' ? v[k].trim() : v[k];
      if (value !== editing[k]) Object.assign(patch, { [k]: value });
    }
    if (Object.keys(patch).length === 0) return setEditing(null);
    try {
      await api('PATCH', `/api/admin/connectors/${editing.id}`, patch);
      message.success(`已保存“${v.name.trim()}”的设置，立即生效`);
      setEditing(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const toggle = (c: Connector) =>
    modal.confirm({
      title: c.active ? `停用“${c.name}”？` : `启用“${c.name}”？`,
      content: c.active ? '停用后不再向其转递事项，也不再接收其发来的消息。' : '启用后即可向其转递事项并接收其消息。',
      okText: c.active ? '停用' : '启用',
      cancelText: '取消',
      onOk: async () => {
        try {
          await api('PATCH', `/api/admin/connectors/${c.id}`, { active: !c.active });
          message.success(c.active ? `已停用“${c.name}”` : `已启用“${c.name}”`);
          load();
        } catch (e) {
          message.error(messageOf(e));
        }
      },
    });
  const rotate = async () => {
    if (!rotating) return;
    try {
      const r = await post<{ keyId: string; key: string; direction: Direction }>(
        `/api/admin/connectors/${rotating.id}/rotate-key`,
        { direction },
      );
      setNewKey({ name: rotating.name, ...r });
      setRotating(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="connectors-panel">
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        data-testid="connectors"
        pagination={false}
        locale={{ emptyText: '尚未接入联动单位' }}
        columns={[
          { title: '联动单位', dataIndex: 'name', ellipsis: true },
          { title: '类型', dataIndex: 'kind', width: 110, render: (k: string) => CONNECTOR_KIND[k] ?? k },
          {
            title: '接收地址',
            dataIndex: 'endpointUrl',
            // an address is a code, not words: no cell title (the checker and a screen reader read it as such)
            ellipsis: { showTitle: false },
            render: (u: string) => (
              <span translate="no" title={u}>
                {u}
              </span>
            ),
          },
          {
            title: '密钥编号（发出／接收）',
            key: 'keys',
            ellipsis: { showTitle: false },
            render: (_: unknown, c: Connector) => (
              <span translate="no" title={`${c.keyId}／${c.inboundKeyId}`}>{`${c.keyId}／${c.inboundKeyId}`}</span>
            ),
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
          { title: '更新时间', dataIndex: 'updatedAt', width: 140, render: (t: string) => fmtTime(t) },
          {
            title: '操作',
            key: 'actions',
            width: 190,
            render: (_: unknown, c: Connector) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => open(c)}>
                  编辑
                </Button>
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    setDirection('inbound');
                    setRotating(c);
                  }}
                >
                  更换密钥
                </Button>
                <Button type="link" size="small" danger={c.active} onClick={() => toggle(c)}>
                  {c.active ? '停用' : '启用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing ? `编辑“${editing.name}”` : ''}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
            <Select options={Object.entries(CONNECTOR_KIND).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item
            name="endpointUrl"
            label="接收地址"
            rules={[
              { required: true, pattern: /^https?:\/\/[^\s/]+/, message: '请填写以 http:// 或 https:// 开头的地址' },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="keyId"
            label="本方发出消息的密钥编号"
            rules={[{ required: true, pattern: /^[A-Za-z0-9._:-]{1,100}$/, message: '只能使用字母、数字和 . _ : -' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="inboundKeyId"
            label="对方发来消息的密钥编号"
            rules={[{ required: true, pattern: /^[A-Za-z0-9._:-]{1,100}$/, message: '只能使用字母、数字和 . _ : -' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="alg" label="签名算法">
            <Select options={Object.entries(ALG).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!rotating}
        title={rotating ? `更换“${rotating.name}”的密钥` : ''}
        okText="生成新密钥"
        cancelText="取消"
        onOk={() => void rotate()}
        onCancel={() => setRotating(null)}
      >
        <Space direction="vertical">
          <Radio.Group value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
            <Space direction="vertical">
              {(Object.keys(DIRECTION) as Direction[]).map((d) => (
                <Radio key={d} value={d}>
                  {DIRECTION[d]}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Alert type="warning" showIcon message="旧密钥立即失效：请先与对方约定更换时间，并把新密钥安全地交给对方。" />
        </Space>
      </Modal>
      <Modal
        open={!!newKey}
        title="新密钥（只显示这一次）"
        okText="我已妥善保存"
        cancelButtonProps={{ style: { display: 'none' } }}
        onOk={() => setNewKey(null)}
        onCancel={() => setNewKey(null)}
        maskClosable={false}
        destroyOnHidden
      >
        {newKey && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <div>
              {newKey.name}：{DIRECTION[newKey.direction]}，编号 {newKey.keyId}
            </div>
            <Typography.Text code copyable data-testid="new-key">
              {newKey.key}
            </Typography.Text>
            <Alert type="info" showIcon message="关闭后无法再次查看；遗失只能再次更换。" />
          </Space>
        )}
      </Modal>
    </Space>
  );
}
