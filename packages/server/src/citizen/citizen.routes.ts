import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WORK_ORDER_TYPES } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { DistrictCode, StreetCode, Uuid, enumOf, errorResponses } from '../http/schemas.ts';
import type { PublicChat } from './chat.service.ts';
import type { CitizenService } from './citizen.service.ts';
import { renderDisclosurePage } from './disclosure.page.ts';

const Any = Type.Object({}, { additionalProperties: true });
const CategoryCode = Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' });
/** What a citizen may choose as the kind of request (表扬 goes through the same form as 建议). */
const PUBLIC_ORDER_TYPES = WORK_ORDER_TYPES.filter((t) => t !== 'praise');

export const SubmissionBody = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 2000, description: '诉求内容' }),
    categoryCode: Type.Optional(CategoryCode),
    orderType: Type.Optional(enumOf(PUBLIC_ORDER_TYPES, '诉求类型')),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    districtCode: Type.Optional(DistrictCode),
    streetCode: Type.Optional(StreetCode),
    lat: Type.Optional(Type.Number({ minimum: 28, maximum: 33 })),
    lng: Type.Optional(Type.Number({ minimum: 105, maximum: 111 })),
    name: Type.Optional(Type.String({ maxLength: 50 })),
    phone: Type.String({ pattern: '^1[3-9]\\d{9}$', description: '手机号（接收受理短信与回访）' }),
    confidential: Type.Optional(Type.Boolean({ description: '要求保密' })),
    disclosureConsent: Type.Optional(Type.Boolean({ description: '同意办结后隐去个人信息公开' })),
    callbackConsent: Type.Optional(Type.Boolean({ description: '紧急情况下同意将联系电话提供给110回拨' })),
    photo: Type.Optional(
      Type.Object(
        {
          name: Type.String({ maxLength: 200 }),
          type: Type.String({ maxLength: 50 }),
          dataBase64: Type.String({ minLength: 1, maxLength: 4_000_000 }),
        },
        { additionalProperties: false },
      ),
    ),
    conversation: Type.Optional(
      Type.Array(
        Type.Object(
          {
            from: enumOf(['citizen', 'assistant'] as const, '谁说的：市民或智能应答'),
            text: Type.String({ minLength: 1, maxLength: 1000 }),
            articleTitle: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 20, description: '转人工时附上的在线咨询记录' },
      ),
    ),
    challengeId: Uuid,
    challengeAnswer: Type.String({ minLength: 1, maxLength: 10 }),
  },
  { additionalProperties: false },
);

