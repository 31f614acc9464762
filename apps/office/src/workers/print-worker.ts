import type { OfficeContext } from '../context.ts';
import { printRoomPass, printersOf, resumeUnfinished, type PrintDevices } from '../services/print-run.ts';

export interface PrintWorkerOptions {
  /** Names this worker in the ledger and on its jobs (`system:<name>`). */
  name?: string;
  /** The printers this worker drives (default: every printer of the office). Two workers never share one. */
  printerIds?: string[];
  /** How long to rest when no printer has anything it may print. */
  idleMs?: number;
}

/**
 * The print room's unattended worker: it runs next to the sync worker (or alone, `--services=worker`) and
 * needs nothing from the centre — packages, blanks and printers are all in the office's database. On start
 * it first carries on every card its printers were in the middle of (see services/print-run.ts: a card
 * the printer may already have is never sent again), then prints pass after pass until stopped.
 */
export function startPrintWorker(ctx: OfficeContext, devices: PrintDevices, options: PrintWorkerOptions = {}): { stop(): Promise<void>; wake(): void } {
  const worker = `system:${options.name ?? 'print-worker'}`;
  const idleMs = options.idleMs ?? 2000;
  let running = true;
  let wake: (() => void) | undefined;
  const rest = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  let lastProblem: string | undefined;

  const loop = (async () => {
    try {
      await resumeUnfinished(ctx, devices, await printersOf(ctx, options.printerIds), worker);
    } catch (error) {
      console.error(`[kantor ${ctx.office.id}] cetak: melanjutkan pekerjaan terputus gagal / resuming interrupted prints failed: ${(error as Error).message}`);
    }
    while (running) {
      try {
        const outcome = await printRoomPass(ctx, devices, { worker, printerIds: options.printerIds, running: () => running });
        lastProblem = undefined;
        if (outcome.printed + outcome.spoiled === 0 && running) await rest(idleMs);
      } catch (error) {
        // A printer driver or the database failing: said once, tried again after a rest, never a crash loop.
        const message = (error as Error).message;
        if (message !== lastProblem) console.error(`[kantor ${ctx.office.id}] cetak gagal / printing failed: ${message}`);
        lastProblem = message;
        if (running) await rest(idleMs * 2);
      }
    }
  })();

  return {
    wake: () => wake?.(),
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
