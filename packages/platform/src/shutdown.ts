/**
 * Stops a node cleanly on SIGTERM or SIGINT: each step in order (stop taking requests, let the worker
 * finish its batch, close the database), once, then exit.
 */
export function stopOnSignals(steps: (() => Promise<void> | undefined)[]): void {
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    for (const step of steps) await step();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
