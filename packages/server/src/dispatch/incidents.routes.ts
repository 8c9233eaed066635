import type { Actor } from '../auth/actor.ts';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DISPATCH_TIERS,
  DISPOSITIONS,
  DIVERSION_TARGETS,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  INVALID_KINDS,
  REQUEST_CHANNELS,
  CLOSE_KINDS,
  type IncidentAction,
} from '@liandong/domain';
import { recordRoutes } from '../http/record-routes.ts';
import { DateTime, DistrictCode, Note, PageQuery, RequestFields, UnitId, enumOf, strict } from '../http/schemas.ts';
import { presentIncident, presentIncidentDetail, presentListedIncident } from './incidents.present.ts';
import { beijingMinute, type ListExport } from '../http/list-export.ts';
import type { IncidentService } from './incidents.service.ts';

const IncidentJson = Type.Object({}, { additionalProperties: true, description: '警情' });

const ACTION_BODIES = {
  dispatch: strict({ tier: enumOf(DISPATCH_TIERS, '处警层级'), unitId: UnitId, note: Type.Optional(Note) }),
  redispatch: strict({ tier: enumOf(DISPATCH_TIERS), unitId: UnitId, note: Note }),
  arrive: strict({ note: Type.Optional(Note) }),
  handle: strict({ note: Type.Optional(Note) }),
  feedback: strict({
    disposition: enumOf(DISPOSITIONS, '处置结果'),
    summary: Type.String({ minLength: 1, maxLength: 5000 }),
  }),
  close: strict({ note: Type.Optional(Note) }),
  mark_invalid: strict({ kind: enumOf(INVALID_KINDS, '无效报警或骚扰报警'), note: Type.Optional(Note) }),
  divert: strict({ target: enumOf(DIVERSION_TARGETS, '分流去向'), note: Type.Optional(Note) }),
  reclassify: strict({ category: enumOf(INCIDENT_CATEGORIES), note: Type.Optional(Note) }),
} as const satisfies Record<IncidentAction, unknown>;

const SUMMARIES: Record<'create' | 'list' | 'detail' | IncidentAction, string> = {
  create: '接警登记',
  list: '警情列表（分页、筛选）',
  detail: '警情详情与处警记录',
  dispatch: '派警（层级与单位）',
  redispatch: '改派',
  arrive: '到场',
  handle: '开始处置',
  feedback: '处置反馈',
  close: '结警',
  mark_invalid: '记为无效或骚扰报警',
  divert: '非警务分流（12345、综治中心、挪车等）',
  reclassify: '修改警情类别',
};

const CreateIncidentBody = strict({
  channel: Type.Optional(enumOf(REQUEST_CHANNELS)),
  ...RequestFields,
  category: enumOf(INCIDENT_CATEGORIES, '警情类别'),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: '1 最紧急' })),
  exercise: Type.Optional(Type.Boolean({ description: '应急演练：全程照常处理，不计入任何统计（须有演练权限）' })),
});

const ListQuery = strict({
  ...PageQuery,
  status: Type.Optional(Type.Array(enumOf(INCIDENT_STATUSES), { maxItems: 6 })),
  category: Type.Optional(enumOf(INCIDENT_CATEGORIES)),
  districtCode: Type.Optional(DistrictCode),
  unitId: Type.Optional(UnitId),
  tier: Type.Optional(enumOf(DISPATCH_TIERS)),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  closeKind: Type.Optional(enumOf(CLOSE_KINDS)),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  createdFrom: Type.Optional(DateTime),
  createdTo: Type.Optional(DateTime),
  order: Type.Optional(enumOf(['asc', 'desc'] as const)),
  sort: Type.Optional(
    enumOf(['time', 'urgency'] as const, '排序：time 按时间；urgency 按紧急程度（危险在前，再按等级，再按等待时长）'),
  ),
});

/** 警情查询 as a spreadsheet: the columns of the queue, without the callback (it stays in the console). */
const INCIDENT_EXPORT: ListExport<ReturnType<typeof presentListedIncident>> = {
  title: '警情查询',
  asciiName: 'incidents',
  columns: [
    { header: '警情号', value: (i) => i.no, width: 20 },
    { header: '接警时间', value: (i) => beijingMinute(i.createdAt), width: 17 },
    { header: '等级', value: (i) => `${i.priority}级`, width: 6 },
    { header: '类别', value: (i) => i.categoryLabel, width: 12 },
    { header: '内容', value: (i) => i.content, width: 48 },
    { header: '地址', value: (i) => i.address, width: 24 },
    { header: '区县', value: (i) => i.districtName, width: 10 },
    { header: '状态', value: (i) => i.statusLabel, width: 10 },
    { header: '处警单位', value: (i) => i.unitName, width: 20 },
    { header: '紧急', value: (i) => (i.emergency ? '是' : ''), width: 6 },
    { header: '应急演练', value: (i) => (i.exercise ? '是' : ''), width: 8 },
  ],
};

export const incidentRoutes =
  (
    service: IncidentService,
    opts: { linkageFor?: (incidentId: string, viewer: Actor) => Promise<unknown> } = {},
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    recordRoutes(app, {
      base: '/api/incidents',
      tag: 'dispatch',
      schemas: { record: IncidentJson, create: CreateIncidentBody, list: ListQuery, actions: ACTION_BODIES },
      summaries: SUMMARIES,
      service,
      present: {
        record: presentIncident,
        listed: presentListedIncident,
        detail: presentIncidentDetail,
      },
      export: INCIDENT_EXPORT,
      filter: (q) => ({ ...q, order: q.order ?? 'desc' }),
      // A diversion says where the matter went: the linkage item opened in the same transaction, if any.
      afterAction: async (json, cmd, actor) =>
        cmd.action === 'divert' && opts.linkageFor
          ? { ...(json as { id: string }), linkage: await opts.linkageFor((json as { id: string }).id, actor) }
          : json,
    });
  };
