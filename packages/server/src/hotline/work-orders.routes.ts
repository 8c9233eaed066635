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
  type WorkOrderCommand,
} from '@liandong/domain';
import {
  DateTime,
  DistrictCode,
  IdParams,
  Note,
  PageQuery,
  StreetCode,
  UnitId,
  Uuid,
  enumOf,
  errorResponses,
  paged,
} from '../http/schemas.ts';
import { presentWorkOrder, presentWorkOrderDetail } from './work-orders.present.ts';
import type { WorkOrderService } from './work-orders.service.ts';

const WorkOrderSummary = Type.Object({}, { additionalProperties: true, description: '工单摘要' });

export const CreateWorkOrderBody = Type.Object(
  {
    channel: enumOf(REQUEST_CHANNELS, '受理渠道'),
    caller: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 50 })),
          phone: Type.Optional(Type.String({ pattern: '^[0-9+\\-() ]{3,20}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    confidential: Type.Optional(Type.Boolean({ description: '来电人要求保密' })),
    content: Type.String({ minLength: 1, maxLength: 5000, description: '诉求内容' }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    districtCode: Type.Optional(DistrictCode),
    streetCode: Type.Optional(StreetCode),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    receivedAt: Type.Optional(DateTime),
    clientRef: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: '客户端生成的幂等键，重试时返回同一工单' }),
    ),
    orderType: enumOf(WORK_ORDER_TYPES, '工单类型'),
    categoryCode: Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$', description: '派单目录分类' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    urgentKind: Type.Optional(enumOf(URGENT_KINDS, '紧急工单类型：重症救治/孕检生产/应急救援')),
    leadUnitId: Type.Optional(UnitId),
    assistUnitIds: Type.Optional(Type.Array(UnitId, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });

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
  follow_up: strict({ satisfaction: enumOf(SATISFACTION), note: Type.Optional(Note) }),
  reopen: strict({ note: Note }),
  archive: strict({ note: Type.Optional(Note) }),
  merge: strict({ intoWorkOrderId: Uuid, note: Type.Optional(Note) }),
  supervise: strict({ note: Note }),
} as const satisfies Partial<Record<WorkOrderAction, unknown>>;

const ACTION_SUMMARY: Record<keyof typeof ACTION_BODIES, string> = {
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

export const workOrderRoutes =
  (service: WorkOrderService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/work-orders',
      {
        schema: {
          tags: ['hotline'],
          summary: '受理诉求并生成工单（可同时派单）',
          body: CreateWorkOrderBody,
          response: { 200: WorkOrderSummary, 201: WorkOrderSummary, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { order, created } = await service.create(req.actor, req.body);
        return reply.code(created ? 201 : 200).send(presentWorkOrder(order));
      },
    );

    app.get(
      '/api/work-orders',
      {
        schema: {
          tags: ['hotline'],
          summary: '工单列表（分页、筛选、排序；按角色限定范围）',
          querystring: Type.Object(
            {
              ...PageQuery,
              status: Type.Optional(Type.Array(enumOf(WORK_ORDER_STATUSES), { maxItems: 9 })),
              orderType: Type.Optional(enumOf(WORK_ORDER_TYPES)),
              categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' })),
              districtCode: Type.Optional(DistrictCode),
              leadUnitId: Type.Optional(UnitId),
              urgent: Type.Optional(Type.Boolean()),
              overdue: Type.Optional(Type.Boolean()),
              supervised: Type.Optional(Type.Boolean()),
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              createdFrom: Type.Optional(DateTime),
              createdTo: Type.Optional(DateTime),
              dueBefore: Type.Optional(DateTime),
              sort: Type.Optional(enumOf(['createdAt', 'dueAt', 'updatedAt'] as const)),
              order: Type.Optional(enumOf(['asc', 'desc'] as const)),
            },
            { additionalProperties: false },
          ),
          response: { 200: paged(WorkOrderSummary), ...errorResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const page = q.page ?? 1;
        const pageSize = q.pageSize ?? 20;
        const { rows, total } = await service.list(req.actor, {
          status: q.status,
          orderType: q.orderType,
          categoryCode: q.categoryCode,
          districtCode: q.districtCode,
          leadUnitId: q.leadUnitId,
          urgent: q.urgent,
          overdue: q.overdue,
          supervised: q.supervised,
          q: q.q,
          createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
          createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
          dueBefore: q.dueBefore ? new Date(q.dueBefore) : undefined,
          sort: q.sort === 'dueAt' ? 'due_at' : q.sort === 'updatedAt' ? 'updated_at' : 'created_at',
          order: q.order ?? (q.sort === 'dueAt' ? 'asc' : 'desc'),
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return {
          items: rows.map((r) =>
            presentWorkOrder(r, { leadUnitName: r.lead_unit_name, districtName: r.district_name }),
          ),
          total,
          page,
          pageSize,
        };
      },
    );

    app.get(
      '/api/work-orders/similar',
      {
        schema: {
          tags: ['hotline'],
          summary: '疑似重复诉求：近期同一地址，或同一街道（区县）且同类的工单',
          querystring: Type.Object(
            {
              address: Type.Optional(Type.String({ maxLength: 200 })),
              districtCode: Type.Optional(DistrictCode),
              streetCode: Type.Optional(StreetCode),
              categoryCode: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' })),
              days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
            },
            { additionalProperties: false },
          ),
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

    app.get(
      '/api/work-orders/:id',
      {
        schema: {
          tags: ['hotline'],
          summary: '工单详情：诉求、来电人（按角色脱敏）、处理记录、可执行操作',
          params: IdParams,
          response: { 200: WorkOrderSummary, ...errorResponses },
        },
      },
      async (req) => presentWorkOrderDetail(await service.get(req.actor, req.params.id)),
    );

    for (const action of Object.keys(ACTION_BODIES) as (keyof typeof ACTION_BODIES)[]) {
      app.post(
        `/api/work-orders/:id/${action.replace(/_/g, '-')}`,
        {
          schema: {
            tags: ['hotline'],
            summary: ACTION_SUMMARY[action],
            params: IdParams,
            body: ACTION_BODIES[action],
            response: { 200: WorkOrderSummary, ...errorResponses },
          },
        },
        async (req) => {
          const cmd = { ...(req.body as object), action } as WorkOrderCommand;
          return presentWorkOrder(await service.act(req.actor, req.params.id, cmd));
        },
      );
    }
  };
