import type { TteHealth } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
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
const STATE_KEY = 'tte_state';
/** How often the sync worker asks the centre; the answer also comes with every signing attempt. */
export const TTE_PROBE_INTERVAL_MS = 5_000;

interface Monitor {
  state: TteState;
  lastProbeAt: number;
}

// Kept per office context, in the memory of the process that runs the sync worker; the last known state
// is also stored so an API-only process and a restarted office still know it.
const monitors = new WeakMap<OfficeContext, Monitor>();

function monitorOf(ctx: OfficeContext): Monitor {
  let monitor = monitors.get(ctx);
  if (!monitor) {
    monitor = { state: { ...UNKNOWN }, lastProbeAt: 0 };
    monitors.set(ctx, monitor);
  }
  return monitor;
}

async function readStored(db: OfficeDbOrTx): Promise<TteState> {
  const row = await db.selectFrom('sync_state').select('value').where('key', '=', STATE_KEY).executeTakeFirst();
  if (!row) return { ...UNKNOWN };
  try {
    return { ...UNKNOWN, ...(JSON.parse(row.value) as Partial<TteState>) };
  } catch {
    return { ...UNKNOWN };
  }
}

/** The freshest knowledge: this process's own observation, else the last one stored. */
export async function currentTteState(ctx: OfficeContext): Promise<TteState> {
  const monitor = monitorOf(ctx);
  return monitor.state.checkedAt ? { ...monitor.state } : readStored(ctx.db);
}

/**
 * Records what was just learnt. An outage that changes cause (TTE off, then the whole centre gone) keeps
 * its start; the stored copy is only rewritten when the state changes, not on every probe.
 */
export async function observeTte(ctx: OfficeContext, observed: { available: true; since: string | null } | { available: false; since: string | null; reason: TteDownReason }): Promise<TteState> {
  const monitor = monitorOf(ctx);
  const previous = monitor.state.checkedAt ? monitor.state : await readStored(ctx.db);
  const at = ctx.now().toISOString();
  let next: TteState;
  if (observed.available) {
    next = { available: true, since: previous.available === true ? previous.since : (observed.since ?? at), reason: null, checkedAt: at };
  } else {
    const continuing = previous.available === false ? previous.since : null;
    const since = observed.reason === 'TTE_DOWN' ? (observed.since ?? continuing ?? at) : (continuing ?? at);
    next = { available: false, since, reason: observed.reason, checkedAt: at };
  }
  monitor.state = next;
  if (next.available !== previous.available || next.since !== previous.since || next.reason !== previous.reason) {
    const value = JSON.stringify(next);
    await ctx.db
      .insertInto('sync_state')
      .values({ key: STATE_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
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
  const monitor = monitorOf(ctx);
  const nowMs = ctx.now().getTime();
  if (nowMs - monitor.lastProbeAt < intervalMs) return;
  monitor.lastProbeAt = nowMs;
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
