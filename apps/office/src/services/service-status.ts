import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  OFFICE_SCOPE,
  SERVICES,
  SERVICE_NAMES,
  deriveSite,
  serviceStateOfRank,
  serviceStateRank,
  startOfZonedDay,
  trackKey,
  zonedIsoDate,
  type CapabilityState,
  type DerivedService,
  type MaintenanceWindow,
  type ServiceId,
  type ServiceOverride,
  type ServiceState,
} from '@tangguh/domain';
import type { PublicStatus } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import {
  activeAnnouncements,
  activeOverrides,
  currentMaintenance,
  historyByService,
  listCapabilityTracks,
  listIncidents,
  printerStatesBySite,
  raiseHistory,
  readStatusMeta,
} from '../repositories/service-status.ts';
import { listSites } from '../repositories/sites.ts';
import { presentAnnouncement, presentIncident, presentMaintenance } from './status-present.ts';

/**
 * The status every screen and message uses, held in memory and rebuilt on change — never a query per
 * request: a thousand phones refreshing during an outage read the same prepared bytes.
 *
 * A change is learnt two ways: at once when this process made it (`statusChanged`), and within a second
 * when another process did (one read of `status_meta.version`; the worker and the API may be split).
 * Changes that come with time alone — maintenance starting, an override or announcement expiring, a new
 * day for the history — are met by rebuilding when the next such instant passes.
 *
 * API for the other parts (the board, the queue, notifications, the citizen's page):
 *   - `serviceStatus(ctx)`: the current PublicStatus (every service at every site, incidents, …);
 *   - `serviceStateAt(ctx, siteId, service)`: one service at one site, with its explanation;
 *   - `onServiceStatusChange(ctx, listener)` / `serviceStatusChanges(ctx, signal)`: every change;
 *   - incidents: `incidentEvents(ctx)` and `recordIncidentAffected(...)` in services/incidents.ts.
 */
export interface StatusSnapshot {
  status: PublicStatus;
  /** Derived services per site, with their full texts (for screens and messages in this process). */
  derived: Map<string, DerivedService[]>;
  json: Buffer;
  etag: string;
  /** Changes only when what people are told changes (not the times of the last check or rebuild). */
  stateKey: string;
  /** The same state as one server-sent event. */
  event: Buffer;
}

const HISTORY_DAYS = 90;
const RESOLVED_SHOWN_MS = 7 * 86_400_000;
const POLL_MS = 1_000;
/** How often a new "checked at" alone (nothing changed) is passed on. */
const CHECKED_REFRESH_MS = 30_000;

class StatusHub {
  snapshot?: StatusSnapshot;
  readonly emitter = new EventEmitter<{ change: [StatusSnapshot]; snapshot: [StatusSnapshot] }>();
  building?: Promise<StatusSnapshot>;
  private again = false;
  private version = -1;
  private boundary = Infinity;
  private checkedPassedAt = 0;
  private poller?: NodeJS.Timeout;

  constructor(private readonly ctx: OfficeContext) {
    this.emitter.setMaxListeners(0);
  }

  async get(): Promise<StatusSnapshot> {
    if (this.snapshot) return this.snapshot;
    const built = await this.rebuild();
    this.startPolling();
    return built;
  }

  /** Rebuilds now (or right after a rebuild already running, so nothing read before a change is kept). */
  rebuild(): Promise<StatusSnapshot> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      try {
        let built: StatusSnapshot;
        do {
          this.again = false;
          const meta = await readStatusMeta(this.ctx.db);
          const { snapshot, boundary } = await buildSnapshot(this.ctx, meta.version, meta.checkedAt);
          this.version = meta.version;
          this.boundary = boundary;
          built = snapshot;
        } while (this.again);
        const previous = this.snapshot;
        this.snapshot = built;
        this.checkedPassedAt = Date.now();
        if (previous?.etag !== built.etag) this.emitter.emit('snapshot', built);
        if (previous && previous.stateKey !== built.stateKey) this.emitter.emit('change', built);
        return built;
      } finally {
        this.building = undefined;
      }
    })();
    return this.building;
  }

  private startPolling() {
    if (this.poller) return;
    this.poller = setInterval(() => void this.poll().catch(() => undefined), POLL_MS);
    this.poller.unref();
  }

  private async poll() {
    if (this.building) return;
    const meta = await readStatusMeta(this.ctx.db);
    if (meta.version !== this.version || this.ctx.now().getTime() >= this.boundary) {
      await this.rebuild();
      return;
    }
    const shown = this.snapshot?.status.checkedAt ?? null;
    if (meta.checkedAt !== shown && Date.now() - this.checkedPassedAt >= CHECKED_REFRESH_MS) await this.rebuild();
  }

  stop() {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
    this.emitter.removeAllListeners();
  }
}

