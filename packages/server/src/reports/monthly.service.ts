/**
 * 月度通报: the monthly linkage report, with each figure's change from the period before (环比) and the
 * same period a year earlier (同比). It runs for any period (`Period`), the month being the one the plan asks for.
 */
import {
  NEGOTIATION_OUTCOME_LABELS,
  REJECT_REASON_LABELS,
  RETURN_REASON_LABELS,
  previousPeriod,
  sameLastYear,
  type Period,
  deskShareKinds,
  type ShareKind,
} from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { exerciseNote } from './common.ts';
import {
  names,
  negotiations,
  rejections,
  returnsByUnit,
  SUMMARIES,
  type DistrictRow,
  type FigureSource,
  type LinkageTotals,
  type Range,
  type UnitRow,
} from './monthly.repo.ts';
import { TIME_PRECISION_NOTE } from './summary.ts';
import { accuracyTotals, dispatchAccuracy, type AccuracyCount } from './dispatch-accuracy.ts';

export type FigureUnit = 'count' | 'seconds' | 'rate';

/** One figure of the report, in three periods, with its changes (relative for counts and times, points for rates). */
export interface Figure {
  key: string;
  label: string;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
  lastYear: number | null;
  /** 环比: (value − previous) / previous for counts and times; value − previous for rates; null without a base */
  mom: number | null;
  /** 同比, likewise against the same period a year earlier */
  yoy: number | null;
}

export interface ReportDesk {
  desk: 'hotline' | 'dispatch' | 'both';
  deskId: string;
  /** the share feed's pseudonym key: the desk's own records keyed like the peer's, to match them */
  shareKey?: string | null;
}

type FigureDef = [string, string, FigureUnit, (s: Snapshot) => number | null];
const dir = (s: Snapshot, d: 'sent' | 'received') => s.linkage.find((x) => x.direction === d);

interface Snapshot {
  records: Awaited<ReturnType<FigureSource['recordTotals']>>;
  linkage: LinkageTotals[];
  rejections: Awaited<ReturnType<typeof rejections>>;
  negotiations: Awaited<ReturnType<typeof negotiations>>;
  districts: DistrictRow[];
  units: UnitRow[];
  /** 派单准确率's counts (the 12345 desk's own action log; null on the 110 desk) */
  accuracy: AccuracyCount | null;
}

const round = (x: number | null, d = 0) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const rate = (n: number, base: number) => (base > 0 ? round(n / base, 4) : null);

function change(unit: FigureUnit, value: number | null, base: number | null): number | null {
  if (value === null || base === null) return null;
  if (unit === 'rate') return round(value - base, 4);
  return base === 0 ? null : round((value - base) / base, 4);
}

/** The kinds of record a desk reads from its own tables; the others come from the peer's feed. */
export function ownKinds(desk: ReportDesk['desk']): ShareKind[] {
  return deskShareKinds(desk);
}

export class MonthlyReport {
  constructor(
    private readonly db: Db,
    private readonly desk: ReportDesk,
    /** the day summaries; the equality test passes the raw-row reference */
    private readonly source: FigureSource = SUMMARIES,
  ) {}

  private async snapshot(p: Range): Promise<Snapshot> {
    const own = ownKinds(this.desk.desk);
    const [records, linkage, rej, neg, districts, units, accuracy] = await Promise.all([
      this.source.recordTotals(this.db, p, own),
      this.source.linkageTotals(this.db, p),
      rejections(this.db, p),
      negotiations(this.db, p),
      this.source.byDistrict(this.db, p, own),
      this.source.byUnit(this.db, p, own),
      this.desk.desk === 'dispatch' ? null : accuracyTotals(this.db, p),
    ]);
    return { records, linkage, rejections: rej, negotiations: neg, districts, units, accuracy };
  }

