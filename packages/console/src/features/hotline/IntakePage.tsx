/**
 * 12345 call-taker's intake: the triage suggestion follows the text as it is typed; one click (or one
 * key) makes the work order, transfers to 110, opens a consultation, marks it urgent or answers it on
 * the spot — each one call to POST /api/intake, which does it all in one transaction (intake-hooks.ts).
 * Possible duplicates are shown before a new order is made.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Dropdown,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import type { TriageOutcome, WorkOrder } from '../../api/types.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { fmtShort, isMobileNumber } from '../../shared/format.ts';
import { TabSelect } from '../../shared/TabSelect.tsx';
import {
  useIntakeSubmit,
  usePartnerLines,
  useShortcuts,
  useSimilarOrders,
  useStreets,
  useTriage,
  type IntakeAnswer,
  type IntakeHandling,
  type Target,
} from './intake-hooks.ts';
import { CallerPanel } from '../callers/CallerPanel.tsx';
import { InvalidCallDialog } from './InvalidCallDialog.tsx';
import { TriagePanel } from './TriagePanel.tsx';
import { DispatchSuggestionButtons } from './DispatchSuggestions.tsx';
import { KnowledgePanel, type KnowledgeSuggestion } from './KnowledgePanel.tsx';
import { BusinessLookupPanel } from './BusinessLookupPanel.tsx';
import { WorkOrderDrawer } from './WorkOrderDrawer.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { insertPhrase, usePhrases } from './phrases.ts';
import { clearDraft, loadDraft, saveDraft } from '../../shared/drafts.ts';
import { useLiveCall } from '../telephony/LiveCallContext.tsx';

interface IntakeValues {
  phone?: string;
  name?: string;
  confidential?: boolean;
  /** 应急演练 (for those who run drills): handled end to end, counted in no report. */
  exercise?: boolean;
  callbackConsent?: boolean;
  /** 短信告知: receipt, reply and 回访 texted to the caller's mobile number (on unless she declines). */
  smsConsent?: boolean;
  content?: string;
  address?: string;
  districtCode?: string;
  streetCode?: string;
  orderType?: string;
  categoryCode?: string;
  urgentKind?: string;
}

/** The intake as typed so far, kept until filed (shared/drafts.ts); an empty form keeps nothing. */
function keepDraft(userId: string, v: IntakeValues): void {
  if (v.phone || v.name || v.content || v.address) saveDraft(userId, 'intake', { ...v });
  else clearDraft(userId, 'intake');
}

