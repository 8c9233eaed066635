/** POST /api/intake: the 12345 call-taker's whole intake in one call (thin over IntakeService). */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INVALID_KINDS, REQUEST_CHANNELS, URGENT_KINDS, WORK_ORDER_TYPES } from '@liandong/domain';
import { presentItem } from '../bridge/linkage.present.ts';
import { presentWorkOrder } from '../hotline/work-orders.present.ts';
import { RequestFields, enumOf, errorResponses, strict } from '../http/schemas.ts';
import { can } from '../auth/permissions.ts';
import { DispatchSuggestionsSchema } from '../hotline/smart-dispatch/dispatch-models.routes.ts';
import type { DispatchModelService } from '../hotline/smart-dispatch/dispatch-models.service.ts';
import type { IntakeService } from './intake.service.ts';
import { presentInvalidCall, type InvalidCalls } from './invalid-calls.ts';

const Reply = Type.String({ minLength: 1, maxLength: 5000, description: '答复内容' });
const CallbackConsent = Type.Optional(Type.Boolean({ description: '来电人同意转办单位回电' }));

export const IntakeBody = strict({
  channel: Type.Optional(enumOf(REQUEST_CHANNELS, '受理渠道，默认 phone_12345')),
  ...RequestFields,
  // Checked by the service after the category, in the order the form shows them (empty: VALIDATION_FAILED).
  content: Type.String({ maxLength: 5000, description: '诉求内容（不能为空）' }),
  confidential: Type.Optional(Type.Boolean({ description: '来电人要求保密' })),
  orderType: enumOf(WORK_ORDER_TYPES, '工单类型'),
  categoryCode: Type.Optional(
    Type.String({
      pattern: '^[A-Z][A-Z0-9]{1,15}$',
      description: '派单目录分类；生成工单、直接答复时必填，转接时不填则记为“其他”',
    }),
  ),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  urgentKind: Type.Optional(enumOf(URGENT_KINDS, '紧急工单类型：重症救治/孕检生产/应急救援（直派区县热线机构）')),
  exercise: Type.Optional(
    Type.Boolean({ description: '应急演练：全程照常办理，联动事项标明演练，不计入任何统计（需演练权限）' }),
  ),
  callId: Type.Optional(
    Type.String({
      format: 'uuid',
      description: '话务员正在接听的通话：关联到本诉求；一键转110时连同对接事项把通话转至110专席',
    }),
  ),
  smsConsent: Type.Optional(
    Type.Boolean({
      description:
        '短信告知：来电人同意以短信接收受理（工单编号）、办结答复和回访；手机号码默认同意，false 不发；生成工单和直接答复时发送，演练不发',
    }),
  ),
  handling: Type.Union(
    [
      strict({
        kind: Type.Literal('order', { description: '生成工单' }),
        reason: Type.Optional(
          Type.String({ minLength: 1, maxLength: 1000, description: '研判为紧急时仍按普通工单受理的理由（必填）' }),
        ),
      }),
      strict({
        kind: Type.Literal('transfer', { description: '一键转110，或转联动单位' }),
        target: Type.Optional(
          Type.String({
            pattern: '^[a-z0-9][a-z0-9-]{1,40}$',
            description: '联动单位（119、120、水电气、综治中心、挪车）的接入编号；不填则转110',
          }),
        ),
        callbackConsent: CallbackConsent,
      }),
      strict({ kind: Type.Literal('consultation', { description: '发起三方会商' }), callbackConsent: CallbackConsent }),
      strict({
        kind: Type.Literal('answer', { description: '直接答复（当场解答并办结）' }),
        reply: Reply,
        knowledge: Type.Optional(
          Type.Object(
            {
              articleId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$' }),
              version: Type.Integer({ minimum: 1, maximum: 100_000 }),
            },
            { additionalProperties: false, description: '答复所依据的知识及其版本（记入工单处理记录）' },
          ),
        ),
      }),
    ],
    { description: '话务员对来电的处理' },
  ),
});

