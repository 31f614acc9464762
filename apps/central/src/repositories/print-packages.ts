import type { CentralDbOrTx } from '../db/schema.ts';
import { printPackageDb, type PrintPackageTables } from '../db/print-package-tables.ts';

export type PrintPackageRow = PrintPackageTables['print_packages'];

/** Statuses from which a card can be printed: the Print Ready Record and what follows it. */
export const PRINTABLE_STATUSES = ['PRINT_READY_RECORD', 'SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED'] as const;

const ENROLLMENT_COLUMNS = ['record_id', 'office_id', 'nik', 'biodata', 'photo', 'photo_mime', 'signature', 'signature_mime', 'sealed_biometrics', 'status_at'] as const;

/**
 * Print Ready Records that have no first package yet, oldest first. Scanning for what is missing (not
 * following events) is what makes the builder unable to miss one: a crash, a failed build or a record made
 * print-ready by any path (deduplication, adjudication, an import) is simply found again.
 */
export function enrollmentsAwaitingPackage(db: CentralDbOrTx, limit: number) {
  return printPackageDb(db)
    .selectFrom('enrollments as e')
    .select(ENROLLMENT_COLUMNS.map((c) => `e.${c}` as const))
    .where('e.status', '=', 'PRINT_READY_RECORD')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('print_packages as p').select('p.package_id').whereRef('p.record_id', '=', 'e.record_id').where('p.kind', '=', 'FIRST'))),
    )
    .orderBy('e.status_at')
    .orderBy('e.record_id')
    .limit(limit)
    .execute();
}

export type PrintableEnrollment = Awaited<ReturnType<typeof enrollmentsAwaitingPackage>>[number];

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
