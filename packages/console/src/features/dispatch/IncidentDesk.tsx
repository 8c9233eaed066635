/**
 * 110 dispatcher: incident intake with the triage suggestion, the queue by dispatch tier, and one-action
 * diversion of non-police matters (to 12345, a governance centre, the vehicle-moving service …).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Drawer,
  Dropdown,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import { api, errorText, get, post, type Page } from '../../api/client.ts';
import type { Incident, LinkageItem, TriageOutcome } from '../../api/types.ts';
import { beep, notifyDesktop, useDesktopNotifications } from '../../shared/alerts.ts';
import { fmtDuration, fmtShort, fmtTime } from '../../shared/format.ts';
import { useEventStream } from '../../shared/useEventStream.ts';
import { useNow } from '../../shared/useNow.ts';
import { usePeerLabel, itemNo } from '../bridge/linkage-labels.ts';
import { PeerText } from '../bridge/PeerText.tsx';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { useDebounced } from '../../shared/useDebounced.ts';
import { TriagePanel } from '../hotline/TriagePanel.tsx';
import { IncidentActionModal, INCIDENT_FORMS } from './IncidentActionModal.tsx';
import { CallerPanel } from '../callers/CallerPanel.tsx';
import { DENSE_TABLE } from '../../shared/dense-table.ts';
import { useAuth } from '../../auth/AuthContext.tsx';

const QUEUES = [
  // Emergencies first, then by level, then the longest waiting (issue 11).
  { key: 'waiting', label: '待派警', query: { status: ['received'], sort: 'urgency' } },
  {
    key: 'command_center',
    label: '指挥中心',
    query: { tier: 'command_center', status: ['dispatched', 'on_scene', 'handling', 'feedback_given'] },
  },
  {
    key: 'specialized_police',
    label: '业务警种',
    query: { tier: 'specialized_police', status: ['dispatched', 'on_scene', 'handling', 'feedback_given'] },
  },
  {
    key: 'police_station',
    label: '派出所',
    query: { tier: 'police_station', status: ['dispatched', 'on_scene', 'handling', 'feedback_given'] },
  },
  { key: 'closed', label: '已结警', query: { status: ['closed'] } },
];
// Queue column widths (等级, 类别, 区县, 状态, 时间, 操作); the content column takes the rest, at least CONTENT_MIN,
// so at 1366×768 the 待派警 queue fits without a horizontal scroll bar, and the other queues (处警单位 instead of
// 操作 when nothing waits in them) too.
const ACTION_WIDTH = 124;
const QUEUE_FIXED_WIDTH = 56 + 80 + 76 + 70 + 108 + ACTION_WIDTH;
const CONTENT_MIN = 226;
const UNIT_WIDTH = 130;
const PRIORITY = [
  { value: 1, label: '一级（最紧急）' },
  { value: 2, label: '二级' },
  { value: 3, label: '三级' },
];
type Divertable = Omit<Incident, 'linkage'> & { linkage?: { itemId: string; peer: string } | null };
/** An emergency just handed over by the other desk and accepted on receipt, as the alert shows it. */
interface EmergencyAlert {
  itemId: string;
  no: string | null;
  content: string;
  address: string;
}
/** How recently an item must have been accepted for its arrival to ring (older ones change without alarm). */
const ALERT_WINDOW_MS = 5 * 60_000;

