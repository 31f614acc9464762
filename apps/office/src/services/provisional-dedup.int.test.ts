import { mkdtempSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticCaptureDevice, syntheticResidents } from '@tangguh/capture';
import type { Biodata } from '@tangguh/domain';
import { buildCentralApp } from '@tangguh/central';
import { openCentral, registerOffice } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { runDeduplication } from '@tangguh/central/services/dedup';
import { generateSigningKeyPair } from '@tangguh/protocol/node';
import { pushResultSchema, type ProvisionalMatchView } from '@tangguh/protocol';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { buildBatch, buildPacket, signedHeaders } from '../../../../test/builders.ts';
import { decideCase, listOpenCases } from '../../../central/src/services/adjudication.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { buildOfficeApp } from '../app.ts';
import type { OfficeContext } from '../context.ts';
import { openOffice } from '../runtime.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { gallerySize, gallerySubsetCursor, matchOfRecord } from '../repositories/office-gallery.ts';
import { startSyncWorker } from '../workers/sync-worker.ts';
import { CentralClient } from './central-client.ts';
import { recordResident } from './recording.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { settleProvisionalMatches } from './provisional-dedup.ts';
import { pullGallerySubset } from './gallery-subset-sync.ts';

/**
 * Provisional deduplication at the office, on both databases: during an outage a second NIK for the same
 * synthetic person holds the Suket, a unique recording gets one, a supervisor's release is recorded, and when
 * the link returns the centre's verdict is final (DUPLICATE_RECORD keeps the refusal; an adjudicator's
 * "different person" clears it). The kabupaten's gallery from the centre makes a person recorded at another
 * office findable here too.
 */
