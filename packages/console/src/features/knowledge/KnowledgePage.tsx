/**
 * 知识库 (GB/T 44191-2024; plan task 8): the 待补知识 the weekly high-frequency consultations left without
 * an article (each for its department, with a deadline; the supervisors and the centre's editors see all),
 * and the articles with their review flow. Departments draft and propose; the 12345 centre reviews and
 * publishes.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { errorText, get, post, type Page } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtTime } from '../../shared/format.ts';
import { useReference } from '../../shared/reference.tsx';
import { ArticleDrawer } from './ArticleDrawer.tsx';
import { ArticleFormModal } from './ArticleFormModal.tsx';
import type { ArticleListItem, KnowledgeTask } from './types.ts';

const TASK_COLOURS: Record<KnowledgeTask['status'], string> = {
  open: 'orange',
  drafted: 'blue',
  done: 'green',
  dismissed: 'default',
};

function TasksTab({ onOpenArticle }: { onOpenArticle: (id: string) => void }) {
  const { can } = useAuth();
  const { message } = App.useApp();
  const editor = can('knowledge.edit');
  const [status, setStatus] = useState<string>('active');
  const [rows, setRows] = useState<KnowledgeTask[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [drafting, setDrafting] = useState<KnowledgeTask | null>(null);
  const [closing, setClosing] = useState<{ task: KnowledgeTask; how: 'link' | 'dismiss' } | null>(null);
  const [closeText, setCloseText] = useState('');
  const [closeError, setCloseError] = useState<string | null>(null);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const load = useCallback(() => {
    get<{ items: KnowledgeTask[] }>('/api/knowledge/tasks', status === 'all' ? {} : { status })
      .then((r) => {
        setRows(r.items);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [status]);
  useEffect(load, [load]);
  const makeWeek = async () => {
    try {
      const r = await post<{ period: string; created: number; answered: number; clusters: number }>(
        '/api/knowledge/tasks',
        {},
      );
      message.success(`${r.period}：高频主题${r.clusters}个，有知识答复${r.answered}个，新增待补知识${r.created}条`);
      load();
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const searchArticles = (q: string) => {
    if (q.trim().length < 1) return;
    void get<Page<ArticleListItem>>('/api/knowledge/articles', { q: q.trim(), status: 'published', pageSize: 20 })
      .then((r) => setOptions(r.items.map((a) => ({ value: a.id, label: `${a.title}（${a.department}）` }))))
      .catch(() => setOptions([]));
  };
  const close = async () => {
    if (!closing) return;
    setCloseError(null);
    try {
      const { task, how } = closing;
      await post(
        `/api/knowledge/tasks/${task.id}/${how}`,
        how === 'link' ? { articleId: closeText } : { note: closeText.trim() },
      );
      message.success(how === 'link' ? '已关联知识，任务办结' : '已撤销');
      setClosing(null);
      setCloseText('');
      load();
    } catch (e) {
      setCloseError(errorText(e));
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          data-testid="task-status"
          options={[
            { value: 'active', label: '办理中' },
            { value: 'open', label: '待起草' },
            { value: 'drafted', label: '已起草待发布' },
            { value: 'done', label: '已补充' },
            { value: 'dismissed', label: '已撤销' },
            { value: 'all', label: '全部' },
          ]}
        />
        {editor && (
          <Tooltip title="每周一起各热线自动按上一周的高频咨询生成；已生成的不重复">
            <Button onClick={() => void makeWeek()} data-testid="task-make-week">
              按上周高频咨询生成
            </Button>
          </Tooltip>
        )}
        <Typography.Text type="secondary">
          每周高频咨询中没有知识答复的主题，交主管部门在期限内起草；知识发布后任务办结。
        </Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<KnowledgeTask>
        rowKey="id"
        size="small"
        data-testid="task-table"
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        expandable={{
          expandedRowRender: (t) => (
            <div data-testid="task-examples">
              {t.category && <div>主要分类：{t.category.name}</div>}
              <Typography.Text type="secondary">市民原话（已去标识化）：</Typography.Text>
              <ul style={{ margin: '4px 0' }}>
                {t.examples.map((e, i) => (
                  <li key={i}>{e}</li>
                ))}
              </ul>
              {t.note && <div>撤销理由：{t.note}</div>}
            </div>
          ),
        }}
        columns={[
          {
            title: '周次',
            dataIndex: 'period',
            width: 90,
            render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>,
          },
          { title: '咨询主题', dataIndex: 'label', render: (v: string, t) => <span title={t.examples[0]}>{v}</span> },
          { title: '咨询量', dataIndex: 'count', width: 66, align: 'right' },
          { title: '主管部门', dataIndex: 'ownerName', width: 140 },
          {
            title: '期限',
            width: 150,
            render: (_: unknown, t) => (
              <Space size={4}>
                {fmtTime(t.dueAt)}
                {t.overdue && <Tag color="red">逾期</Tag>}
              </Space>
            ),
          },
          {
            title: '状态',
            width: 112,
            render: (_: unknown, t) => <Tag color={TASK_COLOURS[t.status]}>{t.statusLabel}</Tag>,
          },
          {
            title: '知识',
            width: 140,
            render: (_: unknown, t) =>
              t.article ? (
                <Button type="link" size="small" onClick={() => onOpenArticle(t.article!.id)}>
                  {t.article.title ?? t.article.id}
                </Button>
              ) : (
                '—'
              ),
          },
          {
            title: '操作',
            width: 176,
            render: (_: unknown, t) =>
              t.status === 'open' || t.status === 'drafted' ? (
                <Space size={4}>
                  {t.status === 'open' && (
                    <Button size="small" type="primary" onClick={() => setDrafting(t)} data-testid="task-draft">
                      起草
                    </Button>
                  )}
                  {editor && (
                    <Button size="small" onClick={() => setClosing({ task: t, how: 'link' })} data-testid="task-link">
                      关联
                    </Button>
                  )}
                  {editor && (
                    <Button
                      size="small"
                      danger
                      onClick={() => setClosing({ task: t, how: 'dismiss' })}
                      data-testid="task-dismiss"
                    >
                      撤销
                    </Button>
                  )}
                </Space>
              ) : null,
          },
        ]}
      />
      {drafting && (
        <ArticleFormModal
          title={`起草知识：${drafting.label}`}
          okText="提交草稿"
          url={`/api/knowledge/tasks/${drafting.id}/draft`}
          initial={{
            department: drafting.owner?.name ?? '',
            districts: ['*'],
            questions: drafting.examples,
          }}
          intro={
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={`${drafting.period}有${drafting.count}件咨询没有知识可答，期限${fmtTime(drafting.dueAt)}`}
            />
          }
          onClose={() => setDrafting(null)}
          onDone={() => {
            message.success('已提交草稿，待12345热线审核发布');
            setDrafting(null);
            load();
          }}
        />
      )}
      {closing && (
        <Modal
          open
          title={closing.how === 'link' ? `关联已有知识：${closing.task.label}` : `撤销：${closing.task.label}`}
          okText={closing.how === 'link' ? '关联并办结' : '撤销'}
          okButtonProps={{ danger: closing.how === 'dismiss', 'data-testid': 'task-close-submit' } as never}
          onOk={() => void close()}
          onCancel={() => {
            setClosing(null);
            setCloseText('');
            setCloseError(null);
          }}
          destroyOnHidden
        >
          {closing.how === 'link' ? (
            <Select
              showSearch
              filterOption={false}
              onSearch={searchArticles}
              onChange={setCloseText}
              options={options}
              placeholder="输入标题查找已发布的知识"
              style={{ width: '100%' }}
              data-testid="task-link-article"
            />
          ) : (
            <Input.TextArea
              value={closeText}
              onChange={(e) => setCloseText(e.target.value)}
              placeholder="请写明撤销理由（必填）"
              maxLength={1000}
              autoSize={{ minRows: 2 }}
              data-testid="task-dismiss-note"
            />
          )}
          {closeError && <Alert type="error" showIcon title={closeError} style={{ marginTop: 12 }} />}
        </Modal>
      )}
    </>
  );
}

function ArticlesTab({ onOpen, version }: { onOpen: (id: string) => void; version: number }) {
  const { enums } = useReference();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [topic, setTopic] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<ArticleListItem> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    const query: Record<string, string | number> = { page, pageSize: 20 };
    if (q.trim()) query.q = q.trim();
    if (status) query.status = status;
    if (topic) query.topic = topic;
    get<Page<ArticleListItem>>('/api/knowledge/articles', query)
      .then((r) => {
        setData(r);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [q, status, topic, page, version, reload]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="按标题查找"
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          style={{ width: 220 }}
          data-testid="article-search"
        />
        <Select
          allowClear
          placeholder="状态"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          style={{ width: 140 }}
          options={Object.entries(enums.knowledgeStatuses ?? {}).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          placeholder="分类"
          value={topic}
          onChange={(v) => {
            setTopic(v);
            setPage(1);
          }}
          style={{ width: 160 }}
          options={Object.keys(enums.knowledgeTopics ?? {}).map((t) => ({ value: t, label: t }))}
        />
        {(can('knowledge.edit') || can('knowledge.propose')) && (
          <Button onClick={() => setCreating(true)} data-testid="article-new">
            新建知识
          </Button>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ArticleListItem>
        rowKey="id"
        size="small"
        data-testid="article-table"
        dataSource={data?.items ?? []}
        onRow={(a) => ({ onClick: () => onOpen(a.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: 20,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => `共 ${n} 篇`,
        }}
        columns={[
          { title: '标题', dataIndex: 'title' },
          { title: '分类', dataIndex: 'topic', width: 110 },
          { title: '主管部门', dataIndex: 'department', width: 170 },
          { title: '版本', dataIndex: 'latestVersion', width: 60, align: 'right' },
          { title: '状态', width: 120, render: (_: unknown, a) => <Tag>{a.statusLabel}</Tag> },
          { title: '有效期至', width: 100, render: (_: unknown, a) => a.expiresAt ?? '长期' },
          { title: '状态变更', width: 140, render: (_: unknown, a) => fmtTime(a.statusChangedAt) },
        ]}
      />
      {creating && (
        <ArticleFormModal
          title="新建知识"
          okText="提交草稿"
          url="/api/knowledge/articles"
          initial={{ districts: ['*'] }}
          onClose={() => setCreating(false)}
          onDone={(r: { id: string }) => {
            message.success('已保存为草稿，待审核');
            setCreating(false);
            setReload((n) => n + 1);
            onOpen(r.id);
          }}
        />
      )}
    </>
  );
}

export function KnowledgePage() {
  const { districts } = useReference();
  const names = useMemo(() => new Map(districts.map((d) => [d.code, d.name])), [districts]);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  return (
    <Card title="知识库" data-testid="knowledge-page">
      <Tabs
        items={[
          { key: 'tasks', label: '待补知识', children: <TasksTab onOpenArticle={setOpen} /> },
          { key: 'articles', label: '知识管理', children: <ArticlesTab onOpen={setOpen} version={version} /> },
        ]}
      />
      {open && (
        <ArticleDrawer
          id={open}
          districts={names}
          onClose={() => setOpen(null)}
          onChanged={() => setVersion((n) => n + 1)}
        />
      )}
    </Card>
  );
}
