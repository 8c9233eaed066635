/**
 * Smart dispatch over HTTP: the top units for an order (派单 and the intake), and the administration
 * of the dispatch models — list, upload, retrain from the archive, activate by hand.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { can, requirePermission } from '../../auth/permissions.ts';
import type { Actor } from '../../auth/actor.ts';
import { AppError } from '../../errors.ts';
import { IdParams, errorResponses, strict } from '../../http/schemas.ts';
import type { WorkOrderService } from '../work-orders.service.ts';
import type { DispatchModelService } from './dispatch-models.service.ts';

const Any = Type.Unknown();
const MODEL_MAX_BYTES = 32 * 1024 * 1024;

export const UnitSuggestionSchema = Type.Object(
  {
    unitId: Type.String(),
    unitName: Type.String(),
    label: Type.String({ description: '模型中的单位标签（编码或名称）' }),
    score: Type.Number({ description: '校准后的概率（0–1）' }),
  },
  { additionalProperties: false },
);

export const DispatchSuggestionsSchema = Type.Object(
  {
    modelVersion: Type.String(),
    modelSource: Type.Union([Type.Literal('database'), Type.Literal('shipped')], {
      description: 'database：管理员发布的模型；shipped：随附的默认模型',
    }),
    suggestions: Type.Array(UnitSuggestionSchema, { maxItems: 3 }),
  },
  { additionalProperties: true },
);

const HistoryRecordBody = strict({
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  title: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  district: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
});

/** Who may see suggestions: those who dispatch (派单) or re-dispatch (改派). */
export function requireDispatcher(actor: Actor): void {
  if (!can(actor, 'work_order.assign') && !can(actor, 'work_order.reassign')) throw new AppError('FORBIDDEN');
}

export const dispatchModelRoutes =
  (models: DispatchModelService, workOrders: WorkOrderService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/work-orders/:id/dispatch-suggestions',
      {
        schema: {
          tags: ['hotline'],
          summary: '智能派单：该工单最可能的三个承办单位及其得分（与派单目录分类并列）',
          params: IdParams,
          response: { 200: DispatchSuggestionsSchema, ...errorResponses },
        },
      },
      async (req) => {
        requireDispatcher(req.actor);
        await workOrders.getReadable(req.actor, req.params.id);
        return models.suggestForOrder(req.params.id);
      },
    );

    app.get(
      '/api/admin/dispatch-models',
      {
        schema: {
          tags: ['admin'],
          summary: '智能派单模型：当前使用的版本与已发布的各版本（训练人、数据来源、分数、留出数据比较）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => models.list(req.actor),
    );

    app.post(
      '/api/admin/dispatch-models',
      {
        bodyLimit: MODEL_MAX_BYTES,
        schema: {
          tags: ['admin'],
          summary: '发布训练好的派单模型（dispatch train 的输出）；仅当在留出数据上胜过当前模型时启用',
          description:
            'heldOut：该模型未训练过的已标注工单（text、title、label、district），至少 20 件；新模型在其上首选准确率（相同时比前三准确率）高于当前模型才启用，否则保存但不启用。',
          body: strict({
            model: Type.Object({}, { additionalProperties: true, description: 'dispatch train --out 写出的模型' }),
            heldOut: Type.Optional(Type.Array(HistoryRecordBody, { maxItems: 50_000 })),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        const heldOut = (req.body.heldOut ?? []).map((r) => ({
          text: r.text,
          title: r.title ?? null,
          label: r.label,
          district: r.district ?? null,
        }));
        return reply.code(201).send(await models.publish(req.actor, req.body.model, heldOut));
      },
    );

    app.post(
      '/api/admin/dispatch-models/train',
      {
        schema: {
          tags: ['admin'],
          summary: '用本平台已归档工单（最终主办单位为标签）重训派单模型；最新五分之一留出比较，胜过当前模型才启用',
          body: Type.Optional(
            strict({
              folds: Type.Optional(Type.Integer({ minimum: 2, maximum: 20 })),
              variant: Type.Optional(
                Type.Union(
                  ['auto', 'words', 'words+bigrams', 'chars1-3', 'words+chars2', 'words+chars2-3'].map((v) =>
                    Type.Literal(v),
                  ),
                ),
              ),
            }),
          ),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply
          .code(201)
          .send(await models.trainFromArchive(req.actor, { folds: req.body?.folds, variant: req.body?.variant })),
    );

    app.post(
      '/api/admin/dispatch-models/:version/activate',
      {
        schema: {
          tags: ['admin'],
          summary: '手动启用某一版本的派单模型（回退，或没有留出数据证明的模型）',
          params: strict({ version: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$' }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => models.activate(req.actor, req.params.version),
    );
  };
