/**
 * Keeping the knowledge base current (plan task 8: 每周汇总企业和群众高频咨询类问题……及时更新政策知识库):
 * each weekly high-frequency consultation cluster is linked to the article that answers it, or to
 * none; a cluster with none becomes a draft-article task for the owning department, with a deadline.
 */

/** One cluster of the weekly high-frequency consultation list (produced by the reports module). */
export interface ConsultationCluster {
  /** Stable within the period, e.g. "2026-W48:3". */
  key: string;
  /** ISO week, e.g. "2026-W48". */
  period: string;
  /** The cluster's name (its top terms). */
  label: string;
  terms: string[];
  count: number;
  /** Requests' texts (masked), the most typical first. */
  examples: string[];
  /** The dispatch-catalogue category most of its requests had, when known. */
  categoryCode?: string | null;
}

/** Working days a department has to draft the missing article. */
export const DRAFT_TASK_WORKING_DAYS = 5;

/** The words a cluster is searched by: its label, its terms and its most typical example. */
export function clusterQuery(c: ConsultationCluster): string {
  return [c.label, c.terms.join(' '), c.examples[0] ?? ''].join(' ').trim();
}

/** A draft-article task's status (knowledge_tasks.status) and its name on the console. */
export const KNOWLEDGE_TASK_STATUSES = ['open', 'drafted', 'done', 'dismissed'] as const;
export type KnowledgeTaskStatus = (typeof KNOWLEDGE_TASK_STATUSES)[number];
export const KNOWLEDGE_TASK_STATUS_LABELS: Record<KnowledgeTaskStatus, string> = {
  open: '待起草',
  drafted: '已起草待发布',
  done: '已补充',
  dismissed: '已撤销',
};

/**
 * A recorded request without the recorder's opening (市民来电称，来电人反映：，“渝快办”用户留言：…) and the
 * 咨询 that follows: the question in the caller's words, as the search and the topic terms should read it.
 */
export function questionOf(text: string): string {
  const t = text
    .trim()
    .replace(
      /^[“"]?[^，,：:。？！]{0,10}?(?:用户|市民|群众|网民|来电人|居民|企业|报警人)[^，,：:。？！]{0,8}?(?:称|反映|留言|来电|来信|表示|诉求|询问)[，,：:]\s*/,
      '',
    )
    .replace(/^(?:来电)?(?:咨询|询问|想问|请问)[：:，,]?\s*/, '');
  return t || text.trim();
}
