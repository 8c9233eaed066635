/**
 * Linkage use cases. Every change of an item and the message that tells the peer commit together
 * (transactional outbox); received messages are applied once (inbox by message id), in order (seq).
 */
import { randomBytes } from 'node:crypto';
import {
  OPENING_TYPES,
  applyLinkageMessage,
  minimise,
  type Envelope,
  type LinkageKind,
  type MessageType,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Config } from '../config.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { findRequestDetail } from '../shared/requests.repo.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import type { PeerDirectory } from './peers.ts';
import { findActiveConnectorOfKinds } from './connectors.repo.ts';
import {
  claimAcceptOverdue,
  claimNegotiationExpired,
  findInbox,
  findItem,
  insertEvent,
  insertInbox,
  insertItem,
  insertOutbox,
  newItemId,
  updateItem,
  type ItemRow,
} from './bridge.repo.ts';

/** UUID v7: time-ordered, as the protocol asks for message ids. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const iso8 = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');

/** What a receiving desk makes locally when it accepts: a work order (12345) or an incident (110). */
export interface LocalRecords {
  createFromLinkage(actor: Actor, item: ItemRow): Promise<{ id: string; no: string }>;
}

export type ReceiveResult = { status: 'stored' } | { status: 'duplicate' } | { status: 'gap'; expected: number };

type OpenInput = {
  kind: LinkageKind;
  requestId: string;
  localRef: string;
  localNo: string;
  reason?: string;
  need?: string;
  danger?: string;
  summary?: string;
  callbackConsent?: boolean;
  target?: string;
};

