import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KNOWLEDGE_STATUSES, KNOWLEDGE_TOPICS, type ArticleContent } from '@liandong/domain';
import { PageQuery, enumOf, errorResponses, strict } from '../http/schemas.ts';
import { presentArticle, presentListItem, presentSource, presentVersion } from './knowledge.present.ts';
import type { KnowledgeService } from './knowledge.service.ts';
import { TASK_STATUSES } from './tasks.repo.ts';
import { lastWeek, type KnowledgeTasks } from './tasks.service.ts';

const Any = Type.Unknown();
const ArticleId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$' });
const Day = Type.String({ format: 'date' });
const District = Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 区县代码' });

const Content = {
  title: Type.String({ minLength: 1, maxLength: 60 }),
  topic: enumOf(KNOWLEDGE_TOPICS, '分类'),
  department: Type.String({ minLength: 1, maxLength: 40 }),
  districts: Type.Array(Type.String({ pattern: '^(\\*|\\d{6})$' }), { minItems: 1, maxItems: 40 }),
  effectiveFrom: Day,
  expiresAt: Type.Union([Day, Type.Null()]),
  sourceRef: Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()]),
  questions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 }),
  answer: Type.String({ minLength: 1, maxLength: 1000 }),
  body: Type.String({ minLength: 1, maxLength: 20000 }),
  changeNote: Type.String({ minLength: 1, maxLength: 1000, description: '修改说明（为什么改）' }),
};

const toContent = (b: ArticleContent & { changeNote: string }): ArticleContent => ({
  title: b.title,
  topic: b.topic,
  department: b.department,
  districts: b.districts,
  effectiveFrom: b.effectiveFrom,
  expiresAt: b.expiresAt,
  sourceRef: b.sourceRef,
  questions: b.questions,
  answer: b.answer,
  body: b.body,
});

const ACTION_PATHS = { review: 'review', 'send-back': 'send_back', publish: 'publish', withdraw: 'withdraw' } as const;

const TaskId = Type.String({ pattern: '^\\d{1,18}$' });
const Week = Type.String({ pattern: '^\\d{4}-W\\d{2}$', description: 'ISO 周，如 2026-W48' });

