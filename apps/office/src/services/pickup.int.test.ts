// Distribution and pickup on a real office database (SQLite and PostgreSQL) with a real centre on loopback:
// residents recorded, made print-ready by the centre's deduplication, their card print packages fetched,
// then the centre goes DOWN. Cards are printed, put on a manifest, received at a kecamatan and handed over
// after a 1:1 fingerprint check against the chip (or a supervisor's override); the Suket is revoked in the
// hand-over's transaction and is in the office's own signed revocation list at once. When the centre is back,
// CARD_SHIPPED and CARD_ISSUED reach it exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import { fromBase64Url, openOfficeRevocationList, openTrustList } from '@tangguh/credential';
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
import { withSuketTables } from '../db/migrations-suket.ts';
import { CentralClient } from './central-client.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { trustSyncer } from './trust-sync.ts';
import { pullPrintPackages } from './print-packages.ts';
import { createPrintJobs } from './print-jobs.ts';
import { printRoomPass, type PrintDevices } from './print-run.ts';
import { CountingFolderPrinter, FolderChipEncoder, renderTestCard } from './print-room-harness.ts';
import { recordBlankEntry } from './blank-stock.ts';
import { issueSuket } from './suket.ts';
import { signedOfficeRevocations } from './office-revocations.ts';
import { cachedList, pinnedTrustRoot } from './trust-store.ts';
import { recordResident } from './recording.ts';
import { setSyncValue } from '../repositories/sync-state.ts';
import { createManifest, dispatchManifest, printedCardsForDistribution, receiveManifest } from './distribution.ts';
import { approveOverride, checkFingerprints, handOverCard, searchForPickup } from './pickup.ts';

const KALIWATES_SITE = 'kec-35.09.19';

/** The code a promise is refused with (a DomainError), or 'ACCEPTED'. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ACCEPTED',
    (error: unknown) => (error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`),
  );
}

/** The chip's fingers of a resident read again at the counter, as the capture device gives them (base64). */
async function scan(subjectKey: string, positions: string[], attempt = 1) {
  const capture = await new SyntheticCaptureDevice().capture({ subjectKey, attempt });
  return capture.biometrics.filter((b) => positions.includes(b.position)).map((b) => ({ position: b.position, template: Buffer.from(b.template).toString('base64') }));
}

