import { sql, type Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { withSuketTables } from '../db/migrations-suket.ts';

/**
 * What a resident's own status check reads (services/citizen-check.ts) and its failure counts (migration
 * 0014). Only the columns the answer needs: never the photo, the biodata or the address.
 */

export interface CitizenRecordRow {
  id: string;
  registration_number: string;
  nik: string;
  full_name: string;
  birth_date: string;
  status: string;
  recorded_at: string;
  site_id: string;
  site_name: string;
}

export function findRecordByRegistrationNumber(db: OfficeDbOrTx, registrationNumber: string): Promise<CitizenRecordRow | undefined> {
  return db
    .selectFrom('records')
    .innerJoin('sites', 'sites.id', 'records.site_id')
    .select(['records.id', 'records.registration_number', 'records.nik', 'records.full_name', 'records.birth_date', 'records.status', 'records.recorded_at', 'records.site_id', 'sites.name as site_name'])
    .where('records.registration_number', '=', registrationNumber)
    .executeTakeFirst();
}

export function citizenTimeline(db: OfficeDbOrTx, recordId: string) {
  return db.selectFrom('status_events').select(['status', 'at']).where('record_id', '=', recordId).orderBy('id').execute();
}

/** The record's Sukets, newest first (serial, dates and state only: not the QR, not who issued it). */
export function citizenSukets(db: OfficeDbOrTx, recordId: string) {
  return withSuketTables(db)
    .selectFrom('sukets')
    .select(['serial', 'issued_at', 'expires_at', 'status', 'revoke_reason', 'revoked_at'])
    .where('record_id', '=', recordId)
    .orderBy('issued_at', 'desc')
    .orderBy('serial', 'desc')
    .execute();
}

// ----- optional tables of other features: read when this office's schema has them -----


const tableCache = new WeakMap<object, Promise<Set<string>>>();

/** The tables this database holds (asked once per database handle; a migration adds tables only at start). */
export function tablesOf(db: Kysely<OfficeDb>): Promise<Set<string>> {
  let known = tableCache.get(db);
  if (!known) {
    known = db.introspection.getTables().then((tables) => new Set(tables.map((t) => t.name)));
    tableCache.set(db, known);
  }
  return known;
}

// ----- failed checks -----

type ThrottleTables = {
  citizen_check_throttle: { key: string; failures: number; last_failure_at: string; blocked_until: string | null };
};

const throttle = (db: OfficeDbOrTx) => (db as Kysely<OfficeDb>).withTables<ThrottleTables>();

/** The latest `blocked_until` after `now` among these keys. */
export async function blockedUntil(db: OfficeDbOrTx, keys: string[], now: string): Promise<string | undefined> {
  const rows = await throttle(db).selectFrom('citizen_check_throttle').select('blocked_until').where('key', 'in', keys).where('blocked_until', '>', now).execute();
  return rows.map((r) => r.blocked_until!).sort().at(-1);
}

/** One more failure for `key` (the count starts again after `windowStart`); returns the count. One statement, so concurrent failures all count. */
export async function countFailure(db: OfficeDbOrTx, key: string, now: string, windowStart: string): Promise<number> {
  const row = await throttle(db)
    .insertInto('citizen_check_throttle')
    .values({ key, failures: 1, last_failure_at: now, blocked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when citizen_check_throttle.last_failure_at < ${windowStart} then 1 else citizen_check_throttle.failures + 1 end`,
        last_failure_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

export async function blockKey(db: OfficeDbOrTx, key: string, until: string): Promise<void> {
  await throttle(db).updateTable('citizen_check_throttle').set({ blocked_until: until }).where('key', '=', key).execute();
}

/** Forgets counts whose window has passed and whose wait is over. */
export async function sweepFailures(db: OfficeDbOrTx, windowStart: string, now: string): Promise<void> {
  await throttle(db)
    .deleteFrom('citizen_check_throttle')
    .where('last_failure_at', '<', windowStart)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
}