export function IncidentDesk() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const ref = useReference();
  const [form] = Form.useForm();
  const content: string = Form.useWatch('content', form) ?? '';
  const phone: string | undefined = Form.useWatch('phone', form);
  const [triage, setTriage] = useState<TriageOutcome | null>(null);
  const [triageBusy, setTriageBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queue, setQueue] = useState('waiting');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [data, setData] = useState<Page<Incident> | null>(null);
  const [tick, setTick] = useState(0);
  const [act, setAct] = useState<{ incident: Incident; action: string; preset?: Record<string, string> } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [alert, setAlert] = useState<EmergencyAlert | null>(null);
  const alerted = useRef(new Set<string>());
  const clientRef = useRef(crypto.randomUUID());
  const now = useNow(1000);
  const peerLabel = usePeerLabel();
  const notifications = useDesktopNotifications();

  // Live: an item accepted onto an incident of this desk refreshes the queue; an emergency handed over
  // (accepted on receipt by the system) rings, notifies the desktop and shows at the top of the page.
  useEventStream<LinkageItem>(
    '/api/linkage/stream',
    'item',
    (it) => {
      if (it.side !== 'receiver' || !it.localRef) return;
      setTick((t) => t + 1);
      const fresh = it.acceptedAt && Date.now() - Date.parse(it.acceptedAt) < ALERT_WINDOW_MS;
      if (it.kind !== 'emergency' || it.status !== 'accepted' || !fresh || alerted.current.has(it.itemId)) return;
      alerted.current.add(it.itemId);
      const content = it.opening.request?.content ?? '';
      const address = it.opening.request?.location?.address ?? '';
      setAlert({ itemId: it.itemId, no: it.localNo, content, address });
      beep();
      notifyDesktop(
        `紧急警情 ${it.localNo ?? ''}（${peerLabel(it.peer)}移交）`,
        [content, address].join('\n'),
        it.itemId,
      );
    },
    () => setTick((t) => t + 1),
  );

  const text = useDebounced(content.trim(), 350);
  useEffect(() => {
    if (!text) {
      setTriage(null);
      return undefined;
    }
    const ac = new AbortController();
    setTriageBusy(true);
    api<TriageOutcome>('POST', '/api/triage', { text, channel: '110' }, { signal: ac.signal })
      .then((o) => {
        setTriage(o);
        if (
          o.category &&
          /^[a-z_]+$/.test(o.category) &&
          ref.enums.incidentCategories?.[o.category] &&
          !form.isFieldTouched('category')
        )
          form.setFieldValue('category', o.category);
        // A danger now is 一级 unless the call-taker chose the level herself (issue 11: not 二级 by default).
        if (!form.isFieldTouched('priority')) form.setFieldValue('priority', o.emergency ? 1 : 2);
      })
      .catch(() => undefined)
      .finally(() => {
        if (!ac.signal.aborted) setTriageBusy(false);
      });
    return () => ac.abort();
  }, [text, form, ref.enums.incidentCategories]);

  const q = QUEUES.find((x) => x.key === queue)!;
  useEffect(() => {
    const ac = new AbortController();
    get<Page<Incident>>('/api/incidents', { ...q.query, ...page }, ac.signal)
      .then(setData)
      .catch(() => undefined);
    return () => ac.abort();
  }, [q, page, tick]);
  // Other dispatchers work the same queue: refresh it every 10 seconds.
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 10_000);
    return () => clearInterval(t);
  }, []);

  const create = async () => {
    setError(null);
    const v = form.getFieldsValue();
    try {
      const inc = await post<Incident>('/api/incidents', {
        channel: 'phone_110',
        clientRef: clientRef.current,
        content: v.content ?? '',
        address: v.address || undefined,
        districtCode: v.districtCode,
        category: v.category,
        priority: v.priority,
        ...(v.phone ? { caller: { phone: v.phone } } : {}),
        ...(v.exercise ? { exercise: true } : {}),
      });
      message.success(`已接警登记 ${inc.no}${inc.exercise ? '（应急演练）' : ''}`);
      form.resetFields();
      setTriage(null);
      clientRef.current = crypto.randomUUID();
      setQueue('waiting');
      setTick((t) => t + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const divert = useCallback(
    async (incident: Incident, target: string) => {
      try {
        const r = await post<Divertable>(`/api/incidents/${incident.id}/divert`, {
          target,
          note: '非警务事项，按对接联动机制分流',
        });
        const label = ref.enums.diversionTargets?.[target] ?? target;
        message.success(
          r.linkage
            ? `已将警情 ${incident.no} 分流至${label}，已发送对接`
            : `已将警情 ${incident.no} 分流至${label}（未配置该联动单位的对接，请告知报警人联系方式）`,
        );
        setTick((t) => t + 1);
      } catch (e) {
        message.error((e as Error).message);
      }
    },
    [message, ref.enums.diversionTargets],
  );

  const divertMenu = (r: Incident) => ({
    items: enumOptions(ref.enums.diversionTargets).map((o) => ({ key: o.value, label: o.label })),
    onClick: ({ key }: { key: string }) => void divert(r, key),
  });

  // 派警 and 分流 are for incidents still waiting; a queue without one has no 操作 column (and so fits at 1366).
  const actionable = queue === 'waiting' || (data?.items ?? []).some((r) => r.status === 'received');
  return (
    <Row gutter={12}>
      <Col xs={24} xl={8}>
        <Card size="small" title="接警登记" style={{ marginBottom: 12 }}>
          <Form form={form} layout="vertical" size="small" initialValues={{ priority: 2 }}>
            <Form.Item name="content" label="报警内容">
              <Input.TextArea rows={3} data-testid="incident-content" />
            </Form.Item>
            <Row gutter={8}>
              <Col span={12}>
                <Form.Item name="phone" label="报警电话">
                  <Input />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="districtCode" label="区县">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={ref.districts.map((d) => ({ value: d.code, label: d.name }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="address" label="地点">
              <Input />
            </Form.Item>
            <Row gutter={8}>
              <Col span={12}>
                <Form.Item name="category" label="警情类别">
                  <Select options={enumOptions(ref.enums.incidentCategories)} data-testid="incident-category" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="priority" label="等级">
                  <Select options={PRIORITY} data-testid="incident-priority" />
                </Form.Item>
              </Col>
            </Row>
            {can('exercise.run') && (
              <Form.Item name="exercise" valuePropName="checked" style={{ marginBottom: 8 }}>
                <Checkbox data-testid="incident-exercise">应急演练（全程照常处理，不计入统计）</Checkbox>
              </Form.Item>
            )}
          </Form>
          {error && (
            <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="incident-error" />
          )}
          <Button type="primary" onClick={() => void create()} data-testid="incident-create">
            接警登记
          </Button>
        </Card>
        <CallerPanel phone={phone} shown={3} onOpen={(r) => r.kind === 'incident' && setOpen(r.id)} />
        <Card size="small" title="分流研判">
          <TriagePanel outcome={triage} loading={triageBusy} error={null} routeLabels={ref.enums.triageRoutes ?? {}} />
        </Card>
      </Col>
      <Col xs={24} xl={16}>
        {alert && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setAlert(null)}
            style={{ marginBottom: 12 }}
            data-testid="emergency-alert"
            title={`紧急警情 ${alert.no ?? ''}：已自动签收，请立即派警`}
            description={[alert.content, alert.address].filter(Boolean).join(' · ')}
            action={
              <Button
                size="small"
                danger
                onClick={() => {
                  setQueue('waiting');
                  setPage({ ...page, page: 1 });
                  setAlert(null);
                }}
              >
                查看
              </Button>
            }
          />
        )}
        <Card
          size="small"
          title="警情队列"
          extra={
            notifications.permission === 'default' ? (
              <Button size="small" onClick={notifications.request} data-testid="enable-notifications">
                开启桌面提醒
              </Button>
            ) : null
          }
        >
          <Tabs
            size="small"
            activeKey={queue}
            onChange={(k) => {
              setQueue(k);
              setPage({ ...page, page: 1 });
            }}
            items={QUEUES.map((x) => ({ key: x.key, label: x.label }))}
            data-testid="incident-queues"
          />
          <Table<Incident>
            {...DENSE_TABLE}
            rowKey="id"
            dataSource={data?.items ?? []}
            data-testid="incident-table"
            rowClassName={(r) => (r.emergency && r.status === 'received' ? 'incident-emergency' : '')}
            scroll={{
              x:
                QUEUE_FIXED_WIDTH +
                CONTENT_MIN +
                (queue === 'waiting' ? 0 : UNIT_WIDTH) -
                (actionable ? 0 : ACTION_WIDTH),
            }}
            onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100],
              onChange: (p, ps) => setPage({ page: p, pageSize: ps }),
            }}
            columns={[
              {
                title: '等级',
                dataIndex: 'priority',
                width: 56,
                render: (p: number) => <Tag color={p === 1 ? 'red' : p === 2 ? 'orange' : 'default'}>{p}级</Tag>,
              },
              { title: '类别', dataIndex: 'categoryLabel', width: 80, ellipsis: true },
              // The content takes what is left; 派警 and 分流 stay in view (fixed right) on a 1366-wide screen.
              {
                title: '内容',
                dataIndex: 'content',
                ellipsis: true,
                render: (v: string, r) => <QueueContent incident={r} content={v} peerLabel={peerLabel} />,
              },
              { title: '区县', dataIndex: 'districtName', width: 76, ellipsis: true },
              ...(queue === 'waiting'
                ? []
                : [{ title: '处警单位', dataIndex: 'unitName', width: UNIT_WIDTH, ellipsis: true }]),
              { title: '状态', dataIndex: 'statusLabel', width: 70 },
              queue === 'waiting'
                ? {
                    title: '已等待',
                    dataIndex: 'createdAt',
                    width: 100,
                    render: (v: string, r) => (
                      <Tag color={r.emergency ? 'red' : 'default'} data-testid="waiting-time">
                        {fmtDuration(Math.max(0, (now - Date.parse(v)) / 1000))}
                      </Tag>
                    ),
                  }
                : {
                    title: '时间',
                    dataIndex: 'createdAt',
                    width: 108,
                    render: (v: string) => <span className="nowrap">{fmtShort(v)}</span>,
                  },
              ...(actionable
                ? [
                    {
                      title: '操作',
                      width: ACTION_WIDTH,
                      fixed: 'right' as const,
                      render: (_: unknown, r: Incident) => (
                        <Space size={4} onClick={(e) => e.stopPropagation()}>
                          {r.status === 'received' && (
                            <Button
                              size="small"
                              type="primary"
                              onClick={() => setAct({ incident: r, action: 'dispatch' })}
                            >
                              派警
                            </Button>
                          )}
                          {r.status === 'received' && (
                            <Dropdown menu={divertMenu(r)} trigger={['click']}>
                              <Button size="small" data-testid="divert-button">
                                分流
                              </Button>
                            </Dropdown>
                          )}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      </Col>
      {act && (
        <IncidentActionModal
          incident={act.incident}
          action={act.action}
          preset={act.preset}
          onClose={() => setAct(null)}
          onDone={() => {
            setAct(null);
            message.success('操作成功');
            setTick((t) => t + 1);
          }}
        />
      )}
      {open && (
        <IncidentDrawer
          id={open}
          onClose={() => setOpen(null)}
          onAct={(incident, action) => setAct({ incident, action })}
          version={tick}
        />
      )}
    </Row>
  );
}

/** A partner line as a tag says it: its number when its name ends with one (…120 → 120), else its name. */
const shortLine = (name: string) => /(11[09]|12[02])$/.exec(name)?.[1] ?? name;

/**
 * A queue row's content: the alarm's words (紧急 first when it is a danger now), then where, the
 * callback the caller agreed to, and the lines the sending desk notified with it (同时联动).
 */
function QueueContent({
  incident: r,
  content,
  peerLabel,
}: {
  incident: Incident;
  content: string;
  peerLabel: (peer: string) => string;
}) {
  const cb = r.linkage?.callback;
  const facts = [
    cb && `回电 ${[cb.name, cb.phone].filter(Boolean).join(' ')}`,
    r.address,
    r.linkage && `${peerLabel(r.linkage.peer)}移交`,
  ].filter(Boolean);
  const linked = r.linkage?.linked ?? [];
  return (
    <div className="queue-content" title={[content, ...facts].join('\n')}>
      <div className="queue-content-line">
        {r.exercise && (
          <Tag color="cyan" data-testid="exercise-tag">
            演练
          </Tag>
        )}
        {r.emergency && (
          <Tag color="red" data-testid="emergency-tag">
            紧急
          </Tag>
        )}
        {content}
      </div>
      {(facts.length > 0 || linked.length > 0) && (
        <div className="queue-content-facts">
          {linked.map((l) => (
            <Tag key={l.itemId} color="volcano" data-testid="linked-line" title={`已同时联动${peerLabel(l.to)}`}>
              已联动{shortLine(peerLabel(l.to))}
            </Tag>
          ))}
          {facts.join(' · ')}
        </div>
      )}
    </div>
  );
}

interface IncidentDetail extends Omit<Incident, 'linkage'> {
  linkage: { itemId: string; kind: string; peer: string; linked: { to: string; itemId: string }[] } | null;
  request: {
    content: string;
    location: { address: string; districtName: string | null };
    caller: { phone: string | null };
  } | null;
  actions: { id: number; actionLabel: string; actor: { name: string }; at: string; details: Record<string, unknown> }[];
  allowedActions: string[];
}

/** The words an action carries: a feedback's summary, otherwise its note. */
const actionText = (details: Record<string, unknown>) =>
  typeof details.summary === 'string' ? details.summary : typeof details.note === 'string' ? details.note : '';

export function IncidentDrawer({
  id,
  onClose,
  onAct,
  version,
}: {
  id: string;
  onClose: () => void;
  onAct: (i: Incident, action: string) => void;
  version: number;
}) {
  const [d, setD] = useState<IncidentDetail | null>(null);
  const peerLabel = usePeerLabel();
  useEffect(() => {
    get<IncidentDetail>(`/api/incidents/${id}`)
      .then(setD)
      .catch(() => undefined);
  }, [id, version]);
  return (
    <Drawer
      open
      title={d ? `警情 ${d.no}${d.exercise ? '（应急演练，不计入统计）' : ''}` : '警情'}
      onClose={onClose}
      size={640}
      destroyOnHidden
    >
      {d && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            {d.allowedActions
              .filter((a) => INCIDENT_FORMS[a])
              .map((a) => (
                <Button key={a} danger={INCIDENT_FORMS[a]!.danger} onClick={() => onAct(d, a)}>
                  {INCIDENT_FORMS[a]!.title}
                </Button>
              ))}
          </Space>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              { key: 's', label: '状态', children: d.statusLabel },
              { key: 'c', label: '类别', children: d.categoryLabel },
              { key: 'content', label: '报警内容', span: 2, children: d.request?.content },
              {
                key: 'a',
                label: '地点',
                span: 2,
                children:
                  [d.request?.location.districtName, d.request?.location.address].filter(Boolean).join(' ') || '—',
              },
              { key: 't', label: '处警层级', children: d.tierLabel ?? '—' },
              { key: 'u', label: '报警电话', children: d.request?.caller.phone ?? '—' },
              ...(d.linkage
                ? [
                    {
                      key: 'lk',
                      label: '对接事项',
                      span: 2,
                      children: (
                        <>
                          {peerLabel(d.linkage.peer)}移交 · <span translate="no">{itemNo(d.linkage.itemId)}</span>
                        </>
                      ),
                    },
                    ...(d.linkage.linked.length
                      ? [
                          {
                            key: 'linked',
                            label: '同时联动',
                            span: 2,
                            children: (
                              <span data-testid="incident-linked">
                                {d.linkage.linked.map((l) => (
                                  <Tag key={l.itemId} color="volcano">
                                    {peerLabel(l.to)} · <span translate="no">{itemNo(l.itemId)}</span>
                                  </Tag>
                                ))}
                              </span>
                            ),
                          },
                        ]
                      : []),
                  ]
                : []),
            ]}
          />
          <Timeline
            style={{ marginTop: 16 }}
            items={d.actions.map((a) => ({
              key: a.id,
              title: fmtTime(a.at),
              content: (
                <>
                  {a.actionLabel} · {a.actor.name}
                  {actionText(a.details) ? (
                    <>
                      ：<PeerText text={actionText(a.details)} />
                    </>
                  ) : (
                    ''
                  )}
                </>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