describe.each(DIALECTS)('provisional deduplication at the office on %s', (dialect) => {
  let dir: string;
  let centralDbPath: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let app: FastifyInstance;
  let operator: OfficeUser;
  const cookies: Record<string, string> = {};
  let people: Biodata[];
  let nextPerson = 0;
  const ids: Record<string, string> = {};

  /** A new NIK (the next synthetic resident's biodata) for whoever `subjectKey` is. */
  async function record(subjectKey: string, device?: SyntheticCaptureDevice): Promise<string> {
    const biodata = people[nextPerson++]!;
    const { record } = await recordResident(office, { request: await syntheticRecording(biodata, subjectKey, device), operator });
    return record.id;
  }
  const as = (who: string) => ({ cookie: cookies[who]! });
  const issue = (recordId: string) => app.inject({ method: 'POST', url: `/api/recordings/${recordId}/suket`, headers: as('operator'), payload: {} });
  const decide = (id: string, what: 'lepas' | 'tahan', reason: string, who = 'supervisor') =>
    app.inject({ method: 'POST', url: `/api/kemiripan/${id}/${what}`, headers: as(who), payload: { reason } });
  async function cases(state = 'all'): Promise<ProvisionalMatchView[]> {
    const response = await app.inject({ method: 'GET', url: `/api/kemiripan?state=${state}`, headers: as('supervisor') });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: ProvisionalMatchView[] }>().items;
  }
  const caseOf = async (recordId: string) => (await cases()).find((c) => c.record.recordId === recordId);
  function expectError(response: LightMyRequestResponse, status: number, code: string) {
    expect(response.statusCode, response.body).toBe(status);
    const { error } = response.json<{ error: { code: string; messages: { id: string; en: string } } }>();
    expect(error.code).toBe(code);
    expect(error.messages.id).not.toBe(error.messages.en);
    return error;
  }

  let dropStore = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-provisional-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    centralDbPath = paths.centralDb;
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    closeOffice = () => o.handle.close();
    operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    people = syntheticResidents(20, { seed: 7310, regencyCode: '35.09', regions: office.regions });
    app = await buildOfficeApp(office, { serveWeb: false });
    for (const [who, password] of [
      ['operator', 'operator-jember'],
      ['supervisor', 'supervisor-jember'],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who, password } });
      expect(response.statusCode).toBe(200);
      cookies[who] = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    }
  });

  afterAll(async () => {
    await app?.close();
    await closeOffice?.();
    await dropStore();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('during an outage (no centre running)', () => {
    it('issues a Suket for a unique recording', async () => {
      ids.first = await record('orang-A');
      ids.unique = await record('orang-B');
      expect((await issue(ids.first!)).statusCode).toBe(201);
      expect((await issue(ids.unique!)).statusCode).toBe(201);
      expect(await caseOf(ids.unique!)).toBeUndefined();
    });

    it('holds the Suket of the same person recorded under a second NIK, and says why in both languages', async () => {
      ids.second = await record('orang-A');
      const error = expectError(await issue(ids.second!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      expect(error.messages.en).toMatch(/supervisor/);
      const found = (await caseOf(ids.second!))!;
      expect(found).toMatchObject({ state: 'HELD', candidate: { recordId: ids.first!, hasPhoto: true }, record: { hasPhoto: true } });
      expect(found.record.nik).not.toBe(found.candidate.nik);
      expect(found.score).toBeGreaterThanOrEqual(0.8);
      // Asking again does not open a second case, and still refuses.
      expectError(await issue(ids.second!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      expect((await cases('HELD')).filter((c) => c.record.recordId === ids.second!)).toHaveLength(1);
    });

    it('keeps a hold with a supervisor’s note, and refuses the case to an operator', async () => {
      const found = (await caseOf(ids.second!))!;
      const kept = await decide(found.id, 'tahan', 'sidik jari sama persis, tunggu pusat');
      expect(kept.statusCode, kept.body).toBe(200);
      expect(kept.json<{ match: ProvisionalMatchView }>().match).toMatchObject({ state: 'HELD', reviewedBy: 'supervisor', reviewNote: 'sidik jari sama persis, tunggu pusat' });
      expectError(await issue(ids.second!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      expect((await app.inject({ method: 'GET', url: '/api/kemiripan', headers: as('operator') })).statusCode).toBe(403);
      expect((await decide(found.id, 'lepas', 'operator mencoba melepas', 'operator')).statusCode).toBe(403);
      expect((await decide(found.id, 'lepas', 'pendek')).statusCode).toBe(400);
    });

    it('records a supervisor’s release — who, when and why — after which the Suket is issued', async () => {
      ids.twinFirst = await record('orang-C');
      ids.twinSecond = await record('orang-C');
      expectError(await issue(ids.twinSecond!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      const found = (await caseOf(ids.twinSecond!))!;
      const released = await decide(found.id, 'lepas', 'kembar identik, dokumen KK berbeda diperiksa');
      expect(released.statusCode, released.body).toBe(200);
      expect(released.json<{ match: ProvisionalMatchView }>().match).toMatchObject({ state: 'RELEASED', decidedBy: 'supervisor', reason: 'kembar identik, dokumen KK berbeda diperiksa' });
      expect((await issue(ids.twinSecond!)).statusCode).toBe(201);
      expectError(await decide(found.id, 'lepas', 'dilepas untuk kedua kalinya'), 409, 'PROVISIONAL_MATCH_NOT_HELD');
    });

    it('lets the first of two NIKs for one face have its Suket and holds the later one, whichever asks first', async () => {
      ids.earlier = await record('orang-E');
      ids.later = await record('orang-E');
      expect((await issue(ids.earlier!)).statusCode).toBe(201);
      expectError(await issue(ids.later!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      expect(await caseOf(ids.earlier!)).toBeUndefined();
      expect(await caseOf(ids.later!)).toMatchObject({ candidate: { recordId: ids.earlier! } });
    });

    it('holds a poor capture of the same person in the adjudication band', async () => {
      ids.poor = await record('orang-A', new SyntheticCaptureDevice({ noise: 0.2 }));
      expectError(await issue(ids.poor!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      const found = (await caseOf(ids.poor!))!;
      expect(found.score).toBeGreaterThanOrEqual(0.65);
      expect(found.score).toBeLessThan(0.8);
    });
  });

  describe('when the link returns', () => {
    let central: CentralContext;
    let closeCentral: () => Promise<void>;
    let centralApp: FastifyInstance;
    let client: CentralClient;
    let centralUrl: string;

    beforeAll(async () => {
      const c = await openCentral(centralDbPath);
      central = c.ctx;
      closeCentral = () => c.handle.close();
      centralApp = await buildCentralApp(central, { serveWeb: false });
      const port = await freePort();
      await centralApp.listen({ port, host: '127.0.0.1' });
      centralUrl = `http://127.0.0.1:${port}`;
      client = new CentralClient({ baseUrl: centralUrl, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
      while ((await pushOnce(office, client, 50)) > 0);
      while ((await runDeduplication(central)) > 0);
      while ((await pullOnce(office, client, 100)).hasMore);
      await settleProvisionalMatches(office);
    });
    afterAll(async () => {
      await centralApp?.close();
      await closeCentral?.();
    });

    it('keeps the hold when the centre says DUPLICATE_RECORD, and the refusal becomes final', async () => {
      const status = await office.db.selectFrom('records').select('status').where('id', '=', ids.second!).executeTakeFirstOrThrow();
      expect(status.status).toBe('DUPLICATE_RECORD');
      const found = (await caseOf(ids.second!))!;
      expect(found).toMatchObject({ state: 'CENTRE_DUPLICATE', decidedBy: 'pusat', reviewedBy: 'supervisor' });
      expectError(await issue(ids.second!), 409, 'SUKET_NOT_ALLOWED');
      expectError(await decide(found.id, 'lepas', 'mencoba melepas setelah pusat'), 409, 'PROVISIONAL_MATCH_NOT_HELD');
      // A released case the centre found a duplicate keeps its supervisor's name and reason beside the verdict.
      expect(await caseOf(ids.twinSecond!)).toMatchObject({ state: 'CENTRE_DUPLICATE', decidedBy: 'supervisor', reason: 'kembar identik, dokumen KK berbeda diperiksa' });
    });

    it("clears the hold when the centre's adjudicator finds a different person (PRINT_READY_RECORD), and the Suket is issued", async () => {
      expect((await office.db.selectFrom('records').select('status').where('id', '=', ids.poor!).executeTakeFirstOrThrow()).status).toBe('ADJUDICATE_RECORD');
      // Still held while the centre's own adjudicator has not decided.
      expectError(await issue(ids.poor!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      const open = (await listOpenCases(central)).find((c) => c.recordId === ids.poor!);
      await decideCase(central, { caseId: open!.caseId, decision: 'DIFFERENT_PERSON', decidedBy: 'adjudikator' });
      while ((await pullOnce(office, client, 100)).hasMore);
      await settleProvisionalMatches(office);
      expect(await caseOf(ids.poor!)).toMatchObject({ state: 'CENTRE_CLEARED', decidedBy: 'pusat' });
      expect((await issue(ids.poor!)).statusCode).toBe(201);
    });

    it('the sync worker settles a hold by itself once the centre has decided, and takes the gallery', async () => {
      ids.workerFirst = await record('orang-F');
      ids.workerSecond = await record('orang-F');
      expectError(await issue(ids.workerSecond!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      const worker = startSyncWorker(office, { centralUrl, idleMs: 50 });
      try {
        const deadline = Date.now() + 90_000;
        // Read from the table, not the list route (which settles too): this is the worker's doing.
        while ((await matchOfRecord(office.db, ids.workerSecond!))?.state !== 'CENTRE_DUPLICATE') {
          if (Date.now() > deadline) throw new Error('the sync worker never settled the hold');
          await runDeduplication(central);
          await delay(100);
        }
        expect(await gallerySubsetCursor(office.db)).toBeGreaterThan(0);
      } finally {
        await worker.stop();
      }
    });

    it("takes the kabupaten's gallery from the centre, so a person recorded at another office is found here", async () => {
      // Another office records a Jember resident; the centre finds them unique and puts them in the gallery.
      const keys = generateSigningKeyPair();
      await registerOffice(central, { officeId: '3510', name: 'Disdukcapil Kabupaten Banyuwangi', regencyCode: '35.10', publicKey: keys.publicKey });
      const elsewhere = await buildPacket(central, people[nextPerson++]!, { subjectKey: 'orang-D' });
      const body = JSON.stringify(buildBatch('3510', 1, [elsewhere]));
      const pushed = await centralApp.inject({ method: 'POST', url: '/sync/push', headers: signedHeaders({ officeId: '3510', privateKey: keys.privateKey }, 'POST', '/sync/push', body), payload: body });
      expect(pushResultSchema.parse(pushed.json()).appliedThrough).toBe(1);
      while ((await runDeduplication(central)) > 0);

      const before = await gallerySize(office.db);
      let stored = 0;
      for (let more = true; more; ) {
        const page = await pullGallerySubset(office, client);
        stored += page.stored;
        more = page.hasMore;
      }
      // Only the other office's recording is new: this office's own recordings were already in its gallery.
      expect(stored).toBe(1);
      expect(await gallerySize(office.db)).toBe(before + 1);

      // The centre goes away again; the same person comes here under another NIK.
      await centralApp.close();
      ids.fromElsewhere = await record('orang-D');
      expectError(await issue(ids.fromElsewhere!), 409, 'SUKET_HELD_PROVISIONAL_MATCH');
      expect(await caseOf(ids.fromElsewhere!)).toMatchObject({ candidate: { recordId: elsewhere.recordId, registrationNumber: null, hasPhoto: false }, state: 'HELD' });
    });
  });
});