const hubs = new WeakMap<OfficeContext, StatusHub>();
function hub(ctx: OfficeContext): StatusHub {
  let h = hubs.get(ctx);
  if (!h) {
    h = new StatusHub(ctx);
    hubs.set(ctx, h);
  }
  return h;
}

/** The current status (built on first use, then kept up to date). */
export async function serviceStatus(ctx: OfficeContext): Promise<PublicStatus> {
  return (await hub(ctx).get()).status;
}

/** The prepared snapshot: JSON bytes, ETag, SSE event. */
export function statusSnapshot(ctx: OfficeContext): Promise<StatusSnapshot> {
  return hub(ctx).get();
}

/** One service at one site, with its plain-words explanation; undefined when the site does not offer it. */
export async function serviceStateAt(ctx: OfficeContext, siteId: string, service: ServiceId): Promise<DerivedService | undefined> {
  return (await hub(ctx).get()).derived.get(siteId)?.find((s) => s.service === service);
}

/**
 * Calls `listener` on every change of what people are told (a service's state or explanation, an incident
 * or its update, maintenance, an announcement); not for a mere new "checked at". Returns the unsubscribe.
 */
export function onServiceStatusChange(ctx: OfficeContext, listener: (status: PublicStatus, snapshot: StatusSnapshot) => void): () => void {
  const h = hub(ctx);
  const wrapped = (s: StatusSnapshot) => listener(s.status, s);
  h.emitter.on('change', wrapped);
  void h.get().catch(() => undefined);
  return () => h.emitter.off('change', wrapped);
}

/** Every new prepared snapshot, also one that only carries a newer "checked at" (the event stream sends these). */
export function onStatusSnapshot(ctx: OfficeContext, listener: (snapshot: StatusSnapshot) => void): () => void {
  const h = hub(ctx);
  h.emitter.on('snapshot', listener);
  void h.get().catch(() => undefined);
  return () => h.emitter.off('snapshot', listener);
}

/** Every change as an async iterator, until `signal` aborts. */
export async function* serviceStatusChanges(ctx: OfficeContext, signal?: AbortSignal): AsyncGenerator<PublicStatus> {
  const queue: PublicStatus[] = [];
  let wake: (() => void) | undefined;
  const off = onServiceStatusChange(ctx, (s) => {
    queue.push(s);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) await Promise.race([new Promise<void>((r) => (wake = r)), aborted]);
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    off();
  }
}

/** This process changed something: rebuild now if anyone holds the status here. */
export async function statusChanged(ctx: OfficeContext): Promise<void> {
  const h = hubs.get(ctx);
  // A build already running may have read the database before the change: rebuild after it too.
  if (h?.snapshot || h?.building) await h.rebuild();
}

/**
 * A round of checks finished without changing any state. The new "checked at" is normally passed on by the
 * poller (at most every 30 s), but the first one is news — a status that says "never checked" is wrong — so
 * it is passed on at once, also when a build that read the database before the check is still running.
 */
export async function statusChecked(ctx: OfficeContext): Promise<void> {
  const h = hubs.get(ctx);
  if (h?.building || (h?.snapshot && h.snapshot.status.checkedAt === null)) await h.rebuild();
}

/** Stops the polling of this context's status (the app's close). */
export function stopServiceStatus(ctx: OfficeContext): void {
  hubs.get(ctx)?.stop();
  hubs.delete(ctx);
}

