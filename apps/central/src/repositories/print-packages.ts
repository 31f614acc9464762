import type { CentralDbOrTx } from '../db/schema.ts';
import { printPackageDb, type PrintPackageTables } from '../db/print-package-tables.ts';

export type PrintPackageRow = PrintPackageTables['print_packages'];

/** Statuses from which a card can be printed: the Print Ready Record and what follows it. */
export const PRINTABLE_STATUSES = ['PRINT_READY_RECORD', 'SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED'] as const;

const ENROLLMENT_COLUMNS = ['record_id', 'office_id', 'nik', 'biodata', 'photo', 'photo_mime', 'signature', 'signature_mime', 'sealed_biometrics', 'status_at'] as const;

/** The counters row holding how far along the gallery the package builder has come. */
const BUILDER_CURSOR = 'print_package_gallery_seq';

/**
 * Records admitted to the gallery after `after`, in gallery seq order, with what a package needs. Every
 * Print Ready Record enters the gallery (deduplication, adjudication) under a seq taken in commit order
 * (repositories/gallery.ts), so following the gallery by cursor never passes a record that commits later,
 * and reads only what is new — not every print-ready record each time the worker looks.
 */
export function galleryRecordsAfter(db: CentralDbOrTx, after: number, limit: number) {
  return db
    .selectFrom('gallery as g')
    .innerJoin('enrollments as e', 'e.record_id', 'g.record_id')
    .select([...ENROLLMENT_COLUMNS.map((c) => `e.${c}` as const), 'e.status', 'g.seq'])
    .where('g.seq', '>', after)
    .orderBy('g.seq')
    .limit(limit)
    .execute();
}

export async function packageBuilderCursor(db: CentralDbOrTx): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', BUILDER_CURSOR).executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Moves the builder's cursor forward only: a slower worker finishing an older batch never moves it back. */
export async function advancePackageBuilderCursor(db: CentralDbOrTx, to: number): Promise<void> {
  await db.insertInto('counters').values({ name: BUILDER_CURSOR, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  await db.updateTable('counters').set({ value: to }).where('name', '=', BUILDER_CURSOR).where('value', '<', to).execute();
}

export type PrintableEnrollment = Omit<Awaited<ReturnType<typeof galleryRecordsAfter>>[number], 'seq' | 'status'>;

/** The resident's latest printable record by NIK, whichever office recorded it. */
export function latestPrintableByNik(db: CentralDbOrTx, nik: string): Promise<PrintableEnrollment | undefined> {
  return db
    .selectFrom('enrollments')
    .select([...ENROLLMENT_COLUMNS])
    .where('nik', '=', nik)
    .where('status', 'in', [...PRINTABLE_STATUSES])
    .orderBy('status_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function printPackageExists(db: CentralDbOrTx, packageId: string): Promise<boolean> {
  return Boolean(await printPackageDb(db).selectFrom('print_packages').select('package_id').where('package_id', '=', packageId).executeTakeFirst());
}

/**
 * The next cursor of an office's package feed, in the caller's transaction. The counter row stays locked until
 * the transaction ends, so cursors become visible in commit order and a reader never passes one that commits later.
 */
export async function takeFeedCursor(trx: CentralDbOrTx, officeId: string): Promise<number> {
  const name = `print_feed:${officeId}`;
  await trx.insertInto('counters').values({ name, value: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export async function insertPrintPackage(trx: CentralDbOrTx, row: PrintPackageRow): Promise<void> {
  await printPackageDb(trx).insertInto('print_packages').values(row).execute();
}

export function printPackagesAfter(db: CentralDbOrTx, officeId: string, after: number, limit: number): Promise<PrintPackageRow[]> {
  return printPackageDb(db)
    .selectFrom('print_packages')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('cursor', '>', after)
    .orderBy('cursor')
    .limit(limit)
    .execute();
}
