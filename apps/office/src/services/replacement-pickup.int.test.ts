// Replacement cards handed over at the pickup counter, on a real office database (SQLite and PostgreSQL) with a
// real centre on loopback. X was recorded at another office and lost her card; Y was recorded here, got his
// first card, and it was damaged. Both replacements are asked for here, built by the centre, then the centre
// goes DOWN: they are printed from the stored packages and handed over after a 1:1 fingerprint check against
// the replacement's chip (or a supervisor's override), the old card declared lost (X) or taken back (Y).
// When the centre is back, CARD_ISSUED of each replacement reaches it once, with the old card's fate.
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
import { applyPushBatch } from '@tangguh/central/services/inbox';
import { runDeduplication } from '@tangguh/central/services/dedup';
import { buildPendingPrintPackages } from '../../../central/src/services/print-packages.ts';
import { buildBatch, buildPacket, registerTestOffice } from '../../../../test/builders.ts';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { CentralClient } from './central-client.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { trustSyncer } from './trust-sync.ts';
import { pullPrintPackages } from './print-packages.ts';
import { createPrintJobs } from './print-jobs.ts';
import { printRoomPass, type PrintDevices } from './print-run.ts';
import { CountingFolderPrinter, FolderChipEncoder, renderTestCard } from './print-room-harness.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { recordResident } from './recording.ts';
import { requestCardReplacement } from './card-replacements.ts';
import { checkFingerprints, handOverCard } from './pickup.ts';
import { approveReplacementOverride, checkReplacementFingerprints, handOverReplacement, searchReplacementsForPickup } from './replacement-pickup.ts';

