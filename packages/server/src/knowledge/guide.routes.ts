/**
 * The public guide (宣传受理范围) on the 12345 desk: GET /guide (HTML, indexable) and GET /api/public/guide
 * (the same as JSON), no log-in. Built on each request from the jurisdiction catalogue in force and the
 * published articles in effect today, so it is always in step with the catalogue version in force.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { buildPublicGuide, type PublicGuide } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { errorResponses } from '../http/schemas.ts';
import { findActiveCatalogue } from '../triage/catalogue.repo.ts';
import { renderGuidePage } from './guide.page.ts';
import { beijingDay } from './search.service.ts';

export async function loadPublicGuide(db: Db, day: string = beijingDay()): Promise<PublicGuide> {
  const catalogue = await findActiveCatalogue(db);
  if (!catalogue) throw new AppError('CATALOGUE_VERSION_NOT_FOUND', '尚无生效的职责清单');
  const articles = await db.query<{ topic: string; title: string; cityWide: boolean; uses: number }>(
    `SELECT s.topic, t.title, '*' = ANY (s.districts) AS "cityWide",
            (SELECT count(*)::int FROM knowledge_answer_uses u WHERE u.article_id = s.article_id) AS uses
     FROM knowledge_search s JOIN knowledge_search_texts t USING (article_id)
     WHERE s.effective_from <= $1::date AND (s.expires_at IS NULL OR s.expires_at >= $1::date)`,
    [day],
  );
  return buildPublicGuide(catalogue, articles.rows, day);
}

export const guideRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/public/guide',
      {
        config: { public: true },
        schema: {
          tags: ['citizen'],
          summary: '受理范围宣传：各热线受理什么事（依据生效的职责清单和政策知识库生成，注明清单版本）',
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (_req, reply) => {
        const guide = await loadPublicGuide(db);
        reply.header('cache-control', 'public, max-age=60');
        return guide;
      },
    );

    app.get(
      '/guide',
      { schema: { tags: ['citizen'], summary: '受理范围宣传页（HTML，可被搜索引擎收录）' } },
      async (_req, reply) => {
        const guide = await loadPublicGuide(db);
        reply.header('cache-control', 'public, max-age=60').type('text/html; charset=utf-8');
        return renderGuidePage(guide);
      },
    );
  };
