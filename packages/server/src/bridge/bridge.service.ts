/**
 * The linkage protocol on this desk: opening an item, sending a step, applying what the peer sends,
 * and the deadlines. Every change of an item and the message that tells the peer commit together
 * (transactional outbox); received messages are applied once (inbox by message id), in order (seq).
 * Seats reach it through LinkageService; the desks through their after-transition events (desk-events.ts).
 */
import {
  BRIDGE_DISPOSITION_LABELS,
  LINKAGE_LOG_ACTIONS,
  LINKAGE_STATUS_LABELS,
  OPENING_TYPES,
  REJECT_REASON_LABELS,
  applyLinkageMessage,
  beijingIso,
  buildOpening,
  catalogueItemId,
  connectorKindsForDiversion,
  connectorKindsForRoute,
  kindOfOpening,
  linkageLogAction,
  linkedLines,
  minimise,
  openingDeadline,
  openingLocation,
  partnerRoutes,
  type Catalogue,
  type DiversionTarget,
  type Envelope,
  type LinkageKind,
  type LinkedLine,
  type MessageType,
  type OpeningInput,
} from '@liandong/domain';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import { BRIDGE_DEFAULTS, CONNECTOR_ACCEPT_MINUTES_MAX, type Config } from '../config.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { findRequestDetail, markExerciseOfRecord } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import type { PeerDirectory } from './peers.ts';
import { connectorKinds, findActiveConnectorOfKinds } from './connectors.repo.ts';
import type { LocalRecords, PreparedLocal } from './local-records.ts';
import {
  claimAcceptOverdue,
  claimNegotiationExpired,
  findInbox,
  findInboxStep,
  findItem,
  findItemsAwaitingConclusion,
  insertEvent,
  insertInbox,
  insertItem,
  insertOutbox,
  listItemsForLocal,
  lockLocalRecord,
  logOnLocalRecord,
  newItemId,
  updateItem,
  type ItemRow,
} from './bridge.repo.ts';
import { uuidv7 } from './message-id.ts';

export type ReceiveResult =
  | { status: 'stored' }
  | { status: 'duplicate' }
  | { status: 'gap'; expected: number }
  /** bridge-protocol.md, Trust rules: the sender may not act on this item (nothing was stored). */
  | { status: 'refused'; code: 'item_not_senders' | 'not_item_peer'; http: 400 | 403; detail: string }
  /** A catalogue this desk cannot triage by (bridge-protocol.md 1.1 `catalogue.publish`): never accepted. */
  | { status: 'refused'; code: 'schema_invalid'; http: 400; detail: string };

/**
 * This desk's jurisdiction catalogue, for a `catalogue.publish` from the peer desk (the triage service):
 * whether it can be triaged by, installing it in the caller's transaction, and reloading after the commit.
 */
export interface PeerCatalogues {
  peerCatalogueProblem(payload: Record<string, unknown>): Promise<string | null>;
  installPeerCatalogue(tx: Queryable, from: string, messageId: string, c: Catalogue): Promise<string>;
  published(): void;
}

/** A new item from a local record: what to send, about which request, to whom (the peer desk unless `target`). */
export interface OpenInput extends OpeningInput {
  requestId: string;
  localRef: string;
  /** A connector's id (119, 120, a utility, a governance centre, vehicle moving); absent: the peer desk. */
  target?: string;
  /** The item's id, when it was chosen beforehand (items opened together name each other in `linked`). */
  itemId?: string;
  /** The other lines notified at the same time (bridge-protocol.md 1.1), carried by a transfer or escalation. */
  linked?: LinkedLine[];
}

/** Where a transfer went: the item to the peer desk and the items to the partner lines opened with it. */
export interface OpenedWithLinked {
  item: ItemRow;
  /** Items to the lines the triage named, opened now or found already open from the same record. */
  linked: ItemRow[];
}

