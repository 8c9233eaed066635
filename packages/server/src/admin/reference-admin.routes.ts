/** Administration of units and the dispatch catalogue (派单目录), and bulk import of units, users and the catalogue. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UNIT_KINDS } from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import { AppError } from '../errors.ts';
import { DistrictCode, StreetCode, UnitId, enumOf, errorResponses, strict } from '../http/schemas.ts';
import { templateCsv, templateXlsx } from './import-file.ts';
import { IMPORT_COLUMNS, IMPORT_KINDS, IMPORT_TITLES, type ImportService } from './import.service.ts';
import type { ReferenceAdminService } from './reference-admin.service.ts';
import { LEAD_UNIT_KINDS } from './reference-rules.ts';

const Any = Type.Unknown();
const Name = Type.String({ minLength: 1, maxLength: 100 });
const CategoryCode = Type.String({ pattern: '^[A-Z][A-Z0-9]{1,15}$' });
const Fn = Type.String({ pattern: '^[a-z-]{2,20}$' });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export const referenceAdminRoutes =
  (ref: ReferenceAdminService, imports: ImportService): FastifyPluginAsyncTypebox =>
  async (app) => {
    // An import's body is the file itself: CSV text or an .xlsx workbook (read as bytes; the content decides).
    app.addContentTypeParser(
      ['text/csv', XLSX, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/api/admin/units',
      {
        schema: {
          tags: ['admin'],
          summary: '单位列表（含停用的单位）',
          querystring: strict({
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            kind: Type.Optional(enumOf(UNIT_KINDS)),
            districtCode: Type.Optional(DistrictCode),
            active: Type.Optional(Type.Boolean()),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        const q = req.query;
        const page = q.page ?? 1,
          pageSize = q.pageSize ?? 20;
        return { ...(await ref.units({ ...q, page, pageSize })), page, pageSize };
      },
    );

    app.post(
      '/api/admin/units',
      {
        schema: {
          tags: ['admin'],
          summary: '新增单位（承办单位、处警单位或联动单位）',
          body: strict({
            id: UnitId,
            name: Name,
            kind: enumOf(UNIT_KINDS),
            districtCode: Type.Optional(DistrictCode),
            streetCode: Type.Optional(StreetCode),
            parentId: Type.Optional(UnitId),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        const b = req.body;
        const unit = await ref.createUnit(req.actor, {
          id: b.id,
          name: b.name.trim(),
          kind: b.kind,
          districtCode: b.districtCode ?? null,
          streetCode: b.streetCode ?? null,
          parentId: b.parentId ?? null,
        });
        return reply.code(201).send(unit);
      },
    );

    app.patch(
      '/api/admin/units/:id',
      {
        schema: {
          tags: ['admin'],
          summary: '修改单位（名称、区县街道、上级单位、停用或启用）；单位类型不可修改',
          params: strict({ id: UnitId }),
          body: strict({
            name: Type.Optional(Name),
            districtCode: Type.Optional(nullable(DistrictCode)),
            streetCode: Type.Optional(nullable(StreetCode)),
            parentId: Type.Optional(nullable(UnitId)),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return ref.updateUnit(req.actor, req.params.id, { ...req.body, name: req.body.name?.trim() });
      },
    );

    app.get(
      '/api/admin/categories',
      { schema: { tags: ['admin'], summary: '派单目录（含停用的条目）', response: { 200: Any, ...errorResponses } } },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return ref.categories();
      },
    );

    app.post(
      '/api/admin/categories',
      {
        schema: {
          tags: ['admin'],
          summary: '新增派单目录条目',
          body: strict({
            code: CategoryCode,
            name: Name,
            parentCode: Type.Optional(CategoryCode),
            defaultFunction: Type.Optional(Fn),
            defaultUnitKind: Type.Optional(enumOf(LEAD_UNIT_KINDS)),
          }),
          response: { 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'admin.reference');
        const b = req.body;
        const c = await ref.createCategory(req.actor, {
          code: b.code,
          name: b.name.trim(),
          parentCode: b.parentCode ?? null,
          defaultFunction: b.defaultFunction ?? null,
          defaultUnitKind: b.defaultUnitKind ?? null,
        });
        return reply.code(201).send(c);
      },
    );

    app.patch(
      '/api/admin/categories/:code',
      {
        schema: {
          tags: ['admin'],
          summary: '修改派单目录条目（名称、上级、主办单位类型、停用或启用）',
          params: strict({ code: CategoryCode }),
          body: strict({
            name: Type.Optional(Name),
            parentCode: Type.Optional(nullable(CategoryCode)),
            defaultFunction: Type.Optional(nullable(Fn)),
            defaultUnitKind: Type.Optional(nullable(enumOf(LEAD_UNIT_KINDS))),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'admin.reference');
        return ref.updateCategory(req.actor, req.params.code, { ...req.body, name: req.body.name?.trim() });
      },
    );

    app.get(
      '/api/admin/import/:kind/template',
      {
        schema: {
          tags: ['admin'],
          summary: '批量导入模板（.xlsx 或 CSV）',
          params: strict({ kind: enumOf(IMPORT_KINDS) }),
          querystring: strict({ format: Type.Optional(enumOf(['xlsx', 'csv'] as const)) }),
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, req.params.kind === 'users' ? 'admin.users' : 'admin.reference');
        const kind = req.params.kind;
        const name = encodeURIComponent(`${IMPORT_TITLES[kind]}导入模板`);
        if (req.query.format === 'csv') {
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename*=UTF-8''${name}.csv`)
            .send(templateCsv(IMPORT_COLUMNS[kind]));
        }
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename*=UTF-8''${name}.xlsx`)
          .send(await templateXlsx(IMPORT_TITLES[kind], IMPORT_COLUMNS[kind]));
      },
    );

    app.post(
      '/api/admin/import/:kind',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags: ['admin'],
          summary:
            '批量导入单位、用户或派单目录：请求体为 .xlsx 或 CSV 文件；任一行有错则不导入任何数据并逐行说明；dryRun=true 只校验',
          params: strict({ kind: enumOf(IMPORT_KINDS) }),
          querystring: strict({ dryRun: Type.Optional(Type.Boolean()) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, req.params.kind === 'users' ? 'admin.users' : 'admin.reference');
        if (!Buffer.isBuffer(req.body))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 text/csv 或 .xlsx 文件类型上传导入文件');
        return imports.run(req.actor, req.params.kind, req.body, req.query.dryRun ?? false);
      },
    );
  };
