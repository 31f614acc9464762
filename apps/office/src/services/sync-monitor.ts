import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { OfficeDb } from '../db/schema.ts';
import { getSyncJson, getSyncValue, outboxBacklog, setSyncJson, setSyncValue } from '../repositories/sync-state.ts';

/**
 * What the operator sees about the link to the centre. The sync worker writes the outcome of every attempt
 * to the database and every screen reads it from there: with `--services=api` and `--services=worker` in
 * separate processes, the API process shows what the worker process learnt, not "unknown" forever.
 */
export interface CentralLink {
  /** null: nothing known (no attempt yet, or no worker has reported for WORKER_SILENT_AFTER_MS). */
  reachable: boolean | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

const storedLink = z.object({
  reachable: z.boolean().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
type StoredLink = z.infer<typeof storedLink>;

/**
 * A worker reports at least once per backoff cap (30 s) plus one request timeout (30 s). Silence much longer
 * than that means no worker runs against this database, and an old "reachable" would be a lie.
 */
export const WORKER_SILENT_AFTER_MS = 3 * 60_000;

type Db = Kysely<OfficeDb>;

/** The worker reached the centre: both rows in one transaction, so a reader never sees half of it. */
export async function recordSyncSuccess(db: Db, attemptAt: Date, at: Date): Promise<void> {
  const link: StoredLink = { reachable: true, lastAttemptAt: attemptAt.toISOString(), lastError: null, nextAttemptAt: null };
  await db.transaction().execute(async (trx) => {
    await setSyncJson(trx, 'central_link', link);
    await setSyncValue(trx, 'last_success_at', at.toISOString());
  });
}

/** The worker could not reach the centre (or the centre refused); it will try again at `retryAt`. */
export async function recordSyncFailure(db: Db, attemptAt: Date, error: string, retryAt: Date): Promise<void> {
  const link: StoredLink = { reachable: false, lastAttemptAt: attemptAt.toISOString(), lastError: error, nextAttemptAt: retryAt.toISOString() };
  await setSyncJson(db, 'central_link', link);
}

/** The link as last reported by whichever process runs the sync worker. */
export async function readCentralLink(db: Db, now: Date): Promise<CentralLink> {
  const parsed = storedLink.safeParse(await getSyncJson(db, 'central_link'));
  const lastSuccessAt = (await getSyncValue(db, 'last_success_at')) ?? null;
  if (!parsed.success) return { reachable: null, lastSuccessAt, lastAttemptAt: null, lastError: null, nextAttemptAt: null };
  const link = parsed.data;
  const silentFor = link.lastAttemptAt ? now.getTime() - Date.parse(link.lastAttemptAt) : Infinity;
  return { ...link, reachable: silentFor > WORKER_SILENT_AFTER_MS ? null : link.reachable, lastSuccessAt };
}

/** Everything GET /api/sync/status shows: the link, the outbox backlog, and when data last moved. */
export async function syncStatus(db: Db, now: Date) {
  return {
    central: await readCentralLink(db, now),
    outbox: await outboxBacklog(db),
    lastPushAt: (await getSyncValue(db, 'last_push_at')) ?? null,
    lastPullAt: (await getSyncValue(db, 'last_pull_at')) ?? null,
  };
}
