/**
 * The endpoints every desk record has (a 12345 work order, a 110 incident): intake, the paged list,
 * the detail, and one POST per action of its state machine. A desk module gives its schemas, its
 * service (the same four use cases) and its presenters; the HTTP surface is written here once.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from 'typebox';
import type { Actor } from '../auth/actor.ts';
import { IdParams, RevealBody, errorResponses, paged, pageWindow } from './schemas.ts';
import { beijingDate } from '@liandong/domain';
import { EXPORT_MAX_ROWS, XLSX_TYPE, attachment, listToXlsx, type ListExport } from './list-export.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

const CallerRevealed = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
});

/** The use cases of a desk record's service, as the routes call them. */
export interface RecordService<R, L, D, C, F> {
  create(actor: Actor, input: C): Promise<{ record: R; created: boolean }>;
  list(actor: Actor, filter: F & { limit: number; offset: number }): Promise<{ rows: L[]; total: number }>;
  get(actor: Actor, id: string): Promise<D>;
  act(actor: Actor, id: string, command: never): Promise<R>;
  /** The caller unmasked for a reader who sees them masked, on a stated reason (audited). */
  revealCaller(actor: Actor, id: string, reason: string): Promise<{ name: string | null; phone: string | null }>;
}

export interface RecordRoutes<R, L, D, B extends TSchema, Q extends TSchema, A extends string, F> {
  base: string;
  tag: string;
  /** The record's schema in the OpenAPI document, the intake body, the list query, each action's body. */
  schemas: { record: TSchema; create: B; list: Q; actions: Record<A, TSchema> };
  summaries: Record<'create' | 'list' | 'detail' | A, string>;
  service: RecordService<R, L, D, Static<B>, F>;
  present: { record(row: R): unknown; listed(row: L): unknown; detail(d: D): unknown };
  /** The list query as the service's filter (paging is added here). */
  filter(query: Static<Q>): F;
  /** What an action's answer adds to the record (a diversion names the linkage item it opened). */
  afterAction?(json: unknown, command: { action: A }, actor: Actor): Promise<unknown>;
  /** The list as a spreadsheet (`GET <base>/export.xlsx`, the list's filters), from the listed rows as presented. */
  export?: ListExport<never>;
}

export function recordRoutes<R, L, D, B extends TSchema, Q extends TSchema, A extends string, F>(
  app: App,
  o: RecordRoutes<R, L, D, B, Q, A, F>,
): void {
  const tags = [o.tag];
  const { record } = o.schemas;
  app.post(
    o.base,
    {
      schema: {
        tags,
        summary: o.summaries.create,
        body: o.schemas.create,
        response: { 200: record, 201: record, ...errorResponses },
      },
    },
    async (req, reply) => {
      // A retried intake (same clientRef) answers 200 with the record already made.
      const made = await o.service.create(req.actor, req.body as Static<B>);
      return reply.code(made.created ? 201 : 200).send(o.present.record(made.record));
    },
  );
  app.get(
    o.base,
    {
      schema: {
        tags,
        summary: o.summaries.list,
        querystring: o.schemas.list,
        response: { 200: paged(record), ...errorResponses },
      },
    },
    async (req) => {
      const query = req.query as Static<Q> & { page?: number; pageSize?: number };
      const { page, pageSize, limit, offset } = pageWindow(query);
      const { rows, total } = await o.service.list(req.actor, { ...o.filter(query), limit, offset });
      return { items: rows.map((r) => o.present.listed(r)), total, page, pageSize };
    },
  );
  const exp = o.export;
  if (exp)
    app.get(
      `${o.base}/export.xlsx`,
      {
        schema: {
          tags,
          summary: `${o.summaries.list}，导出为 Excel（.xlsx，按所选条件，至多 ${EXPORT_MAX_ROWS} 条）`,
          querystring: o.schemas.list,
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const query = req.query as Static<Q>;
        const { rows, total } = await o.service.list(req.actor, {
          ...o.filter(query),
          limit: EXPORT_MAX_ROWS,
          offset: 0,
        });
        const at = new Date();
        const file = await listToXlsx(exp, rows.map((r) => o.present.listed(r)) as never[], total, at);
        const day = beijingDate(at).replace(/-/g, '');
        return reply
          .header('content-type', XLSX_TYPE)
          .header('content-disposition', attachment(`${exp.asciiName}-${day}.xlsx`, `${exp.title}-${day}.xlsx`))
          .send(file);
      },
    );
  app.get(
    `${o.base}/:id`,
    { schema: { tags, summary: o.summaries.detail, params: IdParams, response: { 200: record, ...errorResponses } } },
    async (req) => o.present.detail(await o.service.get(req.actor, req.params.id)),
  );
  app.post(
    `${o.base}/:id/reveal-caller`,
    {
      schema: {
        tags,
        summary: '查看来电人信息（须说明理由，留痕审计）',
        params: IdParams,
        body: RevealBody,
        response: { 200: CallerRevealed, ...errorResponses },
      },
    },
    async (req) => o.service.revealCaller(req.actor, req.params.id, (req.body as { reason: string }).reason),
  );
  for (const action of Object.keys(o.schemas.actions) as A[]) {
    app.post(
      `${o.base}/:id/${action.replace(/_/g, '-')}`,
      {
        schema: {
          tags,
          summary: o.summaries[action],
          params: IdParams,
          body: o.schemas.actions[action],
          response: { 200: record, ...errorResponses },
        },
      },
      async (req) => {
        const command = { ...(req.body as object), action };
        const json = o.present.record(await o.service.act(req.actor, req.params.id, command as never));
        return o.afterAction ? o.afterAction(json, command, req.actor) : json;
      },
    );
  }
}
