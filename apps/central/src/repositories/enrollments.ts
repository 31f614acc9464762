import type { PushRecordingPacket } from '@tangguh/protocol';
import { sql } from 'kysely';
import type { CentralDbOrTx, EnrollmentsTable } from '../db/schema.ts';

/** Bytes from a push: base64 from a JSON body, as they are from a binary one. */
const bytesOf = (data: string | Uint8Array) => (typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'base64')) : data);

// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits with 19 columns.
const CHUNK = 200;

/** The enrollment rows of an office's recordings, as received at `receivedAt` (no database work). */
export function enrollmentRows(officeId: string, packets: PushRecordingPacket[], receivedAt: string): EnrollmentsTable[] {
  return packets.map((p) => ({
    record_id: p.recordId,
    office_id: officeId,
    registration_number: p.registrationNumber,
    site_id: p.siteId,
    nik: p.biodata.nik,
    full_name: p.biodata.fullName,
    birth_date: p.biodata.birthDate,
    sex: p.biodata.sex,
    biodata: JSON.stringify(p.biodata),
    photo: bytesOf(p.photo.data),
    photo_mime: p.photo.mime,
    signature: bytesOf(p.signature.data),
    signature_mime: p.signature.mime,
    sealed_biometrics: bytesOf(p.sealedBiometrics),
    exceptions: JSON.stringify(p.exceptions),
    status: 'RECEIVED_AT_CENTRAL',
    status_at: receivedAt,
    recorded_at: p.recordedAt,
    received_at: receivedAt,
  }));
}

/** Inserts rows made by `enrollmentRows`, in the caller's transaction. */
export async function insertEnrollmentRows(trx: CentralDbOrTx, rows: EnrollmentsTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // A record id already enrolled under another seq would be an office bug; keep the first copy
    // rather than block the office's whole queue.
    await trx.insertInto('enrollments').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.column('record_id').doNothing()).execute();
  }
}

export async function insertEnrollments(trx: CentralDbOrTx, officeId: string, packets: PushRecordingPacket[], receivedAt: string): Promise<void> {
  await insertEnrollmentRows(trx, enrollmentRows(officeId, packets, receivedAt));
}

/**
 * The status as an expression rather than the column, where records are picked by id: compared row by row
 * on the rows the ids find. Given the column, SQLite (which keeps no statistics here) walks the status index
 * instead — every one of a backlog's RECEIVED_AT_CENTRAL rows for each batch of 100 ids, which made
 * deduplicating a backlog of 70,000 quadratic (four tenths of the dedup worker's time).
 */
const statusByRow = sql<string>`${sql.ref('status')} || ''`;

/**
 * Takes received records for deduplication: only those still RECEIVED_AT_CENTRAL move to PROCESSING, in one
 * statement, so of two dedup workers that read the same rows, each record goes to one of them. Returns the
 * ids this caller took.
 */
export async function claimReceived(trx: CentralDbOrTx, recordIds: string[], at: string): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const rows = await trx
    .updateTable('enrollments')
    .set({ status: 'PROCESSING', status_at: at })
    .where('record_id', 'in', recordIds)
    .where(statusByRow, '=', 'RECEIVED_AT_CENTRAL')
    .returning('record_id')
    .execute();
  return new Set(rows.map((r) => r.record_id));
}

/** Which of these records are in `status` now. */
export async function recordsInStatus(db: CentralDbOrTx, recordIds: string[], status: string): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const rows = await db.selectFrom('enrollments').select('record_id').where('record_id', 'in', recordIds).where(statusByRow, '=', status).execute();
  return new Set(rows.map((r) => r.record_id));
}

export function findEnrollment(db: CentralDbOrTx, recordId: string) {
  return db.selectFrom('enrollments').selectAll().where('record_id', '=', recordId).executeTakeFirst();
}

/** The office, sealed biometrics and status of a record that must exist. */
export function enrollmentBiometrics(db: CentralDbOrTx, recordId: string) {
  return db.selectFrom('enrollments').select(['office_id', 'sealed_biometrics', 'status']).where('record_id', '=', recordId).executeTakeFirstOrThrow();
}

export function enrollmentsInStatus(db: CentralDbOrTx, status: string, limit: number) {
  return db
    .selectFrom('enrollments')
    .select(['record_id', 'office_id', 'registration_number', 'sealed_biometrics'])
    .where('status', '=', status)
    .orderBy('received_at')
    // Within one batch (one received_at), in the order the office recorded them, not by random id.
    .orderBy('recorded_at')
    .orderBy('record_id')
    .limit(limit)
    .execute();
}

export async function countByStatus(db: CentralDbOrTx): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('enrollments')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
