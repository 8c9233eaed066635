/**
 * Open311 GeoReport v2 on the 12345 desk (wiki.open311.org/GeoReport_v2), with the paging extension
 * (page, page_size) and mySociety's servicerequestupdates both ways. Requests filed here go through
 * the same intake as the public web page: geocoded, triaged, a danger escalated to 110.
 */
import crypto from 'node:crypto';
import { WORK_ORDER_TYPES, type WorkOrderCommand, type WorkOrderStatus, type WorkOrderType } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import type { CitizenService } from '../citizen/citizen.service.ts';
import { sha256 } from '../citizen/citizen.service.ts';
import { PUBLIC_STATUS_WORDS, historyLine } from '../citizen/plain-words.ts';
import { redact } from '../citizen/redact.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import { INBOUND_UPDATE, OPEN311_STATUS, REPLY_UPDATE_STATUS } from './status-map.ts';
import {
  findClientByKeyHash,
  findInboundUpdate,
  findOrderIdByNo,
  findToken,
  insertInboundUpdate,
  insertToken,
  listClients,
  listVisible,
  listVisibleUpdates,
  upsertClient,
  type ClientRow,
  type VisibleRequestRow,
} from './open311.repo.ts';

/** An error in GeoReport's shape: the HTTP status and a description the user may read. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly description: string,
  ) {
    super(description);
  }
}

const ORDER_TYPE_NAMES: Record<WorkOrderType, string> = {
  complaint: '投诉',
  help: '求助',
  consultation: '咨询',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
};

/** W3C datetime in Beijing time with its offset, as GeoReport asks (timezone must be included). */
export const w3 = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

function parseW3(v: string | undefined, field: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v))
    throw new Open311Error(400, `${field} 须为 W3C 日期时间格式（如 2010-01-01T00:00:00Z）`);
  return new Date(v);
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

export class Open311Service {
  constructor(
    private readonly db: Db,
    private readonly citizen: CitizenService,
    private readonly workOrders: WorkOrderService,
    readonly jurisdictionId: string,
  ) {}

  checkJurisdiction(j: string | undefined) {
    if (j && j !== this.jurisdictionId) throw new Open311Error(404, `jurisdiction_id 不存在：${j}`);
  }

  async client(apiKey: string | undefined): Promise<ClientRow> {
    if (!apiKey) throw new Open311Error(403, '缺少 api_key');
    const c = await findClientByKeyHash(this.db, sha256(apiKey));
    if (!c || !c.active) throw new Open311Error(403, 'api_key 无效或已停用');
    return c;
  }

