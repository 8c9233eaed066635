import { maskName, maskPhone, seesCallerUnmasked } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { RequestDetailRow } from './requests.repo.ts';

/** The request with its caller as this actor may see them: masked unless the role calls back or dispatches. */
export function withVisibleCaller(actor: Actor, request: RequestDetailRow | null) {
  if (!request) return null;
  const unmasked = actor.role !== 'system' && seesCallerUnmasked(actor.role, request.confidential);
  return {
    ...request,
    caller_name: request.caller_name && (unmasked ? request.caller_name : maskName(request.caller_name)),
    caller_phone: request.caller_phone && (unmasked ? request.caller_phone : maskPhone(request.caller_phone)),
    callerMasked: !unmasked,
  };
}
export type VisibleRequest = NonNullable<ReturnType<typeof withVisibleCaller>>;
