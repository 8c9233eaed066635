/**
 * The review flow of an article version (GB/T 44191-2024: knowledge is collected, reviewed, published,
 * kept up to date and taken down): draft → reviewed → published → withdrawn. A version's content never
 * changes; an edit is a new version. When a newer draft or published version replaces one, the older
 * one is superseded.
 */
import { fail, ok, type Result } from '../shared/result.ts';

export const KNOWLEDGE_STATUSES = ['draft', 'reviewed', 'published', 'withdrawn', 'superseded'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

export const KNOWLEDGE_STATUS_LABELS: Record<KnowledgeStatus, string> = {
  draft: '草稿',
  reviewed: '已审核',
  published: '已发布',
  withdrawn: '已下架',
  superseded: '已被新版本替代',
};

export const KNOWLEDGE_ACTIONS = ['review', 'send_back', 'publish', 'withdraw', 'supersede'] as const;
export type KnowledgeAction = (typeof KNOWLEDGE_ACTIONS)[number];

export const KNOWLEDGE_ACTION_LABELS: Record<KnowledgeAction, string> = {
  review: '审核通过',
  send_back: '退回修改',
  publish: '发布',
  withdraw: '下架',
  supersede: '被新版本替代',
};

/** status → action → next status. Anything not in the table is KNOWLEDGE_TRANSITION_NOT_ALLOWED. */
export const KNOWLEDGE_TRANSITIONS = {
  draft: { review: 'reviewed', withdraw: 'withdrawn', supersede: 'superseded' },
  reviewed: { publish: 'published', send_back: 'draft', withdraw: 'withdrawn', supersede: 'superseded' },
  published: { withdraw: 'withdrawn', supersede: 'superseded' },
  withdrawn: {},
  superseded: {},
} as const satisfies Record<KnowledgeStatus, Partial<Record<KnowledgeAction, KnowledgeStatus>>>;

/** Actions that need a stated reason (recorded with the version's history). */
export const KNOWLEDGE_ACTIONS_NEEDING_NOTE: ReadonlySet<KnowledgeAction> = new Set(['send_back', 'withdraw']);

export interface KnowledgeVersionState {
  status: KnowledgeStatus;
  createdBy: string | null;
}

export function allowedKnowledgeActions(status: KnowledgeStatus): KnowledgeAction[] {
  return Object.keys(KNOWLEDGE_TRANSITIONS[status]) as KnowledgeAction[];
}

/**
 * The next status, or why not. Four eyes: the author of a version does not review it (GB/T 44191-2024's
 * review step is someone else's check).
 */
export function applyKnowledgeAction(
  v: KnowledgeVersionState,
  action: KnowledgeAction,
  by: { userId: string | null; note?: string | null },
): Result<KnowledgeStatus> {
  const next = (KNOWLEDGE_TRANSITIONS[v.status] as Partial<Record<KnowledgeAction, KnowledgeStatus>>)[action];
  if (!next)
    return fail(
      'KNOWLEDGE_TRANSITION_NOT_ALLOWED',
      `“${KNOWLEDGE_STATUS_LABELS[v.status]}”的版本不能${KNOWLEDGE_ACTION_LABELS[action]}`,
      { status: v.status, action, allowed: allowedKnowledgeActions(v.status) },
    );
  if (action === 'review' && by.userId !== null && v.createdBy === by.userId)
    return fail('KNOWLEDGE_SELF_REVIEW', '不能审核自己编写的版本，请由其他审核人审核');
  if (KNOWLEDGE_ACTIONS_NEEDING_NOTE.has(action) && !(by.note ?? '').trim())
    return fail('VALIDATION_FAILED', `${KNOWLEDGE_ACTION_LABELS[action]}须写明理由`);
  return ok(next);
}
