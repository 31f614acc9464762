import type { FastifyBaseLogger } from 'fastify';
import type { CentralContext } from '../context.ts';
import { runDeduplication } from '../services/dedup.ts';
import { PACKAGES_PER_ROUND, buildPendingPrintPackages } from '../services/print-packages.ts';

/**
 * Records taken per deduplication batch. A batch is searched in one message per shard and committed in one
 * transaction, so a larger one spreads those costs (two durable commits, the shards' round trip) over more
 * records; its records are also compared with each other, which grows with its square but stays small at 500
 * (a packed comparison each, under a microsecond).
 */
export const DEDUP_BATCH = 500;

/** Card packages built per round while a backlog waits for deduplication (the citizen's verdict comes first). */
const PACKAGES_WHILE_DEDUPLICATING = 20;

/** Keeps deduplication running: drains what is waiting, then polls. Stops cleanly between batches. */
export function startDedupWorker(ctx: CentralContext, log: FastifyBaseLogger, idleMs = 250, batchSize = DEDUP_BATCH, packagesPerRound = PACKAGES_PER_ROUND): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      let processed = 0;
      try {
        processed = await runDeduplication(ctx, batchSize);
      } catch (error) {
        log.error({ err: error }, 'deduplication batch failed; will retry');
      }
      try {
        // Every Print Ready Record gets its card package here, whichever path made it print-ready. While
        // records wait for deduplication, a few packages a round keep them coming; a full round once none wait.
        const deduplicating = processed >= batchSize;
        processed += await buildPendingPrintPackages(ctx, deduplicating ? Math.min(PACKAGES_WHILE_DEDUPLICATING, packagesPerRound) : packagesPerRound);
      } catch (error) {
        log.error({ err: error }, 'building card print packages failed; will retry');
      }
      if (processed === 0 && running) await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, idleMs); });
      // A round on SQLite can be synchronous work and already-settled promises only (building packages), and
      // the next starts at once: without a turn of the event loop here a signal, a health check or an API request
      // of this process waited until the backlog was done — minutes after a large one.
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
