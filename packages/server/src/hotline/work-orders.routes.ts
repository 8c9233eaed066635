import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  REPLY_RESULTS,
  REQUEST_CHANNELS,
  RETURN_REASONS,
  SATISFACTION,
  URGENT_KINDS,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
  type WorkOrderAction,
} from '@liandong/domain';
import { recordRoutes } from '../http/record-routes.ts';
import {
  DateTime,
  DistrictCode,
  Note,
  PageQuery,
  RequestFields,
  StreetCode,
  UnitId,
  Uuid,
  enumOf,
  errorResponses,
  strict,
} from '../http/schemas.ts';
import { presentWorkOrder, presentWorkOrderDetail } from './work-orders.present.ts';
import { beijingMinute, type ListExport } from '../http/list-export.ts';
import type { WorkOrderService } from './work-orders.service.ts';

const WorkOrderSummary = Type.Object({}, { additionalProperties: true, description: '工单摘要' });

export const CreateWorkOrderBody = strict({
  channel: enumOf(REQUEST_CHANNELS, '受理渠道'),
  ...RequestFields,
  confidential: Type.Optional(Type.Boolean({ description: '来电人要求保密' })),
  orderType: enumOf(WORK_ORDER_TYPES, '工单类型'),
  categoryCode: Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$', description: '派单目录分类' }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  urgentKind: Type.Optional(enumOf(URGENT_KINDS, '紧急工单类型：重症救治/孕检生产/应急救援')),
  leadUnitId: Type.Optional(UnitId),
  assistUnitIds: Type.Optional(Type.Array(UnitId, { maxItems: 10 })),
});

/** Body schema of each action endpoint, POST /api/work-orders/:id/<action>. */
const ACTION_BODIES = {
  assign: strict({
    leadUnitId: UnitId,
    assistUnitIds: Type.Optional(Type.Array(UnitId, { maxItems: 10 })),
    note: Type.Optional(Note),
  }),
  reassign: strict({
    leadUnitId: UnitId,
    assistUnitIds: Type.Optional(Type.Array(UnitId, { maxItems: 10 })),
    note: Note,
  }),
  sign: strict({ note: Type.Optional(Note) }),
  return: strict({ reasonCode: enumOf(RETURN_REASONS), note: Note }),
  start: strict({ note: Type.Optional(Note) }),
  reply: strict({ reply: Type.String({ minLength: 1, maxLength: 5000 }), result: enumOf(REPLY_RESULTS) }),
  answer_directly: strict({ reply: Type.String({ minLength: 1, maxLength: 5000 }) }),
  request_extension: strict({ requestedDueAt: DateTime, reason: Note }),
  approve_extension: strict({ note: Type.Optional(Note) }),
  refuse_extension: strict({ note: Note }),
  follow_up: strict({
    satisfaction: enumOf(SATISFACTION),
    note: Type.Optional(Note),
    contacted: Type.Optional(Type.Boolean({ description: '承办单位是否联系了来电人' })),
    resolved: Type.Optional(Type.Boolean({ description: '诉求是否已解决' })),
  }),
  reopen: strict({ note: Note }),
  archive: strict({ note: Type.Optional(Note) }),
  // 并单 names the order merged into by its number (what the console shows); the internal id is still accepted.
  merge: strict({
    intoWorkOrderNo: Type.Optional(Type.String({ pattern: '^GD[0-9]{14}$', description: '并入的工单编号' })),
    intoWorkOrderId: Type.Optional(Uuid),
    note: Type.Optional(Note),
  }),
  supervise: strict({ note: Note }),
} as const satisfies Partial<Record<WorkOrderAction, unknown>>;

const SUMMARIES: Record<'create' | 'list' | 'detail' | keyof typeof ACTION_BODIES, string> = {
  create: '受理诉求并生成工单（可同时派单）',
  list: '工单列表（分页、筛选、排序；按角色限定范围）',
  detail: '工单详情：诉求、来电人（按角色脱敏）、处理记录、可执行操作',
  assign: '派单（指定主办、协办单位）',
  reassign: '改派',
  sign: '签收',
  return: '退单（须说明原因）',
  start: '开始办理',
  reply: '办结答复',
  answer_directly: '直接答复（话务员当场解答）',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  refuse_extension: '驳回延期',
  follow_up: '回访（满意/基本满意/不满意）',
  reopen: '重办（回访不满意后）',
  archive: '归档',
  merge: '并单（重复诉求并入另一工单）',
  supervise: '督办',
};

const SORT_COLUMNS = { createdAt: 'created_at', dueAt: 'due_at', updatedAt: 'updated_at' } as const;

