import { z } from 'zod';
import type { TteHealth } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { getSyncJson, setSyncJson } from '../repositories/sync-state.ts';
import { CentralUnavailable, type CentralClient } from './central-client.ts';

/** Why the office cannot have documents signed right now. */
export type TteDownReason = 'TTE_DOWN' | 'CENTRE_UNREACHABLE';

/** What this office knows about the centre's e-signature (TTE) service. */
export interface TteState {
  /** null: not known yet (never checked). */
  available: boolean | null;
  /** Start of the current state: the centre's own time for an outage it announces, ours when we cannot reach it. */
  since: string | null;
  reason: TteDownReason | null;
  checkedAt: string | null;
}

const UNKNOWN: TteState = { available: null, since: null, reason: null, checkedAt: null };
/** How often the sync worker asks the centre; the answer also comes with every signing attempt. */
export const TTE_PROBE_INTERVAL_MS = 5_000;

// Only the probe's pacing lives in memory (of the process running the sync worker). The state itself is
// stored and read back on every use: the API process and the worker may be separate (--services=…), and a
// copy held in one process's memory would hide what the other learnt later.
const lastProbeAt = new WeakMap<OfficeContext, number>();

const storedState = z.object({
  available: z.boolean().nullable(),
  since: z.string().nullable(),
  reason: z.enum(['TTE_DOWN', 'CENTRE_UNREACHABLE']).nullable(),
  checkedAt: z.string().nullable(),
});

async function readStored(db: OfficeDbOrTx): Promise<TteState> {
  const parsed = storedState.safeParse(await getSyncJson(db, 'tte_state'));
  return parsed.success ? parsed.data : { ...UNKNOWN };
}

/** The last thing any process of this office learnt about the centre's TTE service. */
export async function currentTteState(ctx: OfficeContext): Promise<TteState> {
  return readStored(ctx.db);
}

/**
 * Records what was just learnt. An outage that changes cause (TTE off, then the whole centre gone) keeps
 * its start. Written on every observation (at most one probe per TTE_PROBE_INTERVAL_MS, plus signing
 * attempts) so `checkedAt` says truthfully how fresh the knowledge is.
 */
export async function observeTte(ctx: OfficeContext, observed: { available: true; since: string | null } | { available: false; since: string | null; reason: TteDownReason }): Promise<TteState> {
  const previous = await readStored(ctx.db);
  const at = ctx.now().toISOString();
  let next: TteState;
  if (observed.available) {
    next = { available: true, since: previous.available === true ? previous.since : (observed.since ?? at), reason: null, checkedAt: at };
  } else {
    const continuing = previous.available === false ? previous.since : null;
    const since = observed.reason === 'TTE_DOWN' ? (observed.since ?? continuing ?? at) : (continuing ?? at);
    next = { available: false, since, reason: observed.reason, checkedAt: at };
  }
  await setSyncJson(ctx.db, 'tte_state', next);
  return next;
}

/** Reads a failed call to the centre: the TTE service said no, or the centre could not be reached at all. */
export function tteFailure(error: unknown): { reason: TteDownReason; since: string | null } | undefined {
  if (!(error instanceof CentralUnavailable)) return undefined;
  if (error.code === 'TTE_UNAVAILABLE') return { reason: 'TTE_DOWN', since: null };
  if (error.status === undefined || error.status >= 500) return { reason: 'CENTRE_UNREACHABLE', since: null };
  return undefined;
}

/** One look at GET /sync/tte/health, at most every TTE_PROBE_INTERVAL_MS; never throws (the sync worker calls it). */
export async function probeTte(ctx: OfficeContext, client: Pick<CentralClient, 'tteHealth'>, intervalMs = TTE_PROBE_INTERVAL_MS): Promise<void> {
  const nowMs = ctx.now().getTime();
  if (nowMs - (lastProbeAt.get(ctx) ?? 0) < intervalMs) return;
  lastProbeAt.set(ctx, nowMs);
  let health: TteHealth;
  try {
    health = await client.tteHealth();
  } catch (error) {
    const failure = tteFailure(error) ?? { reason: 'TTE_DOWN' as const, since: null };
    await observeTte(ctx, { available: false, ...failure }).catch(() => undefined);
    return;
  }
  await observeTte(ctx, health.available ? { available: true, since: health.since } : { available: false, since: health.since, reason: 'TTE_DOWN' }).catch(() => undefined);
}
