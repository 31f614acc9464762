// Uploaded photos and PDFs are decoded in worker threads (piscina), never on the thread that answers
// requests: a file that is slow to decode slows only its own request. Each job has a time limit; at the
// limit piscina terminates the worker, which frees what it allocated. The decoders' own caps (pixel budget,
// inflate limits in @tangguh/credential) bound the buffers a worker's heap limit would not cover. Threads
// run at a lower priority (niceIncrement), so on a small machine decoding yields to the request thread.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { UPLOAD_REFUSALS, UploadRefusedError } from '@tangguh/credential';
import type { UploadJobResult } from './upload-worker.ts';

/** Long enough for a 12 Mpx phone photo on a busy 2-core machine (with a cold worker), short enough to give up. */
export const UPLOAD_DECODE_TIMEOUT_MS = Number(process.env.TANGGUH_UPLOAD_DECODE_TIMEOUT_MS) || 10_000;
/** Uploads waiting for a thread beyond this are refused with 503 rather than queued for longer than a person waits. */
const MAX_WAITING = 8;

const THREADS = Math.max(2, Math.min(4, availableParallelism()));
/** How long a decoding thread may sit idle before it ends (a minute: a queue of people uploading keeps it warm). */
const IDLE_THREAD_MS = Number(process.env.TANGGUH_UPLOAD_IDLE_MS) || 60_000;

let pool: Piscina<Uint8Array, UploadJobResult> | undefined;
/** Jobs decoding or waiting; counted here because piscina's own queue limit does not cover every path in. */
let inFlight = 0;

/** The worker's entry: TypeScript from the sources, or the compiled file in the server build (npm run build:server rewrites this URL). */
const WORKER_FILE = new URL('./upload-worker.ts', import.meta.url);

/** A TypeScript worker needs the same loader as this process (tsx), wherever it was started from; a compiled one, none. */
function workerExecArgv(): string[] {
  if (!WORKER_FILE.pathname.endsWith('.ts')) return process.execArgv.filter((arg, i, all) => !arg.includes('tsx') && !(arg === '--import' && all[i + 1]?.includes('tsx')));
  return process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
}

function uploadPool(): Piscina<Uint8Array, UploadJobResult> {
  pool ??= new Piscina<Uint8Array, UploadJobResult>({
    filename: WORKER_FILE.href,
    // Two at least, so one slow file does not hold up the next person's photo. Started on demand and kept
    // while uploads keep coming (starting a worker compiles its modules, a CPU burst the request thread would
    // feel); a thread idle for IDLE_THREAD_MS ends, so an office between uploads does not hold 2–4 heaps.
    minThreads: 0,
    maxThreads: THREADS,
    idleTimeout: IDLE_THREAD_MS,
    // A decoder's JS heap; its pixel and inflate buffers are bounded by the caps in @tangguh/credential.
    resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    niceIncrement: 10,
    execArgv: workerExecArgv(),
  });
  return pool;
}

/**
 * The credential text in an upload (null when none can be read), decoded in a worker within the time
 * limit. Throws UploadRefusedError for a file over the limits, one that takes too long, or a full queue.
 */
export async function decodeUploadOffThread(bytes: Uint8Array, isPdf: boolean, timeoutMs = UPLOAD_DECODE_TIMEOUT_MS): Promise<string | null> {
  if (inFlight >= THREADS + MAX_WAITING) throw new UploadRefusedError(UPLOAD_REFUSALS.busy());
  let result: UploadJobResult;
  inFlight++;
  try {
    result = await uploadPool().run(bytes, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    if (name === 'AbortError' || name === 'TimeoutError') throw new UploadRefusedError(UPLOAD_REFUSALS.tooSlow(Math.ceil(timeoutMs / 1000)));
    if (/queue is at limit|No task queue available/.test(message ?? '')) throw new UploadRefusedError(UPLOAD_REFUSALS.busy());
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') throw new UploadRefusedError(isPdf ? UPLOAD_REFUSALS.pdfTooLarge() : UPLOAD_REFUSALS.imageDataTooLarge());
    throw error;
  } finally {
    inFlight--;
  }
  if ('refusal' in result) throw new UploadRefusedError(result.refusal);
  return result.text;
}

/** Ends the workers (a node shutting down); a later upload starts a new pool. */
export async function closeUploadPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