const IntakeAnswer = Type.Object(
  {
    workOrder: Type.Object({}, { additionalProperties: true, description: '工单摘要' }),
    linkage: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
      description: '转接或会商发起的对接事项',
    }),
    linked: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description: '转110时按研判同时联动的单位（120、119、水电气）的对接事项',
    }),
    triageDecision: Type.Union([enumOf(['accepted', 'overridden'] as const), Type.Null()], {
      description: '记入的研判采纳（accepted）或改判（overridden）；无研判结果时为 null',
    }),
    call: Type.Union(
      [
        Type.Object(
          {
            id: Type.String(),
            callRef: Type.String(),
            moved: Type.Boolean({ description: '是否一键转接（连同通话）' }),
            transferred: Type.Boolean({ description: '通话是否已转至对方平台专席' }),
            reason: Type.Union([Type.String(), Type.Null()], {
              description: '未转成的原因（来电人已挂断、对方无人接听等）',
            }),
            withSeat: Type.Boolean({
              description: '通话仍在话务员坐席上（未转成但未断）；false 且未转成：来电人已断线，已列入漏接回拨',
            }),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { description: '请求中 callId 所指的通话及其去向；未指明通话时为 null' },
    ),
    dispatchSuggestions: Type.Union([DispatchSuggestionsSchema, Type.Null()], {
      description: '生成的工单尚未派单时：智能派单建议的三个承办单位及得分（可一键派单）；否则为 null',
    }),
  },
  { additionalProperties: false },
);

const { content: _content, ...RequestFieldsWithoutContent } = RequestFields;

export const InvalidCallBody = strict({
  kind: enumOf(INVALID_KINDS, '无效来电（无声、误拨、与诉求无关）或骚扰来电（辱骂、恶意骚扰话务员）'),
  note: Type.Optional(Type.String({ maxLength: 500, description: '说明（如：无声电话、辱骂话务员）' })),
  ...RequestFieldsWithoutContent,
  content: Type.Optional(Type.String({ maxLength: 5000, description: '来电人所说的内容（无声电话可不填）' })),
  callId: Type.Optional(Type.String({ format: 'uuid', description: '话务员正在接听的通话：关联到本记录' })),
});

const InvalidCallAnswer = Type.Object(
  {
    id: Type.String(),
    requestId: Type.String(),
    kind: enumOf(INVALID_KINDS, '无效或骚扰'),
    label: Type.String(),
    note: Type.Union([Type.String(), Type.Null()]),
    receivedAt: Type.String(),
    markedAt: Type.String(),
  },
  { additionalProperties: false },
);

export const intakeRoutes =
  (
    intake: IntakeService,
    dispatchModels: DispatchModelService,
    invalidCalls: InvalidCalls,
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/intake/invalid-calls',
      {
        schema: {
          tags: ['hotline'],
          summary: '记为无效来电或骚扰来电：记录来电（不生成工单），计入恶意骚扰报表并经数据共享供110平台研判',
          description: '同一 clientRef 重试返回首次的记录（200）。',
          body: InvalidCallBody,
          response: { 200: InvalidCallAnswer, 201: InvalidCallAnswer, ...errorResponses },
        },
      },
      async (req, reply) => {
        const r = await invalidCalls.record(req.actor, req.body);
        return reply.code(r.created ? 201 : 200).send(presentInvalidCall(r.record));
      },
    );

    app.post(
      '/api/intake',
      {
        schema: {
          tags: ['hotline'],
          summary: '来电受理一步完成：生成工单，并在同一事务中转110/联动单位、发起会商或直接答复，记入研判采纳或改判',
          description:
            '先校验全部输入，再在一个事务中写入；任一步失败则什么也不写。同一 clientRef 重试返回首次的结果（200）。',
          body: IntakeBody,
          response: { 200: IntakeAnswer, 201: IntakeAnswer, ...errorResponses },
        },
      },
      async (req, reply) => {
        const r = await intake.intake(req.actor, req.body);
        // An order still to be dispatched comes back with the units to dispatch it to (after the
        // intake's commit: a suggestion that cannot be made leaves the intake as it is).
        const dispatchSuggestions =
          r.order.status === 'received' && can(req.actor, 'work_order.assign')
            ? await dispatchModels.suggestForOrder(r.order.id).catch((err: unknown) => {
                req.log.warn({ err }, 'dispatch suggestions failed after intake');
                return null;
              })
            : null;
        return reply.code(r.created ? 201 : 200).send({
          workOrder: presentWorkOrder(r.order),
          linkage: r.linkage && presentItem(r.linkage, req.actor),
          linked: r.linked.map((l) => presentItem(l, req.actor)),
          triageDecision: r.decision?.decision ?? null,
          call: r.call,
          dispatchSuggestions,
        });
      },
    );
  };
