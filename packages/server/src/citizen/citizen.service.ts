/**
 * The public web channel (网页/移动端): a citizen files a request without logging in, gets a request
 * number and a query code, follows it on the status page, and may agree to its publication. Every
 * request is triaged like a call; a danger is answered with the emergency numbers at once and goes to
 * the 110 desk as an emergency escalation (plan 一(一)/1: 涉及人身财产安全的紧急求助 先转110), the same
 * linkage path the call-taker's Alt+2 takes.
 */
import crypto from 'node:crypto';
import { WORK_ORDER_TYPES, type WorkOrderStatus, type WorkOrderType } from '@liandong/domain';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts';
import type { SmsService } from '../sms/sms.service.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { BridgeService } from '../bridge/bridge.service.ts';
import type { AttachmentService } from '../hotline/attachments.service.ts';
import { ATTACHMENT_TYPES } from '../hotline/attachments.service.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import type { TriageService } from '../triage/triage.service.ts';
import type { Geocoder } from './geocoder.ts';
import { PUBLIC_STATUS_WORDS, historyLine } from './plain-words.ts';
import { redact } from './redact.ts';
import { transcriptNote, type ChatTurn } from './chat-transcript.ts';
import {
  findPublicByNo,
  insertChallenge,
  insertChatTranscript,
  insertPublicRequest,
  listPending,
  listPublicActions,
  listPublished,
  publishedByDistrict,
  setDisclosure,
  takeRate,
  unitNames,
  useChallenge,
  type DisclosureFilter,
} from './citizen.repo.ts';

/** Abuse limits (plan 保障措施: 打击恶意骚扰12345). Per IP and per phone, in sliding windows. */
export const PUBLIC_LIMITS = {
  submitPerIp: [
    { max: 5, seconds: 600 },
    { max: 20, seconds: 86_400 },
  ],
  submitPerPhone: [
    { max: 3, seconds: 3600 },
    { max: 10, seconds: 86_400 },
  ],
  lookupPerIp: [{ max: 30, seconds: 600 }],
  checkPerIp: [{ max: 120, seconds: 600 }],
  challengePerIp: [{ max: 30, seconds: 600 }],
  chatPerIp: [{ max: 60, seconds: 600 }],
} as const;

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const bucket = (kind: string, value: string) => `${kind}:${sha256(`liandong-public:${value}`).slice(0, 32)}`;

/** Who to call now: 110 for danger (police act first), and the lines triage links (120, 119 …). */
export function emergencyNumbers(route: string, linked: readonly string[]): string[] {
  const lines = new Set<string>(['110']);
  for (const r of [route, ...linked]) if (r === '119' || r === '120') lines.add(r);
  return [...lines];
}

export interface PublicSubmission {
  content: string;
  categoryCode?: string;
  orderType?: WorkOrderType;
  address?: string;
  districtCode?: string;
  streetCode?: string;
  lat?: number;
  lng?: number;
  name?: string;
  phone: string;
  confidential?: boolean;
  disclosureConsent?: boolean;
  callbackConsent?: boolean;
  photo?: { name: string; type: string; dataBase64: string };
  /** 转人工: the conversation with the self-service answering, attached to the request */
  conversation?: ChatTurn[];
  challengeId: string;
  challengeAnswer: string;
}

export class CitizenService {
  constructor(
    private readonly db: Db,
    private readonly workOrders: WorkOrderService,
    private readonly attachments: AttachmentService,
    private readonly triage: TriageService,
    private readonly bridge: BridgeService,
    readonly geocoder: Geocoder,
    private readonly log: { warn(o: object, m: string): void } = { warn: () => undefined },
    private readonly sms: SmsService | null = null,
  ) {}

