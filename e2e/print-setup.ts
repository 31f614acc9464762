import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { login, residentRequests, scalar, waitFor, withReadonly, type HttpClient, type RecordingCreated, type TestStack } from '../test/helpers.ts';

/*
 * The set-up the printing browser tests share: residents recorded through the real pipeline until the centre
 * has made them print-ready and the office holds their print packages, and a Dinas printer with blanks on hand.
 */

/** Records `count` synthetic residents (from `seed`) as `operator`; each with its NIK and the id of its record. */
export async function recordResidents(operator: HttpClient, count: number, seed: number): Promise<{ nik: string; recordId: string }[]> {
  const recorded: { nik: string; recordId: string }[] = [];
  for (const resident of await residentRequests(count, seed)) {
    const created = await operator.post<RecordingCreated>('/api/recordings', resident.request);
    expect(created.status).toBe(201);
    recorded.push({ nik: resident.biodata.nik, recordId: created.body.record.id });
  }
  return recorded;
}

/** Waits until the office counts `count` records the centre has made Print Ready Records. */
export async function waitForPrintReady(operator: HttpClient, count: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => (await operator.get<{ byStatus: Record<string, number> }>('/api/recordings/summary')).body.byStatus.PRINT_READY_RECORD === count, {
    timeoutMs,
    message: `${count} records to become print-ready`,
  });
}

/** Waits until `count` print packages are fetched and ready at the office. */
export async function waitForPrintPackages(stack: TestStack, count: number, timeoutMs: number): Promise<void> {
  await waitFor(() => stack.officeDb((db) => scalar(db, "select count(*) from print_packages where status = 'READY'")) === count, { timeoutMs, message: `${count} print packages at the office` });
}

/**
 * A printer at the Dinas writing each card to a folder (the demo's printer), set up by the admin, and ten blanks of
 * `tranche` from `serialFrom` received there by `supervisor`. Returns the folder the cards are written to.
 */
export async function dinasFolderPrinterWithBlanks(stack: TestStack, supervisor: HttpClient, tranche: string, serialFrom: number): Promise<string> {
  const cardsDir = join(stack.dir, 'cards');
  mkdirSync(cardsDir, { recursive: true });
  const admin = await login(stack.officeUrl, 'admin', 'admin-jember');
  const printer = await admin.request('PUT', '/api/print-plan/printers/dinas-1', {
    siteId: 'dinas',
    name: 'Printer Dinas 1',
    capacityPerDay: 200,
    state: 'ready',
    ribbonLeft: 400,
    filmLeft: 400,
    printsPerRibbon: 500,
    printsPerFilm: 500,
    connection: { driver: 'folder', target: cardsDir },
  });
  expect(printer.status, JSON.stringify(printer.body)).toBe(200);
  const blanks = await supervisor.post('/api/stok-blangko/penerimaan', { siteId: 'dinas', tranche, quantity: 10, serialFrom, serialTo: serialFrom + 9 });
  expect(blanks.status, JSON.stringify(blanks.body)).toBe(201);
  return cardsDir;
}

/** A record's status at the centre, read from its database. */
export const centralRecordStatus = (stack: TestStack, recordId: string) => withReadonly(stack.paths.centralDb, (db) => db.prepare('select status from enrollments where record_id = ?').pluck().get(recordId));
