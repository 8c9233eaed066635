/**
 * The 12345 call-taker's intake as one use case (issue 9 item 8): the work order is made and, in the same
 * transaction, what the call-taker did with the call — filed it as an order, transferred it to 110 or a
 * partner line, opened a three-way consultation, or answered it on the spot (直接答复) — together with
 * the record of her decision on the triage suggestion (采纳 or 改判). Everything is checked before the
 * transaction begins, and a failure inside it (the peer desk not configured, a transition refused) rolls
 * the whole intake back: no order is left behind without what was meant to happen to it.
 *
 * A service, not route logic, so the other intake channels (the citizens' web channel, telephony's
 * transfers with their callRef) can call the same use case.
 */
import {
  CONNECTOR_KIND_ROUTES,
  FALLBACK_HOTLINE_CATEGORY,
  type ConnectorKind,
  type LinkageKind,
  type Route,
  type TriageOutcome,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { listItemsForLocal, type ItemRow } from '../bridge/bridge.repo.ts';
import type { BridgeService, OpenedWithLinked } from '../bridge/bridge.service.ts';
import { listActiveTargets } from '../bridge/connectors.repo.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { CreateWorkOrderInput, WorkOrderService } from '../hotline/work-orders.service.ts';
import type { WorkOrderRow } from '../hotline/work-orders.repo.ts';
import { createOnce } from '../shared/create-once.ts';
import { mobileNumber } from '../sms/sms.service.ts';
import { markExercise } from '../shared/requests.repo.ts';
import type { TriageDecision, TriageService } from '../triage/triage.service.ts';

/** What the call-taker does with the call. */
export type IntakeHandling =
  /** 生成工单. Against a suggestion that the matter is a danger now, only with a stated reason. */
  | { kind: 'order'; reason?: string }
  /** 一键转110, or to a partner line (`target`: a connector's id: 119, 120, a utility …). */
  | { kind: 'transfer'; target?: string; callbackConsent?: boolean }
  /** 三方会商: the 110 specialist seat is asked in when the duty boundary is unclear. */
  | { kind: 'consultation'; callbackConsent?: boolean }
  /**
   * 直接答复: answered on the spot; the order is made and concluded at once. `knowledge`: the article
   * (and version) the answer was taken from, named in the order's action log and in the article's uses.
   */
  | { kind: 'answer'; reply: string; knowledge?: { articleId: string; version: number } };

export interface IntakeInput extends Omit<
  CreateWorkOrderInput,
  'channel' | 'categoryCode' | 'leadUnitId' | 'assistUnitIds'
> {
  channel?: string;
  /** Needed for an order or an answer; a transfer without one is filed under 其他 on the 12345 side. */
  categoryCode?: string;
  handling: IntakeHandling;
  /** A drill (应急演练): handled end to end, its items marked for the peer, counted in no report. */
  exercise?: boolean;
  /**
   * The live call the call-taker is on: linked to the request (its legs on the request's timeline); a
   * transfer to 110 moves it to the 110 specialist seat together with the linkage item (一键转接).
   */
  callId?: string;
  /**
   * 短信告知: the caller agrees to texts on the number given (the receipt with the order number, then the
   * reply and the 回访 survey; docs/sms.md). Default: yes for a mobile number. Only an order or a direct
   * answer is texted (a transfer's handling is the other desk's), and never a drill.
   */
  smsConsent?: boolean;
}

/** Texts to the caller of an order filed here (the SMS service implements it). */
export interface IntakeTexts {
  phoneIntake(
    tx: Queryable,
    order: { id: string; no: string },
    phone: string,
    answered: string | null,
  ): Promise<unknown>;
}

export interface IntakeResult {
  order: WorkOrderRow;
  /** The linkage item a transfer or consultation opened. */
  linkage: ItemRow | null;
  /** The items to the partner lines the triage named, opened with a transfer to the peer desk (120 with a fight with injuries). */
  linked: ItemRow[];
  /** What was recorded of the call-taker's decision (null when the text could not be triaged). */
  decision: TriageDecision | null;
  /** false: a retry with the same clientRef, answered with what the first attempt made. */
  created: boolean;
  /** The live call named by `callId`, and whether it moved. */
  call: IntakeCallOutcome | null;
}

/**
 * The call-taker's live call, as the intake needs it (the telephony service implements it): the call
 * she is on is linked to the request, and a transfer to 110 moves it to the 110 specialist seat.
 */
export interface IntakeCalls {
  /** The actor's own live call, answered and not yet moved; CALL_NOT_FOUND (or TELEPHONY_OFF) otherwise. */
  liveCall(actor: Actor, callId: string): { callRef: string };
  linkRequest(actor: Actor, callId: string, requestId: string): Promise<void>;
  transfer(actor: Actor, callId: string, linkageItemId: string | null): Promise<unknown>;
}

/** What became of the live call the intake named. */
export interface IntakeCallOutcome {
  id: string;
  callRef: string;
  /** whether the intake was to move it (一键转110) */
  moved: boolean;
  transferred: boolean;
  /** why it did not move (the caller hung up, nobody answered at 110 …) */
  reason: string | null;
  /** not moved and still on the call-taker's line (nobody answered at 110); false: lost, queued for call-back */
  withSeat: boolean;
}

/** A transfer's destination, resolved before anything is written. */
interface Destination {
  target?: string;
  name: string;
  route: Route;
}

export class IntakeService {
  constructor(
    private readonly db: Db,
    private readonly workOrders: WorkOrderService,
    private readonly triage: TriageService,
    private readonly bridge: BridgeService,
    private readonly knowledge: KnowledgeService,
    private readonly calls: IntakeCalls | null = null,
    private readonly texts: IntakeTexts | null = null,
  ) {}

  async intake(actor: Actor, input: IntakeInput): Promise<IntakeResult> {
    const { handling, exercise, callId, smsConsent, ...request } = input;
    if (exercise) requirePermission(actor, 'exercise.run');
    // Checks first: nothing is written for an intake that cannot be carried out.
    if (handling.kind === 'transfer' || handling.kind === 'consultation') requirePermission(actor, 'linkage.act');
    if (handling.kind === 'answer') requirePermission(actor, 'work_order.answer_directly');
    // In the order the form shows them, worded as the schema's own refusals (http/validation-message.ts).
    const transfers = handling.kind === 'transfer' || handling.kind === 'consultation';
    if (!transfers && !request.categoryCode)
      throw new AppError('VALIDATION_FAILED', '请求参数不合法：缺少必填项：派单目录分类', { field: 'categoryCode' });
    if (!request.content.trim())
      throw new AppError('VALIDATION_FAILED', '请求参数不合法：诉求内容不能为空', { field: 'content' });
    const reply = handling.kind === 'answer' ? handling.reply.trim() : '';
    if (handling.kind === 'answer' && !reply)
      throw new AppError('VALIDATION_FAILED', '请求参数不合法：答复内容不能为空', { field: 'handling.reply' });
    const phone = request.caller?.phone ? mobileNumber(request.caller.phone) : null;
    if (smsConsent === true && !phone)
      throw new AppError('VALIDATION_FAILED', '请求参数不合法：短信告知须填写来电人的手机号码', {
        field: 'smsConsent',
      });
    const texted =
      phone !== null && smsConsent !== false && !exercise && (handling.kind === 'order' || handling.kind === 'answer');
    const cited =
      handling.kind === 'answer' && handling.knowledge
        ? await this.knowledge.citation(this.db, handling.knowledge.articleId, handling.knowledge.version)
        : null;
    const destination = handling.kind === 'transfer' ? await this.destination(handling.target) : null;
    // The call she is on must be hers and live; a transfer to 110 moves it (not one to a partner line).
    const live = callId ? this.liveCall(actor, callId) : null;
    const moveCall = live !== null && handling.kind === 'transfer' && !destination?.target;
    const prepared = await this.workOrders.prepare(actor, {
      ...request,
      channel: request.channel ?? 'phone_12345',
      categoryCode: request.categoryCode ?? FALLBACK_HOTLINE_CATEGORY,
    });
    const triage = prepared.triage;
    if (handling.kind === 'order' && triage?.emergency && !handling.reason?.trim())
      throw new AppError('INTAKE_EMERGENCY_NEEDS_REASON', undefined, { route: triage.route });
    const decision = triage && decisionOn(triage, handling, destination, Boolean(input.urgentKind));

    const made = await createOnce(
      input.clientRef,
      () =>
        inTransaction(this.db, async (tx) => {
          // before any item is opened from it (the items carry the flag to the peer), and before 派单 (a
          // drill's is not reported upward, docs/sms.md)
          let order = await this.workOrders.insertPrepared(
            tx,
            actor,
            prepared,
            exercise ? (o) => markExercise(tx, o.request_id) : undefined,
          );
          let linkage: ItemRow | null = null;
          if (handling.kind === 'answer') {
            order = await this.workOrders.transition(tx, actor, order, {
              action: 'answer_directly',
              reply,
              ...(cited ? { knowledge: cited } : {}),
            });
            if (cited)
              await this.knowledge.recordUse(tx, actor, {
                articleId: cited.articleId,
                version: cited.version,
                channel: 'intake',
                requestId: order.request_id,
                workOrderId: order.id,
              });
          }
          if (texted && phone && this.texts)
            await this.texts.phoneIntake(tx, order, phone, handling.kind === 'answer' ? reply : null);
          let linked: ItemRow[] = [];
          if (handling.kind === 'transfer' || handling.kind === 'consultation')
            ({ item: linkage, linked } = await this.transfer(
              tx,
              actor,
              order,
              triage,
              handling,
              destination,
              moveCall ? live.callRef : undefined,
            ));
          if (decision) await this.triage.decide(actor, order.request_id, decision, tx);
          return { order, linkage, linked, decision };
        }),
      async (ref) => {
        const order = await this.workOrders.findByClientRef(ref);
        if (!order) return null;
        // The transfer to the desk or line is the oldest item of the order; the lines linked with it follow.
        const items = (await listItemsForLocal(this.db, order.id))
          .filter((i) => i.side === 'originator')
          .sort((a, b) => (a.item_id < b.item_id ? -1 : 1));
        return { order, linkage: items[0] ?? null, linked: items.slice(1), decision: null };
      },
    );
    if (made.created) this.workOrders.countCreated();
    const call = live && callId ? await this.carryCall(actor, callId, live.callRef, made.record, moveCall) : null;
    return { ...made.record, created: made.created, call };
  }

  private liveCall(actor: Actor, callId: string): { callRef: string } {
    if (!this.calls) throw new AppError('TELEPHONY_OFF');
    return this.calls.liveCall(actor, callId);
  }

  /**
   * After the commit (the order and the item stand whatever the phone does): the call is linked to the
   * request and, for 一键转110, moved to the 110 specialist seat with the item's id. A call that does not
   * move (the caller hung up meanwhile) is queued for a call-back by the call centre (漏接回拨); the
   * answer says so rather than failing an intake that is already made.
   */
  private async carryCall(
    actor: Actor,
    callId: string,
    callRef: string,
    made: { order: WorkOrderRow; linkage: ItemRow | null },
    move: boolean,
  ): Promise<IntakeCallOutcome> {
    const calls = this.calls!;
    await calls.linkRequest(actor, callId, made.order.request_id);
    if (!move) return { id: callId, callRef, moved: false, transferred: false, reason: null, withSeat: true };
    try {
      await calls.transfer(actor, callId, made.linkage?.item_id ?? null);
      return { id: callId, callRef, moved: true, transferred: true, reason: null, withSeat: false };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return {
        id: callId,
        callRef,
        moved: true,
        transferred: false,
        reason: err.message,
        withSeat: this.onLine(actor, callId),
      };
    }
  }

  private onLine(actor: Actor, callId: string): boolean {
    try {
      this.calls!.liveCall(actor, callId);
      return true;
    } catch {
      return false;
    }
  }

  /** The peer desk (no target), or an active partner line by its connector id. */
  private async destination(target: string | undefined): Promise<Destination> {
    if (!target) return { name: '110', route: '110' };
    const line = (await listActiveTargets(this.db)).find((t) => t.id === target);
    if (!line) throw new AppError('REFERENCE_NOT_FOUND', `联动单位不存在或已停用：${target}`, { field: 'target' });
    return { target, name: line.name, route: CONNECTOR_KIND_ROUTES[line.kind as ConnectorKind] ?? '12345' };
  }

  /** Opens the linkage item of a transfer or consultation from the new order, in the intake's transaction. */
  private transfer(
    tx: Queryable,
    actor: Actor,
    order: WorkOrderRow,
    triage: TriageOutcome | null,
    handling: Extract<IntakeHandling, { kind: 'transfer' | 'consultation' }>,
    destination: Destination | null,
    callRef?: string,
  ): Promise<OpenedWithLinked> {
    const reasons = triage?.reasons.join('；') ?? '';
    const emergency = handling.kind === 'transfer' && Boolean(triage?.emergency);
    const kind: LinkageKind = emergency ? 'emergency' : 'transfer';
    const reason =
      handling.kind === 'consultation'
        ? `职责边界不清，请110专席参与三方会商：${reasons || '见诉求内容'}`
        : destination?.target
          ? `12345转${destination.name}：${reasons || '见诉求内容'}`
          : `12345一键转接：${reasons || '属公安职责'}`;
    return this.bridge.openWithLinked(tx, actor, {
      kind,
      requestId: order.request_id,
      localRef: order.id,
      localNo: order.no,
      reason,
      callbackConsent: Boolean(handling.callbackConsent),
      ...(destination?.target ? { target: destination.target } : {}),
      ...(emergency ? { danger: reasons || '来电反映正在发生危险' } : {}),
      ...(callRef ? { callRef } : {}),
    });
  }
}

/**
 * The call-taker's decision on the suggestion: accepted when what she did follows it (same route, same
 * emergency), overridden with what she chose and why otherwise. Overrides feed the next training.
 */
export function decisionOn(
  triage: Pick<TriageOutcome, 'route' | 'emergency' | 'urgent'>,
  handling: IntakeHandling,
  destination: Destination | null,
  urgent: boolean,
): TriageDecision {
  const chose: { route: Route; emergency: boolean; urgent: boolean; reason: string } =
    handling.kind === 'order'
      ? { route: '12345', emergency: false, urgent, reason: handling.reason?.trim() || '话务员按12345工单受理' }
      : handling.kind === 'answer'
        ? { route: 'guidance', emergency: false, urgent: false, reason: '话务员当场解答' }
        : handling.kind === 'consultation'
          ? { route: triage.route, emergency: triage.emergency, urgent: triage.urgent, reason: '话务员发起三方会商' }
          : {
              route: destination?.route ?? '110',
              emergency: triage.emergency,
              urgent: false,
              reason: destination?.target ? `话务员转${destination.name}` : '话务员转110处置',
            };
  const followed = chose.route === triage.route && chose.emergency === triage.emergency;
  return followed ? { decision: 'accepted' } : { decision: 'overridden', ...chose };
}
