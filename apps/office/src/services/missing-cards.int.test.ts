// Cards missing on a manifest, settled, on a real office database (SQLite and PostgreSQL) with the centre down
// after the print packages came. Three cards go to Kaliwates and none is in the box. P turns up later at the
// point (received late) and is handed over there. Q is declared lost in transit: its blank written off in the
// stock ledger with the reason, the card printed again before every other job, the resident told (she left a
// contact with her Suket) — all in one transaction — and the reprint goes out on a new manifest and is handed
// over. R's loss is recorded without a message (no contact).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import { DomainError } from '@tangguh/domain';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { runDeduplication } from '@tangguh/central/services/dedup';
import { buildPendingPrintPackages } from '../../../central/src/services/print-packages.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { blankBalances } from '../repositories/blank-stock.ts';
import { upsertSuketContact } from '../repositories/notifications.ts';
import { CentralClient } from './central-client.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { trustSyncer } from './trust-sync.ts';
import { pullPrintPackages } from './print-packages.ts';
import { createPrintJobs } from './print-jobs.ts';
import { printRoomPass, type PrintDevices } from './print-run.ts';
import { CountingFolderPrinter, FolderChipEncoder, renderTestCard } from './print-room-harness.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { issueSuket } from './suket.ts';
import { recordResident } from './recording.ts';
import { createManifest, dispatchManifest, missingCardViews, printedCardsForDistribution, receiveManifest, settleMissingFound, settleMissingLost } from './distribution.ts';
import { checkFingerprints, handOverCard, searchForPickup } from './pickup.ts';