/** A message as words for the local record's history: its reason, danger, summary, note, reason code or result. */
function messageText(type: MessageType, p: Record<string, unknown>): string {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const parts = [
    str(p.reason),
    str(p.danger) && `危险情形：${str(p.danger)}`,
    str(p.need),
    type === 'transfer.reject' && str(p.reasonCode)
      ? (REJECT_REASON_LABELS[p.reasonCode as keyof typeof REJECT_REASON_LABELS] ?? str(p.reasonCode))
      : null,
    type === 'feedback' && str(p.disposition)
      ? (BRIDGE_DISPOSITION_LABELS[p.disposition as keyof typeof BRIDGE_DISPOSITION_LABELS] ?? str(p.disposition))
      : null,
    str(p.summary),
    str(p.note),
    type === 'transfer.accept' && str(p.receiverRef) ? `对方编号 ${str(p.receiverRef)}` : null,
    type === 'transfer.accept' && p.acceptedBy === 'system' ? '收到即自动签收' : null,
  ];
  return parts.filter(Boolean).join('；');
}

/** The conclusion of a local record made from an accepted item (plan 二(五)11 受理反馈闭环). */
export interface LocalConclusion {
  disposition: (kind: LinkageKind) => string;
  summary: string;
  handledBy: string;
}

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