  /** The headline figures: key, label, unit and how each is read from one period's snapshot. */
  private figureDefs(): FigureDef[] {
    const hotlineSide = this.desk.desk !== 'dispatch';
    const dirLabel = {
      sent: hotlineSide ? '12345转110' : '110转12345',
      received: hotlineSide ? '110转12345' : '12345转110',
    };
    const figures: FigureDef[] = [];
    for (const d of ['sent', 'received'] as const) {
      const l = dirLabel[d];
      figures.push(
        [`transfers.${d}`, `${l}事项`, 'count', (s) => dir(s, d)?.items ?? 0],
        [`acceptP50.${d}`, `${l}签收用时中位数`, 'seconds', (s) => round(dir(s, d)?.accept_p50 ?? null)],
        [`acceptP90.${d}`, `${l}签收用时P90`, 'seconds', (s) => round(dir(s, d)?.accept_p90 ?? null)],
        [`feedbackP50.${d}`, `${l}反馈用时中位数`, 'seconds', (s) => round(dir(s, d)?.feedback_p50 ?? null)],
        [`feedbackP90.${d}`, `${l}反馈用时P90`, 'seconds', (s) => round(dir(s, d)?.feedback_p90 ?? null)],
      );
    }
    const sum = (s: Snapshot, k: keyof LinkageTotals) => s.linkage.reduce((a, x) => a + Number(x[k] ?? 0), 0);
    figures.push(
      [
        'closedLoopRate',
        '闭环率（已受理事项中已反馈的比例）',
        'rate',
        (s) => rate(sum(s, 'closed_loop'), sum(s, 'loop_base')),
      ],
      ['rejections', '拒收（退回）次数', 'count', (s) => s.rejections.reduce((a, x) => a + x.n, 0)],
      ['negotiations', '发起协商', 'count', (s) => s.negotiations.opened],
      ['firstReceiver', '首接负责事项', 'count', (s) => sum(s, 'first_receiver')],
      ['mediations', '联合调处事项', 'count', (s) => sum(s, 'mediations')],
      ['mediationFeedback', '联合调处已反馈', 'count', (s) => sum(s, 'mediation_feedback')],
      ['emergencies', '紧急移交事项', 'count', (s) => sum(s, 'emergencies')],
      ['acceptOverdue', '超时未签收事项', 'count', (s) => sum(s, 'accept_overdue')],
      ['workOrders', '12345工单', 'count', (s) => s.records.work_orders],
      ['incidents', '110警情', 'count', (s) => s.records.incidents],
      ['urgentOrders', '紧急工单', 'count', (s) => s.records.urgent_orders],
      ['overdueOrders', '超期工单', 'count', (s) => s.records.overdue_orders],
      [
        'followedUp',
        '回访工单',
        'count',
        (s) => s.records.satisfied + s.records.basically_satisfied + s.records.unsatisfied,
      ],
      [
        'satisfactionRate',
        '满意率（满意与基本满意）',
        'rate',
        (s) =>
          rate(
            s.records.satisfied + s.records.basically_satisfied,
            s.records.satisfied + s.records.basically_satisfied + s.records.unsatisfied,
          ),
      ],
    );
    if (hotlineSide)
      figures.push([
        'dispatchAccuracy',
        '派单准确率（首次派单即最终承办单位）',
        'rate',
        (s) => rate(s.accuracy?.first_right ?? 0, s.accuracy?.orders ?? 0),
      ]);
    return figures;
  }

  /** The headline figures of one period alone (no comparisons): what the annual summary reads month by month. */
  async values(p: Range): Promise<{ key: string; label: string; unit: FigureUnit; value: number | null }[]> {
    const snap = await this.snapshot(p);
    return this.figureDefs().map(([key, label, unit, f]) => ({ key, label, unit, value: f(snap) }));
  }