const KALIWATES_SITE = 'kec-35.09.19';

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ACCEPTED',
    (error: unknown) => (error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`),
  );
}

async function scan(subjectKey: string, positions: string[]) {
  const capture = await new SyntheticCaptureDevice().capture({ subjectKey, attempt: 1 });
  return capture.biometrics.filter((b) => positions.includes(b.position)).map((b) => ({ position: b.position, template: Buffer.from(b.template).toString('base64') }));
}

describe.each(DIALECTS)('cards missing on a manifest, settled, office on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let central: CentralContext;
  let closeCentral: () => Promise<void>;
  let centralApp: FastifyInstance | undefined;
  let dropStore = async () => {};
  let devices: PrintDevices;
  const users: Record<string, OfficeUser> = {};
  const ids: Record<'P' | 'Q' | 'R' | 'S', string> = { P: '', Q: '', R: '', S: '' };
  const niks: Record<string, string> = {};
  let manifestId = '';

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-missing-cards-'));
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
    const sessions = officeSessionStore(office.db);
    for (const name of ['operator', 'supervisor', 'operator.kaliwates']) users[name] = (await sessions.findLogin(name))!.user;
    const client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    await trustSyncer(office, { centralUrl: `http://127.0.0.1:${port}` }).run();
    const people = syntheticResidents(4, { seed: 4242, regencyCode: '35.09', regions: office.regions });
    for (const [i, name] of (['P', 'Q', 'R', 'S'] as const).entries()) {
      // Recorded at Kaliwates, where they collect: its counter sees them.
      const { record } = await recordResident(office, { request: await syntheticRecording(people[i]!, `subject-${people[i]!.nik}`), operator: users['operator.kaliwates']! });
      ids[name] = record.id;
      niks[name] = people[i]!.nik;
    }
    // Q holds a Suket and left an e-mail address with it.
    const suket = (await issueSuket(office, { recordId: ids.Q, operator: users['operator.kaliwates']! })).suket.serial;
    await upsertSuketContact(office.db, { serial: suket, channel: 'email', address: 'q.warga@example.org', lang: 'id', recorded_by: 'operator', recorded_at: office.now().toISOString() });
    await pushOnce(office, client, 50);
    await runDeduplication(central);
    await buildPendingPrintPackages(central);
    while ((await pullOnce(office, client, 100)).hasMore);
    while ((await pullPrintPackages(office, client)).hasMore);
    await centralApp.close();
    centralApp = undefined;

    const at = office.now().toISOString();
    await upsertPrinter(office.db, { id: 'p1', siteId: 'dinas', name: 'Printer Dinas', capacityPerDay: 100, state: 'ready', ribbonLeft: 500, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: at });
    await recordBlankEntry(office.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 10, serials: { from: 101, to: 110 } }, 'supervisor', at);
    devices = { printer: (row) => new CountingFolderPrinter(row.id, join(dir, 'cards', row.id)), encoder: new FolderChipEncoder(join(dir, 'chips')), render: renderTestCard, pollMs: 10, waitMs: 2000 };
    await createPrintJobs(office, { recordIds: [ids.P, ids.Q, ids.R], replacementRequestIds: [], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    if ((await printRoomPass(office, devices, { worker: 'missing-test' })).printed !== 3) throw new Error('P, Q and R were not printed');
    const manifest = await createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.P, ids.Q, ids.R], by: users.supervisor! });
    manifestId = manifest.id;
    await dispatchManifest(office, { id: manifestId, by: users.supervisor! });
    // Nothing was in the box.
    await receiveManifest(office, { id: manifestId, receivedRecordIds: [], user: users['operator.kaliwates']! });
  });

  afterAll(async () => {
    await centralApp?.close();
    await closeOffice?.();
    await closeCentral?.();
    await dropStore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const jobs = () => office.db.withTables<{ print_jobs: { id: string; seq: number; record_id: string | null; state: string; blank_serial: number | null; reprint_of: string | null } }>().selectFrom('print_jobs').selectAll().execute();
  const ledgerRows = () => office.db.withTables<{ blank_ledger: { id: number; kind: string; quantity: number; record_id: string | null; reason: string | null; serial: number | null } }>().selectFrom('blank_ledger').selectAll().orderBy('id').execute();
  const messagesTo = (address: string) => office.db.withTables<{ notify_outbox: { kind: string; address: string; body: string; cause: string | null } }>().selectFrom('notify_outbox').selectAll().where('address', '=', address).execute();
  const statusOf = async (id: string) => (await office.db.selectFrom('records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('lists each card missing from the box as an open case with who flagged it', async () => {
    const cases = await missingCardViews(office, users.supervisor!);
    expect(cases.filter((c) => c.manifestId === manifestId).map((c) => [c.recordId, c.state, c.flaggedBy]).sort()).toEqual(
      [
        [ids.P, 'OPEN', 'operator.kaliwates'],
        [ids.Q, 'OPEN', 'operator.kaliwates'],
        [ids.R, 'OPEN', 'operator.kaliwates'],
      ].sort(),
    );
    expect((await missingCardViews(office, users['operator.kaliwates']!)).length).toBe(3);
  });

  it('receives a card found later at its point, by someone posted there, and it is handed over there', async () => {
    expect(await refusal(settleMissingFound(office, { manifestId, recordId: ids.P, user: users.operator! }))).toBe('MANIFEST_WRONG_SITE');
    const found = await settleMissingFound(office, { manifestId, recordId: ids.P, note: 'Terselip di kotak manifes lain.', user: users['operator.kaliwates']! });
    expect(found).toMatchObject({ state: 'FOUND', settledBy: 'operator.kaliwates', reason: 'Terselip di kotak manifes lain.', flaggedBy: 'operator.kaliwates' });
    expect(await refusal(settleMissingFound(office, { manifestId, recordId: ids.P, user: users['operator.kaliwates']! }))).toBe('MISSING_CARD_SETTLED');
    const [p] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.P! });
    expect(p!.availability).toMatchObject({ kind: 'READY_HERE', siteId: KALIWATES_SITE, pickupFrom: found.settledAt });
    const check = await checkFingerprints(office, users['operator.kaliwates']!, ids.P, await scan(`subject-${niks.P}`, p!.chipFingers));
    await handOverCard(office, users['operator.kaliwates']!, ids.P, check.id);
    expect(await statusOf(ids.P)).toBe('CARD_ISSUED');
  });

  it('declares a card lost in transit in one transaction: nothing of it stays when the resident’s message cannot be stored', async () => {
    const [jobsBefore, ledgerBefore] = await Promise.all([jobs(), ledgerRows()]);
    if (dialect === 'sqlite') {
      await sql`create trigger no_messages before insert on notify_outbox begin select raise(abort, 'outbox frozen'); end`.execute(office.db);
    } else {
      await sql`create function no_messages() returns trigger language plpgsql as $$ begin raise exception 'outbox frozen'; end $$`.execute(office.db);
      await sql`create trigger no_messages before insert on notify_outbox for each row execute function no_messages()`.execute(office.db);
    }
    await expect(settleMissingLost(office, { manifestId, recordId: ids.Q, reason: 'Tidak ada di kotak dan tidak ditemukan setelah dicari.', user: users.supervisor! })).rejects.toThrow(/outbox frozen/);
    await sql`drop trigger no_messages${sql.raw(dialect === 'sqlite' ? '' : ' on notify_outbox')}`.execute(office.db);
    if (dialect !== 'sqlite') await sql`drop function no_messages()`.execute(office.db);
    expect((await jobs()).length).toBe(jobsBefore.length);
    expect((await ledgerRows()).length).toBe(ledgerBefore.length);
    expect((await missingCardViews(office, users.supervisor!)).find((c) => c.recordId === ids.Q)!.state).toBe('OPEN');
    expect(await messagesTo('q.warga@example.org')).toEqual([]);
  });

  it('writes the lost card’s blank off with the reason, reprints it ahead of every job, tells the resident, and refuses it at the counter until reprinted', async () => {
    // S's first card is queued before the loss is settled: the reprint still prints first.
    await createPrintJobs(office, { recordIds: [ids.S], replacementRequestIds: [], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    const balance = (await blankBalances(office.db, ['dinas'])).get('dinas');
    const lostJob = (await jobs()).find((j) => j.record_id === ids.Q && j.state === 'printed')!;

    const lost = await settleMissingLost(office, { manifestId, recordId: ids.Q, reason: 'Tidak ada di kotak dan tidak ditemukan setelah dicari.', user: users.supervisor! });
    expect(lost).toMatchObject({ state: 'LOST_IN_TRANSIT', settledBy: 'supervisor', blankSerial: Number(lostJob.blank_serial), reprintState: 'queued', notified: 1 });
    // The ledger: a spoilage row naming the blank and the reason; the stock is what it was (the blank left it when printed).
    const writeOff = (await ledgerRows()).at(-1)!;
    expect(writeOff).toMatchObject({ kind: 'spoilage', record_id: ids.Q });
    expect(Number(writeOff.quantity)).toBe(0);
    expect(writeOff.reason).toContain(String(lostJob.blank_serial));
    expect(writeOff.reason).toContain('tidak ditemukan');
    expect((await blankBalances(office.db, ['dinas'])).get('dinas')).toBe(balance);
    // The reprint: numbered below every other job, so it is the next the print room takes.
    const all = await jobs();
    const reprint = all.find((j) => j.id === lost.reprintJobId)!;
    expect(reprint).toMatchObject({ record_id: ids.Q, state: 'queued', reprint_of: lostJob.id });
    expect(Math.min(...all.map((j) => Number(j.seq)))).toBe(Number(reprint.seq));
    // The resident: one message, in Indonesian, saying the card is printed again.
    const messages = await messagesTo('q.warga@example.org');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'card-lost' });
    expect(messages[0]!.body).toContain('dicetak ulang');
    // R left no contact: settled, nobody to tell.
    expect(await settleMissingLost(office, { manifestId, recordId: ids.R, reason: 'Tidak ada di kotak manifes saat diterima.', user: users.supervisor! })).toMatchObject({ state: 'LOST_IN_TRANSIT', notified: 0 });
    expect(await refusal(settleMissingLost(office, { manifestId, recordId: ids.Q, reason: 'Dinyatakan hilang untuk kedua kalinya.', user: users.supervisor! }))).toBe('MISSING_CARD_SETTLED');

    const [q] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.Q! });
    expect(q!.availability.kind).toBe('REPRINTING');
    expect(await refusal(checkFingerprints(office, users.operator!, ids.Q, await scan(`subject-${niks.Q}`, ['R_INDEX', 'L_INDEX'])))).toBe('CARD_BEING_REPRINTED');
  });

  it('prints the reprint first, ships it on a new manifest and hands it over at the point', async () => {
    const printed = await printRoomPass(office, devices, { worker: 'missing-test' });
    expect(printed.printed).toBe(3);
    const after = await jobs();
    const reprintQ = after.find((j) => j.record_id === ids.Q && j.reprint_of !== null)!;
    const firstS = after.find((j) => j.record_id === ids.S)!;
    expect(reprintQ.state).toBe('printed');
    // Blanks are taken in order: the reprint took one before S's card did.
    expect(Number(reprintQ.blank_serial)).toBeLessThan(Number(firstS.blank_serial));
    expect(await statusOf(ids.Q)).toBe('CARD_SHIPPED');
    expect((await printedCardsForDistribution(office, users.supervisor!)).items.map((c) => c.recordId)).toEqual(expect.arrayContaining([ids.Q, ids.R, ids.S]));
    const [atDinas] = await searchForPickup(office, users.operator!, { q: niks.Q! });
    expect(atDinas!.availability).toMatchObject({ kind: 'READY_HERE', siteId: 'dinas' });

    const again = await createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.Q], by: users.supervisor! });
    await dispatchManifest(office, { id: again.id, by: users.supervisor! });
    expect(await refusal(createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.Q], by: users.supervisor! }))).toBe('CARD_ALREADY_ON_MANIFEST');
    await receiveManifest(office, { id: again.id, receivedRecordIds: [ids.Q], user: users['operator.kaliwates']! });
    const [q] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.Q! });
    expect(q!.availability).toMatchObject({ kind: 'READY_HERE', manifestNumber: again.number });
    const check = await checkFingerprints(office, users['operator.kaliwates']!, ids.Q, await scan(`subject-${niks.Q}`, q!.chipFingers));
    await handOverCard(office, users['operator.kaliwates']!, ids.Q, check.id);
    expect(await statusOf(ids.Q)).toBe('CARD_ISSUED');
    const cases = await missingCardViews(office, users.supervisor!);
    expect(cases.find((c) => c.recordId === ids.Q)).toMatchObject({ state: 'LOST_IN_TRANSIT', reprintState: 'printed' });
  });
});
