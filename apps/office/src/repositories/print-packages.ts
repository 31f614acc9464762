import type { OfficeDbOrTx } from '../db/schema.ts';
import { printPackageDb, type PrintPackageTables } from '../db/print-package-tables.ts';

export type PrintPackageRow = PrintPackageTables['print_packages'];
export type CardReplacementRow = PrintPackageTables['card_replacements'];

/** Stores packages from the feed; one already held (a page fetched again) is left as it was. */
export async function insertPrintPackages(trx: OfficeDbOrTx, rows: PrintPackageRow[]): Promise<number> {
  let stored = 0;
  for (const row of rows) {
    const result = await printPackageDb(trx).insertInto('print_packages').values(row).onConflict((oc) => oc.column('package_id').doNothing()).executeTakeFirst();
    stored += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return stored;
}

/** The newest ready package for a record (a replacement, when there is one, is newer than the first). */
export function latestReadyPackage(db: OfficeDbOrTx, recordId: string): Promise<PrintPackageRow | undefined> {
  return printPackageDb(db)
    .selectFrom('print_packages')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('status', '=', 'READY')
    .orderBy('cursor', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertCardReplacement(trx: OfficeDbOrTx, row: CardReplacementRow): Promise<void> {
  await printPackageDb(trx).insertInto('card_replacements').values(row).execute();
}

/** Records the centre's answer to a request, once: a later copy of the answer changes nothing. */
export async function answerCardReplacement(
  trx: OfficeDbOrTx,
  requestId: string,
  answer: { status: 'READY' | 'REFUSED'; answeredAt: string; recordId: string | null; refusal: string | null },
): Promise<void> {
  await printPackageDb(trx)
    .updateTable('card_replacements')
    .set({ status: answer.status, answered_at: answer.answeredAt, record_id: answer.recordId, refusal: answer.refusal })
    .where('request_id', '=', requestId)
    .where('status', '=', 'REQUESTED')
    .execute();
}

export function findCardReplacement(db: OfficeDbOrTx, requestId: string): Promise<CardReplacementRow | undefined> {
  return printPackageDb(db).selectFrom('card_replacements').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export function listCardReplacements(db: OfficeDbOrTx, limit = 200): Promise<CardReplacementRow[]> {
  return printPackageDb(db).selectFrom('card_replacements').selectAll().orderBy('requested_at', 'desc').limit(limit).execute();
}
