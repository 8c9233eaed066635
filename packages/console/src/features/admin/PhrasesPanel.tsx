/**
 * 常用语: the phrases 12345 call-takers insert into 诉求内容 (Alt+P), kept for this desk: added, edited,
 * moved up or down, deleted. The call-takers' list follows at their next intake page.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { api, get, post } from '../../api/client.ts';
import { fmtShort } from '../../shared/format.ts';
import { messageOf } from './labels.ts';

interface AdminPhrase {
  id: string;
  text: string;
  position: number;
  updatedAt: string;
  updatedByName: string | null;
}

const MAX = 200;

export function PhrasesPanel() {
  const { message } = App.useApp();
  const [rows, setRows] = useState<AdminPhrase[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AdminPhrase | 'new' | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [form] = Form.useForm<{ text: string }>();
  const load = useCallback(() => {
    void get<AdminPhrase[]>('/api/admin/phrases')
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);

  const open = (p: AdminPhrase | 'new') => {
    setEditing(p);
    setSaveError(null);
    form.resetFields();
    if (p !== 'new') form.setFieldsValue({ text: p.text });
  };
  const save = async () => {
    // what the form itself refuses (empty) it shows beside the field
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const { text } = v;
    try {
      if (editing === 'new') {
        await post('/api/admin/phrases', { text });
        message.success(`已新增常用语“${text.trim()}”`);
      } else if (editing) {
        await api('PATCH', `/api/admin/phrases/${editing.id}`, { text });
        message.success('已保存常用语');
      }
      setEditing(null);
      load();
    } catch (e) {
      // the server's refusal, in the dialog beside what was typed
      setSaveError(messageOf(e));
    }
  };
  const move = async (index: number, by: -1 | 1) => {
    const ids = rows.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    try {
      setRows(await api<AdminPhrase[]>('PUT', '/api/admin/phrases/order', { ids }));
    } catch (e) {
      message.error(messageOf(e));
      load();
    }
  };
  const remove = async (p: AdminPhrase) => {
    try {
      await api('DELETE', `/api/admin/phrases/${p.id}`);
      message.success(`已删除常用语“${p.text}”`);
      load();
    } catch (e) {
      message.error(messageOf(e));
      load();
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon title={error} />}
      <Space>
        <Button type="primary" onClick={() => open('new')} data-testid="new-phrase">
          新增常用语
        </Button>
        <Typography.Text type="secondary">话务员受理时在诉求内容旁按 Alt+P 选用，按此顺序列出</Typography.Text>
      </Space>
      <Table<AdminPhrase>
        size="small"
        rowKey="id"
        dataSource={rows}
        data-testid="phrases"
        pagination={false}
        scroll={{ y: 460 }}
        columns={[
          { title: '序号', key: 'n', width: 60, render: (_: unknown, __: AdminPhrase, i: number) => i + 1 },
          { title: '常用语', dataIndex: 'text', ellipsis: true },
          {
            title: '最近修改',
            key: 'updated',
            width: 210,
            render: (_: unknown, p: AdminPhrase) =>
              p.updatedByName ? `${p.updatedByName} ${fmtShort(p.updatedAt)}` : '系统预置',
          },
          {
            title: '操作',
            key: 'act',
            width: 230,
            render: (_: unknown, p: AdminPhrase, i: number) => (
              <Space size="small">
                <Button
                  size="small"
                  icon={<ArrowUpOutlined />}
                  disabled={i === 0}
                  onClick={() => void move(i, -1)}
                  aria-label="上移"
                  title="上移"
                />
                <Button
                  size="small"
                  icon={<ArrowDownOutlined />}
                  disabled={i === rows.length - 1}
                  onClick={() => void move(i, 1)}
                  aria-label="下移"
                  title="下移"
                />
                <Button size="small" onClick={() => open(p)}>
                  修改
                </Button>
                <Popconfirm
                  title={`删除常用语“${p.text}”？`}
                  okText="删除"
                  cancelText="取消"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => void remove(p)}
                >
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增常用语' : '修改常用语'}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        // The form is there before the dialog opens: a 保存 clicked the moment it shows still finds its
        // field to check (built on opening, it could be checked with no field and nothing said).
        forceRender
      >
        {saveError && (
          <Alert type="error" showIcon title={saveError} style={{ marginBottom: 12 }} data-testid="phrase-error" />
        )}
        <Form form={form} layout="vertical" data-testid="phrase-form">
          <Form.Item
            name="text"
            label="常用语"
            rules={[{ required: true, whitespace: true, message: '请填写常用语' }]}
            extra={`一行文字，最多 ${MAX} 字`}
          >
            <Input maxLength={MAX} showCount autoComplete="off" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
