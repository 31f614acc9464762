import {
  DEFAULT_HYSTERESIS,
  OFFICE_SCOPE,
  levelFromLatency,
  newTrack,
  observe,
  trackKey,
  type CapabilityId,
  type CapabilityTrack,
  type HysteresisConfig,
  type Observation,
} from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { blankBalances } from '../repositories/blank-stock.ts';
import { bumpStatusVersion, lastPackageReceivedAt, listCapabilityTracks, printerStatesBySite, recordsWaitingForPackage, saveCapabilityTrack, setStatusCheckedAt } from '../repositories/service-status.ts';
import { listSites } from '../repositories/sites.ts';
import { CentralClient, CentralUnavailable } from './central-client.ts';
import { readCentralLink, WORKER_SILENT_AFTER_MS } from './sync-monitor.ts';
import { currentTteState } from './tte-status.ts';
import { announceIncidentEvents, openCapabilityIncident, resolveCapabilityIncident, type IncidentEvent } from './incidents.ts';
import { prepareIncidentNotices } from '../notify/incident-notices.ts';
import { statusChanged, statusChecked } from './service-status.ts';

/**
 * The checks behind the status model, run on an interval by the worker process. Each capability is read
 * from what the office already knows — the sync worker's record of the link, the TTE state, the print
 * packages, the printers and the blank ledger — plus one timed look at the centre for its latency. The
 * hysteresis is the domain's (`observe`); the tracks are stored, so an API process in another process and a
 * restarted worker continue from the same streaks.
 */
export interface StatusCheckOptions {
  hysteresis?: HysteresisConfig;
  /** The centre answering slower than this counts as degraded. */
  centralLatencyDegradedMs?: number;
  /** A Print Ready Record waiting this long for its package: degraded, then down. */
  packageDegradedAfterMs?: number;
  packageDownAfterMs?: number;
  /** Fewer blanks than this at a printing site: degraded. */
  lowBlanks?: number;
  /** For the timed look at the centre; without it the link is judged from the sync worker's record alone. */
  client?: Pick<CentralClient, 'tteHealth'>;
}

const DEFAULTS = { centralLatencyDegradedMs: 2_000, packageDegradedAfterMs: 2 * 3_600_000, packageDownAfterMs: 24 * 3_600_000, lowBlanks: 50 };

type Observed = { capability: CapabilityId; scope: string; observation: Observation };

const hours = (ms: number) => Math.round(ms / 360_000) / 10;

async function observeCentre(ctx: OfficeContext, options: StatusCheckOptions): Promise<Observation> {
  const link = await readCentralLink(ctx.db, ctx.now());
  if (link.reachable === false) return { level: 'down', detail: { id: `Pusat tidak dapat dihubungi: ${link.lastError ?? 'tanpa keterangan'}.`, en: `The centre cannot be reached: ${link.lastError ?? 'no detail'}.` } };
  if (!options.client) {
    if (link.reachable === null) return { level: null, detail: { id: 'Belum ada kabar dari proses sinkronisasi.', en: 'No word from the sync process yet.' } };
    return { level: 'up', detail: { id: 'Terhubung dengan pusat.', en: 'Connected to the centre.' } };
  }
  const started = performance.now();
  try {
    await options.client.tteHealth();
  } catch (error) {
    const status = error instanceof CentralUnavailable ? error.status : undefined;
    // The centre answered (even 4xx/5xx from the TTE part): it is there. Only no answer at all is down.
    if (status === undefined) return { level: 'down', latencyMs: performance.now() - started, detail: { id: `Pusat tidak menjawab: ${(error as Error).message}.`, en: `The centre does not answer: ${(error as Error).message}.` } };
  }
  const latencyMs = performance.now() - started;
  const level = levelFromLatency(true, latencyMs, options.centralLatencyDegradedMs ?? DEFAULTS.centralLatencyDegradedMs);
  return level === 'degraded'
    ? { level, latencyMs, detail: { id: `Pusat terhubung tetapi lambat (${Math.round(latencyMs)} ms).`, en: `The centre is connected but slow (${Math.round(latencyMs)} ms).` } }
    : { level, latencyMs, detail: { id: 'Terhubung dengan pusat.', en: 'Connected to the centre.' } };
}