export const knowledgeRoutes =
  (knowledge: KnowledgeService, tasks: KnowledgeTasks | null = null): FastifyPluginAsyncTypebox =>
  async (app) => {
    if (tasks) {
      app.get(
        '/api/knowledge/tasks',
        {
          schema: {
            tags: ['knowledge'],
            summary:
              '待补知识：每周高频咨询中无知识答复的主题，交主管部门限期起草（部门看本部门的，知识库编辑和督办看全部）',
            querystring: strict({
              status: Type.Optional(enumOf([...TASK_STATUSES, 'active'] as const, '状态（active：待起草和已起草）')),
              period: Type.Optional(Week),
            }),
            response: { 200: Type.Object({ items: Type.Array(Any) }), ...errorResponses },
          },
        },
        async (req) => ({
          items: await tasks.list(req.actor, { status: req.query.status ?? null, period: req.query.period ?? null }),
        }),
      );
      app.post(
        '/api/knowledge/tasks',
        {
          schema: {
            tags: ['knowledge'],
            summary: '按一周的高频咨询生成待补知识（不写周次为上一周；每周自动生成上一周的；已生成的不重复）',
            body: strict({ period: Type.Optional(Week) }),
            response: { 200: Any, ...errorResponses },
          },
        },
        async (req) => tasks.sync(req.actor, req.body.period ?? lastWeek()),
      );
      app.post(
        '/api/knowledge/tasks/:id/draft',
        {
          schema: {
            tags: ['knowledge'],
            summary: '按待补知识起草新知识（草稿，第 1 版，归主管部门），发布后任务办结',
            params: strict({ id: TaskId }),
            body: strict(Content),
            response: { 201: Any, ...errorResponses },
          },
        },
        async (req, reply) =>
          reply.code(201).send(await tasks.draft(req.actor, req.params.id, toContent(req.body), req.body.changeNote)),
      );
      app.post(
        '/api/knowledge/tasks/:id/link',
        {
          schema: {
            tags: ['knowledge'],
            summary: '已有知识能答复该主题：关联已发布的知识，任务办结',
            params: strict({ id: TaskId }),
            body: strict({ articleId: ArticleId }),
            response: { 200: Any, ...errorResponses },
          },
        },
        async (req) => tasks.linkArticle(req.actor, req.params.id, req.body.articleId),
      );
      app.post(
        '/api/knowledge/tasks/:id/dismiss',
        {
          schema: {
            tags: ['knowledge'],
            summary: '撤销待补知识（须写明理由）',
            params: strict({ id: TaskId }),
            body: strict({ note: Type.String({ minLength: 1, maxLength: 1000 }) }),
            response: { 200: Any, ...errorResponses },
          },
        },
        async (req) => tasks.dismiss(req.actor, req.params.id, req.body.note),
      );
    }

    app.get(
      '/api/knowledge/search',
      {
        schema: {
          tags: ['knowledge'],
          summary: '知识检索：按来电人的话找在效、适用本区县的知识（分词、同义词、方言、错别字）',
          querystring: strict({
            q: Type.String({ minLength: 1, maxLength: 2000 }),
            district: Type.Optional(District),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  articleId: Type.String(),
                  title: Type.String(),
                  snippet: Type.String(),
                  score: Type.Number(),
                  version: Type.Integer(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const r = await knowledge.find(req.actor, req.query.q, { district: req.query.district ?? null, limit: 5 });
        return {
          items: r.items.map((i) => ({
            articleId: i.articleId,
            title: i.title,
            snippet: i.snippet,
            score: i.score,
            version: i.version,
          })),
        };
      },
    );

    app.get(
      '/api/knowledge/suggest',
      {
        schema: {
          tags: ['knowledge'],
          summary: '话务员受理时的知识推荐：同检索，另附答复口径、政策依据和是否足以直接答复',
          querystring: strict({
            q: Type.String({ minLength: 1, maxLength: 5000 }),
            district: Type.Optional(District),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const r = await knowledge.find(req.actor, req.query.q, { district: req.query.district ?? null, limit: 5 });
        const refs = [...new Set(r.items.map((i) => i.sourceRef).filter((x): x is string => x !== null))];
        const sources = new Map(
          (await knowledge.sources(req.actor)).filter((s) => refs.includes(s.ref)).map((s) => [s.ref, s]),
        );
        return {
          answerable: r.answerable,
          items: r.items.map((i) => ({
            articleId: i.articleId,
            version: i.version,
            title: i.title,
            snippet: i.snippet,
            score: i.score,
            answer: i.answer,
            topic: i.topic,
            department: i.department,
            districts: i.districts,
            source: i.sourceRef && sources.has(i.sourceRef) ? presentSource(sources.get(i.sourceRef)!) : null,
          })),
        };
      },
    );

    app.get(
      '/api/knowledge/articles',
      {
        schema: {
          tags: ['knowledge'],
          summary: '知识列表（最新版本），可按标题、状态、分类筛选',
          querystring: strict({
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            status: Type.Optional(enumOf(KNOWLEDGE_STATUSES)),
            topic: Type.Optional(enumOf(KNOWLEDGE_TOPICS)),
            ...PageQuery,
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const page = req.query.page ?? 1;
        const pageSize = req.query.pageSize ?? 20;
        const r = await knowledge.list(req.actor, { ...req.query, page, pageSize });
        return { items: r.items.map(presentListItem), total: r.total, page, pageSize };
      },
    );

    app.get(
      '/api/knowledge/articles/:id',
      {
        schema: {
          tags: ['knowledge'],
          summary: '一篇知识：各版本与修改、审核、发布记录',
          params: strict({ id: ArticleId }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => presentArticle(await knowledge.get(req.actor, req.params.id)),
    );

    app.get(
      '/api/knowledge/articles/:id/versions/:version',
      {
        schema: {
          tags: ['knowledge'],
          summary: '知识的某一版本',
          params: strict({ id: ArticleId, version: Type.Integer({ minimum: 1, maximum: 100_000 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => presentVersion(await knowledge.getVersion(req.actor, req.params.id, req.params.version)),
    );

    app.post(
      '/api/knowledge/articles',
      {
        schema: {
          tags: ['knowledge'],
          summary: '新建知识（草稿，第 1 版）',
          body: strict(Content),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        const r = await knowledge.create(req.actor, toContent(req.body), req.body.changeNote);
        return reply.code(201).send(r);
      },
    );

    app.post(
      '/api/knowledge/articles/:id/versions',
      {
        schema: {
          tags: ['knowledge'],
          summary: '修改知识：在最新版本上形成新的草稿版本（主管部门可提出修改）',
          params: strict({ id: ArticleId }),
          body: strict({ basedOn: Type.Integer({ minimum: 1 }), ...Content }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        const r = await knowledge.propose(
          req.actor,
          req.params.id,
          req.body.basedOn,
          toContent(req.body),
          req.body.changeNote,
        );
        return reply.code(201).send(r);
      },
    );

    for (const [segment, action] of Object.entries(ACTION_PATHS)) {
      app.post(
        `/api/knowledge/articles/:id/versions/:version/${segment}`,
        {
          schema: {
            tags: ['knowledge'],
            summary: {
              review: '审核通过',
              send_back: '退回修改（须写明理由）',
              publish: '发布（替代原发布版本）',
              withdraw: '下架或撤回（须写明理由）',
            }[action],
            params: strict({ id: ArticleId, version: Type.Integer({ minimum: 1, maximum: 100_000 }) }),
            body: strict({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }),
            response: { 200: Any, ...errorResponses },
          },
        },
        async (req) => {
          const status = await knowledge.act(
            req.actor,
            req.params.id,
            req.params.version,
            action,
            req.body.note?.trim() ?? null,
          );
          return { id: req.params.id, version: req.params.version, status };
        },
      );
    }

    app.get(
      '/api/knowledge/sources',
      {
        schema: {
          tags: ['knowledge'],
          summary: '知识可以引用的政策文件清单（名称、文号、发文机关、日期、来源）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => (await knowledge.sources(req.actor)).map(presentSource),
    );
  };
