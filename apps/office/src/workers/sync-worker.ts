import { backoffDelay } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { CentralClient } from '../services/central-client.ts';
import { pullOnce, pushBacklog } from '../services/sync.ts';
import { printPackageSyncer } from '../services/print-packages.ts';
import { blankAnswerSyncer } from '../services/blank-requests.ts';
import { recordSyncFailure, recordSyncSuccess } from '../services/sync-monitor.ts';
import { trustSyncer } from '../services/trust-sync.ts';
import { probeTte } from '../services/tte-status.ts';
import { gallerySubsetSyncer } from '../services/gallery-subset-sync.ts';
import { settleProvisionalMatches } from '../services/provisional-dedup.ts';

export interface SyncWorkerOptions {
  centralUrl: string;
  batchSize?: number;
  /** How often to look for new work and the centre's news when there is nothing to send. */
  idleMs?: number;
  backoff?: { baseMs: number; capMs: number };
  requestTimeoutMs?: number;
  /** Called after each cycle that had nothing (more) to push or could not reach the centre. */
  onCaughtUp?: () => void;
}

/** How long one cycle keeps pushing full batches before it pulls the centre's news (then pushes on). */
const PUSH_BURST_MS = 2000;

/**
 * Drains the outbox and pulls status changes for as long as the office runs. When the centre is down it
 * retries with exponential backoff and full jitter, so a hundred offices coming back do not stampede it.
 */
export function startSyncWorker(ctx: OfficeContext, options: SyncWorkerOptions): { stop(): Promise<void> } {
  const client = new CentralClient({
    baseUrl: options.centralUrl,
    officeId: ctx.office.id,
    signingPrivateKey: ctx.signingPrivateKey,
    timeoutMs: options.requestTimeoutMs,
    centralTlsCa: ctx.centralTlsCa,
  });
  const batchSize = options.batchSize ?? 200;
  const trust = trustSyncer(ctx, { centralUrl: options.centralUrl, timeoutMs: options.requestTimeoutMs, centralTlsCa: ctx.centralTlsCa });
  const packages = printPackageSyncer(ctx, client);
  const blankAnswers = blankAnswerSyncer(ctx, client);
  const gallery = gallerySubsetSyncer(ctx, client);
  const idleMs = options.idleMs ?? 1000;
  const backoff = options.backoff ?? { baseMs: 500, capMs: 30_000 };
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    let failures = 0;
    while (running) {
      await probeTte(ctx, client);
      const attemptAt = ctx.now();
      try {
        // A backlog goes out batch after batch (see pushBacklog), and only then the pulls and the other
        // chores, which cost a round trip each and would otherwise come between every two batches.
        const pushed = await pushBacklog(ctx, client, batchSize, { budgetMs: PUSH_BURST_MS, running: () => running });
        let more = true;
        let pulled = 0;
        while (more && running) {
          const page = await pullOnce(ctx, client, 500);
          pulled += page.applied;
          more = page.hasMore;
        }
        await trust.run();
        // After the trust list: a package signed by a newly certified card key verifies in the same cycle.
        pulled += await packages.run(() => running);
        pulled += await blankAnswers.run(() => running);
        // The centre's verdicts just pulled settle the office's provisional holds; then the kabupaten's gallery.
        await settleProvisionalMatches(ctx);
        pulled += await gallery.run(() => running);
        failures = 0;
        await recordSyncSuccess(ctx.db, attemptAt, ctx.now());
        if (pushed === 0) options.onCaughtUp?.();
        if (pushed === 0 && pulled === 0 && running) await sleep(idleMs);
      } catch (error) {
        const delay = backoffDelay(failures, backoff);
        failures += 1;
        // Stored, not kept in this process: the API may run in another process (--services=api).
        await recordSyncFailure(ctx.db, attemptAt, (error as Error).message, new Date(ctx.now().getTime() + delay)).catch(() => undefined);
        options.onCaughtUp?.();
        if (running) await sleep(delay);
      }
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
