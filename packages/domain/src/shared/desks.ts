/**
 * The two desks a user may work on: the 12345 hotline and the 110 police desk. A user is bound to one
 * or both (users.desks); log-in and every request on another desk is refused.
 */
import type { Role } from './roles.ts';

export const DESKS = ['hotline', 'dispatch'] as const;
export type Desk = (typeof DESKS)[number];

export const DESK_LABELS: Record<Desk, string> = { hotline: '12345热线', dispatch: '110报警服务台' };

/**
 * A new user's desks when none are given: a 110 dispatcher works on the 110 desk; 12345 call-takers
 * and the handling units (district agencies, departments) on the 12345 desk; specialist seats (the 110
 * seat sits in the 12345 centre and signs for transfers on the 110 desk), supervisors, analysts and
 * administrators on both.
 */
export function defaultDesks(role: Role): Desk[] {
  if (role === 'dispatcher') return ['dispatch'];
  if (role === 'call_taker' || role === 'district_agency' || role === 'department_handler') return ['hotline'];
  return ['hotline', 'dispatch'];
}
