import type { Kysely } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import { printPackageDb, type PrintPackageTables } from '../db/print-package-tables.ts';
import type { PrintJobTables } from './print-jobs.ts';

/** The hand-over of replacement cards (migration 0018). */
export type ReplacementHandoverTables = {
  replacement_handovers: {
    id: string;
    request_id: string;
    record_id: string;
    site_id: string;
    check_id: string;
    old_card: 'TAKEN_BACK' | 'DECLARED_LOST';
    old_card_note: string | null;
    handed_by: string;
    handed_at: string;
    revoked_sukets: string;
  };
};
export type ReplacementHandoverRow = ReplacementHandoverTables['replacement_handovers'];

type Db = Kysely<OfficeDb & PrintPackageTables & PrintJobTables & ReplacementHandoverTables>;
const tables = (db: OfficeDbOrTx): Db => printPackageDb(db).withTables<PrintJobTables & ReplacementHandoverTables>();

/** A replacement request the centre answered, with its printed card (if any) and its hand-over (if any). */
export interface ReplacementCardRow {
  request_id: string;
  nik: string;
  reason: string;
  note: string | null;
  record_id: string | null;
  requested_at: string;
  /** The last printed job of the replacement: where the card lies and since when. */
  job_id: string | null;
  print_site_id: string | null;
  printed_at: string | null;
  package_id: string | null;
}

/** READY replacement requests by NIK (the resident at the counter) or by request id, newest first. */
export async function findReplacementCards(db: OfficeDbOrTx, filter: { nik?: string; requestId?: string }, limit = 20): Promise<ReplacementCardRow[]> {
  let q = tables(db)
    .selectFrom('card_replacements')
    .select(['card_replacements.request_id', 'card_replacements.nik', 'card_replacements.reason', 'card_replacements.note', 'card_replacements.record_id', 'card_replacements.requested_at'])
    .where('card_replacements.status', '=', 'READY')
    .orderBy('card_replacements.requested_at', 'desc')
    .orderBy('card_replacements.request_id')
    .limit(limit);
  if (filter.nik) q = q.where('card_replacements.nik', '=', filter.nik);
  else if (filter.requestId) q = q.where('card_replacements.request_id', '=', filter.requestId);
  else return [];
  const requests = await q.execute();
  if (requests.length === 0) return [];
  const jobs = await tables(db)
    .selectFrom('print_jobs')
    .select(['id', 'request_id', 'site_id', 'printed_at', 'package_id'])
    .where('card', '=', 'REPLACEMENT')
    .where('state', '=', 'printed')
    .where(
      'request_id',
      'in',
      requests.map((r) => r.request_id),
    )
    .orderBy('printed_at')
    .orderBy('seq')
    .execute();
  // Oldest first: the last printed job of a request is the card that exists (a spoiled one was reprinted).
  const lastJob = new Map(jobs.map((j) => [j.request_id!, j]));
  return requests.map((r) => {
    const job = lastJob.get(r.request_id);
    return { ...r, job_id: job?.id ?? null, print_site_id: job?.site_id ?? null, printed_at: job?.printed_at ?? null, package_id: job?.package_id ?? null };
  });
}

export async function replacementHandoversOf(db: OfficeDbOrTx, requestIds: readonly string[]): Promise<Map<string, ReplacementHandoverRow>> {
  if (requestIds.length === 0) return new Map();
  const rows = await tables(db).selectFrom('replacement_handovers').selectAll().where('request_id', 'in', [...requestIds]).execute();
  return new Map(rows.map((r) => [r.request_id, r]));
}

export async function insertReplacementHandover(trx: OfficeDbOrTx, row: ReplacementHandoverRow): Promise<void> {
  await tables(trx).insertInto('replacement_handovers').values(row).execute();
}

/** The record's name and date of birth, when this office holds it (a replacement may be of another office's resident). */
export function heldRecord(db: OfficeDbOrTx, recordId: string): Promise<{ id: string; full_name: string; birth_date: string; registration_number: string } | undefined> {
  return db.selectFrom('records').select(['id', 'full_name', 'birth_date', 'registration_number']).where('id', '=', recordId).executeTakeFirst();
}
