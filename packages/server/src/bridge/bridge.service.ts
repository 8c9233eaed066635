/**
 * The linkage protocol on this desk: opening an item, sending a step, applying what the peer sends,
 * and the deadlines. Every change of an item and the message that tells the peer commit together
 * (transactional outbox); received messages are applied once (inbox by message id), in order (seq).
 * Seats reach it through LinkageService; the desks through their after-transition events (desk-events.ts).
 */
import {
  OPENING_TYPES,
  applyLinkageMessage,
  beijingIso,
  buildOpening,
  connectorKindsForDiversion,
  kindOfOpening,
  minimise,
  openingDeadline,
  openingLocation,
  type DiversionTarget,
  type Envelope,
  type LinkageKind,
  type MessageType,
  type OpeningInput,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { BRIDGE_DEFAULTS, CONNECTOR_ACCEPT_MINUTES_MAX, type Config } from '../config.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { findRequestDetail } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import type { PeerDirectory } from './peers.ts';
import { findActiveConnectorOfKinds } from './connectors.repo.ts';
import {
  claimAcceptOverdue,
  claimNegotiationExpired,
  findInbox,
  findItem,
  findItemsAwaitingConclusion,
  insertEvent,
  insertInbox,
  insertItem,
  insertOutbox,
  newItemId,
  updateItem,
  type ItemRow,
} from './bridge.repo.ts';
import { uuidv7 } from './message-id.ts';

export type ReceiveResult = { status: 'stored' } | { status: 'duplicate' } | { status: 'gap'; expected: number };

/** A new item from a local record: what to send, about which request, to whom (the peer desk unless `target`). */
export interface OpenInput extends OpeningInput {
  requestId: string;
  localRef: string;
  /** A connector's id (119, 120, a utility, a governance centre, vehicle moving); absent: the peer desk. */
  target?: string;
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
  ) {}

  get deskId(): string {
    return this.config.deskId;
  }

  private get acceptMinutes(): number {
    return this.config.bridge?.acceptMinutes ?? BRIDGE_DEFAULTS.acceptMinutes;
  }

  private envelope(
    item: Pick<ItemRow, 'item_id' | 'peer'>,
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
    const { type, payload } = opening.value;
    const itemId = await newItemId(tx, this.config.deskId);
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
    return (await findItem(tx, itemId))!;
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

  /** Applies a verified, valid envelope from the peer: once, in order, with its timeline entry. */
  async receive(env: Envelope): Promise<ReceiveResult> {
    return inTransaction(this.db, async (tx) => {
      if (await findInbox(tx, env.id)) return { status: 'duplicate' } as const;
      const item = await findItem(tx, env.itemId, true);
      if (!item) {
        if (!OPENING_TYPES.has(env.type) || env.seq !== 1) return { status: 'gap', expected: 1 } as const;
        await this.receiveOpening(tx, env);
        return { status: 'stored' } as const;
      }
      const expected = item.last_in_seq + 1;
      if (env.seq < expected) return { status: 'duplicate' } as const;
      if (env.seq > expected) return { status: 'gap', expected } as const;
      await this.receiveStep(tx, item, env);
      return { status: 'stored' } as const;
    });
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
