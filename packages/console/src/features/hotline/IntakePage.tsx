/**
 * 12345 call-taker's intake: the triage suggestion follows the text as it is typed; one click (or one
 * key) makes the work order, transfers to 110, opens a consultation, marks it urgent or answers it on
 * the spot. Possible duplicates are shown before a new order is made.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { api, errorText, get, post } from '../../api/client.ts';
import type { LinkageItem, TriageOutcome, WorkOrder } from '../../api/types.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { useDebounced } from '../../shared/useDebounced.ts';
import { fmtShort } from '../../shared/format.ts';
import { TriagePanel } from './TriagePanel.tsx';
import { WorkOrderDrawer } from './WorkOrderDrawer.tsx';

interface IntakeValues {
  phone?: string;
  name?: string;
  confidential?: boolean;
  callbackConsent?: boolean;
  content?: string;
  address?: string;
  districtCode?: string;
  streetCode?: string;
  orderType?: string;
  categoryCode?: string;
  urgentKind?: string;
}
interface Done {
  order: WorkOrder;
  linkage?: LinkageItem;
  how: string;
}
interface Target {
  id: string;
  name: string;
  kind: string;
}

const FALLBACK_CATEGORY = 'QTSX01';
const newRef = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export function IntakePage() {
  const { message } = App.useApp();
  const ref = useReference();
  /** Which triage route each connector kind answers (119 → fire, 120 → medical …): the server's one table. */
  const kindRoute = ref.enums.connectorKindRoutes ?? {};
  const [form] = Form.useForm<IntakeValues>();
  const content = Form.useWatch('content', form) ?? '';
  const address = Form.useWatch('address', form) ?? '';
  const districtCode = Form.useWatch('districtCode', form);
  const streetCode = Form.useWatch('streetCode', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const [urgentMode, setUrgentMode] = useState(false);
  const [streets, setStreets] = useState<{ code: string; name: string }[]>([]);
  const [triage, setTriage] = useState<TriageOutcome | null>(null);
  const [triageBusy, setTriageBusy] = useState(false);
  const [triageError, setTriageError] = useState<string | null>(null);
  const [similar, setSimilar] = useState<WorkOrder[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [answerOpen, setAnswerOpen] = useState(false);
  const [guardOpen, setGuardOpen] = useState(false);
  const [guardReason, setGuardReason] = useState('');
  const [answer, setAnswer] = useState('');
  const [viewing, setViewing] = useState<string | null>(null);
  const [targets, setTargets] = useState<Target[]>([]);
  const clientRef = useRef(newRef());
  const created = useRef<WorkOrder | null>(null);
  const categoryTouched = useRef(false);

  // Triage as the text is typed (debounced; a newer text cancels the older request).
  const text = useDebounced(content.trim(), 350);
  useEffect(() => {
    if (!text) {
      setTriage(null);
      setTriageError(null);
      return undefined;
    }
    const ac = new AbortController();
    setTriageBusy(true);
    api<TriageOutcome>('POST', '/api/triage', { text, channel: '12345' }, { signal: ac.signal })
      .then((o) => {
        setTriage(o);
        setTriageError(null);
        if (
          !categoryTouched.current &&
          o.category &&
          /^[A-Z]/.test(o.category) &&
          ref.categories.some((c) => c.code === o.category)
        )
          form.setFieldValue('categoryCode', o.category);
        if (o.urgent && o.urgentKind) {
          setUrgentMode(true);
          form.setFieldValue('urgentKind', o.urgentKind);
        }
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setTriageError(e.message);
      })
      .finally(() => {
        if (!ac.signal.aborted) setTriageBusy(false);
      });
    return () => ac.abort();
  }, [text, form, ref.categories]);

  useEffect(() => {
    get<Target[]>('/api/linkage/targets')
      .then(setTargets)
      .catch(() => setTargets([]));
  }, []);

  useEffect(() => {
    if (!districtCode) {
      setStreets([]);
      return;
    }
    get<{ code: string; name: string }[]>(`/api/reference/districts/${districtCode}/streets`)
      .then(setStreets)
      .catch(() => setStreets([]));
  }, [districtCode]);

  // Possible duplicates: same address, or same street and topic, recently.
  const dupKey = useDebounced(JSON.stringify({ address: address.trim(), districtCode, streetCode, categoryCode }), 400);
  useEffect(() => {
    const q = JSON.parse(dupKey) as Record<string, string | undefined>;
    if (!q.address && !q.streetCode) {
      setSimilar([]);
      return undefined;
    }
    const ac = new AbortController();
    get<WorkOrder[]>('/api/work-orders/similar', { ...q, days: 30 }, ac.signal)
      .then(setSimilar)
      .catch(() => undefined);
    return () => ac.abort();
  }, [dupKey]);

  const reset = useCallback(() => {
    form.resetFields();
    setTriage(null);
    setSimilar([]);
    setError(null);
    setDone(null);
    setUrgentMode(false);
    setAnswer('');
    setGuardOpen(false);
    setGuardReason('');
    clientRef.current = newRef();
    created.current = null;
    categoryTouched.current = false;
  }, [form]);

  /** Makes the work order once per call (the client reference makes a retry return the same order). */
  const ensureOrder = async (forTransfer = false): Promise<WorkOrder> => {
    if (created.current) return created.current;
    const v = form.getFieldsValue();
    // A matter transferred to 110 is recorded on the 12345 side too; without a 12345 category it is filed under 其他.
    if (forTransfer && !v.categoryCode) v.categoryCode = FALLBACK_CATEGORY;
    const order = await post<WorkOrder>('/api/work-orders', {
      channel: 'phone_12345',
      clientRef: clientRef.current,
      ...(v.phone || v.name
        ? { caller: { ...(v.name ? { name: v.name } : {}), ...(v.phone ? { phone: v.phone } : {}) } }
        : {}),
      confidential: Boolean(v.confidential),
      content: v.content ?? '',
      address: v.address || undefined,
      districtCode: v.districtCode,
      streetCode: v.streetCode,
      orderType: v.orderType,
      categoryCode: v.categoryCode,
      ...(urgentMode && v.urgentKind ? { urgentKind: v.urgentKind } : {}),
    });
    created.current = order;
    return order;
  };

  /**
   * What the call-taker did with the suggestion goes on record with the request: accepted when she
   * followed it, overridden (with why) when she did not. Overrides feed the next training of the model.
   */
  const recordDecision = async (
    order: WorkOrder,
    chose: { route: string; emergency: boolean; urgent: boolean },
    reason: string,
  ) => {
    if (!triage) return;
    const followed = chose.route === triage.route && chose.emergency === triage.emergency;
    try {
      await post(
        `/api/requests/${order.requestId}/triage-decision`,
        followed ? { decision: 'accepted' } : { decision: 'overridden', ...chose, reason },
      );
    } catch (e) {
      message.warning(`研判采纳情况未能记录：${errorText(e)}`);
    }
  };

  const run = async (what: string, fn: () => Promise<Done>) => {
    if (busy) return;
    setBusy(what);
    setError(null);
    try {
      const d = await fn();
      setDone(d);
      message.success(d.how);
    } catch (e) {
      const msg = errorText(e);
      setError(created.current ? `工单 ${created.current.no} 已生成，但${what}未完成：${msg}` : msg);
    } finally {
      setBusy(null);
    }
  };

  const createOrder = (overrideReason?: string) => {
    // A danger must not wait in the hotline's queue: filing it as an ordinary order needs a stated reason.
    if (triage?.emergency && !overrideReason && !created.current) {
      setGuardOpen(true);
      return Promise.resolve();
    }
    return run('生成工单', async () => {
      const order = await ensureOrder();
      await recordDecision(
        order,
        { route: '12345', emergency: false, urgent: urgentMode },
        overrideReason ?? '话务员按12345工单受理',
      );
      return { order, how: `已生成工单 ${order.no}${order.status === 'assigned' ? '，已直派区县热线机构' : ''}` };
    });
  };

  const transfer = (consultation = false) =>
    run(consultation ? '发起会商' : '转110', async () => {
      const order = await ensureOrder(true);
      const v = form.getFieldsValue();
      const emergency = Boolean(triage?.emergency) && !consultation;
      const reasons = triage?.reasons.join('；') ?? '';
      const linkage = await post<LinkageItem>('/api/linkage/items', {
        kind: emergency ? 'emergency' : 'transfer',
        workOrderId: order.id,
        callbackConsent: Boolean(v.callbackConsent),
        reason: consultation
          ? `职责边界不清，请110专席参与三方会商：${reasons || '见诉求内容'}`
          : `12345一键转接：${reasons || '属公安职责'}`,
        ...(emergency ? { danger: reasons || '来电反映正在发生危险' } : {}),
      });
      await recordDecision(
        order,
        consultation && triage
          ? { route: triage.route, emergency: triage.emergency, urgent: triage.urgent }
          : { route: '110', emergency, urgent: false },
        '话务员转110处置',
      );
      return {
        order,
        linkage,
        how: consultation
          ? `已发起三方会商，对接事项 ${linkage.itemId}`
          : `已转110（${linkage.kindLabel}），对接事项 ${linkage.itemId}`,
      };
    });

  /** To a partner line (119, 120, a utility …): the same one-click transfer, to the connector. */
  const transferTo = (t: Target) =>
    run(`转${t.name}`, async () => {
      const order = await ensureOrder(true);
      const v = form.getFieldsValue();
      const emergency = Boolean(triage?.emergency);
      const reasons = triage?.reasons.join('；') ?? '';
      const linkage = await post<LinkageItem>('/api/linkage/items', {
        kind: emergency ? 'emergency' : 'transfer',
        workOrderId: order.id,
        target: t.id,
        callbackConsent: Boolean(v.callbackConsent),
        reason: `12345转${t.name}：${reasons || '见诉求内容'}`,
        ...(emergency ? { danger: reasons || '来电反映正在发生危险' } : {}),
      });
      await recordDecision(
        order,
        { route: kindRoute[t.kind] ?? triage?.route ?? '12345', emergency, urgent: false },
        `话务员转${t.name}`,
      );
      return { order, linkage, how: `已转${t.name}，对接事项 ${linkage.itemId}` };
    });

  const answerDirectly = () =>
    run('直接答复', async () => {
      const order = await ensureOrder();
      const replied = await post<WorkOrder>(`/api/work-orders/${order.id}/answer-directly`, { reply: answer.trim() });
      setAnswerOpen(false);
      await recordDecision(order, { route: 'guidance', emergency: false, urgent: false }, '话务员当场解答');
      return { order: replied, how: `已直接答复并办结工单 ${order.no}` };
    });

  const openAnswer = () => {
    setAnswer(triage?.guidance ?? answer);
    setAnswerOpen(true);
  };

  // Keyboard shortcuts for the frequent actions.
  const keys = useRef<Record<string, () => void>>({});
  // By physical key (e.code), so Alt+1 works whatever the keyboard layout or input method produces.
  keys.current = {
    Digit1: () => void createOrder(),
    Digit2: () => void transfer(false),
    Digit3: () => {
      if (triage?.needsConsultation) void transfer(true);
    },
    Digit4: () => setUrgentMode((u) => !u),
    Digit5: openAnswer,
    KeyN: reset,
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = keys.current[e.code];
      if (e.altKey && !e.ctrlKey && action) {
        e.preventDefault();
        action();
      } else if (e.ctrlKey && e.key === 'Enter') {
        e.preventDefault();
        keys.current.Digit1!();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const categoryOptions = useMemo(() => {
    const parents = ref.categories.filter((c) => !c.parentCode);
    return parents.map((p) => ({
      label: p.name,
      options: ref.categories
        .filter((c) => c.parentCode === p.code)
        .map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` })),
    }));
  }, [ref.categories]);
  const routeLabels = ref.enums.triageRoutes ?? {};
  const to110 = triage?.route === '110' || (triage?.emergency && triage.route !== '119' && triage.route !== '120');
  const suggestedRoutes = triage ? [triage.route, ...triage.linked] : [];
  const partners = targets.filter((t) => suggestedRoutes.includes(kindRoute[t.kind] ?? ''));
  const kbd = (k: string) => <span className="kbd">Alt+{k}</span>;

  if (done) {
    return (
      <Card>
        <Result
          status="success"
          title={done.how}
          data-testid="intake-result"
          subTitle={
            <span>
              工单 <Typography.Link onClick={() => setViewing(done.order.id)}>{done.order.no}</Typography.Link> ·{' '}
              {done.order.statusLabel}
              {done.linkage ? ` · 对接事项 ${done.linkage.statusLabel}` : ''}
            </span>
          }
          extra={
            <Button type="primary" onClick={reset} autoFocus>
              受理下一个来电{kbd('N')}
            </Button>
          }
        />
        {viewing && <WorkOrderDrawer id={viewing} onClose={() => setViewing(null)} />}
      </Card>
    );
  }

  return (
    <Row gutter={12}>
      <Col xs={24} lg={14}>
        <Card title="来电受理" size="small">
          <Form
            form={form}
            layout="vertical"
            size="small"
            initialValues={{ orderType: 'help', urgentKind: 'emergency_rescue' }}
            onValuesChange={(c) => {
              if ('categoryCode' in c) categoryTouched.current = true;
            }}
          >
            <Row gutter={8}>
              <Col span={8}>
                <Form.Item name="phone" label="来电号码">
                  <Input data-testid="caller-phone" />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="name" label="姓名">
                  <Input />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item label=" ">
                  <Space>
                    <Form.Item name="confidential" valuePropName="checked" noStyle>
                      <Checkbox>要求保密</Checkbox>
                    </Form.Item>
                    <Form.Item name="callbackConsent" valuePropName="checked" noStyle>
                      <Checkbox>同意转办单位回电</Checkbox>
                    </Form.Item>
                  </Space>
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="content" label="诉求内容">
              <Input.TextArea
                rows={4}
                maxLength={5000}
                showCount
                placeholder="边听边录，系统自动研判去向"
                data-testid="intake-content"
                autoFocus
              />
            </Form.Item>
            <Row gutter={8}>
              <Col span={8}>
                <Form.Item name="districtCode" label="区县">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={ref.districts.map((d) => ({ value: d.code, label: d.name }))}
                    data-testid="intake-district"
                    onChange={() => form.setFieldValue('streetCode', undefined)}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="streetCode" label="街道（镇）">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={streets.map((s) => ({ value: s.code, label: s.name }))}
                    disabled={!districtCode}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="address" label="详细地址">
                  <Input data-testid="intake-address" />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col span={8}>
                <Form.Item name="orderType" label="工单类型">
                  <Select options={enumOptions(ref.enums.workOrderTypes)} />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item name="categoryCode" label="派单目录分类">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={categoryOptions}
                    placeholder="根据研判自动带出，可修改"
                    data-testid="intake-category"
                  />
                </Form.Item>
              </Col>
            </Row>
            {urgentMode && (
              <Form.Item name="urgentKind" label="紧急工单类型（2小时内办理，直派区县热线机构）">
                <Radio.Group options={enumOptions(ref.enums.urgentKinds)} />
              </Form.Item>
            )}
          </Form>
          {error && (
            <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} data-testid="intake-error" />
          )}
          <Space wrap>
            <Button
              type={to110 ? 'default' : 'primary'}
              loading={busy === '生成工单'}
              onClick={() => void createOrder()}
              data-testid="action-create"
            >
              生成工单{kbd('1')}
            </Button>
            <Button
              type={to110 ? 'primary' : 'default'}
              danger={Boolean(triage?.emergency)}
              loading={busy === '转110'}
              onClick={() => void transfer(false)}
              data-testid="action-transfer"
            >
              一键转110{kbd('2')}
            </Button>
            {partners.map((t) => (
              <Button
                key={t.id}
                type={triage?.route !== '110' && triage?.emergency ? 'primary' : 'default'}
                danger={Boolean(triage?.emergency)}
                loading={busy === `转${t.name}`}
                onClick={() => void transferTo(t)}
                data-testid={`action-transfer-${t.id}`}
              >
                转{t.name}
              </Button>
            ))}
            {triage?.needsConsultation && (
              <Button loading={busy === '发起会商'} onClick={() => void transfer(true)} data-testid="action-consult">
                发起三方会商{kbd('3')}
              </Button>
            )}
            <Button
              onClick={() => setUrgentMode((u) => !u)}
              type={urgentMode ? 'primary' : 'default'}
              ghost={urgentMode}
              data-testid="action-urgent"
            >
              {urgentMode ? '取消紧急' : '标记紧急'}
              {kbd('4')}
            </Button>
            <Button onClick={openAnswer} data-testid="action-answer">
              直接答复{kbd('5')}
            </Button>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card title="分流研判" size="small" style={{ marginBottom: 12 }}>
          <TriagePanel outcome={triage} loading={triageBusy} error={triageError} routeLabels={routeLabels} />
        </Card>
        <Card
          title={<span>疑似重复诉求 {similar.length > 0 && <Tag color="orange">{similar.length}</Tag>}</span>}
          size="small"
        >
          {similar.length === 0 ? (
            <Typography.Text type="secondary">近30天没有同一地址或同街道同类的工单</Typography.Text>
          ) : (
            <Table<WorkOrder>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={similar}
              data-testid="similar-orders"
              onRow={(r) => ({ onClick: () => setViewing(r.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: '工单号', dataIndex: 'no', width: 150 },
                { title: '标题', dataIndex: 'title', ellipsis: true },
                { title: '状态', dataIndex: 'statusLabel', width: 70 },
                { title: '受理', dataIndex: 'createdAt', width: 90, render: fmtShort },
                {
                  title: '匹配',
                  width: 70,
                  render: (_, r) => (r.sameAddress ? <Tag color="red">同地址</Tag> : <Tag>同街道</Tag>),
                },
              ]}
            />
          )}
        </Card>
      </Col>
      <Modal
        title="研判为紧急警情"
        open={guardOpen}
        onCancel={() => setGuardOpen(false)}
        okText="仍按普通工单受理"
        okButtonProps={{ danger: true, disabled: !guardReason.trim(), 'data-testid': 'guard-confirm' } as never}
        onOk={() => {
          setGuardOpen(false);
          void createOrder(guardReason.trim());
        }}
        destroyOnHidden
      >
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="guard-text"
          title={`分流研判认为此诉求涉及正在发生的危险，应转${ref.enums.triageRoutes?.[triage?.route ?? ''] ?? triage?.route ?? '110'}。紧急事项不应进入普通工单队列。`}
        />
        <Input.TextArea
          rows={3}
          value={guardReason}
          onChange={(e) => setGuardReason(e.target.value)}
          placeholder="如确需按普通工单受理，请说明理由（将记入研判改判记录）"
          data-testid="guard-reason"
        />
      </Modal>
      <Modal
        title="直接答复（当场解答并办结）"
        open={answerOpen}
        onCancel={() => setAnswerOpen(false)}
        okText="答复并办结"
        onOk={() => void answerDirectly()}
        confirmLoading={busy === '直接答复'}
        destroyOnHidden
      >
        <Input.TextArea
          rows={5}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          placeholder="答复内容（可引用政策知识库口径）"
          data-testid="answer-text"
        />
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      </Modal>
      {viewing && <WorkOrderDrawer id={viewing} onClose={() => setViewing(null)} />}
    </Row>
  );
}
