import type { Role } from '@liandong/domain';

/** Who is acting: every action records it. `system` is the deadline worker and other sweeps. */
export interface Actor {
  id: string | null;
  username: string;
  displayName: string;
  role: Role | 'system';
  unitId: string | null;
  districtCode: string | null;
}

export const SYSTEM_ACTOR: Actor = {
  id: null,
  username: 'system',
  displayName: '系统',
  role: 'system',
  unitId: null,
  districtCode: null,
};
