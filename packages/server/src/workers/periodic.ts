/**
 * A task run every few seconds in the background (the audit sealer, the report fold): one run at a time,
 * a failure logged and the next tick tried, the timer never holding the process open; stopping waits for
 * the run in progress.
 */
export function startPeriodic(
  task: () => Promise<unknown>,
  everyMs: number,
  log: { error(o: object, m: string): void },
  failed: string,
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = task()
      .catch((err) => log.error({ err }, failed))
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