export class BridgeService {
  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'deskId' | 'bridge'>,
    private readonly local: LocalRecords | null,
    private readonly peers: PeerDirectory | null = null,
    private readonly log: { warn(o: object, m: string): void } = { warn: () => undefined },
  ) {}

  private get bridge() {
    if (!this.config.bridge) throw new AppError('BRIDGE_NOT_CONFIGURED');
    return this.config.bridge;
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
      sentAt: iso8(new Date()),
      payload: minimise(type, payload),
    };
  }

  /** Opens an item from a local work order or incident: one click on the seat's side. */
  async open(actor: Actor, input: OpenInput): Promise<ItemRow> {
    return inTransaction(this.db, (tx) => this.openIn(tx, actor, input));
  }

  /**
   * A diversion (分流) by the 110 desk opens the linkage item in the same transaction as the incident's
   * 分流 action: to the 12345 desk, or to the active connector of the target's kind (综治中心, 挪车,
   * 119, 120). With no such peer configured the diversion is recorded and nothing is sent.
   */
  async onDiversion(
    tx: Queryable,
    actor: Actor,
    incident: { id: string; no: string; request_id: string },
    target: string,
    note: string | undefined,
  ): Promise<void> {
    let connector: string | undefined;
    if (target === 'hotline_12345') {
      if (!this.config.bridge) return;
    } else {
      const kinds = (
        {
          governance_center: ['governance_center'],
          vehicle_moving: ['vehicle_moving'],
          fire_119: ['fire'],
          medical_120: ['medical'],
          utility: ['water', 'power', 'gas'],
        } as Record<string, string[]>
      )[target];
      const found = kinds ? await findActiveConnectorOfKinds(tx, kinds) : [];
      if (found.length !== 1) return; // none, or several utilities: the seat chooses and transfers by hand
      connector = found[0];
    }
    await this.openIn(tx, actor, {
      kind: 'diversion',
      requestId: incident.request_id,
      localRef: incident.id,
      localNo: incident.no,
      reason: note ?? '非警务事项，按对接联动机制分流',
      ...(connector ? { target: connector } : {}),
    });
  }

  private async openIn(tx: Queryable, actor: Actor, input: OpenInput): Promise<ItemRow> {
    // To the other desk by default; to a connector (119, 120, a utility, a governance centre, vehicle moving) when named.
    let peerId: string;
    let acceptMinutes = this.config.bridge?.acceptMinutes ?? 30;
    if (input.target) {
      const peer = this.peers && (await this.peers.fresh()).peer(input.target);
      if (!peer || !peer.connector)
        throw new AppError('REFERENCE_NOT_FOUND', `联动单位不存在或已停用：${input.target}`, { field: 'target' });
      peerId = peer.id;
      acceptMinutes = Math.min(acceptMinutes, 10);
    } else {
      peerId = this.bridge.peerId;
    }
    const req = await findRequestDetail(tx, input.requestId);
    if (!req) throw new AppError('REFERENCE_NOT_FOUND', '诉求不存在');
    const triage = await findTriage(tx, input.requestId);
    const deadline = new Date(Date.now() + acceptMinutes * 60_000);
    const location = {
      address: req.address,
      district: req.district_code ?? undefined,
      street: req.street_code ?? undefined,
      lat: req.lat ?? undefined,
      lng: req.lng ?? undefined,
    };
    const request = {
      content: req.content,
      channel: req.channel,
      receivedAt: iso8(req.received_at),
      location,
      triage: triage
        ? {
            route: triage.route,
            emergency: triage.emergency,
            urgent: triage.urgent,
            category: triage.category,
            reasons: triage.reasons,
          }
        : undefined,
    };
    // The caller's name and number leave the desk only when the caller agreed (data minimisation).
    const callback =
      input.callbackConsent && (req.caller_name || req.caller_phone)
        ? { name: req.caller_name ?? undefined, phone: req.caller_phone ?? undefined }
        : undefined;
    const type: MessageType = {
      transfer: 'transfer.request',
      diversion: 'transfer.request',
      emergency: 'emergency.escalate',
      assist: 'assist.request',
      mediation: 'mediation.request',
    }[input.kind] as MessageType;
    if (input.kind === 'emergency' && !input.danger)
      throw new AppError('VALIDATION_FAILED', '紧急移交须说明危险情形（danger）');
    if (input.kind === 'assist' && !input.need)
      throw new AppError('VALIDATION_FAILED', '请求警方协助须说明需要警方做什么（need）');
    const payload: Record<string, unknown> =
      input.kind === 'assist'
        ? { workOrderRef: input.localNo, need: input.need, location, deadline: iso8(deadline) }
        : input.kind === 'mediation'
          ? {
              incidentRef: input.localNo,
              summary: input.summary ?? req.content,
              parties: ['当事双方'],
              location,
              deadline: iso8(deadline),
            }
          : {
              kind: input.kind,
              reason: input.reason ?? '',
              request,
              callback,
              deadline: iso8(deadline),
              ...(input.kind === 'emergency' ? { danger: input.danger } : {}),
            };
    {
      const itemId = await newItemId(tx, this.config.deskId);
      const item = await insertItem(tx, {
        item_id: itemId,
        kind: input.kind,
        side: 'originator',
        peer: peerId,
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
  }

  /** A seat's answer or step on an item: the same transition both desks apply, then the message. */
  async act(actor: Actor, itemId: string, type: MessageType, payload: Record<string, unknown>): Promise<ItemRow> {
    const pre = await findItem(this.db, itemId);
    if (!pre) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
    let extra = { ...payload };
    if (type === 'transfer.accept' && pre.side === 'receiver' && !pre.local_ref && this.local) {
      const rec = await this.local.createFromLinkage(actor, pre);
      extra = { ...extra, receiverRef: rec.no, acceptedBy: actor.username };
      await updateItem(this.db, itemId, { local_ref: rec.id, local_no: rec.no });
    } else if (type === 'transfer.accept') {
      extra = { ...extra, receiverRef: pre.local_no ?? undefined, acceptedBy: actor.username };
    }
    if (type === 'negotiation.open' && !extra.deadline)
      extra.deadline = iso8(new Date(Date.now() + (this.config.bridge?.negotiationMinutes ?? 120) * 60_000));
    if (type === 'negotiation.resolve') extra.decidedBy = actor.username;
    if (type === 'feedback') {
      extra.handledBy ??= pre.local_no ?? this.config.deskId;
      extra.at = iso8(new Date());
    }
    if (type === 'status.update') extra.at = iso8(new Date());
    return inTransaction(this.db, (tx) => this.sendStep(tx, actor, itemId, type, extra));
  }

  private async sendStep(
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
    if (!r.ok)
      throw new AppError(
        r.code === 'LINKAGE_WRONG_SIDE'
          ? 'LINKAGE_WRONG_SIDE'
          : r.code === 'LINKAGE_EMERGENCY_NOT_REJECTABLE'
            ? 'LINKAGE_EMERGENCY_NOT_REJECTABLE'
            : 'LINKAGE_TRANSITION_NOT_ALLOWED',
        r.message,
        r.details,
      );
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
  async onLocalConclusion(
    tx: Queryable,
    actor: Actor,
    localRef: string,
    feedback: { disposition: (kind: LinkageKind) => string; summary: string; handledBy: string },
  ): Promise<void> {
    const r = await tx.query<{ item_id: string; kind: LinkageKind }>(
      `SELECT item_id, kind FROM linkage_items WHERE local_ref = $1 AND side = 'receiver' AND NOT kept_by_first_receiver
      AND status IN ('accepted', 'in_progress', 'reopened')`,
      [localRef],
    );
    for (const { item_id, kind } of r.rows) {
      await this.sendStep(tx, actor, item_id, 'feedback', {
        disposition: feedback.disposition(kind),
        summary: feedback.summary,
        handledBy: feedback.handledBy,
        at: iso8(new Date()),
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
        const p = env.payload;
        const kind: LinkageKind =
          env.type === 'emergency.escalate'
            ? 'emergency'
            : env.type === 'assist.request'
              ? 'assist'
              : env.type === 'mediation.request'
                ? 'mediation'
                : p.kind === 'diversion'
                  ? 'diversion'
                  : 'transfer';
        const loc = ((p.request as Record<string, unknown> | undefined)?.location ?? p.location) as
          Record<string, unknown> | undefined;
        const deadline =
          typeof p.deadline === 'string' && !Number.isNaN(Date.parse(p.deadline))
            ? new Date(p.deadline)
            : new Date(Date.now() + (this.config.bridge?.acceptMinutes ?? 30) * 60_000);
        await insertItem(tx, {
          item_id: env.itemId,
          kind,
          side: 'receiver',
          peer: env.from,
          status: 'requested',
          opening: { type: env.type, ...p },
          local_ref: null,
          local_no: null,
          district_code: typeof loc?.district === 'string' && /^50\d{4}$/.test(loc.district) ? loc.district : null,
          accept_deadline: deadline,
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
        return { status: 'stored' } as const;
      }
      const expected = item.last_in_seq + 1;
      if (env.seq < expected) return { status: 'duplicate' } as const;
      if (env.seq > expected) return { status: 'gap', expected } as const;
      const by = item.side === 'originator' ? 'receiver' : 'originator';
      const r = applyLinkageMessage(
        { kind: item.kind, status: item.status, keptByFirstReceiver: item.kept_by_first_receiver },
        env.type,
        env.payload,
        by,
      );
      if (r.ok) {
        await updateItem(tx, item.item_id, {
          ...this.timestamps(item, r.value.status, env.type, env.payload),
          kept_by_first_receiver: r.value.keptByFirstReceiver,
          last_in_seq: env.seq,
        });
        await insertEvent(tx, {
          itemId: item.item_id,
          messageId: env.id,
          direction: 'received',
          type: env.type,
          from: item.status,
          to: r.value.status,
          payload: env.payload,
          actorId: null,
        });
      } else {
        // Stored (the transport promise holds) but it does not move the item: recorded for the seats to resolve.
        await updateItem(tx, item.item_id, { last_in_seq: env.seq });
        await insertEvent(tx, {
          itemId: item.item_id,
          messageId: env.id,
          direction: 'received',
          type: env.type,
          from: item.status,
          to: item.status,
          payload: env.payload,
          actorId: null,
          note: `未生效：${r.message}`,
        });
        this.log.warn(
          { itemId: item.item_id, type: env.type, code: r.code },
          'bridge message did not apply to the item',
        );
      }
      await insertInbox(tx, env, r.ok ? 'applied' : `conflict:${r.code}`);
      return { status: 'stored' } as const;
    });
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
        await this.sendStep(tx, null, r.item_id, 'negotiation.resolve', {
          outcome: 'first_receiver_keeps',
          decidedBy: 'system',
          note: '协商期满仍未确定，由首先接到诉求的平台先行受理',
        });
      return rows.length;
    });
    return { overdue, keptByFirstReceiver: kept };
  }
}
