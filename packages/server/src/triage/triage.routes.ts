import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_RECORDS, ROUTES, TRIAGE_CHANNELS } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { policy } from '../auth/policy.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { Uuid, enumOf, errorResponses, strict } from '../http/schemas.ts';
import { findCatalogueVersion, listCatalogueVersions, listOpenPeerConflicts } from './catalogue.repo.ts';
import { CatalogueEntry, CatalogueEntryCode } from './catalogue.schema.ts';
import { listCatalogueDrafts } from './catalogue-drafts.repo.ts';
import { CatalogueDraftsService } from './catalogue-drafts.service.ts';
import { presentOutcome, presentTriage } from './triage.present.ts';
import type { TriageService } from './triage.service.ts';

const Any = Type.Unknown();
const RouteSchema = enumOf(ROUTES, '去向');

/**
 * A request's triage quotes the caller, so it is read under the scope of the record the request became:
 * a work order as its detail is (a department its own or assisted orders, a district its district's), an
 * incident with `incident.read`, a request not yet a record only by the seats that triage.
 */
async function requireRequestInScope(
  db: Db,
  actor: Actor,
  requestId: string,
  mayTriage: (role: string) => boolean,
): Promise<void> {
  const r = await db.query<{
    lead_unit_id: string | null;
    assist_unit_ids: string[] | null;
    district_code: string | null;
    lead_district: string | null;
    wo_id: string | null;
    inc_id: string | null;
  }>(
    `SELECT w.id AS wo_id, w.lead_unit_id, w.assist_unit_ids, w.district_code, u.district_code AS lead_district,
            i.id AS inc_id
     FROM requests q LEFT JOIN work_orders w ON w.request_id = q.id LEFT JOIN units u ON u.id = w.lead_unit_id
     LEFT JOIN incidents i ON i.request_id = q.id WHERE q.id = $1 LIMIT 1`,
    [requestId],
  );
  const row = r.rows[0];
  if (row?.wo_id) {
    requirePermission(actor, 'work_order.read');
    const facts = {
      leadUnitId: row.lead_unit_id,
      assistUnitIds: row.assist_unit_ids ?? [],
      districtCode: row.district_code,
    };
    if (!(await policy.seesWorkOrder(actor, facts, async () => row.lead_district))) throw new AppError('OUT_OF_SCOPE');
  } else if (row?.inc_id) requirePermission(actor, 'incident.read');
  else if (!row) throw new AppError('TRIAGE_NOT_FOUND');
  else if (actor.role !== 'system' && !mayTriage(actor.role)) throw new AppError('FORBIDDEN');
}

const DraftId = strict({ id: Uuid });
const EntryCode = CatalogueEntryCode;
const Source = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' });
const Note = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);

