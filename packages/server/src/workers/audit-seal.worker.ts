/** Seals the audit chain every few seconds (AUDIT_SEAL_SECONDS); several processes may run it at once. */
import { AuditSealer } from '../audit/chain.ts';
import type { Db } from '../db/pool.ts';
import { startPeriodic } from './periodic.ts';

export function startAuditSealWorker(
  db: Db,
  everyMs: number,
  log: { error(o: object, m: string): void },
): () => Promise<void> {
  const sealer = new AuditSealer(db);
  return startPeriodic(() => sealer.tick(), everyMs, log, 'audit chain sealing failed');
}
