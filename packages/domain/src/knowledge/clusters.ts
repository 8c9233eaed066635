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