async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ACCEPTED',
    (error: unknown) => (error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`),
  );
}

async function scan(subjectKey: string, positions: string[], attempt = 1) {
  const capture = await new SyntheticCaptureDevice().capture({ subjectKey, attempt });
  return capture.biometrics.filter((b) => positions.includes(b.position)).map((b) => ({ position: b.position, template: Buffer.from(b.template).toString('base64') }));
}

describe.each(DIALECTS)('replacement cards at the pickup counter with the centre down, office on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let central: CentralContext;
  let closeCentral: () => Promise<void>;
  let centralApp: FastifyInstance | undefined;
  let client: CentralClient;
  let dropStore = async () => {};
  const users: Record<string, OfficeUser> = {};
  const x = { nik: '', recordId: '', requestId: '', subject: '' };
  const y = { nik: '', recordId: '', requestId: '', subject: '' };

  async function startCentre(): Promise<number> {
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const port = await freePort();
    await centralApp.listen({ port, host: '127.0.0.1' });
    return port;
  }

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-replacement-pickup-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    closeCentral = () => c.handle.close();
    const port = await startCentre();
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closeOffice = () => o.handle.close();
    const sessions = officeSessionStore(office.db);
    for (const name of ['operator', 'supervisor', 'operator.kaliwates']) users[name] = (await sessions.findLogin(name))!.user;
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    await trustSyncer(office, { centralUrl: `http://127.0.0.1:${port}` }).run();

    const [personX, personY] = syntheticResidents(2, { seed: 7373, regencyCode: '35.09', regions: office.regions });
    // X: recorded at another office.
    const elsewhere = await registerTestOffice(central);
    const packet = await buildPacket(central, personX!, { subjectKey: `subject-${personX!.nik}` });
    await applyPushBatch(central, elsewhere.officeId, buildBatch(elsewhere.officeId, 1, [packet]));
    Object.assign(x, { nik: personX!.nik, recordId: packet.recordId, subject: `subject-${personX!.nik}` });
    // Y: recorded here, his first card printed and handed over.
    const { record } = await recordResident(office, { request: await syntheticRecording(personY!, `subject-${personY!.nik}`), operator: users.operator! });
    Object.assign(y, { nik: personY!.nik, recordId: record.id, subject: `subject-${personY!.nik}` });
    await pushOnce(office, client, 50);
    await runDeduplication(central);
    await buildPendingPrintPackages(central);
    while ((await pullOnce(office, client, 100)).hasMore);
    while ((await pullPrintPackages(office, client)).hasMore);
    const at = office.now().toISOString();
    const printer = { capacityPerDay: 100, state: 'ready', ribbonLeft: 500, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: at } as const;
    await upsertPrinter(office.db, { ...printer, id: 'p1', siteId: 'dinas', name: 'Printer Dinas' });
    await recordBlankEntry(office.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 10, serials: { from: 1, to: 10 } }, 'supervisor', at);
    const devices: PrintDevices = { printer: (row) => new CountingFolderPrinter(row.id, join(dir, 'cards', row.id)), encoder: new FolderChipEncoder(join(dir, 'chips')), render: renderTestCard, pollMs: 10, waitMs: 2000 };
    await createPrintJobs(office, { recordIds: [y.recordId], replacementRequestIds: [], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    if ((await printRoomPass(office, devices, { worker: 'replacement-test' })).printed !== 1) throw new Error('the first card of Y was not printed');
    const first = await checkFingerprints(office, users.operator!, y.recordId, await scan(y.subject, ['R_INDEX', 'L_INDEX']));
    await handOverCard(office, users.operator!, y.recordId, first.id);

    // Both replacements asked for here and answered by the centre; then the centre goes down.
    x.requestId = (await requestCardReplacement(office, { nik: x.nik, reason: 'LOST', operator: users.operator! })).requestId;
    y.requestId = (await requestCardReplacement(office, { nik: y.nik, reason: 'DAMAGED', operator: users.operator! })).requestId;
    while ((await pushOnce(office, client, 50)) > 0);
    while ((await pullPrintPackages(office, client)).hasMore);
    await centralApp?.close();
    centralApp = undefined;
    await createPrintJobs(office, { recordIds: [], replacementRequestIds: [x.requestId, y.requestId], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    const printed = await printRoomPass(office, devices, { worker: 'replacement-test' });
    if (printed.printed !== 2) throw new Error(`the print room printed ${JSON.stringify(printed)}`);
  });

  afterAll(async () => {
    await centralApp?.close();
    await closeOffice?.();
    await closeCentral?.();
    await dropStore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const outboxSeq = async () => Number((await office.db.selectFrom('outbox').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow()).seq ?? 0);
  const eventsAfter = (seq: number) => office.db.selectFrom('outbox').select(['kind', 'subject_id', 'payload']).where('seq', '>', seq).orderBy('seq').execute();

  it('finds a replacement by NIK as a replacement, ready where it was printed, with the old card’s expected fate and the chip’s fingers', async () => {
    const [atDinas] = await searchReplacementsForPickup(office, users.operator!, x.nik);
    expect(atDinas).toMatchObject({ requestId: x.requestId, recordId: x.recordId, reason: 'LOST', state: 'READY_HERE', siteId: 'dinas', oldCardExpected: 'DECLARED_LOST', handover: null });
    // X is another office's resident: the name comes from the replacement's verified package.
    expect(atDinas!.fullName.length).toBeGreaterThan(2);
    expect(atDinas!.chipFingers).toHaveLength(2);
    expect(atDinas!.messages.id).toMatch(/dinyatakan hilang/);
    const [atKaliwates] = await searchReplacementsForPickup(office, users['operator.kaliwates']!, x.nik);
    expect(atKaliwates!.state).toBe('READY_ELSEWHERE');
    expect(await refusal(checkReplacementFingerprints(office, users['operator.kaliwates']!, x.requestId, await scan(x.subject, atDinas!.chipFingers)))).toBe('REPLACEMENT_AT_OTHER_SITE');
    const [ofY] = await searchReplacementsForPickup(office, users.operator!, y.nik);
    expect(ofY).toMatchObject({ reason: 'DAMAGED', oldCardExpected: 'TAKEN_BACK', state: 'READY_HERE' });
    // Y's record is held here: a counter sees his replacement only if it may see his record (Kaliwates: its residents).
    const village = (await office.db.selectFrom('records').select('village_code').where('id', '=', y.recordId).executeTakeFirstOrThrow()).village_code;
    expect(village.startsWith('35.09.19.')).toBe(false);
    expect(await searchReplacementsForPickup(office, users['operator.kaliwates']!, y.nik)).toEqual([]);
    expect(await refusal(approveReplacementOverride(office, users['operator.kaliwates']!, y.requestId, 'Petugas lain mencoba menyetujui penyerahan ini.'))).toBe('CARD_REPLACEMENT_NOT_FOUND');
  });

  it('hands a lost card’s replacement over only to its holder, with the old card declared lost, and sends CARD_ISSUED of the replacement', async () => {
    const fingers = (await searchReplacementsForPickup(office, users.operator!, x.nik))[0]!.chipFingers;
    const impostor = await checkReplacementFingerprints(office, users.operator!, x.requestId, await scan(y.subject, fingers));
    expect(impostor.matched).toBe(false);
    expect(await refusal(handOverReplacement(office, users.operator!, x.requestId, { checkId: impostor.id, oldCard: 'DECLARED_LOST' }))).toBe('IDENTITY_NOT_CONFIRMED');
    const holder = await checkReplacementFingerprints(office, users.operator!, x.requestId, await scan(x.subject, fingers));
    expect(holder.matched).toBe(true);
    // A lost card said to be taken back needs a word why; the check is not used up by the refusal.
    const before = await outboxSeq();
    expect(await refusal(handOverReplacement(office, users.operator!, x.requestId, { checkId: holder.id, oldCard: 'TAKEN_BACK' }))).toBe('OLD_CARD_NOTE_REQUIRED');
    expect(await outboxSeq()).toBe(before);

    const handover = await handOverReplacement(office, users.operator!, x.requestId, { checkId: holder.id, oldCard: 'DECLARED_LOST' });
    expect(handover).toMatchObject({ requestId: x.requestId, recordId: x.recordId, siteId: 'dinas', method: 'FINGERPRINT', oldCard: 'DECLARED_LOST', oldCardNote: null, revokedSukets: [] });
    const events = await eventsAfter(before);
    expect(events.map((e) => [e.kind, e.subject_id])).toEqual([['card.status', x.recordId]]);
    expect(JSON.parse(events[0]!.payload!)).toMatchObject({ status: 'CARD_ISSUED', card: 'REPLACEMENT', detail: { requestId: x.requestId, reason: 'LOST', oldCard: 'DECLARED_LOST', identity: 'FINGERPRINT', site: 'dinas' } });
    expect(await refusal(handOverReplacement(office, users.operator!, x.requestId, { checkId: holder.id, oldCard: 'DECLARED_LOST' }))).toBe('REPLACEMENT_ALREADY_ISSUED');
    const [after] = await searchReplacementsForPickup(office, users.operator!, x.nik);
    expect(after).toMatchObject({ state: 'ISSUED', handover: { handedBy: 'operator', oldCard: 'DECLARED_LOST' } });
  });

  it('takes the damaged card back on a supervisor’s override, leaves the record issued with the hand-over on its timeline, and writes nothing when the hand-over cannot be stored', async () => {
    const check = await approveReplacementOverride(office, users.supervisor!, y.requestId, 'Sidik jari terluka; wajah cocok dengan foto di kartu lama yang rusak.');
    expect(check).toMatchObject({ method: 'OVERRIDE', matched: true });
    const before = await outboxSeq();
    // The same transaction: the database refusing the hand-over row leaves no event and the check unused.
    if (dialect === 'sqlite') {
      await sql`create trigger no_replacement_handover before insert on replacement_handovers begin select raise(abort, 'handovers frozen'); end`.execute(office.db);
    } else {
      await sql`create function no_replacement_handover() returns trigger language plpgsql as $$ begin raise exception 'handovers frozen'; end $$`.execute(office.db);
      await sql`create trigger no_replacement_handover before insert on replacement_handovers for each row execute function no_replacement_handover()`.execute(office.db);
    }
    await expect(handOverReplacement(office, users.operator!, y.requestId, { checkId: check.id, oldCard: 'TAKEN_BACK' })).rejects.toThrow(/handovers frozen/);
    await sql`drop trigger no_replacement_handover${sql.raw(dialect === 'sqlite' ? '' : ' on replacement_handovers')}`.execute(office.db);
    if (dialect !== 'sqlite') await sql`drop function no_replacement_handover()`.execute(office.db);
    expect(await outboxSeq()).toBe(before);

    const handover = await handOverReplacement(office, users.operator!, y.requestId, { checkId: check.id, oldCard: 'TAKEN_BACK' });
    expect(handover).toMatchObject({ method: 'OVERRIDE', oldCard: 'TAKEN_BACK' });
    const record = await office.db.selectFrom('records').select('status').where('id', '=', y.recordId).executeTakeFirstOrThrow();
    expect(record.status).toBe('CARD_ISSUED');
    const timeline = await office.db.selectFrom('status_events').select(['status', 'note']).where('record_id', '=', y.recordId).where('status', '=', 'CARD_ISSUED').execute();
    expect(timeline.map((t) => t.note)).toContainEqual(expect.stringContaining('kartu lama ditarik'));
    const [event] = await eventsAfter(before);
    expect(JSON.parse(event!.payload!)).toMatchObject({ status: 'CARD_ISSUED', card: 'REPLACEMENT', detail: { oldCard: 'TAKEN_BACK', identity: 'OVERRIDE', approvedBy: 'supervisor', reason: 'DAMAGED' } });
  });

  it('tells the centre of each replacement’s hand-over once it is back, with the old card’s fate', async () => {
    const port = await startCentre();
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    while ((await pushOnce(office, client, 50)) > 0);
    const issued = (await central.db.selectFrom('office_events').select(['subject_id', 'payload']).where('kind', '=', 'card.status').where('office_id', '=', office.office.id).execute())
      .map((e) => ({ subject: e.subject_id, payload: JSON.parse(e.payload) as { status: string; card: string; detail: { oldCard?: string } } }))
      .filter((e) => e.payload.status === 'CARD_ISSUED' && e.payload.card === 'REPLACEMENT');
    expect(issued.map((e) => [e.subject, e.payload.detail.oldCard]).sort()).toEqual(
      [
        [x.recordId, 'DECLARED_LOST'],
        [y.recordId, 'TAKEN_BACK'],
      ].sort(),
    );
  });
});