  discovery(baseUrl: string) {
    return {
      changeset: '2026-12-09T00:00:00+08:00',
      contact: '12345政务服务便民热线中心；接入问题请联系平台管理员',
      key_service: '接入密钥（api_key）由12345热线中心管理员按接入应用分别签发',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${baseUrl}/open311/v2`,
          changeset: '2026-12-09T00:00:00+08:00',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  async services() {
    const r = await this.db.query<{ code: string; name: string; group_name: string }>(
      `SELECT c.code, c.name, p.name AS group_name FROM catalogue_categories c JOIN catalogue_categories p ON p.code = c.parent_code
       WHERE c.active ORDER BY c.code`,
    );
    return r.rows.map((s) => ({
      service_code: s.code,
      service_name: s.name,
      description: `${s.group_name}：${s.name}`,
      metadata: true,
      type: 'realtime',
      keywords: [s.name, s.group_name].join(', '),
      group: s.group_name,
    }));
  }

  async definition(code: string) {
    const r = await this.db.query(
      'SELECT 1 FROM catalogue_categories WHERE code = $1 AND parent_code IS NOT NULL AND active',
      [code],
    );
    if (r.rowCount === 0) throw new Open311Error(404, `service_code 不存在：${code}`);
    const types = WORK_ORDER_TYPES.filter((t) => t !== 'praise');
    return {
      service_code: code,
      attributes: [
        {
          variable: true,
          code: 'request_type',
          datatype: 'singlevaluelist',
          required: false,
          datatype_description: '不填按求助受理',
          order: 1,
          description: '诉求类型',
          values: types.map((t) => ({ key: t, name: ORDER_TYPE_NAMES[t] })),
        },
        {
          variable: true,
          code: 'confidential',
          datatype: 'singlevaluelist',
          required: false,
          datatype_description: '保密的诉求不对外公开，承办单位看到的联系人信息经脱敏处理',
          order: 2,
          description: '是否要求保密',
          values: [
            { key: 'true', name: '是' },
            { key: 'false', name: '否' },
          ],
        },
      ],
    };
  }

  async create(params: Record<string, string | string[]>) {
    const one = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    this.checkJurisdiction(one('jurisdiction_id'));
    const client = await this.client(one('api_key'));
    const code = one('service_code');
    if (!code) throw new Open311Error(400, '缺少 service_code');
    const svc = await this.db.query<{ name: string }>(
      'SELECT name FROM catalogue_categories WHERE code = $1 AND parent_code IS NOT NULL AND active',
      [code],
    );
    if (!svc.rows[0]) throw new Open311Error(404, `service_code 不存在：${code}`);
    const lat = one('lat') ? Number(one('lat')) : undefined;
    const lng = one('long') ? Number(one('long')) : undefined;
    if ((lat === undefined) !== (lng === undefined)) throw new Open311Error(400, 'lat 与 long 须同时提供');
    if (
      lat !== undefined &&
      (!Number.isFinite(lat) || !Number.isFinite(lng!) || Math.abs(lat) > 90 || Math.abs(lng!) > 180)
    )
      throw new Open311Error(400, 'lat/long 不是合法的 WGS84 坐标');
    const addressId = one('address_id');
    const address = one('address_string');
    if (lat === undefined && !address && !addressId)
      throw new Open311Error(400, '须提供位置：lat 与 long、address_string 或 address_id 之一');
    if (addressId && !/^50\d{4}(\d{3})?$/.test(addressId))
      throw new Open311Error(400, 'address_id 须为区县（6位）或街道（9位）行政区划代码');
    const description = one('description')?.trim() ?? '';
    if (description.length > 4000) throw new Open311Error(400, 'description 不能超过 4,000 字');
    const attr = (k: string) => one(`attribute[${k}]`);
    const requestType = attr('request_type');
    if (requestType && !(WORK_ORDER_TYPES as readonly string[]).includes(requestType))
      throw new Open311Error(400, `attribute[request_type] 取值无效：${requestType}`);
    const phone = one('phone')?.replace(/[^\d+\-() ]/g, '');
    const name = [one('last_name'), one('first_name')].filter(Boolean).join('');
    const clientRef = `open311:${client.id}:${sha256(JSON.stringify(params)).slice(0, 40)}`;
    let filed;
    try {
      filed = await this.citizen.file({
        source: 'open311',
        clientRef,
        clientId: client.id,
        content: description || `${svc.rows[0].name}（经Open311接入：${client.name}）`,
        categoryCode: code,
        orderType: requestType as WorkOrderType | undefined,
        address: address?.slice(0, 200),
        districtCode: addressId?.slice(0, 6),
        streetCode: addressId && addressId.length === 9 ? addressId : undefined,
        lat,
        lng,
        name: name || undefined,
        phone: phone && /^[0-9+\-() ]{3,20}$/.test(phone) ? phone : undefined,
        confidential: attr('confidential') === 'true',
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500) throw new Open311Error(400, err.message);
      throw err;
    }
    const notice = filed.emergency
      ? `经研判属紧急情形，已同步转110处置；如有危险请立即拨打${filed.callNow.join('、')}`
      : `已受理，将于 ${w3(filed.order.due_at)} 前答复`;
    if (client.batch) {
      const token = crypto.randomBytes(12).toString('hex');
      await insertToken(this.db, token, client.id, filed.order.id);
      return [{ token, service_notice: notice, account_id: one('account_id') ?? null }];
    }
    return [{ service_request_id: filed.order.no, service_notice: notice, account_id: one('account_id') ?? null }];
  }

  async token(token: string) {
    const t = /^[A-Za-z0-9]{8,64}$/.test(token) ? await findToken(this.db, token) : null;
    if (!t) throw new Open311Error(404, `token 不存在：${token}`);
    return [{ service_request_id: t.no, token: t.token }];
  }

  private present(r: VisibleRequestRow) {
    const s = OPEN311_STATUS[r.status as WorkOrderStatus];
    return {
      service_request_id: r.no,
      status: s.georeport,
      status_notes: PUBLIC_STATUS_WORDS[r.status as WorkOrderStatus],
      service_name: r.category_name,
      service_code: r.category_code,
      description: redact(r.content, [r.caller_name]),
      agency_responsible: r.lead_unit_name,
      service_notice: null,
      requested_datetime: w3(r.received_at),
      updated_datetime: w3(r.updated_at),
      expected_datetime: w3(r.due_at),
      // Most specific to most general, as GeoReport asks.
      address: [r.address, r.street_name, r.district_name, '重庆市'].filter(Boolean).join('，'),
      address_id: r.street_code ?? r.district_code,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: null,
    };
  }

  async list(q: Record<string, string | undefined>) {
    this.checkJurisdiction(q.jurisdiction_id);
    const nos = list(q.service_request_id);
    const end = parseW3(q.end_date, 'end_date') ?? new Date();
    const start = parseW3(q.start_date, 'start_date') ?? new Date(end.getTime() - 90 * 86_400_000);
    if (end.getTime() - start.getTime() > 90 * 86_400_000) throw new Open311Error(400, '查询时间跨度不能超过90天');
    if (start > end) throw new Open311Error(400, 'start_date 不能晚于 end_date');
    const statusWords = list(q.status);
    for (const s of statusWords ?? [])
      if (s !== 'open' && s !== 'closed') throw new Open311Error(400, `status 取值无效：${s}（可为 open、closed）`);
    const statuses = statusWords
      ? (Object.keys(OPEN311_STATUS) as WorkOrderStatus[]).filter((k) =>
          statusWords.includes(OPEN311_STATUS[k].georeport),
        )
      : undefined;
    const page = q.page ? Number(q.page) : 1;
    const pageSize = q.page_size ? Number(q.page_size) : 1000;
    if (!Number.isInteger(page) || page < 1) throw new Open311Error(400, 'page 须为正整数');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
      throw new Open311Error(400, 'page_size 须在1到1000之间');
    const rows = await listVisible(this.db, {
      nos,
      serviceCodes: list(q.service_code),
      start,
      end,
      statuses,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return rows.map((r) => this.present(r));
  }

  async one(no: string, jurisdiction: string | undefined) {
    this.checkJurisdiction(jurisdiction);
    const rows = /^GD\d{14}$/.test(no)
      ? await listVisible(this.db, { nos: [no], start: new Date(0), end: new Date(), limit: 1, offset: 0 })
      : [];
    if (!rows[0]) throw new Open311Error(404, `service_request_id 不存在：${no}`);
    return [this.present(rows[0])];
  }

  /** mySociety's GET servicerequestupdates: every step of the visible requests in the window. */
  async updates(q: Record<string, string | undefined>) {
    this.checkJurisdiction(q.jurisdiction_id);
    const end = parseW3(q.end_date, 'end_date') ?? new Date();
    const start = parseW3(q.start_date, 'start_date') ?? new Date(end.getTime() - 86_400_000);
    if (start > end) throw new Open311Error(400, 'start_date 不能晚于 end_date');
    const units = new Map(
      (await this.db.query<{ id: string; name: string }>('SELECT id, name FROM units')).rows.map((u) => [u.id, u.name]),
    );
    const rows = await listVisibleUpdates(this.db, start, end, 1000);
    return rows.map((u) => {
      const status =
        u.action === 'reply' || u.action === 'answer_directly'
          ? (REPLY_UPDATE_STATUS[(u.details.result as keyof typeof REPLY_UPDATE_STATUS) ?? 'resolved'] ?? 'fixed')
          : OPEN311_STATUS[u.to_status as WorkOrderStatus].update;
      const line = historyLine(u.action, u.details, (id) => (typeof id === 'string' ? (units.get(id) ?? null) : null));
      const text =
        u.action === 'reply' || u.action === 'answer_directly'
          ? ((u.details.reply as string | undefined) ?? u.reply)
          : null;
      return {
        update_id: u.action_id,
        service_request_id: u.no,
        status,
        updated_datetime: w3(u.at),
        description: redact([line, text].filter(Boolean).join('：'), [u.caller_name]),
        media_url: null,
      };
    });
  }

  /** mySociety's POST servicerequestupdates: a department's own system reports its progress on our order. */
  async pushUpdate(params: Record<string, string | string[]>) {
    const one = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : undefined);
    this.checkJurisdiction(one('jurisdiction_id'));
    const client = await this.client(one('api_key'));
    if (!client.unit_id) throw new Open311Error(403, '该接入应用未绑定承办单位，不能推送办理进度');
    const no = one('service_request_id');
    if (!no) throw new Open311Error(400, '缺少 service_request_id');
    const updateId = one('update_id');
    if (!updateId || updateId.length > 100)
      throw new Open311Error(400, '缺少 update_id（推送方的更新编号，重发时须相同）');
    const statusWord = (one('status') ?? '').toLowerCase();
    const step = INBOUND_UPDATE[statusWord];
    if (!step)
      throw new Open311Error(
        400,
        `status 取值无效：${one('status') ?? ''}（可为 ${Object.keys(INBOUND_UPDATE).join('、')}）`,
      );
    const description = one('description')?.trim() ?? '';
    const done = await findInboundUpdate(this.db, client.id, updateId);
    if (done) return [{ update_id: done.action_id }];
    const order = await findOrderIdByNo(this.db, no);
    if (!order || order.lead_unit_id !== client.unit_id)
      throw new Open311Error(404, `service_request_id 不存在或不由本单位主办：${no}`);
    if ((step.to === 'replied' || step.to === 'returned') && !description)
      throw new Open311Error(400, '办结或退回须在 description 中说明');
    const actor: Actor = {
      id: null,
      username: `open311:${client.id}`,
      displayName: client.name,
      role: client.unit_kind === 'district_agency' ? 'district_agency' : 'department_handler',
      unitId: client.unit_id,
      districtCode: client.unit_district,
    };
    const note = `经${client.name}系统推送（Open311）${description ? `：${description}` : ''}`.slice(0, 2000);
    const plan: WorkOrderCommand[] = [];
    let status = order.status;
    const push = (cmd: WorkOrderCommand, to: string) => {
      plan.push(cmd);
      status = to;
    };
    if (step.to === 'returned') {
      if (status === 'assigned') push({ action: 'return', reasonCode: 'not_our_duty', note }, 'returned');
    } else {
      if (status === 'assigned') push({ action: 'sign', note }, 'signed');
      if ((step.to === 'in_progress' || step.to === 'replied') && status === 'signed')
        push({ action: 'start', note }, 'in_progress');
      if (step.to === 'replied' && status === 'in_progress')
        push({ action: 'reply', reply: description.slice(0, 5000), result: step.result }, 'replied');
    }
    const reached =
      step.to === status ||
      (step.to === 'signed' && status === 'in_progress') ||
      (step.to === 'replied' && status === 'replied');
    if (!reached)
      throw new Open311Error(
        400,
        `工单当前状态（${PUBLIC_STATUS_WORDS[order.status as WorkOrderStatus]}）不能变为 ${statusWord}`,
      );
    try {
      for (const cmd of plan) await this.workOrders.act(actor, order.id, cmd);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) throw new Open311Error(400, err.message);
      throw err;
    }
    const actionId = await insertInboundUpdate(this.db, {
      clientId: client.id,
      updateId,
      workOrderId: order.id,
      status: statusWord,
    });
    return [{ update_id: actionId ?? (await findInboundUpdate(this.db, client.id, updateId))?.action_id ?? null }];
  }

  // Administration: client applications are data; a key is shown once, when issued.
  async listClients() {
    return listClients(this.db);
  }

  async putClient(
    actor: Actor,
    id: string,
    c: { name: string; unitId?: string; batch?: boolean; active?: boolean; issueKey?: boolean },
  ) {
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
    const key = c.issueKey ? crypto.randomBytes(24).toString('base64url') : null;
    if (c.unitId) {
      const u = await this.db.query('SELECT 1 FROM units WHERE id = $1 AND desk = $2', [c.unitId, 'hotline']);
      if (u.rowCount === 0) throw new AppError('REFERENCE_NOT_FOUND', `单位不存在：${c.unitId}`, { field: 'unitId' });
    }
    const exists = (await this.db.query('SELECT 1 FROM open311_clients WHERE id = $1', [id])).rowCount !== 0;
    if (!exists && !key) throw new AppError('VALIDATION_FAILED', '新接入应用须签发密钥（issueKey: true）');
    const inserted = await inTransaction(this.db, async (tx) => {
      const ins = await upsertClient(tx, {
        id,
        name: c.name,
        keyHash: key ? sha256(key) : null,
        unitId: c.unitId ?? null,
        batch: c.batch ?? false,
        active: c.active ?? true,
        by: actor.id,
      });
      await audit(tx, actor.id, 'open311_client.put', id, {
        name: c.name,
        unitId: c.unitId ?? null,
        batch: c.batch ?? false,
        active: c.active ?? true,
        keyIssued: Boolean(key),
      });
      return ins;
    });
    return { id, created: inserted, ...(key ? { apiKey: key } : {}) };
  }
}
