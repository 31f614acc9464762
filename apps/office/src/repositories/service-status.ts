import { sql, type Generated, type Kysely } from 'kysely';
import type { CapabilityId, CapabilityState, CapabilityTrack, IncidentStatus, ServiceId, ServiceState } from '@tangguh/domain';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { PrintPlanTables } from './print-plan.ts';
import type { BlankStockTables } from './blank-stock.ts';
import type { PrintPackageTables } from '../db/print-package-tables.ts';

/** The status model's tables (migration 0012). '*' in a scope or site_id means every site / the office. */
export type ServiceStatusTables = {
  status_capabilities: {
    capability: CapabilityId;
    scope: string;
    state: CapabilityState;
    since: string;
    worse_streak: number;
    better_streak: number;
    detail_id: string;
    detail_en: string;
    latency_ms: number | null;
  };
  status_incidents: {
    id: string;
    capability: CapabilityId | null;
    scope: string;
    title_id: string;
    title_en: string;
    status: IncidentStatus;
    /** JSON list of ServiceId. */
    services: string;
    opened_at: string;
    resolved_at: string | null;
    affected_count: number;
    updated_at: string;
  };
  status_incident_updates: { id: Generated<number>; incident_id: string; at: string; status: IncidentStatus; message_id: string; message_en: string; author: string | null };
  status_overrides: {
    id: string;
    service: ServiceId;
    site_id: string;
    state: ServiceState | null;
    note_id: string;
    note_en: string;
    set_by: string;
    set_at: string;
    expires_at: string | null;
    cleared_by: string | null;
    cleared_at: string | null;
  };
  status_maintenance: {
    id: string;
    service: ServiceId | '*';
    site_id: string;
    starts_at: string;
    ends_at: string;
    note_id: string;
    note_en: string;
    created_by: string;
    created_at: string;
    cancelled_by: string | null;
    cancelled_at: string | null;
  };
  status_announcements: { id: string; site_id: string; text_id: string; text_en: string; set_by: string; set_at: string; expires_at: string; cleared_by: string | null; cleared_at: string | null };
  status_history: { day: string; service: ServiceId; site_id: string; worst_rank: number };
  status_meta: { key: string; value: string };
};

type StatusDb = Kysely<OfficeDb & ServiceStatusTables>;
const st = (db: OfficeDbOrTx): StatusDb => (db as Kysely<OfficeDb>).withTables<ServiceStatusTables>();

export type IncidentRow = ServiceStatusTables['status_incidents'];
export type IncidentUpdateRow = Omit<ServiceStatusTables['status_incident_updates'], 'id'> & { id: number };
export type OverrideRow = ServiceStatusTables['status_overrides'];
export type MaintenanceRow = ServiceStatusTables['status_maintenance'];
export type AnnouncementRow = ServiceStatusTables['status_announcements'];

// --- the change counter ----------------------------------------------------------------------------

/** Raised in the transaction of every change, so other processes' snapshots see it (one row, one read). */
export async function bumpStatusVersion(db: OfficeDbOrTx): Promise<void> {
  await st(db).updateTable('status_meta').set({ value: sql<string>`cast(cast(value as integer) + 1 as text)` }).where('key', '=', 'version').execute();
}

/** The change counter and the time of the last round of checks. */
export async function readStatusMeta(db: OfficeDbOrTx): Promise<{ version: number; checkedAt: string | null }> {
  const rows = await st(db).selectFrom('status_meta').select(['key', 'value']).execute();
  const get = (key: string) => rows.find((r) => r.key === key)?.value;
  return { version: Number(get('version') ?? 0), checkedAt: get('checked_at') ?? null };
}

export async function setStatusCheckedAt(db: OfficeDbOrTx, at: string): Promise<void> {
  await st(db)
    .insertInto('status_meta')
    .values({ key: 'checked_at', value: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }))
    .execute();
}

// --- capabilities ------------------------------------------------------------------------------------

export async function listCapabilityTracks(db: OfficeDbOrTx): Promise<CapabilityTrack[]> {
  const rows = await st(db).selectFrom('status_capabilities').selectAll().execute();
  return rows.map((r) => ({
    capability: r.capability,
    scope: r.scope,
    state: r.state,
    since: r.since,
    worseStreak: Number(r.worse_streak),
    betterStreak: Number(r.better_streak),
    detail: { id: r.detail_id, en: r.detail_en },
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
  }));
}

