import { maskName, maskPhone, redactText, seesCallerUnmasked } from '@liandong/domain';
import { audit } from '../admin/audit.repo.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { findRequestDetail, type RequestDetailRow } from './requests.repo.ts';

/** The request with its caller as this actor may see them: masked (in the content too) unless the role calls back or dispatches. */
export function withVisibleCaller(actor: Actor, request: RequestDetailRow | null) {
  if (!request) return null;
  const unmasked = actor.role !== 'system' && seesCallerUnmasked(actor.role, request.confidential);
  return {
    ...request,
    // The caller's name and any number they gave, out of the words too (an analyst reads the matter, not who).
    content: unmasked ? request.content : redactText(request.content, [request.caller_name]),
    caller_name: request.caller_name && (unmasked ? request.caller_name : maskName(request.caller_name)),
    caller_phone: request.caller_phone && (unmasked ? request.caller_phone : maskPhone(request.caller_phone)),
    callerMasked: !unmasked,
  };
}
export type VisibleRequest = NonNullable<ReturnType<typeof withVisibleCaller>>;

/**
 * One caller shown to a reader who sees callers masked (an analyst), on a stated reason: the permission
 * checked, a caller who asked for confidentiality (保密) refused, the look-up written to the audit log
 * (who, which record, why; never the caller's details themselves).
 */
export async function revealCaller(
  db: Queryable,
  actor: Actor,
  record: { kind: 'work_order' | 'incident' | 'linkage_item'; id: string; confidential: boolean },
  reason: string,
  caller: { name: string | null; phone: string | null },
): Promise<{ name: string | null; phone: string | null }> {
  requirePermission(actor, 'caller.reveal');
  if (record.confidential) throw new AppError('CALLER_CONFIDENTIAL');
  await audit(db, actor.id, 'caller.reveal', `${record.kind}:${record.id}`, { reason: reason.trim() });
  return caller;
}

/** The caller of a desk record's request (a work order's, an incident's), revealed as above. */
export async function revealRequestCaller(
  db: Queryable,
  actor: Actor,
  record: { kind: 'work_order' | 'incident'; id: string; requestId: string },
  reason: string,
) {
  requirePermission(actor, 'caller.reveal');
  const q = await findRequestDetail(db, record.requestId);
  return revealCaller(db, actor, { ...record, confidential: q?.confidential ?? false }, reason, {
    name: q?.caller_name ?? null,
    phone: q?.caller_phone ?? null,
  });
}