  async limit(kind: keyof typeof PUBLIC_LIMITS, key: string): Promise<void> {
    const r = await takeRate(this.db, bucket(kind, key), PUBLIC_LIMITS[kind]);
    if (!r.ok)
      throw new AppError(
        'PUBLIC_RATE_LIMITED',
        `提交过于频繁，请 ${r.retryAfter >= 120 ? `${Math.ceil(r.retryAfter / 60)} 分钟` : `${r.retryAfter} 秒`}后再试；如遇紧急情况请立即拨打110`,
        { retryAfter: r.retryAfter },
      );
  }

  /** A simple challenge: an addition written in Chinese numerals, answered in digits. */
  async challenge(ip: string): Promise<{ id: string; question: string }> {
    await this.limit('challengePerIp', ip);
    const a = crypto.randomInt(1, 10);
    const b = crypto.randomInt(1, 10);
    const answer = String(a + b);
    const salt = crypto.randomBytes(8).toString('hex');
    const id = await insertChallenge(this.db, `${salt}:${sha256(`${salt}:${answer}`)}`);
    return { id, question: `${DIGITS[a]}加${DIGITS[b]}等于几？` };
  }

  private async checkChallenge(id: string, answer: string): Promise<void> {
    const stored = /^[0-9a-f-]{36}$/.test(id) ? await useChallenge(this.db, id) : null;
    const [salt, hash] = stored?.split(':') ?? [];
    if (!salt || !hash || sha256(`${salt}:${answer.trim()}`) !== hash) throw new AppError('PUBLIC_CHALLENGE_FAILED');
  }

  /** As the citizen types: is this a danger? Only the answer the page needs leaves the server. */
  async dangerCheck(ip: string, text: string): Promise<{ emergency: boolean; callNow: string[] }> {
    await this.limit('checkPerIp', ip);
    const t = await this.triage.suggest(text, 'web').catch(() => null);
    if (!t?.emergency) return { emergency: false, callNow: [] };
    return { emergency: true, callNow: emergencyNumbers(t.route, t.linked) };
  }

  private checkPhoto(p: NonNullable<PublicSubmission['photo']>): Buffer {
    const type = p.type.toLowerCase();
    if (!PHOTO_TYPES.includes(type))
      throw new AppError('ATTACHMENT_TYPE_NOT_ALLOWED', '照片须为 JPG、PNG 或 WEBP 格式', { field: 'photo' });
    const data = Buffer.from(p.dataBase64, 'base64');
    if (data.length === 0) throw new AppError('ATTACHMENT_EMPTY');
    if (!ATTACHMENT_TYPES[type]!.some((sig) => sig.every((byte, i) => data[i] === byte)))
      throw new AppError('ATTACHMENT_CONTENT_MISMATCH', '照片内容与格式不符');
    return data;
  }

  async submit(ip: string, input: PublicSubmission) {
    const content = input.content.trim();
    if (content.length < 5) throw new AppError('VALIDATION_FAILED', '请用至少5个字描述您的诉求', { field: 'content' });
    if (!input.address?.trim() && !input.districtCode && input.lat === undefined)
      throw new AppError('VALIDATION_FAILED', '请填写地址，或选择区县、街道，或在地图上选点', { field: 'address' });
    if ((input.lat === undefined) !== (input.lng === undefined))
      throw new AppError('VALIDATION_FAILED', '经纬度须同时提供', { field: 'lat' });
    const photo = input.photo ? this.checkPhoto(input.photo) : null;
    await this.limit('submitPerIp', ip);
    await this.limit('submitPerPhone', input.phone);
    await this.checkChallenge(input.challengeId, input.challengeAnswer);

    const filed = await this.file({ ...input, source: 'web', clientRef: `web:${input.challengeId}`, clientId: null });
    if (photo)
      await this.attachments.upload(SYSTEM_ACTOR, filed.order.id, {
        name: input.photo!.name || '现场照片',
        contentType: input.photo!.type,
        data: photo,
      });
    return {
      requestNo: filed.order.no,
      queryCode: filed.queryCode,
      emergency: filed.emergency,
      callNow: filed.callNow,
      escalated: filed.linkageItemId !== null,
      place: filed.place,
    };
  }

