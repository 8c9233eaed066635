/**
 * Keeping the knowledge base current (plan task 8: 每周汇总企业和群众高频咨询类问题……及时更新政策知识库;
 * issue 15 item 7). Each cluster of the weekly high-frequency consultation list is linked to the article
 * that answered its requests (the answers that cited one), else to a published article the search finds
 * for its typical requests, else to none. A cluster with none becomes a draft-article task (待补知识) for
 * the department that owns its subject (the dispatch category's lead department; the 12345 centre's
 * editors when there is none), due in DRAFT_TASK_WORKING_DAYS working days. The department drafts the
 * article from the task; publishing it closes the task. The 12345 centre's editors and the supervisors
 * see every task and may link an existing article or dismiss a task with a reason.
 */
import {
  DRAFT_TASK_WORKING_DAYS,
  KNOWLEDGE_TASK_STATUS_LABELS,
  parsePeriod,
  previousPeriod,
  questionOf,
  weekContaining,
  type ArticleContent,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import type { DeadlinePolicy } from '../hotline/deadline-policy.ts';
import type { ReportDesk } from '../reports/monthly.service.ts';
import { weeklyFaqReport, type FaqClusterToLink, type FaqLink, type FaqLinker } from '../reports/weekly-faq.ts';
import { startPeriodic } from '../workers/periodic.ts';
import { findArticle } from './articles.repo.ts';
import { unitFunction, type KnowledgeService } from './knowledge.service.ts';
import {
  categoryOwner,
  closeTask,
  findTask,
  insertTask,
  listTasks,
  mostUsedArticle,
  setTaskDrafted,
  tasksOfPeriod,
  type TaskRow,
  type TaskStatus,
} from './tasks.repo.ts';

/** Who drafts a task with no owning department. */
export const CENTRE_EDITORS = '12345热线知识库编辑';

export function presentTask(t: TaskRow, now = new Date()) {
  const active = t.status === 'open' || t.status === 'drafted';
  return {
    id: t.id,
    period: t.period,
    label: t.label,
    terms: t.terms,
    count: t.request_count,
    examples: t.examples,
    category: t.category_code ? { code: t.category_code, name: t.category_name ?? t.category_code } : null,
    owner: t.owner_unit_id ? { id: t.owner_unit_id, name: t.owner_unit_name ?? t.owner_unit_id } : null,
    ownerName: t.owner_unit_name ?? CENTRE_EDITORS,
    dueAt: t.due_at.toISOString(),
    overdue: active && t.due_at.getTime() < now.getTime(),
    status: t.status,
    statusLabel: KNOWLEDGE_TASK_STATUS_LABELS[t.status],
    article: t.article_id ? { id: t.article_id, title: t.article_title } : null,
    note: t.note,
    createdAt: t.created_at.toISOString(),
    closedAt: t.closed_at?.toISOString() ?? null,
    closedBy: t.closed_by_name,
  };
}
export type TaskView = ReturnType<typeof presentTask>;

const taskLink = (t: TaskRow): NonNullable<FaqLink['task']> => {
  const v = presentTask(t);
  return {
    id: v.id,
    status: v.status,
    statusLabel: v.statusLabel,
    dueAt: v.dueAt,
    owner: v.ownerName,
    overdue: v.overdue,
  };
};

export interface SyncOutcome {
  period: string;
  clusters: number;
  answered: number;
  created: number;
  existing: number;
}

export class KnowledgeTasks implements FaqLinker {
  constructor(
    private readonly db: Db,
    private readonly knowledge: KnowledgeService,
    private readonly deadlines: DeadlinePolicy,
    private readonly desk: ReportDesk,
  ) {}

  /**
   * A published article the search finds answering most of the cluster's typical requests (one request
   * that happens to reach an article is not enough: the search may stretch to a near one).
   */
  private async foundArticle(c: FaqClusterToLink): Promise<FaqLink['answer']> {
    const texts = c.examples.slice(0, 3);
    const votes = new Map<string, { articleId: string; version: number; title: string; n: number; score: number }>();
    for (const text of texts) {
      const found = await this.knowledge.search.search(questionOf(text), { limit: 1 });
      const top = found.items[0];
      if (!found.answerable || !top) continue;
      const v = votes.get(top.articleId) ?? { ...top, n: 0, score: 0 };
      v.n += 1;
      v.score += top.score;
      votes.set(top.articleId, v);
    }
    const best = [...votes.values()].sort((a, b) => b.n - a.n || b.score - a.score)[0];
    if (!best || best.n * 2 <= texts.length) return null;
    return { articleId: best.articleId, version: best.version, title: best.title, via: 'search', uses: 0 };
  }

  async link(period: string, clusters: FaqClusterToLink[]): Promise<FaqLink[]> {
    const tasks = await tasksOfPeriod(this.db, period);
    const out: FaqLink[] = [];
    for (const c of clusters) {
      const used = await mostUsedArticle(this.db, c.orderIds);
      const answer: FaqLink['answer'] = used ? { ...used, via: 'used' } : await this.foundArticle(c);
      const task = tasks.get(c.label);
      out.push({ answer, task: task ? taskLink(task) : null });
    }
    return out;
  }

  /**
   * Makes the week's tasks: every high-frequency cluster that no article answers gets one (once; a task
   * already made, or closed, for the cluster is left as it is). `actor` null: the weekly worker.
   */
  async sync(actor: Actor | null, periodText: string, now = new Date()): Promise<SyncOutcome> {
    if (actor) requirePermission(actor, 'knowledge.edit');
    const p = parsePeriod(periodText);
    if (!p.ok) throw fromDomain(p);
    if (p.value.kind !== 'week')
      throw new AppError('VALIDATION_FAILED', '待补知识按周汇总，统计周期应写作 2026-W48', { field: 'period' });
    const report = await weeklyFaqReport(this.db, this.desk, p.value, this);
    const calendar = await this.deadlines.getCalendar();
    const dueAt = calendar.addWorkingDays(now, DRAFT_TASK_WORKING_DAYS);
    let created = 0,
      existing = 0;
    for (const c of report.clusters) {
      if (c.answer) continue;
      if (c.task) {
        existing += 1;
        continue;
      }
      const inserted = await insertTask(this.db, {
        period: p.value.key,
        label: c.label,
        terms: c.terms,
        count: c.count,
        examples: c.examples,
        categoryCode: c.categoryCode,
        ownerUnitId: await categoryOwner(this.db, c.categoryCode),
        dueAt,
        createdBy: actor?.id ?? null,
      });
      if (inserted) created += 1;
      else existing += 1;
    }
    return { period: p.value.key, clusters: report.clusters.length, answered: report.answered, created, existing };
  }

  /** A department works on its own subjects' tasks; the centre's editors (and supervisors) on all. */
  private mayWork(actor: Actor, t: TaskRow): boolean {
    if (can(actor, 'knowledge.edit')) return true;
    if (actor.role !== 'department_handler' || !can(actor, 'knowledge.propose')) return false;
    const fn = unitFunction(actor.unitId);
    return fn !== null && unitFunction(t.owner_unit_id) === fn;
  }

  async list(actor: Actor, f: { status: TaskStatus | 'active' | null; period: string | null }) {
    if (!can(actor, 'knowledge.edit')) requirePermission(actor, 'knowledge.propose');
    if (f.period !== null) {
      const p = parsePeriod(f.period);
      if (!p.ok || p.value.kind !== 'week')
        throw new AppError('VALIDATION_FAILED', '统计周期应写作 2026-W48', { field: 'period' });
    }
    const editor = can(actor, 'knowledge.edit');
    // a department sees its own subjects' tasks; a district hotline agency owns none
    const fn = editor ? null : actor.role === 'department_handler' ? unitFunction(actor.unitId) : null;
    if (!editor && fn === null) return [];
    const now = new Date();
    return (await listTasks(this.db, { ...f, unitFunction: fn })).map((t) => presentTask(t, now));
  }

  private async open(db: Queryable, actor: Actor, id: string, allowed: TaskStatus[]): Promise<TaskRow> {
    const t = await findTask(db, id, true);
    if (!t) throw new AppError('KNOWLEDGE_TASK_NOT_FOUND');
    if (!this.mayWork(actor, t)) throw new AppError('OUT_OF_SCOPE', '该待补知识不属于本部门');
    if (!allowed.includes(t.status))
      throw new AppError('KNOWLEDGE_TASK_CLOSED', undefined, {
        status: t.status,
        statusLabel: KNOWLEDGE_TASK_STATUS_LABELS[t.status],
        articleId: t.article_id,
      });
    return t;
  }

  /** The missing article, drafted from the task: version 1 in draft, owned by the task's department. */
  async draft(actor: Actor, id: string, content: ArticleContent, changeNote: string) {
    if (!/^\d{1,18}$/.test(id)) throw new AppError('KNOWLEDGE_TASK_NOT_FOUND');
    const pre = await findTask(this.db, id);
    if (!pre) throw new AppError('KNOWLEDGE_TASK_NOT_FOUND');
    const made = await this.knowledge.create(actor, content, changeNote, {
      ownerUnitId: pre.owner_unit_id,
      within: async (tx, articleId) => {
        await this.open(tx, actor, id, ['open']);
        await setTaskDrafted(tx, id, articleId);
      },
    });
    return { task: presentTask((await findTask(this.db, id))!), article: made };
  }

  /** An article already answers the cluster (the search missed it): the task is done with it. */
  async linkArticle(actor: Actor, id: string, articleId: string) {
    requirePermission(actor, 'knowledge.edit');
    if (!/^\d{1,18}$/.test(id)) throw new AppError('KNOWLEDGE_TASK_NOT_FOUND');
    await inTransaction(this.db, async (tx) => {
      await this.open(tx, actor, id, ['open', 'drafted']);
      const a = await findArticle(tx, articleId);
      if (!a) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND', undefined, { field: 'articleId' });
      if (a.published_version === null)
        throw new AppError('KNOWLEDGE_NOT_CITABLE', '该知识尚未发布，不能作为此主题的答复', { field: 'articleId' });
      await closeTask(tx, id, { status: 'done', articleId, note: null, by: actor.id });
    });
    return presentTask((await findTask(this.db, id))!);
  }

  /**
   * Not a gap after all (a one-off, a question for another line): closed with the editor's reason (blank
   * is refused, nothing changes).
   */
  async dismiss(actor: Actor, id: string, reason: string) {
    requirePermission(actor, 'knowledge.edit');
    const note = reason.trim();
    if (!note) throw new AppError('VALIDATION_FAILED', '请写明撤销理由', { field: 'note' });
    if (!/^\d{1,18}$/.test(id)) throw new AppError('KNOWLEDGE_TASK_NOT_FOUND');
    await inTransaction(this.db, async (tx) => {
      await this.open(tx, actor, id, ['open', 'drafted']);
      await closeTask(tx, id, { status: 'dismissed', articleId: null, note, by: actor.id });
    });
    return presentTask((await findTask(this.db, id))!);
  }
}

/** The week to make tasks for: the last complete ISO week (Beijing time). */
export const lastWeek = (now = new Date()) => previousPeriod(weekContaining(now)).key;

/** How often a desk checks that last week's tasks are made (a new week starts on Monday, Beijing time). */
export const KNOWLEDGE_TASK_SYNC_MS = 6 * 3_600_000;

/** Each hotline desk makes the last week's tasks at start and then every `everyMs`. */
export function startKnowledgeTaskWorker(
  tasks: KnowledgeTasks,
  everyMs: number,
  log: { error(o: object, m: string): void; info(o: object, m: string): void },
): () => Promise<void> {
  return startPeriodic(
    async () => {
      const r = await tasks.sync(null, lastWeek());
      if (r.created) log.info(r, 'draft-article tasks made from the weekly consultation list');
    },
    everyMs,
    log,
    'knowledge task sync failed',
  );
}
