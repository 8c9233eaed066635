/** The dashboard's and the supervisors' figures, with Chinese labels attached for the console. */
import {
  INCIDENT_CATEGORY_LABELS,
  REJECT_REASON_LABELS,
  RETURN_REASON_LABELS,
  type IncidentCategory,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { accuracyByFirstUnit } from '../reports/dispatch-accuracy.ts';
import {
  byDistrict,
  linkageTimes,
  rejectionReasons,
  transfers,
  trends,
  unitFigures,
  volumes,
  type UnitFigures,
} from './analytics.repo.ts';

const label = (labels: Record<string, string>, code: string | null) => (code && labels[code]) || code || '未注明';
const round = (x: number | null) => (x === null ? null : Math.round(x));

export class AnalyticsService {
  constructor(private readonly db: Db) {}

  async overview(actor: Actor) {
    requirePermission(actor, 'analytics.read');
    const [v, t, times, reasons, districts, tr] = await Promise.all([
      volumes(this.db),
      transfers(this.db),
      linkageTimes(this.db),
      rejectionReasons(this.db),
      byDistrict(this.db),
      trends(this.db),
    ]);
    return {
      generatedAt: new Date().toISOString(),
      volumes: {
        today: { workOrders: v.wo_today, incidents: v.inc_today },
        month: { workOrders: v.wo_month, incidents: v.inc_month },
        urgentThisMonth: v.urgent_month,
        overdueOpen: v.overdue_open,
      },
      transfers: t.map((x) => ({
        direction: x.side === 'originator' ? 'sent' : 'received',
        peer: x.peer,
        today: x.today,
        month: x.month,
      })),
      linkageTimes: times.map((x) => ({
        direction: x.side === 'originator' ? 'sent' : 'received',
        accepted: x.accepted,
        acceptSecondsP50: round(x.accept_p50),
        acceptSecondsP90: round(x.accept_p90),
        feedback: x.feedback,
        feedbackSecondsP50: round(x.feedback_p50),
        feedbackSecondsP90: round(x.feedback_p90),
        acceptOverdue: x.accept_overdue,
      })),
      rejectionReasons: reasons.linkage.map((r) => ({
        code: r.reason,
        label: label(REJECT_REASON_LABELS, r.reason),
        count: r.n,
      })),
      returnReasons: reasons.returns.map((r) => ({
        code: r.reason,
        label: label(RETURN_REASON_LABELS, r.reason),
        count: r.n,
      })),
      districts: districts.map((d) => ({
        code: d.code,
        name: d.name,
        workOrders: d.work_orders,
        incidents: d.incidents,
      })),
      trends: {
        workOrders: tr.orders.map((r) => ({ day: r.day, category: r.category, label: r.name, count: r.n })),
        incidents: tr.incidents.map((r) => ({
          day: r.day,
          category: r.category,
          label: INCIDENT_CATEGORY_LABELS[r.category as IncidentCategory] ?? r.category,
          count: r.n,
        })),
      },
    };
  }

  async units(
    actor: Actor,
    q: { from: Date; to: Date; districtCode?: string; sort: keyof UnitFigures; limit: number },
  ) {
    requirePermission(actor, 'analytics.read');
    const [rows, accuracy] = await Promise.all([unitFigures(this.db, q), accuracyByFirstUnit(this.db, q)]);
    return rows.map((r) => ({
      unitId: r.unit_id,
      unitName: r.unit_name,
      districtCode: r.district_code,
      assigned: r.assigned,
      open: r.open,
      returns: r.returns,
      extensionRefusals: r.extension_refusals,
      reopened: r.reopened,
      overdue: r.overdue,
      replied: r.replied,
      repliedLate: r.replied_late,
      lateRate: r.judged > 0 ? Math.round((r.late / r.judged) * 1000) / 1000 : 0,
      avgReplyHours: r.avg_reply_hours,
      // 派单准确率 of the orders first dispatched to this unit and concluded in the period (reports/dispatch-accuracy.ts)
      firstDispatched: accuracy.get(r.unit_id)?.orders ?? 0,
      dispatchAccuracy: accuracy.get(r.unit_id)?.rate ?? null,
    }));
  }
}
