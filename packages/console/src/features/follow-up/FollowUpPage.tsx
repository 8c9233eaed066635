/**
 * 回访: the centre calls back the callers of replied orders (待回访, oldest reply first) with a short
 * survey, and reviews the 不满意 ones (不满意待审核) before deciding 重办 (back to the unit) or 归档 with
 * the reviewer's opinion. The period's satisfaction rate heads the page.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Input, Radio, Row, Segmented, Statistic, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { errorText, get } from '../../api/client.ts';
import type { WorkOrder, WorkOrderDetail } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { ActionFormModal } from '../../shared/ActionFormModal.tsx';
import { WorkOrderTable, type OrderQuery } from '../hotline/WorkOrdersPage.tsx';

interface Summary {
  followedUp: number;
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
  satisfactionRate: number | null;
  resolvedRate: number | null;
  reopened: number;
  awaitingFollowUp: number;
  awaitingReview: number;
}

const PERIODS = [
  { value: 'today', label: '今日' },
  { value: 'month', label: '本月' },
  { value: 'days30', label: '近30天' },
] as const;
type Period = (typeof PERIODS)[number]['value'];
const periodFrom = (p: Period) =>
  (p === 'today' ? dayjs().startOf('day') : p === 'month' ? dayjs().startOf('month') : dayjs().subtract(30, 'day'))
    .toDate()
    .toISOString();

const yesNo = (
  <Radio.Group
    options={[
      { value: true, label: '是' },
      { value: false, label: '否' },
    ]}
  />
);
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

export function FollowUpPage() {
  const { me } = useAuth();
  const acts = me?.role === 'call_taker' || me?.role === 'admin';
  const [tab, setTab] = useState<'replied' | 'review'>('replied');
  const [period, setPeriod] = useState<Period>('month');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [survey, setSurvey] = useState<WorkOrder | null>(null);
  const [review, setReview] = useState<WorkOrder | null>(null);
  const [query, setQuery] = useState<OrderQuery>({
    page: 1,
    pageSize: 20,
    status: ['replied'],
    sort: 'updatedAt',
    order: 'asc',
  });
  useEffect(() => {
    get<Summary>('/api/work-orders/follow-up/summary', { from: periodFrom(period), to: new Date().toISOString() })
      .then((s) => {
        setSummary(s);
        setError(null);
      })
      .catch((e) => setError(errorText(e)));
  }, [period, reload]);
  const switchTab = (k: string) => {
    setTab(k as typeof tab);
    setQuery(
      k === 'replied'
        ? { page: 1, pageSize: 20, status: ['replied'], sort: 'updatedAt', order: 'asc' }
        : {
            page: 1,
            pageSize: 20,
            status: ['followed_up'],
            satisfaction: 'unsatisfied',
            sort: 'updatedAt',
            order: 'asc',
          },
    );
  };
  const done = useCallback(() => {
    setSurvey(null);
    setReview(null);
    setReload((n) => n + 1);
  }, []);
  const extraColumns = useMemo(
    () =>
      acts
        ? [
            tab === 'replied'
              ? {
                  title: '回访',
                  key: 'follow-up',
                  render: (r: WorkOrder) => (
                    <Button
                      size="small"
                      type="primary"
                      data-testid="follow-up-open"
                      onClick={(e) => {
                        e.stopPropagation();
                        setSurvey(r);
                      }}
                    >
                      回访
                    </Button>
                  ),
                }
              : {
                  title: '审核',
                  key: 'review',
                  render: (r: WorkOrder) => (
                    <Button
                      size="small"
                      danger
                      data-testid="review-open"
                      onClick={(e) => {
                        e.stopPropagation();
                        setReview(r);
                      }}
                    >
                      审核
                    </Button>
                  ),
                },
          ]
        : undefined,
    [acts, tab],
  );
  return (
    <Card
      size="small"
      title="回访"
      extra={
        <Segmented
          size="small"
          value={period}
          options={[...PERIODS]}
          onChange={(v) => setPeriod(v as Period)}
          data-testid="follow-up-period"
        />
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <Row gutter={12} style={{ marginBottom: 8 }} data-testid="follow-up-summary">
        <Col span={4}>
          <Statistic title="满意率" value={pct(summary?.satisfactionRate ?? null)} />
        </Col>
        <Col span={4}>
          <Statistic title="已回访" value={summary?.followedUp ?? '—'} />
        </Col>
        <Col span={4}>
          <Statistic
            title="满意 / 基本满意 / 不满意"
            value={summary ? `${summary.satisfied} / ${summary.basicallySatisfied} / ${summary.unsatisfied}` : '—'}
          />
        </Col>
        <Col span={4}>
          <Statistic title="解决率" value={pct(summary?.resolvedRate ?? null)} />
        </Col>
        <Col span={4}>
          <Statistic title="重办" value={summary?.reopened ?? '—'} />
        </Col>
      </Row>
      <Tabs
        activeKey={tab}
        onChange={switchTab}
        items={[
          { key: 'replied', label: `待回访${summary ? `（${summary.awaitingFollowUp}）` : ''}` },
          { key: 'review', label: `不满意待审核${summary ? `（${summary.awaitingReview}）` : ''}` },
        ]}
      />
      <Input.Search
        placeholder="工单号或标题"
        allowClear
        style={{ width: 240, marginBottom: 8 }}
        onSearch={(v) => setQuery({ ...query, page: 1, q: v.trim() || undefined })}
        data-testid="follow-up-search"
      />
      <WorkOrderTable query={query} setQuery={setQuery} reloadKey={reload} extraColumns={extraColumns} />
      {survey && (
        <ActionFormModal<WorkOrder>
          title={`回访 ${survey.no}`}
          okText="记录回访"
          url={`/api/work-orders/${survey.id}/follow-up`}
          intro={
            <Typography.Paragraph>
              <Typography.Text type="secondary">{survey.leadUnitName ?? '承办单位'}答复：</Typography.Text>
              <span data-testid="follow-up-reply">{survey.reply ?? '—'}</span>
            </Typography.Paragraph>
          }
          fields={[
            { name: 'contacted', label: '承办单位是否联系了您', input: yesNo },
            { name: 'resolved', label: '您反映的问题是否已解决', input: yesNo },
            {
              name: 'satisfaction',
              label: '您对办理结果是否满意',
              required: true,
              input: (
                <Radio.Group
                  options={[
                    { value: 'satisfied', label: '满意' },
                    { value: 'basically_satisfied', label: '基本满意' },
                    { value: 'unsatisfied', label: '不满意' },
                  ]}
                />
              ),
            },
            {
              name: 'note',
              label: '来电人意见（不满意须记录原因）',
              input: <Input.TextArea rows={3} data-testid="follow-up-note" />,
            },
          ]}
          testIds={{ submit: 'follow-up-submit', error: 'follow-up-error' }}
          onClose={() => setSurvey(null)}
          onDone={done}
        />
      )}
      {review && <ReviewModal order={review} onClose={() => setReview(null)} onDone={done} />}
    </Card>
  );
}

/** 不满意 review: what the caller said on the call back, then 重办 or 归档 with the reviewer's opinion. */
function ReviewModal({ order, onClose, onDone }: { order: WorkOrder; onClose: () => void; onDone: () => void }) {
  const [said, setSaid] = useState<string | null>(null);
  const [decision, setDecision] = useState<'reopen' | 'archive'>('reopen');
  useEffect(() => {
    void get<WorkOrderDetail>(`/api/work-orders/${order.id}`)
      .then((d) => {
        const last = d.actions.filter((a) => a.action === 'follow_up').at(-1);
        setSaid(typeof last?.details.note === 'string' ? last.details.note : '');
      })
      .catch((e) => setSaid(errorText(e)));
  }, [order.id]);
  return (
    <ActionFormModal<WorkOrder>
      title={`不满意审核 ${order.no}`}
      okText={decision === 'reopen' ? '退回重办' : '审核归档'}
      danger={decision === 'reopen'}
      url={`/api/work-orders/${order.id}/${decision}`}
      initialValues={{ decision: 'reopen' }}
      onValues={(v) => setDecision(v.decision === 'archive' ? 'archive' : 'reopen')}
      intro={
        <Typography.Paragraph data-testid="review-said">
          <Typography.Text type="secondary">回访时来电人表示：</Typography.Text>
          {said ?? '…'}
          <br />
          <Typography.Text type="secondary">承办单位答复：</Typography.Text>
          {order.reply ?? '—'}
        </Typography.Paragraph>
      }
      fields={[
        {
          name: 'decision',
          label: '审核结论',
          input: (
            <Radio.Group
              options={[
                { value: 'reopen', label: '不满意属实，退回重办' },
                { value: 'archive', label: '已依法依规答复，审核归档' },
              ]}
            />
          ),
          toBody: () => undefined,
        },
        {
          name: 'note',
          label: '审核意见',
          required: true,
          input: <Input.TextArea rows={3} data-testid="review-note" />,
        },
      ]}
      testIds={{ submit: 'review-submit', error: 'review-error' }}
      onClose={onClose}
      onDone={onDone}
    />
  );
}