export const citizenRoutes =
  (db: Db, service: CitizenService, chat: PublicChat): FastifyPluginAsyncTypebox =>
  async (app) => {
    const pub = { public: true };
    app.post(
      '/api/public/chat',
      {
        config: pub,
        schema: {
          tags: ['citizen'],
          summary:
            '在线咨询（智能应答）：只以已发布且有效的知识原文作答并注明出处；无把握时明确说不知道；紧急情形只提示拨打紧急电话',
          body: Type.Object(
            {
              question: Type.String({ minLength: 1, maxLength: 200, description: '市民的问题' }),
              district: Type.Optional(DistrictCode),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => chat.ask(req.ip, req.body.question, req.body.district),
    );
    app.get(
      '/api/public/meta',
      {
        config: pub,
        schema: { tags: ['citizen'], summary: '网上诉求表单所需的区县、类别与诉求类型', response: { 200: Any } },
      },
      async (_req, reply) => {
        const [districts, categories] = await Promise.all([
          db.query('SELECT code, name FROM districts ORDER BY code'),
          db.query(
            'SELECT code, name, parent_code AS "parentCode" FROM catalogue_categories WHERE active ORDER BY code',
          ),
        ]);
        reply.header('cache-control', 'public, max-age=300');
        return {
          districts: districts.rows,
          categories: categories.rows,
          orderTypes: PUBLIC_ORDER_TYPES,
        };
      },
    );

    app.get(
      '/api/public/districts/:code/streets',
      {
        config: pub,
        schema: { tags: ['citizen'], summary: '区县下的街道（镇）', params: Type.Object({ code: DistrictCode }) },
      },
      async (req, reply) => {
        reply.header('cache-control', 'public, max-age=300');
        return (
          await db.query('SELECT code, name FROM streets WHERE district_code = $1 ORDER BY code', [req.params.code])
        ).rows;
      },
    );

    app.get(
      '/api/public/challenge',
      {
        config: pub,
        schema: { tags: ['citizen'], summary: '提交前的简单验证题', response: { 200: Any, ...errorResponses } },
      },
      async (req) => service.challenge(req.ip),
    );

    app.post(
      '/api/public/danger-check',
      {
        config: pub,
        schema: {
          tags: ['citizen'],
          summary: '输入时研判是否属紧急情形（只返回是否紧急及应拨打的号码）',
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.dangerCheck(req.ip, req.body.text),
    );

    app.post(
      '/api/public/requests',
      {
        config: pub,
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags: ['citizen'],
          summary: '市民网上提交诉求（返回工单编号与查询码；紧急情形同时转110）',
          body: SubmissionBody,
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await service.submit(req.ip, req.body)),
    );

    app.get(
      '/api/public/requests/:no',
      {
        config: pub,
        schema: {
          tags: ['citizen'],
          summary: '凭工单编号和查询码查询办理进度',
          params: Type.Object({ no: Type.String({ pattern: '^GD\\d{14}$' }) }),
          querystring: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return service.status(req.ip, req.params.no, req.query.code);
      },
    );

    const DisclosureQuery = Type.Object({
      district: Type.Optional(DistrictCode),
      category: Type.Optional(CategoryCode),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    });

    app.get(
      '/api/public/disclosure',
      {
        config: pub,
        schema: { tags: ['citizen'], summary: '公开的工单办理情况与满意度', querystring: DisclosureQuery },
      },
      async (req, reply) => {
        reply.header('cache-control', 'public, max-age=60');
        const page = req.query.page ?? 1;
        const d = await service.disclosure({
          districtCode: req.query.district,
          categoryCode: req.query.category,
          page,
          pageSize: 20,
        });
        return {
          items: d.rows.map((r) => ({
            no: r.no,
            title: r.public_title,
            reply: r.public_reply,
            category: r.category_name,
            place: [r.district_name, r.street_name].filter(Boolean).join(''),
            receivedAt: r.received_at.toISOString(),
            repliedAt: r.replied_at?.toISOString() ?? null,
            satisfaction: r.satisfaction,
          })),
          total: d.total,
          page,
          pageSize: 20,
          figures: d.figures,
          byDistrict: d.byDistrict,
        };
      },
    );

    app.get(
      '/disclosure',
      {
        schema: {
          tags: ['citizen'],
          summary: '工单办理情况公开页（HTML，可被搜索引擎收录）',
          querystring: DisclosureQuery,
        },
      },
      async (req, reply) => {
        const page = req.query.page ?? 1;
        const [d, districts, categories] = await Promise.all([
          service.disclosure({
            districtCode: req.query.district,
            categoryCode: req.query.category,
            page,
            pageSize: 20,
          }),
          db.query<{ code: string; name: string }>('SELECT code, name FROM districts ORDER BY code'),
          db.query<{ code: string; name: string }>(
            'SELECT code, name FROM catalogue_categories WHERE parent_code IS NULL AND active ORDER BY code',
          ),
        ]);
        reply.header('cache-control', 'public, max-age=60').type('text/html; charset=utf-8');
        return renderDisclosurePage({
          ...d,
          page,
          pageSize: 20,
          districts: districts.rows,
          categories: categories.rows,
          districtCode: req.query.district,
          categoryCode: req.query.category,
        });
      },
    );

    app.get(
      '/api/disclosure/pending',
      {
        schema: {
          tags: ['citizen'],
          summary: '待审核公开的已办结诉求（12345中心）',
          response: { 200: Type.Array(Any), ...errorResponses },
        },
      },
      async (req) => service.pending(req.actor),
    );

    app.post(
      '/api/disclosure/:workOrderId',
      {
        schema: {
          tags: ['citizen'],
          summary: '审核公开：公开（可改写标题与答复）或不予公开',
          params: Type.Object({ workOrderId: Uuid }),
          body: Type.Object(
            {
              decision: enumOf(['publish', 'withhold'] as const),
              title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
              reply: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.moderate(req.actor, req.params.workOrderId, req.body),
    );
  };
