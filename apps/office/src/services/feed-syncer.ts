import type { OfficeContext } from '../context.ts';
import { CentralUnavailable } from './central-client.ts';

/** One of the sync worker's steps that take a feed from the centre: `run` drains it and returns how much it stored. */
export interface FeedSyncer {
  run(running: () => boolean): Promise<number>;
}

/**
 * A feed step of the sync worker: pulls page after page while the worker runs (at most `maxPages` a cycle) and
 * returns how many items it stored. Only a centre that cannot be reached fails the cycle; a centre of an older
 * release without the feed (404), or a page the office refuses (its cursor unmoved), is said once — `notTaken`
 * names the feed in Indonesian / English — and slows nothing else.
 */
export function feedSyncer(ctx: Pick<OfficeContext, 'office'>, notTaken: string, pull: () => Promise<{ stored: number; hasMore: boolean }>, maxPages = Infinity): FeedSyncer {
  let lastProblem: string | undefined;
  return {
    async run(running) {
      let stored = 0;
      try {
        for (let more = true, pages = 0; more && running() && pages < maxPages; pages++) {
          const page = await pull();
          stored += page.stored;
          more = page.hasMore;
        }
        lastProblem = undefined;
      } catch (error) {
        if (error instanceof CentralUnavailable && error.status !== 404) throw error;
        const message = (error as Error).message;
        if (message !== lastProblem) console.error(`[kantor ${ctx.office.id}] ${notTaken}: ${message}`);
        lastProblem = message;
      }
      return stored;
    },
  };
}