export class BridgeService {
  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'deskId' | 'bridge'>,
    private readonly peers: PeerDirectory | null = null,
    private readonly log: { warn(o: object, m: string): void } = { warn: () => undefined },
    private readonly catalogues: PeerCatalogues | null = null,
  ) {}

  private local: LocalRecords | null = null;

  get deskId(): string {
    return this.config.deskId;
  }

  /**
   * The desk's records, made when an item is accepted. Given after construction: the desks' services are
   * built with the bridge's after-transition port, so the bridge exists before them.
   */
  attachLocalRecords(local: LocalRecords): void {
    this.local = local;
  }

  private get acceptMinutes(): number {
    return this.config.bridge?.acceptMinutes ?? BRIDGE_DEFAULTS.acceptMinutes;
  }

  private envelope(
    item: Pick<ItemRow, 'item_id' | 'peer'> & { exercise?: boolean },
    seq: number,
    type: MessageType,
    payload: Record<string, unknown>,
  ): Envelope {
    return {
      v: 1,
      id: uuidv7(),
      type,
      itemId: item.item_id,
      seq,
      from: this.config.deskId,
      to: item.peer,
      sentAt: beijingIso(new Date()),
      payload: minimise(type, payload),
      ...(item.exercise ? { exercise: true } : {}),
    };
  }

  /** Where an item goes: the peer desk by default, or the named connector with its shorter accept-by time. */
  private async destination(target: string | undefined): Promise<{ peer: string; acceptMinutes: number }> {
    if (!target) {
      if (!this.config.bridge) throw new AppError('BRIDGE_NOT_CONFIGURED');
      return { peer: this.config.bridge.peerId, acceptMinutes: this.acceptMinutes };
    }
    const peer = this.peers && (await this.peers.fresh()).peer(target);
    if (!peer || !peer.connector)
      throw new AppError('REFERENCE_NOT_FOUND', `联动单位不存在或已停用：${target}`, { field: 'target' });
    return { peer: peer.id, acceptMinutes: Math.min(this.acceptMinutes, CONNECTOR_ACCEPT_MINUTES_MAX) };
  }

  /** Opens an item from a local work order or incident, in the caller's transaction: the row, the message, the timeline. */
  async open(tx: Queryable, actor: Actor, input: OpenInput): Promise<ItemRow> {
    const to = await this.destination(input.target);
    await this.refuseSecondItem(tx, input.localRef, to.peer);
    const req = await findRequestDetail(tx, input.requestId);
    if (!req) throw new AppError('REFERENCE_NOT_FOUND', '诉求不存在');
    const triage = await findTriage(tx, input.requestId);
    const deadline = minutesFromNow(to.acceptMinutes);
    const opening = buildOpening(
      input,
      {
        content: req.content,
        channel: req.channel,
        receivedAt: req.received_at,
        address: req.address,
        districtCode: req.district_code,
        streetCode: req.street_code,
        lat: req.lat,
        lng: req.lng,
        callerName: req.caller_name,
        callerPhone: req.caller_phone,
        triage,
      },
      deadline,
    );
    if (!opening.ok) throw fromDomain(opening);
    const { type } = opening.value;
    const payload = input.linked?.length ? { ...opening.value.payload, linked: input.linked } : opening.value.payload;
    const itemId = input.itemId ?? (await newItemId(tx, this.config.deskId));
    const item = await insertItem(tx, {
      item_id: itemId,
      kind: input.kind,
      side: 'originator',
      peer: to.peer,
      status: 'requested',
      opening: { type, ...payload },
      local_ref: input.localRef,
      local_no: input.localNo,
      district_code: req.district_code,
      accept_deadline: deadline,
      exercise: req.exercise,
    });
    const env = this.envelope(item, 1, type, payload);
    await insertOutbox(tx, env);
    await updateItem(tx, itemId, { next_out_seq: 2 });
    await insertEvent(tx, {
      itemId,
      messageId: env.id,
      direction: 'sent',
      type,
      from: null,
      to: 'requested',
      payload: env.payload,
      actorId: actor.id,
      note: input.reason ?? null,
    });
    await this.logOnRecord(tx, item, type, env.payload, actor, 'sent');
    return (await findItem(tx, itemId))!;
  }

  /**
   * One matter, one item (issue 11): a local record has at most one item with each line that is not
   * closed, whether opened from it or accepted onto it; and a line the sending desk already notified
   * (the `linked` of an item accepted onto this record) is not notified a second time from here.
   */
  private async refuseSecondItem(tx: Queryable, localRef: string, peer: string): Promise<void> {
    await lockLocalRecord(tx, localRef);
    const items = await listItemsForLocal(tx, localRef);
    const open = items.find((i) => i.peer === peer && i.status !== 'closed');
    if (open)
      throw new AppError(
        'LINKAGE_ALREADY_OPEN',
        `该事项已有未闭环的对接事项 ${open.item_id}（${LINKAGE_STATUS_LABELS[open.status]}），请在该事项中继续办理，不能重复转接`,
        { itemId: open.item_id, status: open.status },
      );
    const received = items.filter((i) => i.side === 'receiver');
    const lines = received.flatMap((i) => linkedLines(i.opening).map((l) => ({ ...l, by: i.peer })));
    if (!lines.length) return;
    const kinds = await connectorKinds(tx, [peer, ...lines.map((l) => l.to)]);
    const same = lines.find((l) => l.to === peer || (kinds.has(peer) && kinds.get(l.to) === kinds.get(peer)));
    if (same)
      throw new AppError(
        'LINKAGE_ALREADY_OPEN',
        `${same.by} 已同时通知该联动单位（对接事项 ${same.itemId}），本方不再重复转接`,
        { itemId: same.itemId, notifiedBy: same.by },
      );
  }

  /**
   * A transfer or escalation to the peer desk together with the partner lines its triage names (design
   * §5 `linked`, e.g. 120 for a fight with an injury): the desk that holds the caller opens all of them in
   * the caller's transaction, each naming the others in `linked` so the peer opens no second item to them
   * (bridge-protocol.md 1.1). A line with no connector, or several (which utility?), is left to the seat;
   * a line already open from the same record is named, not opened again.
   */
  async openWithLinked(tx: Queryable, actor: Actor, input: OpenInput): Promise<OpenedWithLinked> {
    if (input.target || (input.kind !== 'transfer' && input.kind !== 'emergency'))
      return { item: await this.open(tx, actor, input), linked: [] };
    const to = await this.destination(undefined);
    await lockLocalRecord(tx, input.localRef);
    const triage = await findTriage(tx, input.requestId);
    const existing = await listItemsForLocal(tx, input.localRef);
    const itemId = await newItemId(tx, this.config.deskId);
    const lines: { to: string; itemId: string; open: ItemRow | null }[] = [];
    for (const route of partnerRoutes(triage?.linked ?? [])) {
      const ids = await findActiveConnectorOfKinds(tx, [...connectorKindsForRoute(route)]);
      if (ids.length !== 1) continue;
      const open = existing.find((i) => i.peer === ids[0] && i.status !== 'closed') ?? null;
      lines.push({ to: ids[0]!, itemId: open?.item_id ?? (await newItemId(tx, this.config.deskId)), open });
    }
    const all = [{ to: to.peer, itemId }, ...lines.map((l) => ({ to: l.to, itemId: l.itemId }))];
    const others = (id: string) => all.filter((l) => l.itemId !== id);
    const item = await this.open(tx, actor, { ...input, itemId, linked: others(itemId) });
    const linked: ItemRow[] = [];
    for (const l of lines) {
      // The live call moves to the peer desk only: the partner lines' items do not name it.
      const { callRef: _call, ...toLine } = input;
      const row =
        l.open ??
        (await this.open(tx, actor, {
          ...toLine,
          reason: `与${to.peer}同时联动：${input.reason ?? ''}`.replace(/：$/, ''),
          target: l.to,
          itemId: l.itemId,
          linked: others(l.itemId),
        }));
      linked.push(row);
      await insertEvent(tx, {
        itemId,
        messageId: null,
        direction: 'local',
        type: 'linked',
        from: item.status,
        to: item.status,
        payload: { to: l.to, itemId: l.itemId },
        actorId: actor.id,
        note: `同时联动 ${l.to}：对接事项 ${l.itemId}${l.open ? '（此前已发起）' : ''}`,
      });
    }
    return { item, linked };
  }

  /** A linkage message in the local record's own history (its action log): transfers, answers, feedback, closure. */
  private async logOnRecord(
    tx: Queryable,
    item: Pick<ItemRow, 'item_id' | 'peer' | 'local_ref' | 'opening'>,
    type: MessageType,
    payload: Record<string, unknown>,
    actor: Actor | null,
    direction: 'sent' | 'received',
  ): Promise<void> {
    if (!item.local_ref || !LINKAGE_LOG_ACTIONS[type]) return;
    const text = messageText(type, payload);
    const linked = type === 'transfer.accept' ? linkedLines(item.opening) : linkedLines(payload);
    const also = linked.length ? `；同时联动：${linked.map((l) => `${l.to}（${l.itemId}）`).join('、')}` : '';
    const who = actor ?? SYSTEM_ACTOR;
    await logOnLocalRecord(tx, item.local_ref, {
      action: linkageLogAction(type),
      actor: { id: who.id, role: who.role, unitId: who.unitId },
      details: {
        itemId: item.item_id,
        peer: item.peer,
        direction,
        ...(linked.length ? { linked } : {}),
        note: `对接事项 ${item.item_id}（${direction === 'sent' ? '发往' : '来自'} ${item.peer}）${text ? `：${text}` : ''}${also}`,
      },
    });
  }

  /**
   * Accepts a received item onto a local record in the caller's transaction (issue 11: accept is one
   * transaction with the record it creates): the record (a work order at 12345, an incident at 110), the
   * item's reference to it, and the `transfer.accept` that tells the peer, together or not at all.
   */
  async accept(
    tx: Queryable,
    actor: Actor,
    itemId: string,
    prepared: PreparedLocal | null,
    payload: Record<string, unknown> = {},
  ): Promise<ItemRow> {
    let item = await findItem(tx, itemId, true);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    if (item.side === 'receiver' && !item.local_ref && item.status === 'requested') {
      if (!this.local) throw new AppError('BRIDGE_NOT_CONFIGURED');
      const rec = await this.local.insertFromLinkage(
        tx,
        actor,
        prepared ?? (await this.local.prepareFromLinkage(actor, item)),
      );
      item = await updateItem(tx, itemId, { local_ref: rec.id, local_no: rec.no });
      // A drill's record is a drill too: no report counts it.
      if (item.exercise) await markExerciseOfRecord(tx, rec.id);
    }
    const step = this.completeStep(actor, item, 'transfer.accept', {
      ...payload,
      receiverRef: item.local_no ?? undefined,
    });
    return this.send(tx, actor, itemId, 'transfer.accept', step);
  }

  /**
   * A diversion (分流) by the 110 desk opens the linkage item in the same transaction as the incident's
   * 分流 action: to the 12345 desk, or to the active connector of the target's kind (综治中心, 挪车,
   * 119, 120). With no such peer configured the diversion is recorded and nothing is sent.
   */
  async divert(
    tx: Queryable,
    actor: Actor,
    incident: { id: string; no: string; request_id: string },
    target: DiversionTarget,
    note: string | undefined,
  ): Promise<void> {
    let connector: string | undefined;
    if (target === 'hotline_12345') {
      if (!this.config.bridge) return;
    } else {
      const found = await findActiveConnectorOfKinds(tx, [...connectorKindsForDiversion(target)]);
      if (found.length !== 1) return; // none, or several utilities: the seat chooses and transfers by hand
      connector = found[0];
    }
    await this.open(tx, actor, {
      kind: 'diversion',
      requestId: incident.request_id,
      localRef: incident.id,
      localNo: incident.no,
      reason: note ?? '非警务事项，按对接联动机制分流',
      ...(connector ? { target: connector } : {}),
    });
  }

  /** A seat's step, completed with what the protocol adds: who accepted, the negotiation deadline, times. */
  completeStep(
    actor: Actor,
    item: ItemRow,
    type: MessageType,
    payload: Record<string, unknown>,
  ): Record<string, unknown> {
    const out = { ...payload };
    if (type === 'transfer.accept') {
      out.receiverRef ??= item.local_no ?? undefined;
      out.acceptedBy = actor.username;
    }
    if (type === 'negotiation.open' && !out.deadline)
      out.deadline = beijingIso(
        minutesFromNow(this.config.bridge?.negotiationMinutes ?? BRIDGE_DEFAULTS.negotiationMinutes),
      );
    if (type === 'negotiation.resolve') out.decidedBy = actor.username;
    if (type === 'feedback') {
      out.handledBy ??= item.local_no ?? this.config.deskId;
      out.at = beijingIso(new Date());
    }
    if (type === 'status.update') out.at = beijingIso(new Date());
    return out;
  }

  /** Sends one step of an item in the caller's transaction: the transition both desks apply, then the message. */
  async send(
    tx: Queryable,
    actor: Actor | null,
    itemId: string,
    type: MessageType,
    payload: Record<string, unknown>,
  ): Promise<ItemRow> {
    const item = await findItem(tx, itemId, true);
    if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    const r = applyLinkageMessage(
      { kind: item.kind, status: item.status, keptByFirstReceiver: item.kept_by_first_receiver },
      type,
      payload,
      item.side,
    );
    if (!r.ok) throw fromDomain(r);
    const env = this.envelope(item, item.next_out_seq, type, payload);
    await insertOutbox(tx, env);
    await insertEvent(tx, {
      itemId,
      messageId: env.id,
      direction: 'sent',
      type,
      from: item.status,
      to: r.value.status,
      payload: env.payload,
      actorId: actor?.id ?? null,
    });
    await this.logOnRecord(tx, item, type, env.payload, actor, 'sent');
    return updateItem(tx, itemId, {
      ...this.timestamps(item, r.value.status, type, payload),
      kept_by_first_receiver: r.value.keptByFirstReceiver,
      next_out_seq: item.next_out_seq + 1,
    });
  }

  private timestamps(
    item: ItemRow,
    status: ItemRow['status'],
    type: MessageType,
    payload: Record<string, unknown>,
  ): Partial<ItemRow> {
    const now = new Date();
    return {
      status,
      ...(type === 'transfer.accept' || (type === 'negotiation.resolve' && status === 'accepted')
        ? { accepted_at: item.accepted_at ?? now }
        : {}),
      ...(type === 'feedback' ? { feedback_at: now } : {}),
      ...(status === 'closed' ? { closed_at: now } : {}),
      ...(type === 'negotiation.open' ? { negotiation_deadline: new Date(String(payload.deadline)) } : {}),
      ...(type === 'transfer.accept' && typeof payload.receiverRef === 'string' && item.side === 'originator'
        ? { peer_ref: payload.receiverRef }
        : {}),
    };
  }

  /**
   * 受理反馈闭环: when the local record made from an accepted item is concluded (a work order's reply by
   * the district or department, an incident's feedback by the police), the item's feedback goes to the
   * originator in the same transaction.
   */
  async concludeLocal(tx: Queryable, actor: Actor, localRef: string, feedback: LocalConclusion): Promise<void> {
    for (const { item_id, kind } of await findItemsAwaitingConclusion(tx, localRef)) {
      await this.send(tx, actor, item_id, 'feedback', {
        disposition: feedback.disposition(kind),
        summary: feedback.summary,
        handledBy: feedback.handledBy,
        at: beijingIso(new Date()),
      });
    }
  }

  /**
   * Applies a verified, valid envelope from the peer: once, in order, with its timeline entry. The item's
   * peer is the only sender that may speak about it, and a peer opens items only in its own id space
   * (bridge-protocol.md, Trust rules); sequence numbers are per item and sender (the item has one sender).
   */
  async receive(env: Envelope): Promise<ReceiveResult> {
    if (env.type === 'catalogue.publish') return this.receiveCatalogue(env);
    // An opening this desk accepts on receipt has its record prepared (triage, deadline) before the
    // transaction, which then stores the item, makes the record and sends the acceptance together.
    const prepared = await this.prepareOnReceipt(env);
    return inTransaction(this.db, async (tx) => {
      const item = await findItem(tx, env.itemId, true);
      if (item && item.peer !== env.from)
        return {
          status: 'refused',
          code: 'not_item_peer',
          http: 403,
          detail: `${env.from} is not the peer of ${env.itemId}`,
        } as const;
      if (!item && !env.itemId.startsWith(`${env.from}:`))
        return {
          status: 'refused',
          code: 'item_not_senders',
          http: 400,
          detail: `${env.from} may not name an item ${env.itemId}`,
        } as const;
      if (await findInbox(tx, env.id)) return { status: 'duplicate' } as const;
      if (!item) {
        if (!OPENING_TYPES.has(env.type) || env.seq !== 1) return { status: 'gap', expected: 1 } as const;
        await this.receiveOpening(tx, env);
        if (prepared) await this.acceptOnReceipt(tx, env.itemId, prepared);
        return { status: 'stored' } as const;
      }
      const expected = item.last_in_seq + 1;
      if (env.seq < expected) return { status: 'duplicate' } as const;
      if (env.seq > expected) return { status: 'gap', expected } as const;
      await this.receiveStep(tx, item, env);
      return { status: 'stored' } as const;
    });
  }

  /**
   * A catalogue version from the peer desk (bridge-protocol.md 1.1; an item of one message,
   * `catalogueItemId`): from the peer desk only, in its own id space, seq 1; one this desk cannot triage
   * by is refused (`schema_invalid`: the sender dead-letters it and alerts); otherwise it is stored and,
   * unless it is a drill, installed under its number (or recorded as a conflict for the administrators).
   */
  private async receiveCatalogue(env: Envelope): Promise<ReceiveResult> {
    if (!env.itemId.startsWith(`${env.from}:`))
      return {
        status: 'refused',
        code: 'item_not_senders',
        http: 400,
        detail: `${env.from} may not name an item ${env.itemId}`,
      };
    const catalogues = this.catalogues;
    if (!catalogues || env.from !== this.config.bridge?.peerId)
      return {
        status: 'refused',
        code: 'not_item_peer',
        http: 403,
        detail: `${env.from} is not the desk this desk shares its catalogue with`,
      };
    if (env.seq !== 1) return { status: 'gap', expected: 1 };
    if ((await findInbox(this.db, env.id)) || (await findInboxStep(this.db, env.itemId, env.from, 1)))
      return { status: 'duplicate' };
    const problem = await catalogues.peerCatalogueProblem(env.payload);
    if (problem) return { status: 'refused', code: 'schema_invalid', http: 400, detail: problem };
    const outcome = await inTransaction(this.db, async (tx) => {
      // one copy of the item's message at a time: a concurrent copy waits here, then finds this one
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [env.itemId]);
      if (await findInboxStep(tx, env.itemId, env.from, 1)) return null;
      const o = env.exercise
        ? 'exercise'
        : await catalogues.installPeerCatalogue(tx, env.from, env.id, env.payload as unknown as Catalogue);
      await insertInbox(tx, env, o === 'installed' || o === 'same' ? 'applied' : o);
      return o;
    });
    if (outcome === null) return { status: 'duplicate' };
    if (outcome === 'installed') catalogues.published();
    else if (outcome !== 'same')
      this.log.warn(
        { itemId: env.itemId, version: env.payload.version, outcome },
        'catalogue from the peer desk stored, not installed',
      );
    return { status: 'stored' };
  }

  /**
   * Sends a version published here to the peer desk, in the publishing transaction (the triage
   * service's CatalogueShare); a desk with no peer desk configured shares with nobody.
   */
  async shareCatalogueIn(tx: Queryable, c: Catalogue): Promise<void> {
    const peer = this.config.bridge?.peerId;
    if (!peer) return;
    const { version, effectiveFrom, source, entries } = c;
    const env = this.envelope({ item_id: catalogueItemId(this.config.deskId, version), peer }, 1, 'catalogue.publish', {
      version,
      effectiveFrom,
      source,
      entries,
    });
    await insertOutbox(tx, env);
  }

  private async prepareOnReceipt(env: Envelope): Promise<PreparedLocal | null> {
    if (!this.local || !OPENING_TYPES.has(env.type) || env.seq !== 1) return null;
    if (!this.local.acceptsOnReceipt(env.type, env.payload)) return null;
    const item = { item_id: env.itemId, kind: kindOfOpening(env.type, env.payload), opening: env.payload };
    return this.local.prepareFromLinkage(SYSTEM_ACTOR, item).catch((err: unknown) => {
      this.log.warn(
        { itemId: env.itemId, err: String(err) },
        'accept on receipt: the local record could not be prepared',
      );
      return null;
    });
  }

  /**
   * `transfer.accept` with `acceptedBy: "system"` in the transaction that stores the opening (bridge-
   * protocol.md 1.1). Should the record not be made, the item stays 待签收 for a seat, with a timeline
   * note, and the message is still stored (its sender must not retry what this desk has).
   */
  private async acceptOnReceipt(tx: Queryable, itemId: string, prepared: PreparedLocal): Promise<void> {
    await tx.query('SAVEPOINT accept_on_receipt');
    try {
      await this.accept(tx, SYSTEM_ACTOR, itemId, prepared);
      await tx.query('RELEASE SAVEPOINT accept_on_receipt');
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT accept_on_receipt');
      this.log.warn({ itemId, err: String(err) }, 'accept on receipt failed: the item waits for a seat');
      await insertEvent(tx, {
        itemId,
        messageId: null,
        direction: 'local',
        type: 'accept.failed',
        from: 'requested',
        to: 'requested',
        payload: {},
        actorId: null,
        note: '收到即自动签收未成功，请专席签收',
      });
    }
  }

  private async receiveOpening(tx: Queryable, env: Envelope): Promise<void> {
    const p = env.payload;
    await insertItem(tx, {
      item_id: env.itemId,
      kind: kindOfOpening(env.type, p),
      side: 'receiver',
      peer: env.from,
      status: 'requested',
      opening: { type: env.type, ...p },
      local_ref: null,
      local_no: null,
      district_code: openingLocation(p).districtCode ?? null,
      accept_deadline: openingDeadline(p) ?? minutesFromNow(this.acceptMinutes),
      last_in_seq: 1,
      exercise: env.exercise === true,
    });
    await insertInbox(tx, env, 'opened');
    await insertEvent(tx, {
      itemId: env.itemId,
      messageId: env.id,
      direction: 'received',
      type: env.type,
      from: null,
      to: 'requested',
      payload: p,
      actorId: null,
    });
  }

  private async receiveStep(tx: Queryable, item: ItemRow, env: Envelope): Promise<void> {
    const by = item.side === 'originator' ? 'receiver' : 'originator';
    const r = applyLinkageMessage(
      { kind: item.kind, status: item.status, keptByFirstReceiver: item.kept_by_first_receiver },
      env.type,
      env.payload,
      by,
    );
    const event = { itemId: item.item_id, messageId: env.id, direction: 'received', type: env.type } as const;
    if (r.ok) {
      await updateItem(tx, item.item_id, {
        ...this.timestamps(item, r.value.status, env.type, env.payload),
        kept_by_first_receiver: r.value.keptByFirstReceiver,
        last_in_seq: env.seq,
      });
      await insertEvent(tx, { ...event, from: item.status, to: r.value.status, payload: env.payload, actorId: null });
      await this.logOnRecord(tx, item, env.type, env.payload, null, 'received');
    } else {
      // Stored (the transport promise holds) but it does not move the item: recorded for the seats to resolve.
      await updateItem(tx, item.item_id, { last_in_seq: env.seq });
      await insertEvent(tx, {
        ...event,
        from: item.status,
        to: item.status,
        payload: env.payload,
        actorId: null,
        note: `未生效：${r.message}`,
      });
      this.log.warn({ itemId: item.item_id, type: env.type, code: r.code }, 'bridge message did not apply to the item');
    }
    await insertInbox(tx, env, r.ok ? 'applied' : `conflict:${r.code}`);
  }

  /** Deadlines: unanswered items are flagged for supervision; an undecided negotiation leaves the item with the first receiver. */
  async sweep(): Promise<{ overdue: number; keptByFirstReceiver: number }> {
    const overdue = await inTransaction(this.db, async (tx) => {
      const rows = await claimAcceptOverdue(tx);
      for (const r of rows) {
        await updateItem(tx, r.item_id, { accept_overdue: true });
        await insertEvent(tx, {
          itemId: r.item_id,
          messageId: null,
          direction: 'local',
          type: 'accept.overdue',
          from: r.status,
          to: r.status,
          payload: { deadline: r.accept_deadline },
          actorId: null,
          note: '超过签收时限，转督办',
        });
      }
      return rows.length;
    });
    const kept = await inTransaction(this.db, async (tx) => {
      const rows = await claimNegotiationExpired(tx);
      for (const r of rows)
        await this.send(tx, null, r.item_id, 'negotiation.resolve', {
          outcome: 'first_receiver_keeps',
          decidedBy: 'system',
          note: '协商期满仍未确定，由首先接到诉求的平台先行受理',
        });
      return rows.length;
    });
    return { overdue, keptByFirstReceiver: kept };
  }
}