async function observeTte(ctx: OfficeContext): Promise<Observation> {
  const tte = await currentTteState(ctx);
  const stale = !tte.checkedAt || ctx.now().getTime() - Date.parse(tte.checkedAt) > WORKER_SILENT_AFTER_MS;
  // The centre being unreachable is the sync capability's outage, not a second one of the TTE service.
  if (stale || tte.available === null || tte.reason === 'CENTRE_UNREACHABLE') return { level: null, detail: { id: 'Keadaan TTE belum diketahui.', en: 'TTE state not known.' } };
  return tte.available
    ? { level: 'up', detail: { id: 'Layanan TTE pusat tersedia.', en: "The centre's TTE service is available." } }
    : { level: 'down', detail: { id: `Layanan TTE pusat tidak tersedia sejak ${tte.since ?? '—'}.`, en: `The centre's TTE service is unavailable since ${tte.since ?? '—'}.` } };
}

async function observePackages(ctx: OfficeContext, options: StatusCheckOptions): Promise<Observation> {
  const waiting = await recordsWaitingForPackage(ctx.db);
  const last = await lastPackageReceivedAt(ctx.db);
  const lastText = { id: last ? `Paket terakhir diterima ${last}.` : 'Belum ada paket diterima.', en: last ? `Last package received ${last}.` : 'No package received yet.' };
  if (waiting.count === 0 || !waiting.oldestSince) return { level: 'up', detail: { id: `Tidak ada rekaman siap cetak yang menunggu data cetak. ${lastText.id}`, en: `No print-ready record waits for its print data. ${lastText.en}` } };
  const waitMs = ctx.now().getTime() - Date.parse(waiting.oldestSince);
  const level = waitMs > (options.packageDownAfterMs ?? DEFAULTS.packageDownAfterMs) ? 'down' : waitMs > (options.packageDegradedAfterMs ?? DEFAULTS.packageDegradedAfterMs) ? 'degraded' : 'up';
  return {
    level,
    detail: {
      id: `${waiting.count} rekaman siap cetak menunggu data cetak, paling lama ${hours(waitMs)} jam. ${lastText.id}`,
      en: `${waiting.count} print-ready records wait for their print data, the longest ${hours(waitMs)} h. ${lastText.en}`,
    },
  };
}

/** Printers and blanks, per site that has printers (a site without any does not print: nothing to observe). */
async function observePrintRoom(ctx: OfficeContext, options: StatusCheckOptions): Promise<Observed[]> {
  const printers = await printerStatesBySite(ctx.db);
  const balances = await blankBalances(ctx.db, [...printers.keys()]);
  const low = options.lowBlanks ?? DEFAULTS.lowBlanks;
  const out: Observed[] = [];
  for (const [siteId, p] of printers) {
    const usable = p.ready + p.low;
    const printerLevel = usable === 0 ? 'down' : p.ready === 0 ? 'degraded' : 'up';
    out.push({
      capability: 'printers',
      scope: siteId,
      observation: {
        level: printerLevel,
        detail: { id: `${p.ready} siap, ${p.low} bahan hampir habis, ${p.repair} diperbaiki.`, en: `${p.ready} ready, ${p.low} low on consumables, ${p.repair} in repair.` },
      },
    });
    const balance = balances.get(siteId) ?? 0;
    out.push({
      capability: 'blank_stock',
      scope: siteId,
      observation: { level: balance === 0 ? 'down' : balance < low ? 'degraded' : 'up', detail: { id: `Stok blangko: ${balance}.`, en: `Blank stock: ${balance}.` } },
    });
  }
  return out;
}

