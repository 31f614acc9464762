import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { syntheticResidents } from '@tangguh/capture';
import { DomainError } from '@tangguh/domain';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { applyPushBatch } from '@tangguh/central/services/inbox';
import { runDeduplication } from '@tangguh/central/services/dedup';
import { buildPendingPrintPackages } from '../../../central/src/services/print-packages.ts';
import { buildBatch, buildPacket, registerTestOffice } from '../../../../test/builders.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack, freePort } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { printPackageDb } from '../db/print-package-tables.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { recordResident } from './recording.ts';
import { CentralClient } from './central-client.ts';
import { pushOnce } from './sync.ts';
import { trustSyncer } from './trust-sync.ts';
import { cardReplacement, requestCardReplacement } from './card-replacements.ts';
import { openPrintPackage, printPackageSyncer, pullPrintPackages } from './print-packages.ts';
import { createServer } from 'node:http';
import { printPackageDb as centralPackageDb } from '../../../central/src/db/print-package-tables.ts';

/** The code a promise is refused with (a DomainError), or 'ACCEPTED'. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ACCEPTED',
    (error: unknown) => (error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`),
  );
}

describe.each(DIALECTS)('card print packages reaching the office on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let central: CentralContext;
  let closeCentral: () => Promise<void>;
  let centralApp: FastifyInstance;
  let client: CentralClient;
  let operator: OfficeUser;
  let dropStore = async () => {};
  const recordIds: string[] = [];
  const names: string[] = [];

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-packages-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    closeCentral = () => c.handle.close();
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const port = await freePort();
    await centralApp.listen({ port, host: '127.0.0.1' });
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closeOffice = () => o.handle.close();
    operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    await trustSyncer(office, { centralUrl: `http://127.0.0.1:${port}` }).run();
    for (const person of syntheticResidents(2, { seed: 8080, regencyCode: '35.09', regions: office.regions })) {
      const { record } = await recordResident(office, { request: await syntheticRecording(person, person.nik), operator });
      recordIds.push(record.id);
      names.push(person.fullName);
    }
    await pushOnce(office, client, 50);
    await runDeduplication(central);
  });

  afterAll(async () => {
    await centralApp?.close();
    await closeOffice?.();
    await closeCentral?.();
    await dropStore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fetches the package of each Print Ready Record before anyone asks to print, and stores each once even when a page is fetched again', async () => {
    expect(await buildPendingPrintPackages(central)).toBe(2);
    // A fetch whose answer never reached the database (the office died before its commit) changes nothing.
    await client.printPackages(0, 20);
    expect(await getSyncNumber(office.db, 'print_package_cursor')).toBe(0);
    expect(await pullPrintPackages(office, client)).toEqual({ stored: 2, hasMore: false });
    expect(await getSyncNumber(office.db, 'print_package_cursor')).toBe(2);
    // The same page fetched again (a cursor lost, a replayed answer): nothing is stored twice.
    await setSyncValue(office.db, 'print_package_cursor', 0);
    expect(await pullPrintPackages(office, client)).toEqual({ stored: 0, hasMore: false });
    const rows = await printPackageDb(office.db).selectFrom('print_packages').select(['package_id']).execute();
    expect(rows).toHaveLength(2);
  });

  it('keeps each package sealed at rest: the raw row holds neither the name nor the photo bytes', async () => {
    const opened = await openPrintPackage(office, recordIds[0]!);
    const row = await printPackageDb(office.db).selectFrom('print_packages').selectAll().where('record_id', '=', recordIds[0]!).executeTakeFirstOrThrow();
    const raw = Buffer.from(JSON.stringify({ ...row, sealed_package: null }) + Buffer.from(row.sealed_package!).toString('latin1'), 'latin1');
    expect(raw.includes(Buffer.from(opened.fields.nama))).toBe(false);
    expect(raw.includes(Buffer.from(names[0]!))).toBe(false);
    expect(Buffer.from(row.sealed_package!).includes(Buffer.from(opened.photo.data.subarray(0, 64)))).toBe(false);
  });

  it('opens the verified package with the centre stopped: the chip data is signed by the CARD key of the trust list and holds exactly two fingerprints', async () => {
    await centralApp.close();
    const opened = await openPrintPackage(office, recordIds[1]!);
    expect(opened.recordId).toBe(recordIds[1]);
    expect(opened.signer.purpose).toBe('CARD');
    expect(opened.fingerprints).toHaveLength(2);
    expect(opened.fields.berlakuHingga).toBe('SEUMUR HIDUP');
    expect(opened.fields.nama).toBe(names[1]!.toLocaleUpperCase('id-ID'));
    await expect(pullPrintPackages(office, client)).rejects.toThrow();
    // Restarted for the tests that follow, on the same database.
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const port = await freePort();
    await centralApp.listen({ port, host: '127.0.0.1' });
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
  });

  it('refuses a stored package whose bytes were changed, and one filed under another record', async () => {
    const table = () => printPackageDb(office.db);
    const row = await table().selectFrom('print_packages').selectAll().where('record_id', '=', recordIds[0]!).executeTakeFirstOrThrow();
    const other = await table().selectFrom('print_packages').selectAll().where('record_id', '=', recordIds[1]!).executeTakeFirstOrThrow();
    const altered = Uint8Array.from(row.sealed_package!);
    altered[altered.length - 10] = altered[altered.length - 10]! ^ 0x01;
    await table().updateTable('print_packages').set({ sealed_package: altered }).where('package_id', '=', row.package_id).execute();
    expect(await refusal(openPrintPackage(office, recordIds[0]!))).toBe('PRINT_PACKAGE_INVALID');
    await table().updateTable('print_packages').set({ sealed_package: other.sealed_package }).where('package_id', '=', row.package_id).execute();
    expect(await refusal(openPrintPackage(office, recordIds[0]!))).toBe('PRINT_PACKAGE_INVALID');
    await table().updateTable('print_packages').set({ sealed_package: row.sealed_package }).where('package_id', '=', row.package_id).execute();
    expect((await openPrintPackage(office, recordIds[0]!)).recordId).toBe(recordIds[0]);
  });

  it('asks for a replacement card of a resident recorded at another office, receives its package, and is told when the centre does not know the NIK', async () => {
    const elsewhere = await registerTestOffice(central);
    const [resident] = syntheticResidents(1, { seed: 9191, regencyCode: '35.09', regions: office.regions });
    const packet = await buildPacket(central, resident!, { subjectKey: resident!.nik });
    await applyPushBatch(central, elsewhere.officeId, buildBatch(elsewhere.officeId, 1, [packet]));
    await runDeduplication(central);

    const lost = await requestCardReplacement(office, { nik: resident!.nik, reason: 'LOST', operator });
    const unknown = await requestCardReplacement(office, { nik: '3509019999990001', reason: 'DAMAGED', operator });
    expect(lost.status).toBe('REQUESTED');
    expect(await pushOnce(office, client, 50)).toBe(2);
    await pullPrintPackages(office, client);

    const answered = await cardReplacement(office.db, lost.requestId);
    expect(answered.status).toBe('READY');
    expect(answered.recordId).toBe(packet.recordId);
    const opened = await openPrintPackage(office, packet.recordId);
    expect(opened.kind).toBe('REPLACEMENT');
    expect(opened.officeId).toBe(office.office.id);
    expect(opened.fields.nik).toBe(resident!.nik);
    expect(opened.fingerprints).toHaveLength(2);

    const refused = await cardReplacement(office.db, unknown.requestId);
    expect(refused.status).toBe('REFUSED');
    expect(refused.refusal?.id).toMatch(/NIK/);
    expect(refused.refusal?.en).toMatch(/NIK/);
  });

  it('stores nothing and keeps its cursor when the process dies between fetching a page and committing it, then stores the page once', async () => {
    const [person] = syntheticResidents(1, { seed: 8181, regencyCode: '35.09', regions: office.regions });
    const { record } = await recordResident(office, { request: await syntheticRecording(person!, person!.nik), operator });
    await pushOnce(office, client, 50);
    await runDeduplication(central);
    // Ours, and the first package of the other office's resident (that office's feed, not ours).
    expect(await buildPendingPrintPackages(central)).toBe(2);
    const held = async () => Number((await printPackageDb(office.db).selectFrom('print_packages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { count: await held(), cursor: await getSyncNumber(office.db, 'print_package_cursor') };
    // The commit fails at its last write, the cursor's, as a crash there would leave it: nothing of it lands.
    await failCursorWrites(office, dialect, true);
    try {
      await expect(pullPrintPackages(office, client)).rejects.toThrow(/crash before commit/);
    } finally {
      await failCursorWrites(office, dialect, false);
    }
    expect({ count: await held(), cursor: await getSyncNumber(office.db, 'print_package_cursor') }).toEqual(before);
    expect(await pullPrintPackages(office, client)).toEqual({ stored: 1, hasMore: false });
    expect(await pullPrintPackages(office, client)).toEqual({ stored: 0, hasMore: false });
    expect(await held()).toBe(before.count + 1);
    expect((await openPrintPackage(office, record.id)).recordId).toBe(record.id);
  });

  it('refuses a package altered on its way (nothing stored, cursor unmoved), without failing the sync cycle, and takes it once it is genuine', async () => {
    const [person] = syntheticResidents(1, { seed: 8282, regencyCode: '35.09', regions: office.regions });
    await recordResident(office, { request: await syntheticRecording(person!, person!.nik), operator });
    await pushOnce(office, client, 50);
    await runDeduplication(central);
    await buildPendingPrintPackages(central);
    const row = await centralPackageDb(central.db).selectFrom('print_packages').selectAll().orderBy('cursor', 'desc').where('office_id', '=', office.office.id).executeTakeFirstOrThrow();
    const genuine = central.galleryKey.open(new Uint8Array(row.sealed_package!));
    const altered = Uint8Array.from(genuine);
    altered[altered.length - 20] = altered[altered.length - 20]! ^ 0x01;
    await centralPackageDb(central.db).updateTable('print_packages').set({ sealed_package: central.galleryKey.seal(altered) }).where('package_id', '=', row.package_id).execute();
    const cursor = await getSyncNumber(office.db, 'print_package_cursor');
    expect(await refusal(pullPrintPackages(office, client))).toBe('PRINT_PACKAGE_INVALID');
    expect(await printPackageSyncer(office, client).run(() => true)).toBe(0);
    expect(await getSyncNumber(office.db, 'print_package_cursor')).toBe(cursor);
    await centralPackageDb(central.db).updateTable('print_packages').set({ sealed_package: central.galleryKey.seal(genuine) }).where('package_id', '=', row.package_id).execute();
    expect(await printPackageSyncer(office, client).run(() => true)).toBe(1);
  });

  it('goes on syncing with a centre of an older release that has no package feed', async () => {
    const old = createServer((_request, response) => response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND"}}'));
    const port = await freePort();
    await new Promise<void>((resolve) => old.listen(port, '127.0.0.1', resolve));
    try {
      const oldClient = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
      expect(await printPackageSyncer(office, oldClient).run(() => true)).toBe(0);
    } finally {
      await new Promise((resolve) => old.close(resolve));
    }
  });
});

/** A trigger that refuses to write the package cursor, standing in for a process killed before its commit. */
async function failCursorWrites(office: OfficeContext, dialect: (typeof DIALECTS)[number], on: boolean): Promise<void> {
  if (dialect === 'sqlite') {
    if (!on) {
      await sql`drop trigger if exists crash_before_commit`.execute(office.db);
      await sql`drop trigger if exists crash_before_commit_update`.execute(office.db);
      return;
    }
    await sql`create trigger crash_before_commit before insert on sync_state when new.key = 'print_package_cursor' begin select raise(abort, 'crash before commit'); end`.execute(office.db);
    await sql`create trigger crash_before_commit_update before update on sync_state when new.key = 'print_package_cursor' begin select raise(abort, 'crash before commit'); end`.execute(office.db);
    return;
  }
  if (!on) {
    await sql`drop trigger if exists crash_before_commit on sync_state`.execute(office.db);
    return;
  }
  await sql`create or replace function crash_before_commit() returns trigger language plpgsql as $$ begin if new.key = 'print_package_cursor' then raise exception 'crash before commit'; end if; return new; end $$`.execute(office.db);
  await sql`create trigger crash_before_commit before insert or update on sync_state for each row execute function crash_before_commit()`.execute(office.db);
}