// ---------------------------------------------------------------------------------------------------

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function buildSnapshot(ctx: OfficeContext, version: number, checkedAt: string | null): Promise<{ snapshot: StatusSnapshot; boundary: number }> {
  const nowDate = ctx.now();
  const now = nowDate.toISOString();
  const tz = ctx.office.timeZone;
  const sites = await listSites(ctx.db);
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const printers = await printerStatesBySite(ctx.db);
  const tracks = new Map<string, CapabilityState>((await listCapabilityTracks(ctx.db)).map((t) => [trackKey(t.capability, t.scope), t.state]));
  const overrideRows = await activeOverrides(ctx.db, now);
  const maintenanceRows = await currentMaintenance(ctx.db, now);
  const announcementRows = await activeAnnouncements(ctx.db, now);
  const incidentRows = await listIncidents(ctx.db, new Date(nowDate.getTime() - RESOLVED_SHOWN_MS).toISOString());

  const overrides: ServiceOverride[] = overrideRows.map((o) => ({ service: o.service, siteId: o.site_id === OFFICE_SCOPE ? null : o.site_id, state: o.state, note: { id: o.note_id, en: o.note_en } }));
  const maintenance: MaintenanceWindow[] = maintenanceRows.map((m) => ({ service: m.service === '*' ? null : m.service, siteId: m.site_id === OFFICE_SCOPE ? null : m.site_id, startsAt: m.starts_at, endsAt: m.ends_at, note: { id: m.note_id, en: m.note_en } }));

  const explanations: PublicStatus['explanations'] = {};
  const keyOf = new Map<string, string>();
  const derived = new Map<string, DerivedService[]>();
  const siteViews = sites.map((site) => {
    const services = deriveSite({ id: site.id, kind: site.kind, hasPrinters: printers.has(site.id) }, tracks, now, maintenance, overrides);
    derived.set(site.id, services);
    return {
      siteId: site.id,
      siteName: site.name,
      kind: site.kind,
      services: services.map((s) => {
        const text = JSON.stringify([s.explanation, s.whatToDo]);
        let key = keyOf.get(text);
        if (!key) {
          key = `e${keyOf.size + 1}`;
          keyOf.set(text, key);
          explanations[key] = { explanation: s.explanation, whatToDo: s.whatToDo };
        }
        return { service: s.service, state: s.state, explanation: key, overridden: s.overridden };
      }),
    };
  });

  // Today's worst so far, then the 90 days of every service (worst over its sites).
  const today = zonedIsoDate(nowDate, tz);
  await raiseHistory(
    ctx.db,
    [...derived].flatMap(([siteId, services]) => services.map((s) => ({ day: today, service: s.service, site_id: siteId, worst_rank: serviceStateRank(s.state) }))),
  );
  const from = addDays(today, -(HISTORY_DAYS - 1));
  const rows = await historyByService(ctx.db, from);
  const byKey = new Map(rows.map((r) => [`${r.service}|${r.day}`, r.worst]));
  const history = {
    from,
    to: today,
    services: SERVICES.map((service) => ({
      service,
      states: Array.from({ length: HISTORY_DAYS }, (_, i) => {
        const rank = byKey.get(`${service}|${addDays(from, i)}`);
        return rank === undefined ? null : serviceStateOfRank(rank);
      }) as (ServiceState | null)[],
    })),
  };

  const status: PublicStatus = {
    office: { id: ctx.office.id, name: ctx.office.name, timeZone: tz },
    version,
    updatedAt: now,
    checkedAt,
    serviceNames: SERVICES.map((service) => ({ service, name: SERVICE_NAMES[service] })),
    sites: siteViews,
    explanations,
    announcements: announcementRows.map((a) => presentAnnouncement(a, siteNames)),
    incidents: incidentRows.map((i) => presentIncident(i, siteNames)),
    maintenance: maintenanceRows.map((m) => presentMaintenance(m, siteNames, now)),
    history,
  };
  // The ETag ignores updatedAt: a rebuild that changed nothing keeps every cache and every client as it is.
  const body = JSON.stringify(status);
  const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
  const etag = `"${hash({ ...status, updatedAt: undefined })}"`;
  const stateKey = hash({ ...status, updatedAt: undefined, checkedAt: undefined, version: undefined });
  const snapshot: StatusSnapshot = { status, derived, json: Buffer.from(body), etag, stateKey, event: Buffer.from(`id: ${version}\nevent: status\ndata: ${body}\n\n`) };

  const instants = [
    ...overrideRows.map((o) => o.expires_at),
    ...maintenanceRows.flatMap((m) => [m.starts_at, m.ends_at]),
    ...announcementRows.map((a) => a.expires_at),
  ]
    .filter((t): t is string => t !== null && t > now)
    .map((t) => Date.parse(t));
  const nextDay = startOfZonedDay(new Date(nowDate.getTime() + 86_400_000), tz).getTime();
  return { snapshot, boundary: Math.min(nextDay, ...instants) };
}
