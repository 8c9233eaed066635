/** 常用语: the list for call-takers, and its administration (phrases.service.ts). Thin over PhraseService. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePermission } from '../auth/permissions.ts';
import { IdParams, Uuid, errorResponses, strict } from '../http/schemas.ts';
import { PHRASES_MAX, type PhraseService } from './phrases.service.ts';

const Any = Type.Unknown();
// the length and the characters are checked by the service, to answer with their own codes
const PhraseBody = strict({ text: Type.String({ maxLength: 2000, description: '常用语（1–200字，单行）' }) });

export const phraseRoutes =
  (phrases: PhraseService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/phrases',
      {
        schema: {
          tags: ['intake'],
          summary: '常用语（受理时插入诉求内容）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'work_order.create');
        return (await phrases.list()).map((p) => ({ id: p.id, text: p.text }));
      },
    );

    app.get(
      '/api/admin/phrases',
      { schema: { tags: ['admin'], summary: '常用语管理：列表（按顺序）', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return phrases.list();
      },
    );

    app.post(
      '/api/admin/phrases',
      {
        schema: {
          tags: ['admin'],
          summary: '新增常用语（排在最后）',
          body: PhraseBody,
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        return reply.code(201).send(await phrases.add(req.actor, req.body.text));
      },
    );

    app.patch(
      '/api/admin/phrases/:id',
      {
        schema: {
          tags: ['admin'],
          summary: '修改常用语',
          params: IdParams,
          body: PhraseBody,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return phrases.edit(req.actor, req.params.id, req.body.text);
      },
    );

    app.delete(
      '/api/admin/phrases/:id',
      {
        schema: {
          tags: ['admin'],
          summary: '删除常用语',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        await phrases.remove(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/api/admin/phrases/order',
      {
        schema: {
          tags: ['admin'],
          summary: '调整常用语顺序：给出全部常用语的新顺序',
          body: strict({ ids: Type.Array(Uuid, { maxItems: PHRASES_MAX }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return phrases.reorder(req.actor, req.body.ids);
      },
    );
  };
