/**
 * 回访 (follow-up) figures: over a period, the follow-ups made (each call back counts, also one later
 * reopened), by satisfaction, and the satisfaction rate ((满意 + 基本满意) / 回访); with the queues as
 * they stand now — replied orders waiting for their call back, and 不满意 ones waiting for the review
 * that decides 重办 or 归档.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Actor } from '../auth/actor.ts';
import { can } from '../auth/permissions.ts';
import type { Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { DateTime, errorResponses, strict } from '../http/schemas.ts';

export async function followUpSummary(db: Queryable, actor: Actor, from: Date, to: Date) {
  if (!can(actor, 'work_order.follow_up') && !can(actor, 'analytics.read')) throw new AppError('FORBIDDEN');
  if (!(from < to)) throw new AppError('VALIDATION_FAILED', '统计区间的开始须早于结束');
  const r = await db.query<{
    total: number;
    satisfied: number;
    basically_satisfied: number;
    unsatisfied: number;
    resolved: number;
    contacted: number;
    reopened: number;
  }>(
    `SELECT count(*) FILTER (WHERE action = 'follow_up')::int AS total,
       count(*) FILTER (WHERE action = 'follow_up' AND details->>'satisfaction' = 'satisfied')::int AS satisfied,
       count(*) FILTER (WHERE action = 'follow_up' AND details->>'satisfaction' = 'basically_satisfied')::int AS basically_satisfied,
       count(*) FILTER (WHERE action = 'follow_up' AND details->>'satisfaction' = 'unsatisfied')::int AS unsatisfied,
       count(*) FILTER (WHERE action = 'follow_up' AND details->>'resolved' = 'true')::int AS resolved,
       count(*) FILTER (WHERE action = 'follow_up' AND details->>'contacted' = 'true')::int AS contacted,
       count(*) FILTER (WHERE action = 'reopen')::int AS reopened
     FROM work_order_actions WHERE action IN ('follow_up', 'reopen') AND at >= $1 AND at < $2`,
    [from, to],
  );
  const q = await db.query<{ awaiting: number; to_review: number }>(
    `SELECT count(*) FILTER (WHERE status = 'replied')::int AS awaiting,
            count(*) FILTER (WHERE status = 'followed_up' AND satisfaction = 'unsatisfied')::int AS to_review
     FROM work_orders WHERE status IN ('replied', 'followed_up')`,
  );
  const f = r.rows[0]!;
  const rate = (n: number) => (f.total ? Math.round((n / f.total) * 1000) / 10 : null);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    followedUp: f.total,
    satisfied: f.satisfied,
    basicallySatisfied: f.basically_satisfied,
    unsatisfied: f.unsatisfied,
    /** percent, one decimal; null when nobody was called back */
    satisfactionRate: rate(f.satisfied + f.basically_satisfied),
    resolvedRate: rate(f.resolved),
    contactedRate: rate(f.contacted),
    reopened: f.reopened,
    awaitingFollowUp: q.rows[0]!.awaiting,
    awaitingReview: q.rows[0]!.to_review,
  };
}

export const followUpRoutes =
  (db: Queryable): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/work-orders/follow-up/summary',
      {
        schema: {
          tags: ['hotline'],
          summary: '回访统计：区间内回访数、满意度分布与满意率，待回访与不满意待审核数',
          querystring: strict({ from: DateTime, to: DateTime }),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => followUpSummary(db, req.actor, new Date(req.query.from), new Date(req.query.to)),
    );
  };