const sameTrack = (a: CapabilityTrack, b: CapabilityTrack) =>
  a.state === b.state && a.since === b.since && a.worseStreak === b.worseStreak && a.betterStreak === b.betterStreak && a.detail.id === b.detail.id && a.detail.en === b.detail.en && Math.round(a.latencyMs ?? -1) === Math.round(b.latencyMs ?? -1);

/**
 * One round of checks: observes every capability, applies the hysteresis, stores what changed, opens and
 * resolves incidents in the same transaction, and raises the status version when any state changed.
 * Returns the incident events (also told to this process's listeners after the commit).
 */
export async function runStatusChecks(ctx: OfficeContext, options: StatusCheckOptions = {}): Promise<{ changed: boolean; events: IncidentEvent[] }> {
  const hysteresis = options.hysteresis ?? DEFAULT_HYSTERESIS;
  const observed: Observed[] = [
    { capability: 'central_sync', scope: OFFICE_SCOPE, observation: await observeCentre(ctx, options) },
    { capability: 'tte', scope: OFFICE_SCOPE, observation: await observeTte(ctx) },
    { capability: 'print_packages', scope: OFFICE_SCOPE, observation: await observePackages(ctx, options) },
    ...(await observePrintRoom(ctx, options)),
  ];
  const at = ctx.now().toISOString();
  const siteNames = new Map((await listSites(ctx.db)).map((s) => [s.id, s.name]));
  // An incident opened or resolved below is told in the same transaction: what that reads from outside it first.
  await prepareIncidentNotices(ctx);
  const result = await ctx.db.transaction().execute(async (tx) => {
    const tracks = new Map((await listCapabilityTracks(tx)).map((t) => [trackKey(t.capability, t.scope), t]));
    let changed = false;
    const events: (IncidentEvent | undefined)[] = [];
    for (const o of observed) {
      const before = tracks.get(trackKey(o.capability, o.scope)) ?? newTrack(o.capability, o.scope, at);
      const { track, transition } = observe(before, o.observation, at, hysteresis);
      if (!sameTrack(before, track) || !tracks.has(trackKey(o.capability, o.scope))) await saveCapabilityTrack(tx, track);
      if (track.state !== before.state) changed = true;
      const name = siteNames.get(o.scope) ?? null;
      if (transition === 'went_down') events.push(await openCapabilityIncident(ctx, tx, o.capability, o.scope, name, at));
      if (transition === 'came_back') events.push(await resolveCapabilityIncident(ctx, tx, o.capability, o.scope, name, at));
    }
    await setStatusCheckedAt(tx, at);
    if (changed) await bumpStatusVersion(tx);
    return { changed, events: events.filter((e): e is IncidentEvent => e !== undefined) };
  });
  announceIncidentEvents(ctx, result.events);
  if (result.changed) await statusChanged(ctx);
  else await statusChecked(ctx);
  return result;
}

export interface StatusWorkerOptions extends StatusCheckOptions {
  intervalMs?: number;
  centralUrl?: string;
  requestTimeoutMs?: number;
}

/** Runs the checks every `intervalMs` (5 s by default) until stopped; a failed round is logged and retried. */
export function startStatusWorker(ctx: OfficeContext, options: StatusWorkerOptions = {}): { stop(): Promise<void> } {
  const interval = options.intervalMs ?? 5_000;
  const client =
    options.client ??
    (options.centralUrl
      ? new CentralClient({ baseUrl: options.centralUrl, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey, timeoutMs: options.requestTimeoutMs ?? Math.max(1_000, interval), centralTlsCa: ctx.centralTlsCa })
      : undefined);
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let lastProblem: string | undefined;
  let current: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      await runStatusChecks(ctx, { ...options, client });
      lastProblem = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== lastProblem) console.error(`[kantor ${ctx.office.id}] pemeriksaan status gagal / status checks failed: ${message}`);
      lastProblem = message;
    }
  };
  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      current = round().then(schedule);
    }, interval);
  };
  current = round().then(schedule);
  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
