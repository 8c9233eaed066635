import { describe, expect, it } from 'vitest';
import {
  KNOWLEDGE_ACTIONS,
  KNOWLEDGE_STATUSES,
  KNOWLEDGE_TRANSITIONS,
  applyKnowledgeAction,
  type KnowledgeAction,
  type KnowledgeStatus,
} from './review.ts';

const cells = KNOWLEDGE_STATUSES.flatMap((s) => KNOWLEDGE_ACTIONS.map((a) => [s, a] as const));

describe('every status × action of an article version', () => {
  it.each(cells)('%s + %s', (status: KnowledgeStatus, action: KnowledgeAction) => {
    const expected = (KNOWLEDGE_TRANSITIONS[status] as Partial<Record<KnowledgeAction, KnowledgeStatus>>)[action];
    const r = applyKnowledgeAction({ status, createdBy: 'author' }, action, { userId: 'reviewer', note: '理由' });
    if (expected) expect(r).toEqual({ ok: true, value: expected });
    else expect(r).toMatchObject({ ok: false, code: 'KNOWLEDGE_TRANSITION_NOT_ALLOWED' });
  });

  it('the author does not review their own version', () => {
    expect(applyKnowledgeAction({ status: 'draft', createdBy: 'u1' }, 'review', { userId: 'u1' })).toMatchObject({
      ok: false,
      code: 'KNOWLEDGE_SELF_REVIEW',
    });
  });

  it('sending back and withdrawing need a reason', () => {
    expect(applyKnowledgeAction({ status: 'reviewed', createdBy: 'u1' }, 'send_back', { userId: 'u2' }).ok).toBe(false);
    expect(
      applyKnowledgeAction({ status: 'published', createdBy: 'u1' }, 'withdraw', { userId: 'u2', note: ' ' }).ok,
    ).toBe(false);
  });
});
