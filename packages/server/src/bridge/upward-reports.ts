/**
 * Upward links (docs/sms.md, "Upward reports"): the desk reports urgent and supervised work orders to the
 * city's 互联网+督查 platform, and every 回访 result to the 好差评 evaluation system. Each report is a
 * signed JSON document posted to the platform's connector (`POST {endpoint}/reports/v1/events`) through
 * the bridge outbox, in the transaction of the transition it reports: never lost, retried, dead-lettered.
 * No report carries the citizen's name, number or words; a drill (应急演练) is never reported.
 */
import { randomUUID } from 'node:crypto';
import type { Satisfaction, WorkOrderCommand } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/pool.ts';
import type { WorkOrderRow } from '../hotline/work-orders.repo.ts';
import { RATING_LEVELS, RATING_OF_SATISFACTION } from '../sms/sms-texts.ts';
import { ratingAnsweredNow } from '../sms/sms.repo.ts';
import { insertServiceOutbox } from './bridge.repo.ts';
import type { PeerDirectory } from './peers.ts';

export const REPORT_TYPES = ['urgent_order', 'evaluation'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** The order as a report shows it: numbers and codes, no personal data, no free text of the citizen. */
function orderFacts(row: WorkOrderRow) {
  return {
    no: row.no,
    orderType: row.order_type,
    categoryCode: row.category_code,
    districtCode: row.district_code,
    leadUnitId: row.lead_unit_id,
    status: row.status,
    urgent: row.urgent,
    urgentKind: row.urgent_kind,
    supervised: row.supervised,
    createdAt: new Date(row.created_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
  };
}

export function urgentOrderReport(
  deskId: string,
  row: WorkOrderRow,
  event: 'dispatched' | 'supervised',
  note: string | null,
) {
  return {
    v: 1 as const,
    id: randomUUID(),
    type: 'urgent_order' as const,
    from: deskId,
    sentAt: new Date().toISOString(),
    event,
    order: orderFacts(row),
    ...(note ? { note: note.slice(0, 500) } : {}),
  };
}

export function evaluationReport(
  deskId: string,
  row: WorkOrderRow,
  channel: string,
  e: {
    satisfaction: Satisfaction;
    rating: number;
    source: 'sms' | 'call_back';
    contacted?: boolean;
    resolved?: boolean;
  },
) {
  return {
    v: 1 as const,
    id: randomUUID(),
    type: 'evaluation' as const,
    from: deskId,
    sentAt: new Date().toISOString(),
    order: { ...orderFacts(row), channel, repliedAt: row.replied_at ? new Date(row.replied_at).toISOString() : null },
    evaluation: {
      rating: e.rating,
      level: RATING_LEVELS[e.rating]!,
      satisfaction: e.satisfaction,
      source: e.source,
      contacted: e.contacted ?? null,
      resolved: e.resolved ?? null,
      at: new Date().toISOString(),
    },
  };
}

export class UpwardReports {
  constructor(
    private readonly peers: PeerDirectory,
    private readonly deskId: string,
  ) {}

  /** Queues one report to every active connector of the kind (none configured: nothing is reported). */
  private async queue(
    tx: Queryable,
    kind: 'supervision_platform' | 'evaluation_platform',
    report: { id: string; type: ReportType },
  ): Promise<number> {
    const targets = (await this.peers.fresh()).servicesOf(kind);
    for (const [i, t] of targets.entries()) {
      const id = i === 0 ? report.id : randomUUID();
      await insertServiceOutbox(tx, {
        id,
        itemId: `report:${id}`,
        peer: t.id,
        type: `report.${report.type}`,
        body: { ...report, id },
      });
    }
    return targets.length;
  }

  /** The port of every work-order transition (app.ts): 派单 of an urgent order, 督办, 回访. */
  async afterWorkOrderTransition(tx: Queryable, _actor: Actor, row: WorkOrderRow, cmd: WorkOrderCommand) {
    // A drill (应急演练) is counted in no statistic: the city's platforms never hear of it.
    if (row.exercise) return;
    if (cmd.action === 'assign' && row.urgent)
      await this.queue(tx, 'supervision_platform', urgentOrderReport(this.deskId, row, 'dispatched', null));
    if (cmd.action === 'supervise')
      await this.queue(tx, 'supervision_platform', urgentOrderReport(this.deskId, row, 'supervised', cmd.note));
    if (cmd.action === 'follow_up') {
      if (!(await this.peers.fresh()).servicesOf('evaluation_platform').length) return;
      const smsRating = await ratingAnsweredNow(tx, row.id);
      const channel = (
        await tx.query<{ channel: string }>('SELECT channel FROM requests WHERE id = $1', [row.request_id])
      ).rows[0]?.channel;
      await this.queue(
        tx,
        'evaluation_platform',
        evaluationReport(this.deskId, row, channel ?? 'unknown', {
          satisfaction: cmd.satisfaction,
          rating: smsRating ?? RATING_OF_SATISFACTION[cmd.satisfaction],
          source: smsRating ? 'sms' : 'call_back',
          contacted: cmd.contacted,
          resolved: cmd.resolved,
        }),
      );
    }
  }
}
