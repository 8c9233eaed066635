/**
 * Deadline sweep: records "overdue" (超期) as an action on every open work order whose due time has
 * passed. Rows are claimed with FOR UPDATE SKIP LOCKED, so several server processes can sweep at once
 * without marking an order twice.
 */
import { SYSTEM_ACTOR } from '../auth/actor.ts';
import { inTransaction, type Db } from '../db/pool.ts';
import type { WorkOrderService } from '../hotline/work-orders.service.ts';
import { claimOverdue } from '../hotline/work-orders.repo.ts';

export async function sweepOverdue(db: Db, workOrders: WorkOrderService, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(db, async (tx) => {
      const rows = await claimOverdue(tx, batch);
      for (const row of rows) await workOrders.transition(tx, SYSTEM_ACTOR, row, { action: 'mark_overdue' });
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

export function startDeadlineWorker(
  db: Db,
  workOrders: WorkOrderService,
  everyMs: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = sweepOverdue(db, workOrders)
      .then((n) => {
        if (n > 0) log.info({ marked: n }, 'deadline sweep marked work orders overdue');
      })
      .catch((err) => log.error({ err }, 'deadline sweep failed'));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
