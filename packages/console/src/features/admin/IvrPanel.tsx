/**
 * 导航流程: the IVR navigation tree in force, how deep it is and how many key presses reach each queue
 * (the plan asks for fewer layers), its menus, a simulator (press keys as a caller would and see the
 * path, ending at a queue, an article read out or a transfer), and saving a new version.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { useReference } from '../../shared/reference.tsx';
import { messageOf } from './labels.ts';

interface IvrOption {
  key: string;
  label: string;
  next: string;
}
type IvrNode =
  | { id: string; kind: 'menu'; prompt: string; options: IvrOption[] }
  | { id: string; kind: 'queue'; prompt: string; queue: string }
  | { id: string; kind: 'article'; prompt: string; articleId: string }
  | { id: string; kind: 'transfer'; prompt: string; target: string };
interface IvrTree {
  root: string;
  queues: { id: string; name: string }[];
  nodes: IvrNode[];
}
interface IvrVersion {
  version: number;
  tree: IvrTree;
  changeNote: string;
  maxDepth: number;
  createdBy: string;
  createdAt: string;
  report: {
    maxDepth: number;
    queues: { queue: string; name: string; presses: number; keys: string[] }[];
    leaves: { nodeId: string; kind: string; label: string; depth: number; keys: string[] }[];
    warnings: string[];
  };
}
interface Simulation {
  version: number;
  simulation: {
    status: 'waiting' | 'ended' | 'invalid_key';
    path: { nodeId: string; prompt: string; key?: string }[];
    options?: IvrOption[];
    key?: string;
    end?: IvrNode;
  };
  article: { articleId: string; title: string; answer: string } | null;
}

const KEYPAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const keysText = (keys: string[]) => (keys.length ? keys.join(' → ') : '无需按键');

export function IvrPanel() {
  const { message } = App.useApp();
  // the lines a menu transfers to, by their short names (the server's one list)
  const lineNames = useReference().enums.routeNames ?? {};
  const [current, setCurrent] = useState<IvrVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [keys, setKeys] = useState<string[]>([]);
  const [sim, setSim] = useState<Simulation | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState('');
  const [saveError, setSaveError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setCurrent(await get<IvrVersion>('/api/admin/ivr'));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!current) return;
    post<Simulation>('/api/admin/ivr/simulate', { keys, version: current.version })
      .then(setSim)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [keys, current]);

  const save = async () => {
    let tree: unknown;
    try {
      tree = JSON.parse(draft);
    } catch {
      setSaveError('导航流程不是有效的数据格式，请检查括号和引号');
      return;
    }
    try {
      const r = await post<{ version: number }>('/api/admin/ivr', { tree, changeNote: note });
      message.success(`已保存导航流程第 ${r.version} 版`);
      setEditing(false);
      setKeys([]);
      await load();
    } catch (e) {
      setSaveError(messageOf(e));
    }
  };

  if (error && !current) return <Alert type="warning" showIcon title={error} />;
  if (!current) return null;
  const nodeName = (id: string) => {
    const n = current.tree.nodes.find((x) => x.id === id);
    if (!n) return id;
    if (n.kind === 'queue') return `人工：${current.tree.queues.find((q) => q.id === n.queue)?.name ?? n.queue}`;
    if (n.kind === 'transfer') return `转${lineNames[n.target] ?? n.target}`;
    if (n.kind === 'article') return '播报知识';
    return '下一级菜单';
  };
  const menus = current.tree.nodes.filter((n): n is Extract<IvrNode, { kind: 'menu' }> => n.kind === 'menu');
  const s = sim?.simulation;
  const waiting = s?.status !== 'ended';

  return (
    <div data-testid="ivr-panel">
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'v', label: '现行版本', children: `第 ${current.version} 版` },
          {
            key: 'd',
            label: '最深层级',
            children: <span data-testid="ivr-depth">{current.report.maxDepth} 层菜单</span>,
          },
          { key: 'by', label: '保存', children: `${current.createdBy} · ${fmtTime(current.createdAt)}` },
          { key: 'n', label: '修改说明', span: 3, children: current.changeNote },
        ]}
      />
      {current.report.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 8 }} />
      ))}
      <Space align="start" wrap style={{ width: '100%' }} styles={{ item: { minWidth: 0 } }}>
        <div style={{ width: 420 }}>
          <Typography.Title level={5}>各队列的按键次数</Typography.Title>
          <Table
            size="small"
            rowKey="queue"
            pagination={false}
            dataSource={current.report.queues}
            data-testid="ivr-queues"
            columns={[
              { title: '队列', dataIndex: 'name' },
              { title: '按键次数', dataIndex: 'presses', width: 80, render: (p: number) => (p < 0 ? '无法到达' : p) },
              { title: '按键', dataIndex: 'keys', width: 120, render: keysText },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            菜单
          </Typography.Title>
          {menus.map((m) => (
            <div key={m.id} style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">{m.prompt}</Typography.Text>
              <div>
                {m.options.map((o) => (
                  <Tag key={o.key} style={{ marginTop: 4 }}>
                    {o.key}：{o.label}（{nodeName(o.next)}）
                  </Tag>
                ))}
              </div>
            </div>
          ))}
        </div>
        <div style={{ width: 380 }} data-testid="ivr-simulator">
          <Typography.Title level={5}>模拟来电</Typography.Title>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 64px)', gap: 6, marginBottom: 8 }}>
            {KEYPAD.map((k) => (
              <Button
                key={k}
                disabled={!waiting}
                onClick={() => setKeys((ks) => [...ks, k])}
                data-testid={`ivr-key-${k}`}
              >
                {k}
              </Button>
            ))}
          </div>
          <Button size="small" onClick={() => setKeys([])} style={{ marginBottom: 8 }}>
            重新拨入
          </Button>
          <ol style={{ paddingLeft: 18, margin: 0 }} data-testid="ivr-path">
            {s?.path.map((p, i) => (
              <li key={i}>
                {p.key && <Tag color="blue">按 {p.key}</Tag>}
                {p.prompt}
              </li>
            ))}
          </ol>
          {s?.status === 'invalid_key' && (
            <Alert
              type="warning"
              showIcon
              title={`此菜单没有按键 ${s.key}，来电人将听到重新提示`}
              style={{ marginTop: 8 }}
            />
          )}
          {s?.status === 'ended' && s.end && (
            <Alert
              type="success"
              showIcon
              style={{ marginTop: 8 }}
              data-testid="ivr-end"
              title={
                s.end.kind === 'article'
                  ? `播报知识：${sim?.article?.title ?? s.end.articleId}`
                  : `结束：${nodeName(s.end.id)}`
              }
              description={s.end.kind === 'article' ? sim?.article?.answer : `共按键 ${keys.length} 次`}
            />
          )}
        </div>
      </Space>
      <div style={{ marginTop: 12 }}>
        <Button
          onClick={() => {
            setDraft(JSON.stringify(current.tree, null, 2));
            setNote('');
            setSaveError(null);
            setEditing(true);
          }}
          data-testid="ivr-edit"
        >
          编辑导航流程
        </Button>
      </div>
      <Modal
        title={`编辑导航流程（保存为第 ${current.version + 1} 版）`}
        open={editing}
        onCancel={() => setEditing(false)}
        okText="校验并保存"
        okButtonProps={{ disabled: !note.trim() }}
        onOk={() => void save()}
        width={720}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          菜单、提示语、按键和去向（队列、知识、转接）。保存前校验：按键不重复、去向都存在、没有循环、每个节点都能到达、知识须已发布。
        </Typography.Paragraph>
        <Input.TextArea rows={16} value={draft} onChange={(e) => setDraft(e.target.value)} translate="no" />
        <Input
          style={{ marginTop: 8 }}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="修改说明（为什么改）"
        />
        {saveError && <Alert type="error" showIcon title={saveError} style={{ marginTop: 8 }} />}
      </Modal>
    </div>
  );
}
