/**
 * 派单模型: the smart-dispatch model in use and every version published, with who trained it, on what and how
 * it scored; retraining from the platform's own archived orders (kept only when it beats the current model
 * on the newest fifth, held out) and switching back to an earlier version by hand.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { api, get } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';
import { messageOf } from './labels.ts';

interface Scores {
  samples: number;
  labels: number;
  folds: number;
  top1: number;
  top3: number;
  macroF1: number;
}
interface HeldOut {
  samples: number;
  candidate: { top1: number; top3: number };
  current: { version: string; top1: number; top3: number };
}
interface DispatchModel {
  version: string;
  variant: string;
  trainedBy: string;
  trainedAt: string;
  source: string;
  labels: number;
  scores: Scores;
  heldOut: HeldOut | null;
  active: boolean;
  decision: 'activated' | 'kept_current' | 'activated_by_admin';
}
interface Listing {
  current: { version: string; source: string };
  shipped: { version: string };
  models: DispatchModel[];
}

const DECISION: Record<DispatchModel['decision'], string> = {
  activated: '胜过当时的模型，已启用',
  kept_current: '未胜过当时的模型，保存未启用',
  activated_by_admin: '管理员手动启用',
};
/** Where the model in use came from. */
const SOURCE: Record<string, string> = { database: '本平台发布的版本', shipped: '随系统发布的默认模型' };
/** A version id inside the server's sentence ("default-20000", "archive-20261203…") is a code, not a word. */
const VERSION = /([A-Za-z][\w.:]*-\d[\w.:-]*)/;
const withCodes = (text: string) =>
  text.split(VERSION).map((part, i) =>
    i % 2 ? (
      <span key={i} translate="no">
        {part}
      </span>
    ) : (
      part
    ),
  );
const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export function DispatchModelsPanel() {
  const { message } = App.useApp();
  const [data, setData] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [training, setTraining] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await get<Listing>('/api/admin/dispatch-models'));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const retrain = async () => {
    setTraining(true);
    try {
      const r = await api<{ message: string }>('POST', '/api/admin/dispatch-models/train', {});
      message.success(<span>{withCodes(r.message)}</span>);
      setError(null);
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setTraining(false);
    }
  };
  const activate = async (version: string) => {
    try {
      await api('POST', `/api/admin/dispatch-models/${encodeURIComponent(version)}/activate`, {});
      message.success(`已启用派单模型 ${version}`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="dispatch-models">
      <Space wrap>
        <Typography.Text data-testid="dispatch-model-current">
          当前使用：<span translate="no">{data?.current.version ?? '—'}</span>
          {data ? `（${SOURCE[data.current.source] ?? data.current.source}）` : ''}
        </Typography.Text>
        <Popconfirm
          title="用已归档工单重训派单模型？"
          description="以最终主办单位为标签；最新五分之一工单留出比较，胜过当前模型才启用。"
          okText="重训"
          cancelText="取消"
          onConfirm={() => void retrain()}
        >
          <Button type="primary" loading={training} data-testid="dispatch-model-train">
            用已归档工单重训
          </Button>
        </Popconfirm>
        {data && data.current.source !== 'shipped' && (
          <Popconfirm
            title="改用随系统发布的默认模型？"
            okText="改用"
            cancelText="取消"
            onConfirm={() => void activate(data.shipped.version)}
          >
            <Button data-testid="dispatch-model-shipped">改用默认模型</Button>
          </Popconfirm>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="dispatch-model-error" />}
      <Table<DispatchModel>
        size="small"
        rowKey="version"
        dataSource={data?.models ?? []}
        pagination={{ pageSize: 10 }}
        data-testid="dispatch-model-table"
        columns={[
          {
            title: '版本',
            dataIndex: 'version',
            ellipsis: { showTitle: false },
            render: (v: string, r) => (
              <Space size={4}>
                <span translate="no">{v}</span>
                {r.active && <Tag color="green">使用中</Tag>}
              </Space>
            ),
          },
          {
            title: '训练人',
            dataIndex: 'trainedBy',
            width: 90,
            // a user name is a code: no tooltip repeating it
            ellipsis: { showTitle: false },
            render: (v: string) => <span translate="no">{v}</span>,
          },
          { title: '训练时间', dataIndex: 'trainedAt', width: 140, render: (v: string) => fmtTime(v) },
          { title: '工单数', width: 80, render: (_: unknown, r) => r.scores.samples },
          { title: '单位数', dataIndex: 'labels', width: 70 },
          { title: '首选准确率', width: 96, render: (_: unknown, r) => pct(r.scores.top1) },
          { title: '前三准确率', width: 96, render: (_: unknown, r) => pct(r.scores.top3) },
          {
            title: '留出比较（本模型 / 当时模型）',
            width: 190,
            render: (_: unknown, r) =>
              r.heldOut
                ? `${pct(r.heldOut.candidate.top1)} / ${pct(r.heldOut.current.top1)}（${r.heldOut.samples} 件）`
                : '—',
          },
          { title: '结果', dataIndex: 'decision', width: 170, render: (d: DispatchModel['decision']) => DECISION[d] },
          {
            title: '操作',
            width: 72,
            fixed: 'right',
            render: (_: unknown, r) =>
              r.active ? null : (
                <Popconfirm
                  title={`启用 ${r.version}？`}
                  okText="启用"
                  cancelText="取消"
                  onConfirm={() => void activate(r.version)}
                >
                  <Button size="small">启用</Button>
                </Popconfirm>
              ),
          },
        ]}
        scroll={{ x: 1000 }}
      />
    </Space>
  );
}
