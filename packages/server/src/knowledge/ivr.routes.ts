/** The IVR navigation tree (导航流程): versions, the one in force with its depth report, and the simulator. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IVR_KEYS, IVR_TRANSFER_TARGETS, type IvrTree } from '@liandong/domain';
import { enumOf, errorResponses, strict } from '../http/schemas.ts';
import type { IvrService } from './ivr.service.ts';

const Any = Type.Unknown();
const Id = Type.String({ minLength: 1, maxLength: 40 });
const Prompt = Type.String({ minLength: 1, maxLength: 500, description: '提示语' });
const Key = enumOf(IVR_KEYS, '按键');
const Node = Type.Union([
  strict({
    id: Id,
    kind: Type.Literal('menu'),
    prompt: Prompt,
    options: Type.Array(strict({ key: Key, label: Type.String({ minLength: 1, maxLength: 40 }), next: Id }), {
      minItems: 1,
      maxItems: 12,
    }),
  }),
  strict({ id: Id, kind: Type.Literal('queue'), prompt: Prompt, queue: Id }),
  strict({
    id: Id,
    kind: Type.Literal('article'),
    prompt: Prompt,
    articleId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,39}$' }),
  }),
  strict({ id: Id, kind: Type.Literal('transfer'), prompt: Prompt, target: enumOf(IVR_TRANSFER_TARGETS, '转接去向') }),
]);
const Tree = strict({
  root: Id,
  queues: Type.Array(strict({ id: Id, name: Type.String({ minLength: 1, maxLength: 40 }) }), { maxItems: 100 }),
  nodes: Type.Array(Node, { minItems: 1, maxItems: 500 }),
});
const Version = Type.Integer({ minimum: 1, maximum: 1_000_000 });

export const ivrRoutes =
  (ivr: IvrService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/admin/ivr',
      {
        schema: {
          tags: ['knowledge'],
          summary: '现行导航流程（最新版本）及其层级、各队列按键次数报告',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => ivr.current(req.actor),
    );
    app.get(
      '/api/admin/ivr/versions',
      { schema: { tags: ['knowledge'], summary: '导航流程的各版本', response: { 200: Any, ...errorResponses } } },
      async (req) => ivr.versions(req.actor),
    );
    app.get(
      '/api/admin/ivr/versions/:version',
      {
        schema: {
          tags: ['knowledge'],
          summary: '导航流程的某一版本及其报告',
          params: strict({ version: Version }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => ivr.version(req.actor, req.params.version),
    );
    app.post(
      '/api/admin/ivr',
      {
        schema: {
          tags: ['knowledge'],
          summary: '保存导航流程新版本（校验后即为现行版本）',
          body: strict({ tree: Tree, changeNote: Type.String({ minLength: 1, maxLength: 1000 }) }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await ivr.save(req.actor, req.body.tree as IvrTree, req.body.changeNote)),
    );
    app.post(
      '/api/admin/ivr/simulate',
      {
        schema: {
          tags: ['knowledge'],
          summary: '导航模拟：依次按键，返回经过的菜单和最终去向（队列、知识播报或转接）',
          body: strict({ keys: Type.Array(Key, { maxItems: 50 }), version: Type.Optional(Version) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => ivr.simulate(req.actor, req.body.keys, req.body.version),
    );
  };
