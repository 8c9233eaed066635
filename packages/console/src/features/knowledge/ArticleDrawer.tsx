/**
 * One article: its newest version (and the one in force, when they differ), every version with who wrote
 * it and why, and each step of the review flow (draft → reviewed → published → withdrawn). The steps the
 * user's role may take are offered; the server decides (four eyes: the author does not review).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Input, Modal, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { errorText, get, post } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtTime } from '../../shared/format.ts';
import { ArticleFormModal } from './ArticleFormModal.tsx';
import { ArticleBody } from './body.tsx';
import type { ArticleDetail, ArticleVersion } from './types.ts';

type Step = 'review' | 'send-back' | 'publish' | 'withdraw';
const STEPS: Record<Step, { label: string; needs: string; from: string[]; note: boolean; danger?: boolean }> = {
  review: { label: '审核通过', needs: 'knowledge.review', from: ['draft'], note: false },
  'send-back': { label: '退回修改', needs: 'knowledge.review', from: ['reviewed'], note: true },
  publish: { label: '发布', needs: 'knowledge.publish', from: ['reviewed'], note: false },
  withdraw: {
    label: '下架或撤回',
    needs: 'knowledge.publish',
    from: ['draft', 'reviewed', 'published'],
    note: true,
    danger: true,
  },
};

const districtText = (d: string[], names: Map<string, string>) =>
  d.includes('*') ? '全市' : d.map((c) => names.get(c) ?? c).join('、');

function VersionView({ v, districts }: { v: ArticleVersion; districts: Map<string, string> }) {
  return (
    <>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label="分类">{v.topic}</Descriptions.Item>
        <Descriptions.Item label="主管部门">{v.department}</Descriptions.Item>
        <Descriptions.Item label="适用区县">{districtText(v.districts, districts)}</Descriptions.Item>
        <Descriptions.Item label="有效期">
          {v.effectiveFrom} 至 {v.expiresAt ?? '长期'}
        </Descriptions.Item>
        <Descriptions.Item label="政策依据" span={2}>
          {v.sourceRef ?? '无'}
        </Descriptions.Item>
        <Descriptions.Item label="常见问法" span={2}>
          {v.questions.join('；')}
        </Descriptions.Item>
        <Descriptions.Item label="答复口径" span={2}>
          {v.answer}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        正文
      </Typography.Title>
      <ArticleBody html={v.body} />
    </>
  );
}

export function ArticleDrawer({
  id,
  districts,
  onClose,
  onChanged,
}: {
  id: string;
  districts: Map<string, string>;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const [a, setA] = useState<ArticleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const [note, setNote] = useState('');
  const [stepError, setStepError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => {
    get<ArticleDetail>(`/api/knowledge/articles/${id}`)
      .then((r) => {
        setA(r);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [id]);
  useEffect(load, [load]);
  const latest = a?.versions[0];
  const published = a?.versions.find((v) => v.version === a.publishedVersion);
  const mine = latest?.createdBy === me?.displayName;
  const offered = (Object.keys(STEPS) as Step[]).filter((s) => {
    const d = STEPS[s];
    if (!latest || !d.from.includes(latest.status)) return false;
    // an author may withdraw their own unpublished proposal
    return can(d.needs) || (s === 'withdraw' && mine && latest.status !== 'published');
  });
  const act = async () => {
    if (!step || !latest) return;
    setStepError(null);
    try {
      await post(`/api/knowledge/articles/${id}/versions/${latest.version}/${step}`, note.trim() ? { note } : {});
      message.success(`已${STEPS[step].label}`);
      setStep(null);
      setNote('');
      load();
      onChanged();
    } catch (e) {
      setStepError(errorText(e));
    }
  };
  return (
    <Drawer
      open
      width={720}
      onClose={onClose}
      title={latest ? `${latest.title}（第 ${latest.version} 版，${latest.statusLabel}）` : '知识'}
      data-testid="article-drawer"
      extra={
        <Space wrap>
          {a?.mayChange && latest && (
            <Button onClick={() => setEditing(true)} data-testid="article-change">
              修改
            </Button>
          )}
          {offered.map((s) => (
            <Button
              key={s}
              danger={STEPS[s].danger}
              type={s === 'publish' || s === 'review' ? 'primary' : 'default'}
              onClick={() => setStep(s)}
              data-testid={`article-${s}`}
            >
              {STEPS[s].label}
            </Button>
          ))}
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {a && latest && (
        <Tabs
          items={[
            {
              key: 'latest',
              label: `最新版本（第 ${latest.version} 版）`,
              children: (
                <>
                  {a.demo && <Tag color="orange">演示内容，数字须由各地核实替换</Tag>}
                  {a.ownerUnitName && <Tag>可由{a.ownerUnitName}提出修改</Tag>}
                  <VersionView v={latest} districts={districts} />
                </>
              ),
            },
            ...(published && published.version !== latest.version
              ? [
                  {
                    key: 'published',
                    label: `在用版本（第 ${published.version} 版）`,
                    children: <VersionView v={published} districts={districts} />,
                  },
                ]
              : []),
            {
              key: 'history',
              label: '版本与审核记录',
              children: (
                <Timeline
                  data-testid="article-history"
                  items={a.history
                    .slice()
                    .reverse()
                    .map((h) => ({
                      children: (
                        <>
                          <Typography.Text strong>
                            第 {h.version} 版 {h.actionLabel} → {h.toLabel}
                          </Typography.Text>
                          <div>
                            {h.actor} · {fmtTime(h.at)}
                          </div>
                          {h.note && <div>说明：{h.note}</div>}
                        </>
                      ),
                    }))}
                />
              ),
            },
          ]}
        />
      )}
      {step && latest && (
        <Modal
          open
          title={`${STEPS[step].label}：第 ${latest.version} 版`}
          okText={STEPS[step].label}
          okButtonProps={{ danger: STEPS[step].danger, 'data-testid': 'article-step-submit' } as never}
          onOk={() => void act()}
          onCancel={() => {
            setStep(null);
            setStepError(null);
          }}
          destroyOnHidden
        >
          <Input.TextArea
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={STEPS[step].note ? '请写明理由（必填）' : '说明（可不填）'}
            maxLength={1000}
            autoSize={{ minRows: 2 }}
            data-testid="article-step-note"
          />
          {stepError && <Alert type="error" showIcon title={stepError} style={{ marginTop: 12 }} />}
        </Modal>
      )}
      {editing && latest && (
        <ArticleFormModal
          title={`修改：${latest.title}`}
          okText="提交修改（形成新的草稿版本）"
          url={`/api/knowledge/articles/${id}/versions`}
          basedOn={latest.version}
          initial={latest}
          onClose={() => setEditing(false)}
          onDone={() => {
            message.success('已形成新的草稿版本，待审核');
            setEditing(false);
            load();
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}