export function IntakePage() {
  const { message } = App.useApp();
  const { can, me } = useAuth();
  // The call she is on: the intake carries it (linked to the request; 一键转110 moves it with the item).
  const { call: liveCall } = useLiveCall();
  const liveCallId = liveCall?.phase === 'talking' || liveCall?.phase === 'consulting' ? liveCall.id : null;
  const ref = useReference();
  /** Which triage route each connector kind answers (119 → fire, 120 → medical …): the server's one table. */
  const kindRoute = ref.enums.connectorKindRoutes ?? {};
  const [form] = Form.useForm<IntakeValues>();
  const content = Form.useWatch('content', form) ?? '';
  const phone = Form.useWatch('phone', form);
  const address = Form.useWatch('address', form) ?? '';
  const districtCode = Form.useWatch('districtCode', form);
  const streetCode = Form.useWatch('streetCode', form);
  const categoryCode = Form.useWatch('categoryCode', form);
  const allValues = Form.useWatch([], form);
  const [urgentMode, setUrgentMode] = useState(false);
  const [answerOpen, setAnswerOpen] = useState(false);
  /** 无效/骚扰来电: recorded with no work order */
  const [invalidOpen, setInvalidOpen] = useState(false);
  /** Counts the calls taken at this desk: the caller panel starts anew with each. */
  const [callNo, setCallNo] = useState(0);
  const [guard, setGuard] = useState<{ route: string | null } | null>(null);
  const [guardReason, setGuardReason] = useState('');
  const [answer, setAnswerState] = useState('');
  // What the dialog holds at this moment: Ctrl+Enter pressed right after typing must not read an older render.
  const answerNow = useRef('');
  const setAnswer = (text: string) => {
    answerNow.current = text;
    setAnswerState(text);
  };
  const [answerError, setAnswerError] = useState<string | null>(null);
  /** The knowledge article (and version) the answer was taken from, recorded with it. */
  const [answerArticle, setAnswerArticle] = useState<KnowledgeSuggestion | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  /** The order as dispatched from the result's suggestions (智能派单), and to whom. */
  const [dispatched, setDispatched] = useState<{ order: WorkOrder; unitName: string } | null>(null);
  const categoryTouched = useRef(false);
  const contentBox = useRef<TextAreaRef>(null);
  const [phrasesOpen, setPhrasesOpen] = useState(false);
  const phrases = usePhrases();

  // The suggestion fills in the category (unless she chose one) and turns urgent mode on.
  const onOutcome = useCallback(
    (o: TriageOutcome) => {
      if (!categoryTouched.current && o.category && /^[A-Z]/.test(o.category))
        if (ref.categories.some((c) => c.code === o.category)) form.setFieldValue('categoryCode', o.category);
      if (o.urgent && o.urgentKind) {
        setUrgentMode(true);
        form.setFieldValue('urgentKind', o.urgentKind);
      }
    },
    [form, ref.categories],
  );
  const { triage, busy: triageBusy, error: triageError, clear: clearTriage, settle } = useTriage(content, onOutcome);
  const streets = useStreets(districtCode);
  const { similar, clear: clearSimilar } = useSimilarOrders({ address, districtCode, streetCode, categoryCode });
  const targets = usePartnerLines();
  const partnerName = (id: string) => targets.find((t) => t.id === id)?.name ?? id;
  const intake = useIntakeSubmit((route) => setGuard({ route }));
  const { done, reset: resetIntake } = intake;

  // What was typed survives a session that ends (and a reload): kept in this browser until filed.
  const userId = me?.id ?? '';
  const draftRestored = useRef(false);
  useEffect(() => {
    if (draftRestored.current || !userId) return;
    draftRestored.current = true;
    const draft = loadDraft<IntakeValues>(userId, 'intake');
    if (!draft) return;
    if (draft.categoryCode) categoryTouched.current = true;
    form.setFieldsValue(draft);
    message.info('已恢复上次未提交的受理内容');
  }, [userId, form, message]);
  const saveIntakeDraft = (v: IntakeValues) => {
    if (draftRestored.current && userId && !done) keepDraft(userId, v);
  };
  // what the page itself puts in (a phrase, the suggested category) is kept too
  useEffect(() => {
    if (draftRestored.current && userId && !done) keepDraft(userId, form.getFieldsValue());
  }, [allValues, userId, form, done]);
  // An answered call fills in who is calling (once per call), unless she has typed it already.
  const answeredCall = liveCallId ? liveCall : null;
  const filledFor = useRef<string | null>(null);
  useEffect(() => {
    if (!answeredCall || done || filledFor.current === answeredCall.id) return;
    filledFor.current = answeredCall.id;
    if (answeredCall.callerNumber && !form.getFieldValue('phone'))
      form.setFieldValue('phone', answeredCall.callerNumber);
    if (answeredCall.callerName && !form.getFieldValue('name')) form.setFieldValue('name', answeredCall.callerName);
  }, [answeredCall, done, form]);

  const reset = useCallback(() => {
    setCallNo((n) => n + 1);
    form.resetFields();
    if (userId) clearDraft(userId, 'intake');
    clearTriage();
    clearSimilar();
    resetIntake();
    setUrgentMode(false);
    setAnswer('');
    setAnswerArticle(null);
    setGuard(null);
    setGuardReason('');
    setDispatched(null);
    categoryTouched.current = false;
  }, [form, clearTriage, clearSimilar, resetIntake, userId]);

  /** The form as the intake's request: who called, what about, where, and the order's type and category. */
  const requestBody = () => {
    const v = form.getFieldsValue();
    return {
      channel: 'phone_12345',
      ...(v.phone || v.name
        ? { caller: { ...(v.name ? { name: v.name } : {}), ...(v.phone ? { phone: v.phone } : {}) } }
        : {}),
      confidential: Boolean(v.confidential),
      ...(isMobileNumber(v.phone) ? { smsConsent: v.smsConsent !== false } : {}),
      ...(v.exercise ? { exercise: true } : {}),
      content: v.content ?? '',
      address: v.address || undefined,
      districtCode: v.districtCode,
      streetCode: v.streetCode,
      orderType: v.orderType,
      categoryCode: v.categoryCode,
      ...(urgentMode && v.urgentKind ? { urgentKind: v.urgentKind } : {}),
      ...(liveCallId ? { callId: liveCallId } : {}),
    };
  };
  const callbackConsent = () => Boolean(form.getFieldValue('callbackConsent'));

  const run = async (what: string, handling: IntakeHandling, how: (a: IntakeAnswer) => string) => {
    const text = await intake.submit(what, requestBody(), handling, how);
    if (text) {
      message.success(text);
      // filed: nothing left to restore (a restored copy could be filed twice)
      if (userId) clearDraft(userId, 'intake');
    }
    return text;
  };

  const createOrder = async (reason?: string) => {
    // Filed a moment after typing: the suggestion for the text as it stands (its category, its danger) first.
    const settled = await settle();
    // A danger must not wait in the hotline's queue: the server refuses it as an ordinary order without a
    // stated reason; the page asks for the reason first rather than be refused.
    if (settled?.emergency && !reason) {
      setGuard({ route: settled.route });
      return null;
    }
    return run(
      '生成工单',
      { kind: 'order', ...(reason ? { reason } : {}) },
      ({ workOrder: o }) => `已生成工单 ${o.no}${o.status === 'assigned' ? '，已直派区县热线机构' : ''}`,
    );
  };

  const transfer = (consultation = false) =>
    consultation
      ? run(
          '发起会商',
          { kind: 'consultation', callbackConsent: callbackConsent() },
          (a) => `已发起三方会商，工单 ${a.workOrder.no}`,
        )
      : run(
          '转110',
          { kind: 'transfer', callbackConsent: callbackConsent() },
          (a) =>
            `已转110${a.linkage ? `（${a.linkage.kindLabel}）` : ''}，工单 ${a.workOrder.no}` +
            (a.linked.length ? `；同时联动 ${a.linked.map((l) => partnerName(l.peer)).join('、')}` : '') +
            (a.call?.moved
              ? a.call.transferred
                ? '；通话已转至110专席'
                : a.call.withSeat
                  ? '；通话未转成，仍在本坐席'
                  : '；通话未转成，已列入漏接回拨'
              : ''),
        );

  /** To a partner line (119, 120, a utility …): the same one-click transfer, to the connector. */
  const transferTo = (t: Target) =>
    run(
      `转${t.name}`,
      { kind: 'transfer', target: t.id, callbackConsent: callbackConsent() },
      (a) => `已转${t.name}，工单 ${a.workOrder.no}`,
    );

  const answerDirectly = async () => {
    // nothing is written for an empty answer
    const reply = answerNow.current;
    if (!reply.trim()) {
      setAnswerError('请填写答复内容');
      return;
    }
    setAnswerError(null);
    // the category the suggestion gives, when she answers before it came in
    await settle();
    const text = await run(
      '直接答复',
      {
        kind: 'answer',
        reply,
        ...(answerArticle ? { knowledge: { articleId: answerArticle.articleId, version: answerArticle.version } } : {}),
      },
      (a) => `已直接答复并办结工单 ${a.workOrder.no}`,
    );
    if (text) setAnswerOpen(false);
  };

  const openAnswer = () => {
    setAnswer(triage?.guidance ?? answer);
    setAnswerError(null);
    setAnswerArticle(null);
    setAnswerOpen(true);
  };

  const confirmGuard = () => {
    if (!guardReason.trim()) return;
    setGuard(null);
    void createOrder(guardReason.trim());
  };

  // Keyboard shortcuts for the frequent actions. While a dialog is open its own action is the only one:
  // Ctrl+Enter answers in 直接答复 and confirms in the danger guard, and Alt+digits do nothing.
  const dialogOpen = answerOpen || guard !== null || invalidOpen;
  const unlessDialog = (f: () => void) => () => {
    if (!dialogOpen) f();
  };

  /** An article's suggested wording into 直接答复 (Alt+6 takes the top one; not while a dialog is open). */
  const answerFromArticle = (a: KnowledgeSuggestion) => {
    if (dialogOpen) return;
    setAnswer(a.answer);
    setAnswerArticle(a);
    setAnswerError(null);
    setAnswerOpen(true);
  };
  useShortcuts({
    Digit1: unlessDialog(() => void createOrder()),
    Digit2: unlessDialog(() => void transfer(false)),
    Digit3: unlessDialog(() => {
      if (triage?.needsConsultation) void transfer(true);
    }),
    Digit4: unlessDialog(() => setUrgentMode((u) => !u)),
    Digit5: unlessDialog(openAnswer),
    KeyN: unlessDialog(reset),
    KeyP: unlessDialog(() => setPhrasesOpen(true)),
    KeyEnter: () => {
      if (answerOpen) void answerDirectly();
      else if (guard !== null) confirmGuard();
      // the 无效/骚扰来电 dialog records with its own button: Ctrl+Enter there files no order
      else if (!invalidOpen) void createOrder();
    },
  });

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

  /** The 常用语 chosen goes where the caret stood in 诉求内容, and the caret after it. */
  const insertChosen = (phrase: string) => {
    setPhrasesOpen(false);
    const box = contentBox.current?.resizableTextArea?.textArea;
    const text: string = form.getFieldValue('content') ?? '';
    const at = insertPhrase(text, phrase, box?.selectionStart ?? text.length, box?.selectionEnd ?? text.length, 5000);
    if (!at) {
      message.warning('诉求内容已达5000字上限，未插入常用语');
      return;
    }
    form.setFieldValue('content', at.text);
    // after the menu has handed the focus back to its button
    setTimeout(() => {
      box?.focus();
      box?.setSelectionRange(at.caret, at.caret);
    });
  };

  // When the 常用语 list closes (a phrase, Esc, a click on its button) the focus goes back to 诉求内容 —
  // also when the list had taken it and is now gone — unless the user has put it somewhere else; a phrase
  // chosen puts the caret after itself.
  const phrasesWereOpen = useRef(false);
  useEffect(() => {
    if (phrasesOpen) phrasesWereOpen.current = true;
    else if (phrasesWereOpen.current) {
      phrasesWereOpen.current = false;
      const box = contentBox.current?.resizableTextArea?.textArea;
      setTimeout(() => {
        const at = document.activeElement;
        const nowhere = !at || at === document.body || at.closest('.ant-dropdown, .phrase-button') !== null;
        if (box && nowhere) box.focus();
      });
    }
  }, [phrasesOpen]);

  /**
   * The 常用语 list takes the focus a moment after it shows; a key pressed in that moment reaches the text
   * box. Enter then takes the first phrase (the list opens on it) and Esc closes the list, as in the list:
   * neither becomes a newline or a lost key in 诉求内容.
   */
  const keysBeforeMenuFocus = (e: ReactKeyboardEvent<HTMLTextAreaElement>) => {
    if (!phrasesOpen || e.nativeEvent.isComposing) return;
    if (e.key === 'Enter' && !e.ctrlKey && !e.altKey && !e.shiftKey && !e.metaKey && phrases?.length) {
      e.preventDefault();
      insertChosen(phrases[0]!);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setPhrasesOpen(false);
    }
  };

  if (done) {
    return (
      <Card>
        <Result
          status="success"
          title={done.how}
          data-testid="intake-result"
          subTitle={
            <span>
              工单{' '}
              <Typography.Link onClick={() => setViewing(done.answer.workOrder.id)}>
                {done.answer.workOrder.no}
              </Typography.Link>{' '}
              · {(dispatched?.order ?? done.answer.workOrder).statusLabel}
              {dispatched ? ` · 已派 ${dispatched.unitName}` : ''}
              {done.answer.linkage ? ` · 对接事项 ${done.answer.linkage.statusLabel}` : ''}
              {done.answer.call && !done.answer.call.moved ? ' · 本次通话已记入诉求' : ''}
            </span>
          }
          extra={
            <Button
              type={done.answer.dispatchSuggestions && !dispatched ? 'default' : 'primary'}
              onClick={reset}
              autoFocus
            >
              受理下一个来电{kbd('N')}
            </Button>
          }
        />
        {done.answer.call?.moved && !done.answer.call.transferred && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="intake-call-not-moved"
            message={`对接事项已发往110，但通话未能转接：${done.answer.call.reason ?? '原因不明'}`}
            description={
              done.answer.call.withSeat
                ? '来电人仍在线：请告知已转110处置，或稍后再转。'
                : '来电人已断线，已列入漏接回拨：请尽快回拨并告知已转110处置。'
            }
          />
        )}
        {done.answer.dispatchSuggestions && !dispatched && (
          <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
            <DispatchSuggestionButtons
              data={done.answer.dispatchSuggestions}
              orderId={done.answer.workOrder.id}
              onDone={(order, unitName) => {
                setDispatched({ order, unitName });
                message.success(`已派单至${unitName}`);
              }}
            />
          </div>
        )}
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
            initialValues={{ orderType: 'help', urgentKind: 'emergency_rescue', smsConsent: true }}
            onValuesChange={(c, all) => {
              if ('categoryCode' in c) categoryTouched.current = true;
              // at once, not after the next render: a session ending right now must not lose this keystroke
              saveIntakeDraft(all);
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
                    {isMobileNumber(phone) ? (
                      <Form.Item name="smsConsent" valuePropName="checked" noStyle>
                        <Checkbox title="受理（工单编号）、办结答复和回访短信发至来电手机号码；来电人不愿接收时取消">
                          短信告知
                        </Checkbox>
                      </Form.Item>
                    ) : (
                      <Checkbox disabled checked={false} title="仅手机号码可接收短信">
                        短信告知
                      </Checkbox>
                    )}
                    {can('exercise.run') && (
                      <Form.Item name="exercise" valuePropName="checked" noStyle>
                        <Checkbox data-testid="intake-exercise">应急演练</Checkbox>
                      </Form.Item>
                    )}
                  </Space>
                </Form.Item>
              </Col>
            </Row>
            {/* Off the Tab order (the form's fields follow each other): Alt+P opens it from anywhere. */}
            <div className="content-field">
              <Dropdown
                open={phrasesOpen}
                onOpenChange={setPhrasesOpen}
                trigger={['click']}
                autoFocus
                // built anew each time, so the list opens on its first phrase, not on the last one chosen
                destroyOnHidden
                menu={{
                  items: phrases
                    ? phrases.map((p) => ({ key: p, label: p }))
                    : [{ key: '', label: '正在加载常用语…', disabled: true }],
                  onClick: ({ key }) => key && insertChosen(key),
                }}
                data-testid="phrase-menu"
              >
                <Button size="small" type="link" tabIndex={-1} className="phrase-button" data-testid="phrase-button">
                  常用语{kbd('P')}
                </Button>
              </Dropdown>
              <Form.Item name="content" label="诉求内容">
                <Input.TextArea
                  ref={contentBox}
                  rows={4}
                  maxLength={5000}
                  showCount
                  placeholder="边听边录，系统自动研判去向"
                  data-testid="intake-content"
                  autoFocus
                  onKeyDown={keysBeforeMenuFocus}
                />
              </Form.Item>
            </div>
            <Row gutter={8}>
              <Col span={8}>
                <Form.Item name="districtCode" label="区县">
                  <TabSelect
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
                  <TabSelect
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={streets.map((s) => ({ value: s.code, label: s.name }))}
                    disabled={!districtCode || streets.length === 0}
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
                  <TabSelect options={enumOptions(ref.enums.workOrderTypes)} />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item name="categoryCode" label="派单目录分类">
                  <TabSelect
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
          {intake.error && (
            <Alert type="error" showIcon title={intake.error} style={{ marginBottom: 8 }} data-testid="intake-error" />
          )}
          <Space wrap>
            <Button
              type={to110 ? 'default' : 'primary'}
              loading={intake.busy === '生成工单'}
              onClick={() => void createOrder()}
              data-testid="action-create"
            >
              生成工单{kbd('1')}
            </Button>
            <Button
              type={to110 ? 'primary' : 'default'}
              danger={Boolean(triage?.emergency)}
              loading={intake.busy === '转110'}
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
                loading={intake.busy === `转${t.name}`}
                onClick={() => void transferTo(t)}
                data-testid={`action-transfer-${t.id}`}
              >
                转{t.name}
              </Button>
            ))}
            {triage?.needsConsultation && (
              <Button
                loading={intake.busy === '发起会商'}
                onClick={() => void transfer(true)}
                data-testid="action-consult"
              >
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
            <Button onClick={() => setInvalidOpen(true)} data-testid="action-invalid-call">
              无效/骚扰来电
            </Button>
          </Space>
          {liveCallId && (
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }} data-testid="intake-live-call">
              {liveCall?.phase === 'consulting'
                ? `正在咨询110专席（来电 ${liveCall.callerNumber ?? '未显示号码'} 保持中）：一键转110将把来电人交给该专席`
                : `通话中（来电 ${liveCall?.callerNumber ?? '未显示号码'}）：受理记入本次通话；一键转110将连同通话转至110专席`}
            </Typography.Paragraph>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        {/* anew for each call: the same number typed again shows what the last call added */}
        <CallerPanel key={callNo} phone={phone} onOpen={(r) => r.kind === 'work_order' && setViewing(r.id)} />
        <Card title="分流研判" size="small" style={{ marginBottom: 12 }}>
          <TriagePanel outcome={triage} loading={triageBusy} error={triageError} routeLabels={routeLabels} />
        </Card>
        <KnowledgePanel content={content} districtCode={districtCode} onUse={answerFromArticle} />
        {can('business.lookup') && <BusinessLookupPanel />}
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
        open={guard !== null}
        onCancel={() => setGuard(null)}
        okText="仍按普通工单受理"
        okButtonProps={{ danger: true, disabled: !guardReason.trim(), 'data-testid': 'guard-confirm' } as never}
        onOk={confirmGuard}
        destroyOnHidden
      >
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="guard-text"
          title={`分流研判认为此诉求涉及正在发生的危险，应转${routeLabels[guard?.route ?? ''] ?? guard?.route ?? '110'}。紧急事项不应进入普通工单队列。`}
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
        confirmLoading={intake.busy === '直接答复'}
        destroyOnHidden
      >
        <Input.TextArea
          rows={5}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          placeholder="答复内容（可引用政策知识库口径）"
          data-testid="answer-text"
        />
        {answerArticle && (
          <Typography.Text type="secondary" data-testid="answer-article">
            依据知识：{answerArticle.title}（第 {answerArticle.version} 版）
          </Typography.Text>
        )}
        {(answerError ?? intake.error) && (
          <Alert
            type="error"
            showIcon
            title={answerError ?? intake.error}
            style={{ marginTop: 8 }}
            data-testid="answer-error"
          />
        )}
      </Modal>
      {invalidOpen && (
        <InvalidCallDialog
          request={() => {
            const v = form.getFieldsValue();
            return {
              ...(v.phone || v.name
                ? { caller: { ...(v.name ? { name: v.name } : {}), ...(v.phone ? { phone: v.phone } : {}) } }
                : {}),
              content: v.content ?? '',
              ...(liveCallId ? { callId: liveCallId } : {}),
            };
          }}
          onClose={() => setInvalidOpen(false)}
          onDone={(r) => {
            setInvalidOpen(false);
            message.success(`已记为${r.label}，未生成工单`);
            reset();
          }}
        />
      )}
      {viewing && <WorkOrderDrawer id={viewing} onClose={() => setViewing(null)} />}
    </Row>
  );
}
