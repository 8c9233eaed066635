/**
 * The reports (统计报表) and their outputs: JSON for the console and the API, .xlsx and a .docx 通报.
 * The same code serves the API (`GET /api/reports/<name>`) and the command line (`liandong report`).
 */
import { parsePeriod, type Period } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { fromDomain } from '../errors.ts';
import { toDocx, toXlsx, type ReportDocument } from './document.ts';
import { annualDocument, annualReport } from './annual.ts';
import { harassmentDocument, harassmentReport } from './harassment.ts';
import { hotspotsDocument, hotspotsReport } from './hotspots.ts';
import { policeFiguresDocument, policeFiguresReport } from './police-figures.ts';
import { monthlyDocument } from './monthly.document.ts';
import { weeklyFaqDocument, weeklyFaqReport, type FaqLinker } from './weekly-faq.ts';
import { quarterlyDocument, quarterlyReport } from './quarterly.ts';
import { MonthlyReport, type ReportDesk } from './monthly.service.ts';

export const REPORT_FORMATS = ['json', 'xlsx', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The reports (issue 13's names, each at GET /api/reports/<name> and `liandong report <name>`). */
export const REPORT_NAMES = [
  'monthly',
  'quarterly',
  'annual',
  'weekly-faq',
  'hotspots',
  'police-figures',
  'harassment',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type ReportOutput = { format: 'json'; body: unknown } | { format: 'xlsx' | 'docx'; body: Buffer };

/** One report: its figures for a period (the JSON) and the same figures as a document (.xlsx, .docx). */
export interface ReportDefinition<T> {
  build(period: Period): Promise<T>;
  document(data: T): ReportDocument;
}
const define = <T>(d: ReportDefinition<T>) => d as ReportDefinition<unknown>;

export class ReportService {
  readonly monthly: MonthlyReport;
  private readonly reports: Record<ReportName, ReportDefinition<unknown>>;

  /** `linker`: the knowledge base, linking the weekly consultation list's clusters to articles (12345 desk). */
  constructor(db: Db, desk: ReportDesk, linker?: FaqLinker) {
    const monthly = (this.monthly = new MonthlyReport(db, desk));
    this.reports = {
      monthly: define({ build: (p) => monthly.build(p), document: monthlyDocument }),
      quarterly: define({ build: (p) => quarterlyReport(db, desk, p), document: quarterlyDocument }),
      annual: define({ build: (p) => annualReport(desk, monthly, p), document: annualDocument }),
      'weekly-faq': define({ build: (p) => weeklyFaqReport(db, desk, p, linker), document: weeklyFaqDocument }),
      hotspots: define({ build: (p) => hotspotsReport(db, desk, p), document: hotspotsDocument }),
      'police-figures': define({ build: (p) => policeFiguresReport(db, desk, p), document: policeFiguresDocument }),
      harassment: define({ build: (p) => harassmentReport(db, desk, p), document: harassmentDocument }),
    };
  }

  /** For a signed-in user: the analyst, supervisor and administrator roles (analytics.read). */
  async forActor(actor: Actor, name: ReportName, period: string, format: ReportFormat): Promise<ReportOutput> {
    requirePermission(actor, 'analytics.read');
    return this.render(name, period, format);
  }

  async render(name: ReportName, periodText: string, format: ReportFormat): Promise<ReportOutput> {
    const p = parsePeriod(periodText);
    if (!p.ok) throw fromDomain(p);
    const report = this.reports[name];
    const data = await report.build(p.value);
    if (format === 'json') return { format, body: data };
    const doc = report.document(data);
    return format === 'xlsx' ? { format, body: await toXlsx(doc) } : { format, body: await toDocx(doc) };
  }
}

export const fileName = (name: ReportName, period: string, format: ReportFormat) =>
  `${name}-${period.replace(/\.\./, '_')}.${format}`;
