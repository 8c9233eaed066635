/** GET /api/reports/<name>?period=&format=json|xlsx|docx (analysts and supervisors). */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parsePeriod } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { fromDomain } from '../errors.ts';
import { enumOf, errorResponses, Uuid } from '../http/schemas.ts';
import type { HarassmentWatchList } from './harassment.ts';
import { enterStaffing } from './police-figures.ts';
import { CONTENT_TYPES, fileName, REPORT_FORMATS, REPORT_NAMES, type ReportService } from './reports.service.ts';

const SUMMARIES: Record<string, string> = {
  monthly:
    '月度通报：双向转接、签收与反馈用时、闭环率、拒收、协商、首接负责、联合调处、紧急与超期工单、满意率，分区县与单位，含环比与同比',
  quarterly: '季度会商清单：拒收、协商、退单、往返最多的事项类型，含次数、示例与现行分流目录条目，及目录调整建议',
  annual: '年度总结：全年（或所选周期）主要指标及逐月数据，由月度通报的同一口径计算',
  'weekly-faq': '每周高频咨询：咨询类诉求按主题聚类（jieba 分词 + TF-IDF），以高频词命名，含数量与趋势',
  hotspots: '热点与风险预警：两个平台按地点与主题的聚集、相对自身基线的突增及原因、同一地址/来电人/街道的重复矛盾风险',
  'police-figures':
    '110指标（任务9）：各区县派出所处置有效警情占比（目标不高于50%）、各层级警情、在岗接警员与日呼入量1.5%的对比',
  harassment: '恶意骚扰：两个平台重复无效或骚扰来电的号码及其记录，供值班长确认列入关注名单',
};

export const reportRoutes =
  (reports: ReportService, db: Db, watchList: HarassmentWatchList): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.put(
      '/api/reports/police-figures/staffing',
      {
        schema: {
          tags: ['analytics'],
          summary: '填报每日在岗接警员人数（任务9：不低于日呼入量的1.5%），管理员',
          body: Type.Object(
            {
              days: Type.Array(
                Type.Object(
                  { day: Type.String({ format: 'date' }), callTakers: Type.Integer({ minimum: 0, maximum: 100_000 }) },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 400 },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ days: Type.Integer() }), ...errorResponses },
        },
      },
      async (req) => ({ days: await enterStaffing(db, req.actor, req.body.days) }),
    );
    app.get(
      '/api/reports/harassment/watch',
      {
        schema: {
          tags: ['analytics'],
          summary: '恶意骚扰关注名单（号码已去标识）',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => watchList.list(req.actor),
    );
    app.post(
      '/api/reports/harassment/watch',
      {
        schema: {
          tags: ['analytics'],
          summary: '值班长确认骚扰报表中的号码，列入关注名单（坐席来电时提示）',
          body: Type.Object(
            {
              callerRef: Uuid,
              note: Type.String({ minLength: 1, maxLength: 500 }),
              period: Type.String({ minLength: 4, maxLength: 30 }),
              calls: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ id: Type.String(), number: Type.String() }), ...errorResponses },
        },
      },
      async (req) => {
        const p = parsePeriod(req.body.period);
        if (!p.ok) throw fromDomain(p);
        return watchList.confirm(req.actor, { ...req.body, period: p.value.key });
      },
    );
    app.delete(
      '/api/reports/harassment/watch/:id',
      {
        schema: {
          tags: ['analytics'],
          summary: '将号码移出恶意骚扰关注名单',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        await watchList.remove(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );

    for (const name of REPORT_NAMES)
      app.get(
        `/api/reports/${name}`,
        {
          schema: {
            tags: ['analytics'],
            summary: SUMMARIES[name]!,
            querystring: Type.Object(
              {
                period: Type.String({
                  minLength: 4,
                  maxLength: 30,
                  description: '2026-10、2026-Q4、2026、2026-W48 或 2026-10-01..2026-10-15（北京时间）',
                }),
                format: Type.Optional(enumOf([...REPORT_FORMATS])),
              },
              { additionalProperties: false },
            ),
            response: { 200: Type.Unknown(), ...errorResponses },
          },
        },
        async (req, reply) => {
          const format = req.query.format ?? 'json';
          const out = await reports.forActor(req.actor, name, req.query.period, format);
          if (out.format === 'json') return out.body;
          return reply
            .header('content-type', CONTENT_TYPES[out.format])
            .header('content-disposition', `attachment; filename="${fileName(name, req.query.period, out.format)}"`)
            .send(out.body);
        },
      );
  };