  /**
   * Files a request from outside (the web page or an Open311 client): geocoded, triaged, a work order
   * made on the 12345 desk, and a danger escalated to 110 at once.
   */
  async file(input: {
    source: 'web' | 'open311';
    clientRef: string;
    clientId: string | null;
    content: string;
    categoryCode?: string;
    orderType?: WorkOrderType;
    address?: string;
    districtCode?: string;
    streetCode?: string;
    lat?: number;
    lng?: number;
    name?: string;
    phone?: string;
    confidential?: boolean;
    disclosureConsent?: boolean;
    callbackConsent?: boolean;
    conversation?: readonly ChatTurn[];
  }) {
    const content = input.content.trim();
    const place = await this.geocoder.resolve({
      address: input.address,
      districtCode: input.districtCode,
      streetCode: input.streetCode,
      lat: input.lat,
      lng: input.lng,
    });
    const triage = await this.triage.suggest(content, 'web').catch(() => null);
    const category =
      input.categoryCode ?? (triage && /^[A-Z]{4}\d{2}$/.test(triage.category) ? triage.category : 'QTSX01');
    const orderType: WorkOrderType =
      input.orderType && (WORK_ORDER_TYPES as readonly string[]).includes(input.orderType) ? input.orderType : 'help';
    const caller = {
      ...(input.name?.trim() ? { name: input.name.trim().slice(0, 50) } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
    };
    const { record: order, created } = await this.workOrders.create(SYSTEM_ACTOR, {
      channel: input.source,
      ...(caller.name || caller.phone ? { caller } : {}),
      confidential: input.confidential ?? false,
      content,
      address: (input.address?.trim() || place.formatted).slice(0, 200),
      districtCode: place.districtCode ?? undefined,
      streetCode: place.streetCode ?? undefined,
      ...(place.lat !== null && place.lng !== null ? { lat: place.lat, lng: place.lng } : {}),
      clientRef: input.clientRef,
      orderType,
      categoryCode: category,
    });
    const emergency = Boolean(triage?.emergency);
    let linkageItemId: string | null = null;
    if (created && emergency && triage) {
      // 110接处警工作规则: for danger the police act first (先期处置) and the other lines are told at once.
      try {
        // The lines the triage links (120 for someone hurt …) are opened with it, as a call-taker's Alt+2 does.
        const { item } = await inTransaction(this.db, (tx) =>
          this.bridge.openWithLinked(tx, SYSTEM_ACTOR, {
            kind: 'emergency',
            requestId: order.request_id,
            localRef: order.id,
            localNo: order.no,
            reason: `网上诉求经研判为紧急情形，自动转110：${triage.reasons.join('；')}`,
            danger: triage.reasons.join('；') || '市民网上反映正在发生危险',
            callbackConsent: input.callbackConsent ?? true,
          }),
        );
        linkageItemId = item.item_id;
      } catch (err) {
        // No peer configured (a desk run alone): the order carries the emergency triage for the seats.
        this.log.warn({ err, no: order.no }, 'web emergency could not be escalated to 110');
      }
    }
    const queryCode = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    // The public record and the receipt text (受理短信, docs/sms.md) commit together.
    if (created)
      await inTransaction(this.db, async (tx) => {
        await insertPublicRequest(tx, {
          workOrderId: order.id,
          source: input.source,
          queryCodeHash: sha256(`${order.no}:${queryCode}`),
          consent: input.disclosureConsent ?? false,
          emergency,
          linkageItemId,
          clientId: input.clientId,
        });
        if (this.sms && input.phone) await this.sms.receipt(tx, order, input.phone, queryCode);
        if (input.conversation?.length)
          await insertChatTranscript(tx, order.id, input.conversation, transcriptNote(input.conversation));
      });
    return {
      order,
      created,
      queryCode: created ? queryCode : null,
      emergency,
      callNow: emergency && triage ? emergencyNumbers(triage.route, triage.linked) : [],
      linkageItemId,
      place: { districtCode: place.districtCode, streetCode: place.streetCode, formatted: place.formatted },
    };
  }

  /** The status page: by request number and query code together (never by phone alone). */
  async status(ip: string, no: string, code: string) {
    await this.limit('lookupPerIp', ip);
    const p = await findPublicByNo(this.db, no);
    const given = Buffer.from(sha256(`${no}:${code}`));
    if (!p || !crypto.timingSafeEqual(given, Buffer.from(p.query_code_hash)))
      throw new AppError('PUBLIC_REQUEST_NOT_FOUND');
    const [actions, units] = await Promise.all([listPublicActions(this.db, p.work_order_id), unitNames(this.db)]);
    const name = (id: unknown) => (typeof id === 'string' ? (units.get(id) ?? null) : null);
    const history = actions
      .map((a) => ({ at: a.at.toISOString(), text: historyLine(a.action, a.details, name) }))
      .filter((h): h is { at: string; text: string } => h.text !== null);
    if (p.emergency)
      history.splice(1, 0, {
        at: p.created_at.toISOString(),
        text: p.linkage_item_id ? '经研判属紧急情形，已同步转110处置' : '经研判属紧急情形，请立即拨打110',
      });
    const names = [p.caller_name];
    return {
      requestNo: p.no,
      receivedAt: p.received_at.toISOString(),
      category: p.category_name,
      place: [p.district_name, p.street_name].filter(Boolean).join(''),
      content: redact(p.request_content, names),
      status: p.status,
      statusText: PUBLIC_STATUS_WORDS[p.status as WorkOrderStatus] ?? '办理中',
      dueAt: p.due_at.toISOString(),
      history,
      reply: p.reply ? redact(p.reply, names) : null,
      repliedAt: p.replied_at?.toISOString() ?? null,
      emergency: p.emergency,
      disclosure: p.disclosure_status,
    };
  }

  async disclosure(f: DisclosureFilter) {
    const [list, byDistrict] = await Promise.all([listPublished(this.db, f), publishedByDistrict(this.db)]);
    return { ...list, byDistrict };
  }

  async pending(actor: Actor) {
    if (!['call_taker', 'supervisor', 'admin'].includes(actor.role)) throw new AppError('FORBIDDEN');
    return (await listPending(this.db, 50)).map((r) => ({
      workOrderId: r.work_order_id,
      no: r.no,
      category: r.category_name,
      district: r.district_name,
      suggestedTitle: redact(r.title, [r.caller_name]),
      suggestedReply: redact(r.reply ?? '', [r.caller_name]),
      content: r.content,
    }));
  }

  /** The 12345 centre's decision on a consented, answered request: publish (with its edited wording) or withhold. */
  async moderate(
    actor: Actor,
    workOrderId: string,
    d: { decision: 'publish' | 'withhold'; title?: string; reply?: string },
  ) {
    if (!['call_taker', 'supervisor', 'admin'].includes(actor.role)) throw new AppError('FORBIDDEN');
    if (d.decision === 'publish' && (!d.title?.trim() || !d.reply?.trim()))
      throw new AppError('VALIDATION_FAILED', '公开须填写标题和答复内容');
    const pending = (await listPending(this.db, 1000)).find((p) => p.work_order_id === workOrderId);
    if (!pending) throw new AppError('DISCLOSURE_NOT_PENDING');
    await setDisclosure(this.db, workOrderId, {
      status: d.decision === 'publish' ? 'published' : 'withheld',
      // What is published is checked once more: the moderator's text goes through the same masking.
      title: d.decision === 'publish' ? redact(d.title!.trim(), [pending.caller_name]).slice(0, 100) : null,
      reply: d.decision === 'publish' ? redact(d.reply!.trim(), [pending.caller_name]).slice(0, 5000) : null,
      by: actor.id,
    });
    return { workOrderId, disclosure: d.decision === 'publish' ? 'published' : 'withheld' };
  }
}
