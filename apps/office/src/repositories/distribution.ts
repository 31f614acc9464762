import type { ExpressionBuilder, Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { PrintJobTables } from './print-jobs.ts';
import { recordVisible, type Visibility } from './visibility.ts';

/** The distribution and pickup tables (created by migrations/0010_distribution_pickup.ts). */
export type DistributionTables = {
  card_manifests: {
    id: string;
    number: string;
    from_site_id: string;
    to_site_id: string;
    status: ManifestStatus;
    created_by: string;
    created_at: string;
    dispatched_by: string | null;
    dispatched_at: string | null;
    received_by: string | null;
    received_at: string | null;
  };
  card_manifest_items: { manifest_id: string; record_id: string; state: ManifestItemState; checked_by: string | null; checked_at: string | null };
  pickup_identity_checks: {
    id: string;
    record_id: string;
    site_id: string;
    method: 'FINGERPRINT' | 'OVERRIDE';
    matched: number;
    score: number | null;
    threshold: number | null;
    positions: string | null;
    checked_by: string;
    checked_at: string;
    reason: string | null;
    used_by: string | null;
  };
  card_handovers: { id: string; record_id: string; site_id: string; check_id: string; handed_by: string; handed_at: string; revoked_sukets: string };
  /** Migration 0018: how a card flagged missing on receipt was settled. */
  missing_card_settlements: {
    manifest_id: string;
    record_id: string;
    outcome: 'FOUND' | 'LOST_IN_TRANSIT';
    reason: string;
    flagged_by: string | null;
    flagged_at: string | null;
    settled_by: string;
    settled_at: string;
    blank_serial: number | null;
    reprint_job_id: string | null;
    notified: number;
  };
};

export type ManifestStatus = 'OPEN' | 'DISPATCHED' | 'RECEIVED';
/** LOST: flagged MISSING, then declared lost in transit (the card is printed again and may travel on a new manifest). */
export type ManifestItemState = 'PACKED' | 'RECEIVED' | 'MISSING' | 'LOST';
export type MissingSettlementRow = DistributionTables['missing_card_settlements'];
export type ManifestRow = DistributionTables['card_manifests'];
export type IdentityCheckRow = DistributionTables['pickup_identity_checks'];
export type HandoverRow = DistributionTables['card_handovers'];

type Db = Kysely<OfficeDb & DistributionTables>;
const tables = (db: OfficeDbOrTx): Db => (db as Kysely<OfficeDb>).withTables<DistributionTables>();
const withJobs = (db: OfficeDbOrTx) => tables(db).withTables<PrintJobTables>();

export interface SiteRow {
  id: string;
  name: string;
  kind: string;
  district_code: string | null;
}

export function findSite(db: OfficeDbOrTx, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').select(['id', 'name', 'kind', 'district_code']).where('id', '=', id).executeTakeFirst();
}

/** The Dinas, where cards are printed and where a resident who collects there finds theirs. */
export function dinasSite(db: OfficeDbOrTx): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').select(['id', 'name', 'kind', 'district_code']).where('kind', '=', 'DINAS').orderBy('id').executeTakeFirst();
}