export async function saveCapabilityTrack(db: OfficeDbOrTx, t: CapabilityTrack): Promise<void> {
  const row = {
    capability: t.capability,
    scope: t.scope,
    state: t.state,
    since: t.since,
    worse_streak: t.worseStreak,
    better_streak: t.betterStreak,
    detail_id: t.detail.id,
    detail_en: t.detail.en,
    latency_ms: t.latencyMs === null ? null : Math.round(t.latencyMs),
  };
  await st(db)
    .insertInto('status_capabilities')
    .values(row)
    .onConflict((oc) => oc.columns(['capability', 'scope']).doUpdateSet({ ...row, capability: undefined, scope: undefined }))
    .execute();
}

// --- incidents ---------------------------------------------------------------------------------------

export async function insertIncident(db: OfficeDbOrTx, row: IncidentRow): Promise<void> {
  await st(db).insertInto('status_incidents').values(row).execute();
}

export async function openIncidentFor(db: OfficeDbOrTx, capability: CapabilityId, scope: string): Promise<IncidentRow | undefined> {
  return st(db).selectFrom('status_incidents').selectAll().where('capability', '=', capability).where('scope', '=', scope).where('resolved_at', 'is', null).executeTakeFirst();
}

export async function findIncident(db: OfficeDbOrTx, id: string): Promise<IncidentRow | undefined> {
  return st(db).selectFrom('status_incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateIncident(db: OfficeDbOrTx, id: string, changes: Partial<Pick<IncidentRow, 'status' | 'resolved_at' | 'updated_at'>>): Promise<void> {
  await st(db).updateTable('status_incidents').set(changes).where('id', '=', id).execute();
}

/** Adds to the number of people told about an incident (the notifier calls this after each fan-out). */
export async function addIncidentAffected(db: OfficeDbOrTx, id: string, count: number, at: string): Promise<boolean> {
  const result = await st(db)
    .updateTable('status_incidents')
    .set((eb) => ({ affected_count: eb('affected_count', '+', count), updated_at: at }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertIncidentUpdate(db: OfficeDbOrTx, row: Omit<IncidentUpdateRow, 'id'>): Promise<void> {
  await st(db).insertInto('status_incident_updates').values(row).execute();
}

/** Open incidents and those resolved since `resolvedSince`, newest first, with their updates (oldest first). */
export async function listIncidents(db: OfficeDbOrTx, resolvedSince: string, limit = 50): Promise<(IncidentRow & { updates: IncidentUpdateRow[] })[]> {
  const incidents = await st(db)
    .selectFrom('status_incidents')
    .selectAll()
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', resolvedSince)]))
    .orderBy('opened_at', 'desc')
    .limit(limit)
    .execute();
  if (incidents.length === 0) return [];
  const updates = await st(db)
    .selectFrom('status_incident_updates')
    .selectAll()
    .where(
      'incident_id',
      'in',
      incidents.map((i) => i.id),
    )
    .orderBy('id')
    .execute();
  return incidents.map((i) => ({ ...i, affected_count: Number(i.affected_count), updates: updates.filter((u) => u.incident_id === i.id).map((u) => ({ ...u, id: Number(u.id) })) }));
}

/** Incidents whose time window overlaps [from, to): what the reconciliation report covers. */
export async function incidentsBetween(db: OfficeDbOrTx, from: string, to: string): Promise<IncidentRow[]> {
  return st(db)
    .selectFrom('status_incidents')
    .selectAll()
    .where('opened_at', '<', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>', from)]))
    .orderBy('opened_at')
    .execute();
}

// --- overrides, maintenance, announcements -----------------------------------------------------------

export async function insertOverride(db: OfficeDbOrTx, row: OverrideRow): Promise<void> {
  await st(db).insertInto('status_overrides').values(row).execute();
}

export async function clearOverride(db: OfficeDbOrTx, id: string, by: string, at: string): Promise<boolean> {
  const r = await st(db).updateTable('status_overrides').set({ cleared_by: by, cleared_at: at }).where('id', '=', id).where('cleared_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Overrides not cleared and not expired at `now`, oldest first (a later one wins). */
export async function activeOverrides(db: OfficeDbOrTx, now: string): Promise<OverrideRow[]> {
  return st(db)
    .selectFrom('status_overrides')
    .selectAll()
    .where('cleared_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('set_at')
    .execute();
}

export async function insertMaintenance(db: OfficeDbOrTx, row: MaintenanceRow): Promise<void> {
  await st(db).insertInto('status_maintenance').values(row).execute();
}

export async function cancelMaintenance(db: OfficeDbOrTx, id: string, by: string, at: string): Promise<boolean> {
  const r = await st(db).updateTable('status_maintenance').set({ cancelled_by: by, cancelled_at: at }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Windows not cancelled that have not ended by `now` (in force or announced ahead). */
export async function currentMaintenance(db: OfficeDbOrTx, now: string): Promise<MaintenanceRow[]> {
  return st(db).selectFrom('status_maintenance').selectAll().where('cancelled_at', 'is', null).where('ends_at', '>', now).orderBy('starts_at').execute();
}

/** Replaces the current announcement of a scope (a site, or '*' for the whole office) in one step. */
export async function replaceAnnouncement(db: OfficeDbOrTx, row: AnnouncementRow): Promise<void> {
  await st(db).updateTable('status_announcements').set({ cleared_by: row.set_by, cleared_at: row.set_at }).where('site_id', '=', row.site_id).where('cleared_at', 'is', null).execute();
  await st(db).insertInto('status_announcements').values(row).execute();
}

export async function clearAnnouncement(db: OfficeDbOrTx, siteId: string, by: string, at: string): Promise<boolean> {
  const r = await st(db).updateTable('status_announcements').set({ cleared_by: by, cleared_at: at }).where('site_id', '=', siteId).where('cleared_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function activeAnnouncements(db: OfficeDbOrTx, now: string): Promise<AnnouncementRow[]> {
  return st(db).selectFrom('status_announcements').selectAll().where('cleared_at', 'is', null).where('expires_at', '>', now).orderBy('set_at', 'desc').execute();
}

// --- history -----------------------------------------------------------------------------------------

/** Keeps the worst state of the day: a row is only ever raised, never lowered. */
export async function raiseHistory(db: OfficeDbOrTx, rows: ServiceStatusTables['status_history'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await st(db)
      .insertInto('status_history')
      .values(rows.slice(i, i + 200))
      .onConflict((oc) =>
        oc
          .columns(['day', 'service', 'site_id'])
          .doUpdateSet((eb) => ({ worst_rank: eb.ref('excluded.worst_rank') }))
          .where((eb) => eb('status_history.worst_rank', '<', eb.ref('excluded.worst_rank'))),
      )
      .execute();
  }
}

/** The worst state of each service over all sites, per day from `fromDay` on. */
export async function historyByService(db: OfficeDbOrTx, fromDay: string): Promise<{ day: string; service: ServiceId; worst: number }[]> {
  const rows = await st(db)
    .selectFrom('status_history')
    .select(['day', 'service', (eb) => eb.fn.max('worst_rank').as('worst')])
    .where('day', '>=', fromDay)
    .groupBy(['day', 'service'])
    .execute();
  return rows.map((r) => ({ day: r.day, service: r.service, worst: Number(r.worst) }));
}

// --- what the probes read (other parts' tables, read only) ---------------------------------------------

type ProbeDb = Kysely<OfficeDb & PrintPlanTables & BlankStockTables & PrintPackageTables>;
const probe = (db: OfficeDbOrTx): ProbeDb => (db as Kysely<OfficeDb>).withTables<PrintPlanTables & BlankStockTables & PrintPackageTables>();

/** Printers per site by state. */
export async function printerStatesBySite(db: OfficeDbOrTx): Promise<Map<string, { ready: number; low: number; repair: number }>> {
  const rows = await probe(db).selectFrom('printers').select(['site_id', 'state']).execute();
  const bySite = new Map<string, { ready: number; low: number; repair: number }>();
  for (const r of rows) {
    const s = bySite.get(r.site_id) ?? { ready: 0, low: 0, repair: 0 };
    if (r.state === 'ready') s.ready += 1;
    else if (r.state === 'consumables_low') s.low += 1;
    else s.repair += 1;
    bySite.set(r.site_id, s);
  }
  return bySite;
}

/**
 * Print Ready Records still without a print package, and the oldest such wait: the packages come from the
 * centre by themselves, so a long wait means they are not arriving.
 */
export async function recordsWaitingForPackage(db: OfficeDbOrTx): Promise<{ count: number; oldestSince: string | null }> {
  const row = await probe(db)
    .selectFrom('records')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('records.status_at').as('oldest')])
    .where('records.status', '=', 'PRINT_READY_RECORD')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('print_packages').select('print_packages.package_id').whereRef('print_packages.record_id', '=', 'records.id').where('print_packages.status', '=', 'READY'))))
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestSince: (row.oldest as string | null) ?? null };
}

/** When the last print package arrived, if ever. */
export async function lastPackageReceivedAt(db: OfficeDbOrTx): Promise<string | null> {
  const row = await probe(db)
    .selectFrom('print_packages')
    .select((eb) => eb.fn.max('received_at').as('last'))
    .executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