  async build(period: Period) {
    const prev = previousPeriod(period),
      ly = sameLastYear(period);
    const [cur, before, yearAgo, n, exercise] = await Promise.all([
      this.snapshot(period),
      this.snapshot(prev),
      this.snapshot(ly),
      names(this.db),
      exerciseNote(this.db, this.desk, period, this.source),
    ]);
    const hotlineSide = this.desk.desk !== 'dispatch';
    const dirLabel = {
      sent: hotlineSide ? '12345转110' : '110转12345',
      received: hotlineSide ? '110转12345' : '12345转110',
    };

    const figures = this.figureDefs();
    const headline: Figure[] = figures.map(([key, label, unit, f]) => {
      const value = f(cur),
        previous = f(before),
        lastYear = f(yearAgo);
      return {
        key,
        label,
        unit,
        value,
        previous,
        lastYear,
        mom: change(unit, value, previous),
        yoy: change(unit, value, lastYear),
      };
    });

    const districtFigures = (r: DistrictRow | undefined) => ({
      workOrders: r?.work_orders ?? 0,
      incidents: r?.incidents ?? 0,
      linkageSent: r?.linkage_sent ?? 0,
      linkageReceived: r?.linkage_received ?? 0,
      urgentOrders: r?.urgent_orders ?? 0,
      overdueOrders: r?.overdue_orders ?? 0,
      followedUp: r?.followed_up ?? 0,
      satisfactionRate: rate(r?.satisfied ?? 0, r?.followed_up ?? 0),
    });
    const unitFigures = (r: UnitRow | undefined) => ({
      workOrders: r?.work_orders ?? 0,
      incidents: r?.incidents ?? 0,
      overdueOrders: r?.overdue_orders ?? 0,
      followedUp: r?.followed_up ?? 0,
      satisfactionRate: rate(r?.satisfied ?? 0, r?.followed_up ?? 0),
    });
    const unitIds = [...new Set([...cur.units, ...before.units, ...yearAgo.units].map((u) => u.unit_id))].sort();
    const peerName = (id: string) => (id === 'self' ? '本平台' : id);

    const rejectionsByReason = new Map<string, number>();
    const rejectionsBy = new Map<string, number>();
    for (const r of cur.rejections) {
      rejectionsByReason.set(r.reason ?? 'unknown', (rejectionsByReason.get(r.reason ?? 'unknown') ?? 0) + r.n);
      rejectionsBy.set(r.rejected_by, (rejectionsBy.get(r.rejected_by) ?? 0) + r.n);
    }
    const returns = this.desk.desk === 'dispatch' ? null : await returnsByUnit(this.db, period);
    const accuracy = hotlineSide ? await dispatchAccuracy(this.db, period) : null;

    return {
      name: 'monthly' as const,
      title: '12345政务服务便民热线与110报警服务台对接联动工作通报',
      desk: this.desk.deskId,
      period: {
        kind: period.kind,
        key: period.key,
        label: period.label,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
      },
      previous: { key: prev.key, label: prev.label },
      lastYear: { key: ly.key, label: ly.label },
      generatedAt: new Date().toISOString(),
      /** drills (应急演练) are in no figure: how many the period had */
      exercise,
      headline,
      transfers: (['sent', 'received'] as const).map((d) => {
        const x = dir(cur, d);
        return {
          direction: d,
          label: dirLabel[d],
          items: x?.items ?? 0,
          accepted: x?.accepted ?? 0,
          acceptSecondsP50: round(x?.accept_p50 ?? null),
          acceptSecondsP90: round(x?.accept_p90 ?? null),
          feedback: x?.feedback ?? 0,
          feedbackSecondsP50: round(x?.feedback_p50 ?? null),
          feedbackSecondsP90: round(x?.feedback_p90 ?? null),
          closedLoopRate: rate(x?.closed_loop ?? 0, x?.loop_base ?? 0),
          acceptOverdue: x?.accept_overdue ?? 0,
          firstReceiver: x?.first_receiver ?? 0,
        };
      }),
      rejections: {
        byReason: [...rejectionsByReason].map(([code, count]) => ({
          code,
          label: REJECT_REASON_LABELS[code as keyof typeof REJECT_REASON_LABELS] ?? '未注明',
          count,
        })),
        byRejecter: [...rejectionsBy].map(([id, count]) => ({ id, name: n.units.get(id) ?? peerName(id), count })),
      },
      negotiations: {
        opened: cur.negotiations.opened,
        outcomes: Object.entries(cur.negotiations.outcomes).map(([code, count]) => ({
          code,
          label: NEGOTIATION_OUTCOME_LABELS[code as keyof typeof NEGOTIATION_OUTCOME_LABELS] ?? code,
          count,
        })),
      },
      /** 退单 by unit and reason, from the 12345 desk's action log (the 110 desk does not receive it: null there). */
      returns:
        returns?.map((r) => ({
          unitId: r.unit_id,
          unitName: (r.unit_id && n.units.get(r.unit_id)) || r.unit_id || '未注明',
          reason: r.reason,
          label: RETURN_REASON_LABELS[r.reason as keyof typeof RETURN_REASON_LABELS] ?? '未注明',
          count: r.n,
        })) ?? null,
      /** 派单准确率: by the unit first dispatched to, by category, and the units that return most (null on the 110 desk). */
      dispatchAccuracy: accuracy,
      districts: cur.districts.map((r) => ({
        code: r.code,
        name: n.districts.get(r.code) ?? r.code,
        current: districtFigures(r),
        previous: districtFigures(before.districts.find((x) => x.code === r.code)),
        lastYear: districtFigures(yearAgo.districts.find((x) => x.code === r.code)),
      })),
      units: unitIds.map((id) => ({
        unitId: id,
        name: n.units.get(id) ?? id,
        current: unitFigures(cur.units.find((x) => x.unit_id === id)),
        previous: unitFigures(before.units.find((x) => x.unit_id === id)),
        lastYear: unitFigures(yearAgo.units.find((x) => x.unit_id === id)),
      })),
      sources: {
        linkage: '本平台对接事项（每一事项两个平台均有记录）',
        records: this.desk.desk === 'both' ? '本平台工单与警情' : '本平台记录及对方平台共享的去标识化分析数据',
        /** the P50 and P90 times come from fixed histograms: how close they are to the exact percentile */
        timePrecision: TIME_PRECISION_NOTE,
      },
    };
  }
}

export type MonthlyReportData = Awaited<ReturnType<MonthlyReport['build']>>;