describe.each(DIALECTS)('distribution and pickup with the centre down, office on %s', (dialect) => {
  let dir: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let central: CentralContext;
  let closeCentral: () => Promise<void>;
  let centralApp: FastifyInstance | undefined;
  let client: CentralClient;
  let dropStore = async () => {};
  const users: Record<string, OfficeUser> = {};
  /**
   * Recorded at the Dinas: A (with a Suket), B (override), D (left unprinted). Recorded at Kaliwates: C (received),
   * E (missing), F (printed on Kaliwates' own printer). All but F printed at the Dinas.
   */
  const ids: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string> = { A: '', B: '', C: '', D: '', E: '', F: '' };
  const niks: Record<string, string> = {};
  let suketOfA = '';

  async function startCentre(port?: number): Promise<number> {
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const chosen = port ?? (await freePort());
    await centralApp.listen({ port: chosen, host: '127.0.0.1' });
    return chosen;
  }

  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-pickup-'));
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

    const people = syntheticResidents(6, { seed: 9191, regencyCode: '35.09', regions: office.regions });
    const plan = [
      ['A', users.operator!],
      ['B', users.operator!],
      ['C', users['operator.kaliwates']!],
      ['D', users.operator!],
      ['E', users['operator.kaliwates']!],
      ['F', users['operator.kaliwates']!],
    ] as const;
    for (const [i, [name, operator]] of plan.entries()) {
      const person = people[i]!;
      const { record } = await recordResident(office, { request: await syntheticRecording(person, `subject-${person.nik}`), operator });
      ids[name] = record.id;
      niks[name] = person.nik;
    }
    suketOfA = (await issueSuket(office, { recordId: ids.A, operator: users.operator! })).suket.serial;
    await pushOnce(office, client, 50);
    await runDeduplication(central);
    await buildPendingPrintPackages(central);
    while ((await pullOnce(office, client, 100)).hasMore);
    while ((await pullPrintPackages(office, client)).hasMore);
    // Capacity and blanks, so the print plan can forecast the card that is not printed.
    const at = office.now().toISOString();
    const printer = { capacityPerDay: 100, state: 'ready', ribbonLeft: 500, filmLeft: 500, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: at } as const;
    await upsertPrinter(office.db, { ...printer, id: 'p1', siteId: 'dinas', name: 'Printer Dinas' });
    await upsertPrinter(office.db, { ...printer, id: 'p2', siteId: KALIWATES_SITE, name: 'Printer Kaliwates' });
    await recordBlankEntry(office.db, { kind: 'receipt', siteId: 'dinas', tranche: 'T1', quantity: 10, serials: { from: 1, to: 10 } }, 'supervisor', at);
    await recordBlankEntry(office.db, { kind: 'receipt', siteId: KALIWATES_SITE, tranche: 'T1', quantity: 5, serials: { from: 11, to: 15 } }, 'supervisor', at);

    // The centre goes down; everything below happens during the outage.
    await centralApp?.close();
    centralApp = undefined;
    // The print room prints from the stored packages: A, B, C and E at the Dinas, F at Kaliwates; D waits.
    const devices: PrintDevices = { printer: (row) => new CountingFolderPrinter(row.id, join(dir, 'cards', row.id)), encoder: new FolderChipEncoder(join(dir, 'chips')), render: renderTestCard, pollMs: 10, waitMs: 2000 };
    await createPrintJobs(office, { recordIds: [ids.A, ids.B, ids.C, ids.E], replacementRequestIds: [], siteId: 'dinas', printerId: 'p1', by: 'operator' });
    await createPrintJobs(office, { recordIds: [ids.F], replacementRequestIds: [], siteId: KALIWATES_SITE, printerId: 'p2', by: 'operator.kaliwates' });
    const printed = await printRoomPass(office, devices, { worker: 'pickup-test' });
    if (printed.printed !== 5) throw new Error(`the print room printed ${JSON.stringify(printed)}`);
  });

  afterAll(async () => {
    await centralApp?.close();
    await closeOffice?.();
    await closeCentral?.();
    await dropStore();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const statusOf = async (id: string) => (await office.db.selectFrom('records').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const suketRow = (serial: string) => withSuketTables(office.db).selectFrom('sukets').selectAll().where('serial', '=', serial).executeTakeFirstOrThrow();
  const outboxCount = async () => Number((await office.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('finds a printed card by NIK at the Dinas counter as ready here, with the chip’s two fingers; an unprinted one only with the print forecast range', async () => {
    const [a] = await searchForPickup(office, users.operator!, { q: niks.A! });
    expect(a).toMatchObject({ recordId: ids.A, status: 'CARD_PRINTED', activeSukets: [suketOfA], confirmedCheck: null, handover: null });
    expect(a!.availability.kind).toBe('READY_HERE');
    expect(a!.availability.pickupFrom).not.toBeNull();
    expect(a!.chipFingers).toHaveLength(2);
    const [d] = await searchForPickup(office, users.operator!, { q: niks.D! });
    expect(d!.status).toBe('PRINT_READY_RECORD');
    expect(d!.availability.kind).toBe('PRINT_FORECAST');
    // A range, never a pickup date: nothing the office cannot keep.
    expect(d!.availability.forecast!.earliest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(d!.availability.forecast!.latest! >= d!.availability.forecast!.earliest!).toBe(true);
    expect(d!.availability.pickupFrom).toBeNull();
    // By registration number, and by name with the date of birth.
    const byName = await searchForPickup(office, users.operator!, { q: a!.fullName.split(' ')[0]!.toLowerCase(), birthDate: a!.birthDate });
    expect(byName.map((r) => r.recordId)).toContain(ids.A);
    expect((await searchForPickup(office, users.operator!, { q: a!.registrationNumber })).map((r) => r.recordId)).toEqual([ids.A]);
  });

  it('lists the printed cards waiting for distribution within what each person may see', async () => {
    const all = (await printedCardsForDistribution(office, users.supervisor!)).items.map((c) => c.recordId);
    expect(all.sort()).toEqual([ids.A, ids.B, ids.C, ids.E, ids.F].sort());
    const atKaliwates = await printedCardsForDistribution(office, users['operator.kaliwates']!);
    const kaliwatesResidents = new Set(
      (await office.db.selectFrom('records').select('id').where((eb) => eb.or([eb('site_id', '=', KALIWATES_SITE), eb('village_code', 'like', '35.09.19.%')])).execute()).map((r) => r.id),
    );
    expect(atKaliwates.items.map((c) => c.recordId).sort()).toEqual(all.filter((id) => kaliwatesResidents.has(id)).sort());
    expect(atKaliwates.items.find((c) => c.recordId === ids.C)).toMatchObject({ suggestedSiteId: KALIWATES_SITE });
    expect(atKaliwates.pickupPoints.map((p) => p.id)).toContain(KALIWATES_SITE);
  });

  it('refuses a card that is not printed, and one that is at another point', async () => {
    expect(await refusal(checkFingerprints(office, users.operator!, ids.D, await scan(`subject-${niks.D}`, ['R_INDEX', 'L_INDEX'])))).toBe('CARD_NOT_PRINTED');
    // C lies at the Dinas (not shipped yet): the Kaliwates counter cannot hand it over.
    expect(await refusal(checkFingerprints(office, users['operator.kaliwates']!, ids.C, await scan(`subject-${niks.C}`, ['R_INDEX', 'L_INDEX'])))).toBe('CARD_AT_OTHER_SITE');
  });

  it('records a failed fingerprint check and refuses the hand-over with it; a passing check hands over, revokes the Suket with CARD_ISSUED in the same transaction, and the office’s own list carries it while the centre is down', async () => {
    const [a] = await searchForPickup(office, users.operator!, { q: niks.A! });
    const fingers = a!.chipFingers;
    const impostor = await checkFingerprints(office, users.operator!, ids.A, await scan(`subject-${niks.B}`, fingers));
    expect(impostor.matched).toBe(false);
    expect(impostor.score!).toBeLessThan(impostor.threshold!);
    const before = await outboxCount();
    expect(await refusal(handOverCard(office, users.operator!, ids.A, impostor.id))).toBe('IDENTITY_NOT_CONFIRMED');
    expect(await statusOf(ids.A)).toBe('CARD_PRINTED');
    expect((await suketRow(suketOfA)).status).toBe('ACTIVE');
    expect(await outboxCount()).toBe(before);

    const holder = await checkFingerprints(office, users.operator!, ids.A, await scan(`subject-${niks.A}`, fingers));
    expect(holder.matched).toBe(true);
    expect(holder.score!).toBeGreaterThanOrEqual(holder.threshold!);
    expect(holder.positions.sort()).toEqual([...fingers].sort());

    // The same transaction: a Suket that cannot be revoked (the database refuses) leaves the card un-issued and the check unused.
    if (dialect === 'sqlite') {
      await sql`create trigger no_suket_change before update on sukets begin select raise(abort, 'sukets frozen'); end`.execute(office.db);
    } else {
      await sql`create function no_suket_change() returns trigger language plpgsql as $$ begin raise exception 'sukets frozen'; end $$`.execute(office.db);
      await sql`create trigger no_suket_change before update on sukets for each row execute function no_suket_change()`.execute(office.db);
    }
    await expect(handOverCard(office, users.operator!, ids.A, holder.id)).rejects.toThrow(/sukets frozen/);
    await sql`drop trigger no_suket_change${sql.raw(dialect === 'sqlite' ? '' : ' on sukets')}`.execute(office.db);
    if (dialect !== 'sqlite') await sql`drop function no_suket_change()`.execute(office.db);
    expect(await statusOf(ids.A)).toBe('CARD_PRINTED');
    expect(await outboxCount()).toBe(before);

    const handover = await handOverCard(office, users.operator!, ids.A, holder.id);
    expect(handover).toMatchObject({ recordId: ids.A, method: 'FINGERPRINT', handedBy: 'operator', revokedSukets: [suketOfA] });
    expect(await statusOf(ids.A)).toBe('CARD_ISSUED');
    expect(await suketRow(suketOfA)).toMatchObject({ status: 'REVOKED', revoke_reason: 'CARD_ISSUED', revoked_by: 'operator', revoked_at: handover.handedAt });
    const events = await office.db.selectFrom('outbox').select(['kind', 'subject_id', 'payload']).where('seq', '>', before).orderBy('seq').execute();
    expect(events.map((e) => [e.kind, e.subject_id])).toEqual([
      ['card.status', ids.A],
      ['suket.revoked', suketOfA],
    ]);
    expect(JSON.parse(events[0]!.payload!)).toMatchObject({ status: 'CARD_ISSUED', detail: { identity: 'FINGERPRINT', site: 'dinas' } });
    // A check is good for one hand-over; a card handed over is not handed over again.
    expect(await refusal(handOverCard(office, users.operator!, ids.A, holder.id))).toBe('CARD_ALREADY_ISSUED');

    // The office's own signed revocation list, served at /api/trust/office-revocations, carries it now.
    const trust = openTrustList((await cachedList(office.db, 'TRUST_LIST'))!.signed, fromBase64Url((await pinnedTrustRoot(office.db))!.publicKey));
    const list = openOfficeRevocationList((await signedOfficeRevocations(office)).signed, trust);
    expect(list.entries).toContainEqual(expect.objectContaining({ ser: suketOfA, reason: 'CARD_ISSUED' }));
    const [after] = await searchForPickup(office, users.operator!, { q: niks.A! });
    expect(after!.availability.kind).toBe('ISSUED');
    expect(after!.handover).toMatchObject({ handedBy: 'operator', revokedSukets: [suketOfA] });
  });

  it('hands over on a supervisor’s recorded override, with the reason and who approved it', async () => {
    const check = await approveOverride(office, users.supervisor!, ids.B, 'Sidik jari aus karena pekerjaan sebagai petani, wajah dan KK sesuai.');
    expect(check).toMatchObject({ method: 'OVERRIDE', matched: true, checkedBy: 'supervisor', score: null });
    const [b] = await searchForPickup(office, users.operator!, { q: niks.B! });
    expect(b!.confirmedCheck).toMatchObject({ id: check.id, method: 'OVERRIDE', reason: expect.stringContaining('petani') });
    const handover = await handOverCard(office, users.operator!, ids.B, check.id);
    expect(handover).toMatchObject({ method: 'OVERRIDE', handedBy: 'operator', revokedSukets: [] });
    const event = await office.db.selectFrom('outbox').select('payload').where('kind', '=', 'card.status').where('subject_id', '=', ids.B).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload!)).toMatchObject({ status: 'CARD_ISSUED', detail: { identity: 'OVERRIDE', approvedBy: 'supervisor' } });
  });

  it('ships cards on a manifest to Kaliwates, refuses them until received there, flags the missing one, and hands the received one over at Kaliwates only', async () => {
    expect(await refusal(createManifest(office, { toSiteId: 'dinas', recordIds: [ids.C], by: users.supervisor! }))).toBe('PICKUP_POINT_INVALID');
    expect(await refusal(createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.D], by: users.supervisor! }))).toBe('CARD_NOT_PRINTED');
    const manifest = await createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.C, ids.E], by: users.supervisor! });
    expect(manifest).toMatchObject({ status: 'OPEN', toSiteId: KALIWATES_SITE, createdBy: 'supervisor', counts: { total: 2 } });
    expect(await refusal(createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.C], by: users.supervisor! }))).toBe('CARD_ALREADY_ON_MANIFEST');
    // Packed in the box: not handed over at the Dinas any more.
    expect(await refusal(checkFingerprints(office, users.operator!, ids.C, await scan(`subject-${niks.C}`, ['R_INDEX', 'L_INDEX'])))).toBe('CARD_PACKED');

    const dispatched = await dispatchManifest(office, { id: manifest.id, by: users.supervisor! });
    expect(dispatched).toMatchObject({ status: 'DISPATCHED', dispatchedBy: 'supervisor' });
    expect(await statusOf(ids.C)).toBe('CARD_SHIPPED');
    expect(await statusOf(ids.E)).toBe('CARD_SHIPPED');
    expect(await refusal(dispatchManifest(office, { id: manifest.id, by: users.supervisor! }))).toBe('MANIFEST_NOT_OPEN');
    const [c] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.C! });
    expect(c!.availability.kind).toBe('IN_TRANSIT');
    expect(await refusal(checkFingerprints(office, users['operator.kaliwates']!, ids.C, await scan(`subject-${niks.C}`, c!.chipFingers)))).toBe('CARD_NOT_RECEIVED');
    expect(await refusal(approveOverride(office, users.supervisor!, ids.C, 'Pemohon sudah menunggu lama di loket.'))).toBe('CARD_NOT_RECEIVED');

    // Only someone posted at Kaliwates says what arrived there.
    expect(await refusal(receiveManifest(office, { id: manifest.id, receivedRecordIds: [ids.C], user: users.operator! }))).toBe('MANIFEST_WRONG_SITE');
    const received = await receiveManifest(office, { id: manifest.id, receivedRecordIds: [ids.C], user: users['operator.kaliwates']! });
    expect(received).toMatchObject({ status: 'RECEIVED', receivedBy: 'operator.kaliwates', counts: { total: 2, received: 1, missing: 1 } });
    expect(received.items.find((i) => i.recordId === ids.E)).toMatchObject({ state: 'MISSING', checkedBy: 'operator.kaliwates' });

    expect(await refusal(checkFingerprints(office, users.operator!, ids.C, await scan(`subject-${niks.C}`, c!.chipFingers)))).toBe('CARD_AT_OTHER_SITE');
    expect(await refusal(checkFingerprints(office, users['operator.kaliwates']!, ids.E, await scan(`subject-${niks.E}`, c!.chipFingers)))).toBe('CARD_MISSING');
    const [ready] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.C! });
    expect(ready!.availability).toMatchObject({ kind: 'READY_HERE', siteId: KALIWATES_SITE, manifestNumber: manifest.number });
    const check = await checkFingerprints(office, users['operator.kaliwates']!, ids.C, await scan(`subject-${niks.C}`, ready!.chipFingers));
    expect(check.matched).toBe(true);
    // A check made at Kaliwates is no use at another counter.
    expect(await refusal(handOverCard(office, users.operator!, ids.C, check.id))).toBe('CARD_AT_OTHER_SITE');
    const handover = await handOverCard(office, users['operator.kaliwates']!, ids.C, check.id);
    expect(handover).toMatchObject({ siteId: KALIWATES_SITE, handedBy: 'operator.kaliwates' });
    expect(await statusOf(ids.C)).toBe('CARD_ISSUED');
  });

  it('knows a card printed at a kecamatan lies there: ready at that counter with no manifest, and no manifest can send it there', async () => {
    const [f] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.F! });
    expect(f!.availability).toMatchObject({ kind: 'READY_HERE', siteId: KALIWATES_SITE, manifestNumber: null });
    const [seenAtDinas] = await searchForPickup(office, users.operator!, { q: niks.F! });
    expect(seenAtDinas!.availability).toMatchObject({ kind: 'READY_ELSEWHERE', siteId: KALIWATES_SITE });
    expect(await refusal(createManifest(office, { toSiteId: KALIWATES_SITE, recordIds: [ids.F], by: users.supervisor! }))).toBe('CARDS_ALREADY_THERE');
  });

  it('hands a card over once when two counters press at the same moment, each with a passing check', async () => {
    const [f] = await searchForPickup(office, users['operator.kaliwates']!, { q: niks.F! });
    const checks = [];
    for (let i = 0; i < 2; i++) checks.push(await checkFingerprints(office, users['operator.kaliwates']!, ids.F, await scan(`subject-${niks.F}`, f!.chipFingers, i + 1)));
    expect(checks.every((c) => c.matched)).toBe(true);
    const outcomes = await Promise.all(checks.map((c) => refusal(handOverCard(office, users['operator.kaliwates']!, ids.F, c.id))));
    expect(outcomes.sort()).toEqual(['ACCEPTED', 'CARD_ALREADY_ISSUED']);
    const issued = await office.db.selectFrom('outbox').select('payload').where('kind', '=', 'card.status').where('subject_id', '=', ids.F).execute();
    expect(issued.filter((e) => (JSON.parse(e.payload!) as { status: string }).status === 'CARD_ISSUED')).toHaveLength(1);
  });

  it('sends CARD_SHIPPED and CARD_ISSUED to the centre once it is back, exactly once, also when the outbox is sent again', async () => {
    const port = await startCentre();
    client = new CentralClient({ baseUrl: `http://127.0.0.1:${port}`, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    while ((await pushOnce(office, client, 50)) > 0);
    const centralStatus = async (id: string) => (await central.db.selectFrom('enrollments').select('status').where('record_id', '=', id).executeTakeFirstOrThrow()).status;
    expect(await centralStatus(ids.A)).toBe('CARD_ISSUED');
    expect(await centralStatus(ids.B)).toBe('CARD_ISSUED');
    expect(await centralStatus(ids.C)).toBe('CARD_ISSUED');
    expect(await centralStatus(ids.E)).toBe('CARD_SHIPPED');
    expect(await centralStatus(ids.D)).toBe('PRINT_READY_RECORD');
    const logged = async () =>
      (await central.db.selectFrom('office_events').select(['subject_id', 'payload']).where('kind', '=', 'card.status').where('office_id', '=', office.office.id).execute()).map(
        (e) => `${e.subject_id} ${(JSON.parse(e.payload) as { status: string }).status}`,
      );
    const once = await logged();
    for (const name of ['A', 'B', 'C'] as const) expect(once.filter((e) => e === `${ids[name]} CARD_ISSUED`)).toHaveLength(1);
    for (const name of ['C', 'E'] as const) expect(once.filter((e) => e === `${ids[name]} CARD_SHIPPED`)).toHaveLength(1);
    // The whole outbox sent again (an acknowledgement lost): the centre acknowledges, applies nothing twice.
    await setSyncValue(office.db, 'acked_seq', 0);
    while ((await pushOnce(office, client, 50)) > 0);
    expect((await logged()).sort()).toEqual([...once].sort());
    // The centre lists the Suket revoked by the hand-over.
    const revoked = await central.db.selectFrom('office_events').select('subject_id').where('kind', '=', 'suket.revoked').where('subject_id', '=', suketOfA).execute();
    expect(revoked).toHaveLength(1);
  });
});
