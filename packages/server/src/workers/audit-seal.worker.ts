/** Seals the audit chain every few seconds (AUDIT_SEAL_SECONDS); several processes may run it at once. */
import { AuditSealer } from '../audit/chain.ts';
import type { Db } from '../db/pool.ts';

export function startAuditSealWorker(
  db: Db,
  everyMs: number,
  log: { error(o: object, m: string): void },
): () => Promise<void> {
  const sealer = new AuditSealer(db);
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = sealer
      .tick()
      .catch((err) => log.error({ err }, 'audit chain sealing failed'))
      .finally(() => (busy = false));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