/** Where each record's first card was printed: the site of its printed print job (the print room's record). */
export async function printSitesOf(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<Map<string, string>> {
  if (recordIds.length === 0) return new Map();
  const rows = await (db as Kysely<OfficeDb>)
    .withTables<PrintJobTables>()
    .selectFrom('print_jobs')
    .select(['record_id', 'site_id'])
    .where('record_id', 'in', [...recordIds])
    .where('card', '=', 'FIRST')
    .where('state', '=', 'printed')
    .orderBy('printed_at')
    .execute();
  // Oldest first: the last printed job of a record is where its card is.
  return new Map(rows.map((r) => [r.record_id!, r.site_id]));
}

/** MNF-<office>-<YYYYMMDD>-<n>: a daily series in `counters`, numbered inside the caller's transaction. */
export async function nextManifestNumber(trx: OfficeDbOrTx, dayKey: string): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ name: `manifest:${dayKey}`, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function insertManifest(trx: OfficeDbOrTx, row: ManifestRow, recordIds: readonly string[]): Promise<void> {
  await tables(trx).insertInto('card_manifests').values(row).execute();
  if (recordIds.length === 0) return;
  await tables(trx)
    .insertInto('card_manifest_items')
    .values(recordIds.map((record_id) => ({ manifest_id: row.id, record_id, state: 'PACKED' as const, checked_by: null, checked_at: null })))
    .execute();
}

export function findManifest(db: OfficeDbOrTx, id: string): Promise<ManifestRow | undefined> {
  return tables(db).selectFrom('card_manifests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; `siteId` keeps those leaving or arriving at that site. */
export function listManifests(db: OfficeDbOrTx, filter: { siteId?: string; limit: number }): Promise<ManifestRow[]> {
  let query = tables(db).selectFrom('card_manifests').selectAll().orderBy('created_at', 'desc').orderBy('number', 'desc').limit(filter.limit);
  if (filter.siteId) query = query.where((eb) => eb.or([eb('to_site_id', '=', filter.siteId!), eb('from_site_id', '=', filter.siteId!)]));
  return query.execute();
}

export interface ManifestItemRow {
  manifest_id: string;
  record_id: string;
  state: ManifestItemState;
  checked_by: string | null;
  checked_at: string | null;
  registration_number: string;
  nik: string;
  full_name: string;
  status: string;
}

export function manifestItems(db: OfficeDbOrTx, manifestIds: readonly string[]): Promise<ManifestItemRow[]> {
  if (manifestIds.length === 0) return Promise.resolve([]);
  return tables(db)
    .selectFrom('card_manifest_items')
    .innerJoin('records', 'records.id', 'card_manifest_items.record_id')
    .select([
      'card_manifest_items.manifest_id',
      'card_manifest_items.record_id',
      'card_manifest_items.state',
      'card_manifest_items.checked_by',
      'card_manifest_items.checked_at',
      'records.registration_number',
      'records.nik',
      'records.full_name',
      'records.status',
    ])
    .where('card_manifest_items.manifest_id', 'in', [...manifestIds])
    .orderBy('records.full_name')
    .orderBy('records.id')
    .execute();
}

export async function markManifestDispatched(trx: OfficeDbOrTx, id: string, by: string, at: string): Promise<boolean> {
  const result = await tables(trx).updateTable('card_manifests').set({ status: 'DISPATCHED', dispatched_by: by, dispatched_at: at }).where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markManifestReceived(trx: OfficeDbOrTx, id: string, by: string, at: string): Promise<boolean> {
  const result = await tables(trx).updateTable('card_manifests').set({ status: 'RECEIVED', received_by: by, received_at: at }).where('id', '=', id).where('status', '=', 'DISPATCHED').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function checkManifestItems(trx: OfficeDbOrTx, manifestId: string, recordIds: readonly string[], state: 'RECEIVED' | 'MISSING', by: string, at: string): Promise<void> {
  if (recordIds.length === 0) return;
  await tables(trx)
    .updateTable('card_manifest_items')
    .set({ state, checked_by: by, checked_at: at })
    .where('manifest_id', '=', manifestId)
    .where('record_id', 'in', [...recordIds])
    .execute();
}

/** Where a card stands on the way to its pickup point: its latest manifest, if it was ever put on one. */
export interface CardCustodyRow {
  record_id: string;
  manifest_id: string;
  number: string;
  from_site_id: string;
  to_site_id: string;
  manifest_status: ManifestStatus;
  item_state: ManifestItemState;
  /** When the pickup point checked the card off (a card found late: when it was found). */
  item_checked_at: string | null;
  dispatched_at: string | null;
  received_at: string | null;
}

export async function latestManifestOf(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<Map<string, CardCustodyRow>> {
  if (recordIds.length === 0) return new Map();
  const rows = await tables(db)
    .selectFrom('card_manifest_items')
    .innerJoin('card_manifests', 'card_manifests.id', 'card_manifest_items.manifest_id')
    .select([
      'card_manifest_items.record_id',
      'card_manifests.id as manifest_id',
      'card_manifests.number',
      'card_manifests.from_site_id',
      'card_manifests.to_site_id',
      'card_manifests.status as manifest_status',
      'card_manifest_items.state as item_state',
      'card_manifest_items.checked_at as item_checked_at',
      'card_manifests.dispatched_at',
      'card_manifests.received_at',
      'card_manifests.created_at',
    ])
    .where('card_manifest_items.record_id', 'in', [...recordIds])
    .orderBy('card_manifests.created_at')
    .orderBy('card_manifests.number')
    .execute();
  // Ordered oldest first: the last row per record is its latest manifest.
  return new Map(rows.map((r) => [r.record_id, r]));
}

export interface PrintedCardRow {
  id: string;
  registration_number: string;
  nik: string;
  full_name: string;
  status: string;
  status_at: string;
  site_id: string;
  village_code: string;
}

/** Printed cards, on no manifest yet, that `visibility` may see. */
export function printedCardsAwaitingDistribution(db: OfficeDbOrTx, visibility: Visibility, limit: number): Promise<PrintedCardRow[]> {
  return tables(db)
    .selectFrom('records')
    .where((eb) => recordVisible(eb as unknown as ExpressionBuilder<OfficeDb, 'records'>, visibility))
    .select(['records.id', 'records.registration_number', 'records.nik', 'records.full_name', 'records.status', 'records.status_at', 'records.site_id', 'records.village_code'])
    .where((eb) => eb.or([eb('records.status', '=', 'CARD_PRINTED'), reprintedAfterLoss(eb as unknown as ExpressionBuilder<OfficeDb, 'records'>)]))
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('card_manifest_items').select('card_manifest_items.record_id').whereRef('card_manifest_items.record_id', '=', 'records.id').where('card_manifest_items.state', '<>', 'LOST'))),
    )
    .orderBy('records.status_at')
    .orderBy('records.id')
    .limit(limit)
    .execute();
}

/**
 * A shipped card declared lost in transit whose reprint has come out of the printer: it lies where it was
 * reprinted and may go out on a new manifest (its record stays CARD_SHIPPED: the lifecycle does not go back).
 */
function reprintedAfterLoss(eb: ExpressionBuilder<OfficeDb, 'records'>) {
  return eb.and([
    eb('records.status', '=', 'CARD_SHIPPED'),
    eb.exists(
      (eb as unknown as ExpressionBuilder<OfficeDb & DistributionTables & PrintJobTables, 'records'>)
        .selectFrom('missing_card_settlements')
        // The reprint, or a reprint of it when that one was spoiled: a first card printed after the loss was settled.
        .innerJoin('print_jobs', (join) =>
          join
            .onRef('print_jobs.record_id', '=', 'missing_card_settlements.record_id')
            .on('print_jobs.card', '=', 'FIRST')
            .on('print_jobs.state', '=', 'printed')
            .onRef('print_jobs.printed_at', '>=', 'missing_card_settlements.settled_at'),
        )
        .select('missing_card_settlements.record_id')
        .whereRef('missing_card_settlements.record_id', '=', 'records.id')
        .where('missing_card_settlements.outcome', '=', 'LOST_IN_TRANSIT'),
    ),
  ]);
}

/** Of `ids`, the shipped cards declared lost in transit and printed again (see reprintedAfterLoss). */
export async function reprintedLostCards(db: OfficeDbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tables(db)
    .selectFrom('records')
    .select('records.id')
    .where('records.id', 'in', [...ids])
    .where((eb) => reprintedAfterLoss(eb as unknown as ExpressionBuilder<OfficeDb, 'records'>))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The records among `ids` on some manifest (packed, under way, received or missing; not one where it was lost). */
export async function recordsOnManifests(db: OfficeDbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tables(db).selectFrom('card_manifest_items').select('record_id').where('record_id', 'in', [...ids]).where('state', '<>', 'LOST').execute();
  return new Set(rows.map((r) => r.record_id));
}

export function recordStatuses(db: OfficeDbOrTx, ids: readonly string[]): Promise<{ id: string; status: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('records').select(['id', 'status']).where('id', 'in', [...ids]).execute();
}

export interface PickupCandidateRow {
  id: string;
  registration_number: string;
  nik: string;
  full_name: string;
  birth_date: string;
  status: string;
  status_at: string;
  site_id: string;
}

/** The pickup counter's lookup: by NIK, by registration number, or by name and date of birth, within what the person may see. */
export function findPickupCandidates(db: OfficeDbOrTx, query: { nik?: string; registrationNumber?: string; name?: string; birthDate?: string }, visibility: Visibility, limit: number): Promise<PickupCandidateRow[]> {
  let q = db
    .selectFrom('records')
    .select(['records.id', 'records.registration_number', 'records.nik', 'records.full_name', 'records.birth_date', 'records.status', 'records.status_at', 'records.site_id'])
    .where((eb) => recordVisible(eb, visibility))
    .orderBy('records.recorded_at', 'desc')
    .orderBy('records.id')
    .limit(limit);
  if (query.nik) q = q.where('records.nik', '=', query.nik);
  else if (query.registrationNumber) q = q.where('records.registration_number', '=', query.registrationNumber);
  else if (query.name && query.birthDate) {
    const words = query.name.replace(/[%_\\]/g, '').trim().toUpperCase();
    q = q.where('records.birth_date', '=', query.birthDate).where((eb) => eb(eb.fn('upper', ['records.full_name']), 'like', `%${words}%`));
  } else return Promise.resolve([]);
  return q.execute();
}

export async function insertIdentityCheck(trx: OfficeDbOrTx, row: IdentityCheckRow): Promise<void> {
  await tables(trx).insertInto('pickup_identity_checks').values(row).execute();
}

export function findIdentityCheck(db: OfficeDbOrTx, id: string): Promise<IdentityCheckRow | undefined> {
  return tables(db).selectFrom('pickup_identity_checks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a check as used by a hand-over, once: false when another hand-over took it first. */
export async function useIdentityCheck(trx: OfficeDbOrTx, id: string, handoverId: string): Promise<boolean> {
  const result = await tables(trx).updateTable('pickup_identity_checks').set({ used_by: handoverId }).where('id', '=', id).where('used_by', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function identityChecksOf(db: OfficeDbOrTx, recordId: string): Promise<IdentityCheckRow[]> {
  return tables(db).selectFrom('pickup_identity_checks').selectAll().where('record_id', '=', recordId).orderBy('checked_at').orderBy('id').execute();
}

export async function insertHandover(trx: OfficeDbOrTx, row: HandoverRow): Promise<void> {
  await tables(trx).insertInto('card_handovers').values(row).execute();
}

export async function handoversOf(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<Map<string, HandoverRow>> {
  if (recordIds.length === 0) return new Map();
  const rows = await tables(db).selectFrom('card_handovers').selectAll().where('record_id', 'in', [...recordIds]).execute();
  return new Map(rows.map((r) => [r.record_id, r]));
}

/** One record for the pickup counter, when `visibility` may see it (no photo or biodata). */
export function findPickupRecord(db: OfficeDbOrTx, id: string, visibility: Visibility): Promise<PickupCandidateRow | undefined> {
  return db
    .selectFrom('records')
    .select(['records.id', 'records.registration_number', 'records.nik', 'records.full_name', 'records.birth_date', 'records.status', 'records.status_at', 'records.site_id'])
    .where('records.id', '=', id)
    .where((eb) => recordVisible(eb, visibility))
    .executeTakeFirst();
}

export interface MissingCardRow {
  manifest_id: string;
  number: string;
  from_site_id: string;
  to_site_id: string;
  record_id: string;
  item_state: ManifestItemState;
  checked_by: string | null;
  checked_at: string | null;
  registration_number: string;
  nik: string;
  full_name: string;
  outcome: 'FOUND' | 'LOST_IN_TRANSIT' | null;
  reason: string | null;
  flagged_by: string | null;
  flagged_at: string | null;
  settled_by: string | null;
  settled_at: string | null;
  blank_serial: number | null;
  reprint_job_id: string | null;
  reprint_state: string | null;
  reprint_printed_at: string | null;
  reprint_site_id: string | null;
  notified: number | null;
}

/**
 * Cards flagged missing on receipt, open (not settled) and settled, newest flag first; `siteId` keeps those of
 * manifests leaving or arriving there; `manifestId`/`recordId` find one case.
 */
export async function missingCards(db: OfficeDbOrTx, filter: { siteId?: string; manifestId?: string; recordId?: string; limit: number }): Promise<MissingCardRow[]> {
  let q = withJobs(db)
    .selectFrom('card_manifest_items')
    .innerJoin('card_manifests', 'card_manifests.id', 'card_manifest_items.manifest_id')
    .innerJoin('records', 'records.id', 'card_manifest_items.record_id')
    .leftJoin('missing_card_settlements', (join) =>
      join.onRef('missing_card_settlements.manifest_id', '=', 'card_manifest_items.manifest_id').onRef('missing_card_settlements.record_id', '=', 'card_manifest_items.record_id'),
    )
    .leftJoin('print_jobs', 'print_jobs.id', 'missing_card_settlements.reprint_job_id')
    .select([
      'card_manifest_items.manifest_id',
      'card_manifests.number',
      'card_manifests.from_site_id',
      'card_manifests.to_site_id',
      'card_manifest_items.record_id',
      'card_manifest_items.state as item_state',
      'card_manifest_items.checked_by',
      'card_manifest_items.checked_at',
      'records.registration_number',
      'records.nik',
      'records.full_name',
      'missing_card_settlements.outcome',
      'missing_card_settlements.reason',
      'missing_card_settlements.flagged_by',
      'missing_card_settlements.flagged_at',
      'missing_card_settlements.settled_by',
      'missing_card_settlements.settled_at',
      'missing_card_settlements.blank_serial',
      'missing_card_settlements.reprint_job_id',
      'print_jobs.state as reprint_state',
      'print_jobs.printed_at as reprint_printed_at',
      'print_jobs.site_id as reprint_site_id',
      'missing_card_settlements.notified',
    ])
    .where((eb) => eb.or([eb('card_manifest_items.state', '=', 'MISSING'), eb('missing_card_settlements.outcome', 'is not', null)]))
    .orderBy('card_manifests.received_at', 'desc')
    .orderBy('card_manifests.number', 'desc')
    .orderBy('records.full_name')
    .limit(filter.limit);
  if (filter.siteId) q = q.where((eb) => eb.or([eb('card_manifests.to_site_id', '=', filter.siteId!), eb('card_manifests.from_site_id', '=', filter.siteId!)]));
  if (filter.manifestId) q = q.where('card_manifest_items.manifest_id', '=', filter.manifestId);
  if (filter.recordId) q = q.where('card_manifest_items.record_id', '=', filter.recordId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, blank_serial: r.blank_serial === null ? null : Number(r.blank_serial), notified: r.notified === null ? null : Number(r.notified) }));
}

/** Moves a MISSING item on (found: RECEIVED; declared lost: LOST), once: false when it was settled already. */
export async function settleMissingItem(trx: OfficeDbOrTx, manifestId: string, recordId: string, state: 'RECEIVED' | 'LOST', by: string, at: string): Promise<boolean> {
  const result = await tables(trx)
    .updateTable('card_manifest_items')
    .set({ state, checked_by: by, checked_at: at })
    .where('manifest_id', '=', manifestId)
    .where('record_id', '=', recordId)
    .where('state', '=', 'MISSING')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertMissingSettlement(trx: OfficeDbOrTx, row: MissingSettlementRow): Promise<void> {
  await tables(trx).insertInto('missing_card_settlements').values(row).execute();
}

/** The printed job of a record's first card that came out last (the card that was shipped). */
export async function lastPrintedFirstJob(db: OfficeDbOrTx, recordId: string) {
  const row = await withJobs(db)
    .selectFrom('print_jobs')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('card', '=', 'FIRST')
    .where('state', '=', 'printed')
    .orderBy('printed_at', 'desc')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row ? { ...row, seq: Number(row.seq), blank_serial: row.blank_serial === null ? null : Number(row.blank_serial) } : undefined;
}

/** The lowest job number in the print room: a job numbered below it prints before every other (call under lockPrintJobs). */
export async function lowestPrintJobSeq(db: OfficeDbOrTx): Promise<number> {
  const row = await withJobs(db).selectFrom('print_jobs').select((eb) => eb.fn.min('seq').as('seq')).executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? 1 : Number(row.seq);
}

/**
 * For records declared lost in transit: the newest first-card job made since the loss was settled (the
 * reprint, or its own reprint when it was spoiled) — its state, site and when it printed.
 */
export async function reprintsOf(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<Map<string, { state: string; site_id: string; printed_at: string | null }>> {
  if (recordIds.length === 0) return new Map();
  const rows = await withJobs(db)
    .selectFrom('missing_card_settlements')
    .innerJoin('print_jobs', (join) =>
      join.onRef('print_jobs.record_id', '=', 'missing_card_settlements.record_id').on('print_jobs.card', '=', 'FIRST').onRef('print_jobs.created_at', '>=', 'missing_card_settlements.settled_at'),
    )
    .select(['missing_card_settlements.record_id', 'print_jobs.state', 'print_jobs.site_id', 'print_jobs.printed_at'])
    .where('missing_card_settlements.record_id', 'in', [...recordIds])
    .where('missing_card_settlements.outcome', '=', 'LOST_IN_TRANSIT')
    .orderBy('print_jobs.created_at')
    .orderBy('print_jobs.seq')
    .execute();
  // Oldest first: the last row per record is its newest job. (Its seq may be low — a reprint jumps the queue.)
  return new Map(rows.map((r) => [r.record_id, { state: r.state, site_id: r.site_id, printed_at: r.printed_at }]));
}