export const triageRoutes =
  (db: Db, triage: TriageService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const drafts = new CatalogueDraftsService(db, triage);
    const mayTriage = (role: string) => ['call_taker', 'dispatcher', 'specialist_seat', 'admin'].includes(role);

    app.post(
      '/api/triage',
      {
        schema: {
          tags: ['triage'],
          summary: '分流研判：给出去向、是否紧急、理由（话务员边录入边调用）',
          body: strict({
            text: Type.String({ minLength: 1, maxLength: 5000 }),
            channel: Type.Optional(enumOf(TRIAGE_CHANNELS)),
            title: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        if (!mayTriage(req.actor.role)) throw new AppError('FORBIDDEN');
        return presentOutcome(await triage.suggest(req.body.text, req.body.channel ?? null, req.body.title ?? null));
      },
    );

    app.get(
      '/api/requests/:id/triage',
      {
        schema: {
          tags: ['triage'],
          summary: '某诉求的研判结果与话务员的采纳或改判记录',
          params: strict({ id: Uuid }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        await requireRequestInScope(db, req.actor, req.params.id, mayTriage);
        return presentTriage(await triage.get(req.params.id));
      },
    );

    app.post(
      '/api/requests/:id/triage-decision',
      {
        schema: {
          tags: ['triage'],
          summary: '采纳研判建议，或改判（须写明理由；改判可用于再训练）',
          params: strict({ id: Uuid }),
          body: Type.Union([
            strict({ decision: Type.Literal('accepted') }),
            strict({
              decision: Type.Literal('overridden'),
              route: RouteSchema,
              emergency: Type.Boolean(),
              urgent: Type.Boolean(),
              reason: Type.String({ minLength: 1, maxLength: 1000 }),
            }),
          ]),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        if (!mayTriage(req.actor.role)) throw new AppError('FORBIDDEN');
        const t = await triage.decide(req.actor, req.params.id, req.body);
        return t && presentTriage(t);
      },
    );

    app.get(
      '/api/admin/triage-catalogue',
      { schema: { tags: ['triage'], summary: '职责清单各版本', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return listCatalogueVersions(db);
      },
    );

    app.get(
      '/api/admin/triage-catalogue/peer-conflicts',
      {
        schema: {
          tags: ['triage'],
          summary: '对方平台发布但本方未能安装的职责清单版本（两平台可能按不同版本研判）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return listOpenPeerConflicts(db);
      },
    );

    app.get(
      '/api/admin/triage-catalogue/:version',
      {
        schema: {
          tags: ['triage'],
          summary: '职责清单某一版本的全部条目',
          params: strict({ version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        const v = await findCatalogueVersion(db, req.params.version);
        if (!v) throw new AppError('CATALOGUE_VERSION_NOT_FOUND');
        return v;
      },
    );

    app.post(
      '/api/admin/triage-catalogue',
      {
        schema: {
          tags: ['triage'],
          summary: '发布职责清单新版本（如季度会商确认的事项），生效日期起用于研判',
          body: strict({
            effectiveFrom: Type.String({ format: 'date' }),
            source: Type.String({ minLength: 1, maxLength: 500 }),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            entries: Type.Array(CatalogueEntry, { minItems: 1, maxItems: MAX_RECORDS }),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        const version = await triage.publish(req.actor, req.body);
        return reply.code(201).send({ version });
      },
    );

    app.get(
      '/api/admin/triage-catalogue/drafts',
      {
        schema: {
          tags: ['triage'],
          summary: '职责清单草稿（尚未发布、不用于研判）',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return listCatalogueDrafts(db);
      },
    );

    app.post(
      '/api/admin/triage-catalogue/drafts',
      {
        schema: {
          tags: ['triage'],
          summary: '以某一已发布版本（默认最新版本）为底稿新建草稿',
          body: strict({
            basedOn: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
            effectiveFrom: Type.String({ format: 'date' }),
            source: Source,
            note: Type.Optional(Note),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        return reply.code(201).send(await drafts.create(req.actor, req.body));
      },
    );

    app.get(
      '/api/admin/triage-catalogue/drafts/:id',
      {
        schema: {
          tags: ['triage'],
          summary: '草稿的全部条目',
          params: DraftId,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return drafts.get(req.params.id);
      },
    );

    app.patch(
      '/api/admin/triage-catalogue/drafts/:id',
      {
        schema: {
          tags: ['triage'],
          summary: '修改草稿的生效日期、依据或说明',
          params: DraftId,
          body: strict({
            effectiveFrom: Type.Optional(Type.String({ format: 'date' })),
            source: Type.Optional(Source),
            note: Type.Optional(Note),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return drafts.setHeader(req.actor, req.params.id, req.body);
      },
    );

    app.delete(
      '/api/admin/triage-catalogue/drafts/:id',
      {
        schema: {
          tags: ['triage'],
          summary: '放弃草稿',
          params: DraftId,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        await drafts.discard(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/api/admin/triage-catalogue/drafts/:id/entries/:code',
      {
        schema: {
          tags: ['triage'],
          summary: '在草稿中新增或替换一个条目（须能单独编译）',
          params: strict({ id: Uuid, code: EntryCode }),
          body: CatalogueEntry,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return drafts.setEntry(req.actor, req.params.id, req.params.code, req.body);
      },
    );

    app.delete(
      '/api/admin/triage-catalogue/drafts/:id/entries/:code',
      {
        schema: {
          tags: ['triage'],
          summary: '从草稿中删除一个条目',
          params: strict({ id: Uuid, code: EntryCode }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return drafts.removeEntry(req.actor, req.params.id, req.params.code);
      },
    );

    app.post(
      '/api/admin/triage-catalogue/drafts/:id/publish',
      {
        schema: {
          tags: ['triage'],
          summary: '发布草稿为下一版本号（生效日期起用于研判），草稿随之删除',
          params: DraftId,
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        return reply.code(201).send(await drafts.publish(req.actor, req.params.id));
      },
    );
  };