const ListQuery = strict({
  ...PageQuery,
  status: Type.Optional(Type.Array(enumOf(WORK_ORDER_STATUSES), { maxItems: 9 })),
  orderType: Type.Optional(enumOf(WORK_ORDER_TYPES)),
  categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' })),
  districtCode: Type.Optional(DistrictCode),
  leadUnitId: Type.Optional(UnitId),
  urgent: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean()),
  open: Type.Optional(
    Type.Boolean({
      description: 'true：只看办理时限在走的工单（已受理、已派单、已退单、已签收、办理中）；false：其余',
    }),
  ),
  supervised: Type.Optional(Type.Boolean()),
  satisfaction: Type.Optional(enumOf(SATISFACTION, '回访满意度')),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '工单号或标题' })),
  phone: Type.Optional(Type.String({ pattern: '^[0-9+\\-() ]{3,20}$', description: '来电号码（完整号码）' })),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '地址包含' })),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '诉求内容或答复包含' })),
  createdFrom: Type.Optional(DateTime),
  createdTo: Type.Optional(DateTime),
  dueBefore: Type.Optional(DateTime),
  sort: Type.Optional(enumOf(Object.keys(SORT_COLUMNS) as (keyof typeof SORT_COLUMNS)[])),
  order: Type.Optional(enumOf(['asc', 'desc'] as const)),
});

type ListedWorkOrder = ReturnType<typeof presentWorkOrder> & {
  leadUnitName?: string | null;
  districtName?: string | null;
};
const yes = (b: boolean) => (b ? '是' : '');
/** 工单查询 as a spreadsheet: the columns of the list, in the centre's words. */
const WORK_ORDER_EXPORT: ListExport<ListedWorkOrder> = {
  title: '工单查询',
  asciiName: 'work-orders',
  columns: [
    { header: '工单号', value: (o) => o.no, width: 20 },
    { header: '受理时间', value: (o) => beijingMinute(o.createdAt), width: 17 },
    { header: '标题', value: (o) => o.title, width: 40 },
    { header: '工单类型', value: (o) => o.orderTypeLabel ?? o.orderType, width: 10 },
    { header: '派单目录分类', value: (o) => o.categoryCode, width: 12 },
    { header: '状态', value: (o) => o.statusLabel, width: 10 },
    { header: '区县', value: (o) => o.districtName ?? null, width: 10 },
    { header: '主办单位', value: (o) => o.leadUnitName ?? null, width: 24 },
    { header: '办理时限', value: (o) => beijingMinute(o.dueAt), width: 17 },
    { header: '超期', value: (o) => yes(o.overdue), width: 6 },
    { header: '紧急工单', value: (o) => (o.urgent ? (o.urgentKindLabel ?? '是') : ''), width: 10 },
    { header: '督办', value: (o) => yes(o.supervised), width: 6 },
    { header: '应急演练', value: (o) => yes(o.exercise), width: 8 },
    { header: '办结时间', value: (o) => beijingMinute(o.closedAt), width: 17 },
  ],
};

export const workOrderRoutes =
  (service: WorkOrderService): FastifyPluginAsyncTypebox =>
  async (app) => {
    recordRoutes(app, {
      base: '/api/work-orders',
      tag: 'hotline',
      schemas: { record: WorkOrderSummary, create: CreateWorkOrderBody, list: ListQuery, actions: ACTION_BODIES },
      summaries: SUMMARIES,
      service,
      present: {
        record: presentWorkOrder,
        listed: (r) => presentWorkOrder(r, { leadUnitName: r.lead_unit_name, districtName: r.district_name }),
        detail: presentWorkOrderDetail,
      },
      export: WORK_ORDER_EXPORT,
      filter: (q) => ({
        ...q,
        sort: SORT_COLUMNS[q.sort ?? 'createdAt'],
        order: q.order ?? (q.sort === 'dueAt' ? 'asc' : 'desc'),
      }),
    });

    app.get(
      '/api/work-orders/similar',
      {
        schema: {
          tags: ['hotline'],
          summary: '疑似重复诉求：近期同一地址，或同一街道（区县）且同类的工单',
          querystring: strict({
            address: Type.Optional(Type.String({ maxLength: 200 })),
            districtCode: Type.Optional(DistrictCode),
            streetCode: Type.Optional(StreetCode),
            categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' })),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
          }),
          response: { 200: Type.Array(WorkOrderSummary), ...errorResponses },
        },
      },
      async (req) => {
        const rows = await service.similar(req.actor, { ...req.query, days: req.query.days ?? 30 });
        return rows.map((r) => ({
          ...presentWorkOrder(r),
          address: r.address,
          sameAddress: r.same_address,
          sameCategory: r.same_category,
        }));
      },
    );
  };
