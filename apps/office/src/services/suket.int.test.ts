import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { decodeCredential, encodeCredential, extractCredentialFromPdf, generateSigningKey, openRevocationList, type VerificationResult } from '@tangguh/credential';
import { qrVersion, readQrFromImage, renderQrPng } from '@tangguh/credential/node';
import { syntheticResidents } from '@tangguh/capture';
import { zonedDayKey } from '@tangguh/domain';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { recordStatusChanges } from '@tangguh/central/repositories/changes';
import { currentRevocationList, trustRoot } from '@tangguh/central/services/trust';
import { trustDb } from '@tangguh/central/db/migrations-trust';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { syntheticRecording } from '../../../cli/src/seed.ts';
import { alterPayload, swapSignature } from '../../../../test/tamper.ts';
import { buildOfficeApp } from '../app.ts';
import type { OfficeContext } from '../context.ts';
import { openOffice } from '../runtime.ts';
import { withSuketTables } from '../db/migrations-suket.ts';
import { officeSessionStore, type OfficeUser } from '../repositories/users.ts';
import { CentralClient } from './central-client.ts';
import { recordResident } from './recording.ts';
import { pullOnce, pushOnce } from './sync.ts';
import { A4 } from './suket-pdf.ts';
import { listDocumentKeys } from './document-keys.ts';
import { cachedList } from './trust-store.ts';
import { trustSyncer } from './trust-sync.ts';

describe.each(DIALECTS)('Suket at the office on %s', (dialect) => {
  type Verification = VerificationResult & { listsFetchedAt: { trustList: string; revocationList: string } };
  interface SuketBody {
    suket: { serial: string; recordId: string; status: string; issuedAt: string; expiresAt: string; kid: string; qrText: string; revokeReason: string | null; supersededBy: string | null };
    fields: Record<string, string>;
    superseded: string[];
  }
  interface ErrorShape {
    error: { code: string; message: string; messages: { id: string; en: string } };
  }

  let dir: string;
  let officeDbPath: string;
  let centralDbPath: string;
  let office: OfficeContext;
  let closeOffice: () => Promise<void>;
  let app: FastifyInstance;
  let operator: OfficeUser;
  const cookies: Record<string, string> = {};
  let nextSeed = 4100;

  async function recordOne(): Promise<string> {
    const [person] = syntheticResidents(1, { seed: nextSeed++, regencyCode: '35.09', regions: office.regions });
    const { record } = await recordResident(office, { request: await syntheticRecording(person!, person!.nik), operator });
    return record.id;
  }

  const as = (who: string) => ({ cookie: cookies[who]! });
  const issue = (recordId: string, who = 'operator') => app.inject({ method: 'POST', url: `/api/recordings/${recordId}/suket`, headers: as(who), payload: {} });
  async function issued(recordId: string): Promise<SuketBody> {
    const response = await issue(recordId);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<SuketBody>();
  }
  async function verify(text: string): Promise<Verification> {
    const response = await app.inject({ method: 'POST', url: '/api/verifikasi', payload: { text } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Verification>();
  }
  function expectError(response: LightMyRequestResponse, status: number, code: string): ErrorShape['error'] {
    expect(response.statusCode, response.body).toBe(status);
    const { error } = response.json<ErrorShape>();
    expect(error.code).toBe(code);
    expect(error.messages.id.length).toBeGreaterThan(5);
    expect(error.messages.en.length).toBeGreaterThan(5);
    expect(error.messages.id).not.toBe(error.messages.en);
    return error;
  }
  const outboxOf = (kind: string) =>
    office.db.selectFrom('outbox').select(['seq', 'subject_id', 'payload']).where('kind', '=', kind).orderBy('seq').execute();

  /** The images pdf-lib drew on the page, back as PNG files (pixels decoded from the PDF's own streams, nothing rendered). */
  async function imagesIn(pdf: Uint8Array): Promise<Uint8Array[]> {
    const doc = await PDFDocument.load(pdf);
    const out: Uint8Array[] = [];
    for (const [, object] of doc.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
      const width = (object.dict.get(PDFName.of('Width')) as PDFNumber).asNumber();
      const height = (object.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
      const colours = object.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceGray') ? 1 : 3;
      if (object.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode')) continue; // a JPEG photo
      const samples = decodePDFRawStream(object).decode();
      if (samples.length !== width * height * colours) continue; // an alpha mask or another layout
      const png = new PNG({ width, height });
      for (let p = 0; p < width * height; p++) {
        for (let c = 0; c < 3; c++) png.data[p * 4 + c] = samples[p * colours + (colours === 1 ? 0 : c)]!;
        png.data[p * 4 + 3] = 255;
      }
      out.push(new Uint8Array(PNG.sync.write(png)));
    }
    return out;
  }

  let dropStore = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-suket-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    officeDbPath = paths.officeDb;
    centralDbPath = paths.centralDb;
    const o = await openOffice(officeDbPath);
    office = o.ctx;
    closeOffice = () => o.handle.close();
    operator = (await officeSessionStore(office.db).findLogin('operator'))!.user;
    app = await buildOfficeApp(office, { serveWeb: false });
    for (const [who, password] of [
      ['operator', 'operator-jember'],
      ['supervisor', 'supervisor-jember'],
      ['kepala', 'kepala-jember'],
      ['admin', 'admin-jember'],
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

  describe('Suket at the office, with no centre running at all', () => {
    let recordId: string;
    let first: SuketBody;

    it('issues a signed Suket whose QR verifies ASLI against the office’s own cached lists', async () => {
      recordId = await recordOne();
      first = await issued(recordId);
      const { suket } = first;
      const day = zonedDayKey(office.now(), office.office.timeZone);
      expect(suket.serial).toBe(`SKT-3509-${day}-000001`);
      expect(suket.status).toBe('ACTIVE');
      const months = (Date.parse(suket.expiresAt) - Date.parse(suket.issuedAt)) / (30.44 * 86_400_000);
      expect(months).toBeGreaterThan(5.8);
      expect(months).toBeLessThan(6.2);
      expect(qrVersion(suket.qrText)).toBeLessThanOrEqual(14);

      const { claims, kid } = decodeCredential(suket.qrText);
      expect(kid).toBe(suket.kid);
      const record = await office.db.selectFrom('records').select(['nik', 'full_name', 'biodata']).where('id', '=', recordId).executeTakeFirstOrThrow();
      expect(claims).toMatchObject({ typ: 'SUKET', ser: suket.serial, iss: '3509' });
      expect(claims.sub).toEqual(first.fields);
      expect(claims.sub.nik).toBe(record.nik);
      expect(claims.sub.nama).toBe(record.full_name.toUpperCase());
      expect(claims.sub.kabKota).toBe('KABUPATEN JEMBER');
      expect(claims.sub.provinsi).toBe('JAWA TIMUR');
      expect(claims.sub.kecamatan).toBe(office.regions.district(JSON.parse(record.biodata).address.villageCode.slice(0, 8))!.name.toUpperCase());

      const result = await verify(suket.qrText);
      expect(result.verdict).toBe('VALID');
      expect(result.label.id).toBe('ASLI');
      expect(result.issuer).toMatchObject({ officeId: '3509', kid: suket.kid });
      expect(result.claims?.sub.nik).toBe(record.nik);
      expect(Date.parse(result.listsFetchedAt.trustList)).toBeLessThanOrEqual(Date.now());

      // Logged for the centre in the same commit: one suket.issued with the payload it needs.
      const events = await outboxOf('suket.issued');
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.payload!)).toEqual({ serial: suket.serial, recordId, nik: record.nik, issuedAt: suket.issuedAt, expiresAt: suket.expiresAt, kid: suket.kid, issuedBy: 'operator' });
    });

    it('prints an A4 PDF with the photo and the QR, and the credential inside the PDF itself', async () => {
      const response = await app.inject({ method: 'GET', url: `/api/sukets/${first.suket.serial}/pdf`, headers: as('operator') });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const bytes = new Uint8Array(response.rawPayload);
      const doc = await PDFDocument.load(bytes);
      expect(doc.getPageCount()).toBe(1);
      const { width, height } = doc.getPage(0).getSize();
      expect(width).toBeCloseTo(A4.width, 1);
      expect(height).toBeCloseTo(A4.height, 1);
      expect(await extractCredentialFromPdf(bytes)).toBe(first.suket.qrText);

      // The QR image as embedded in the PDF decodes to the same text; so does a fresh rendering.
      const decoded = (await imagesIn(bytes)).map((png) => readQrFromImage(png));
      expect(decoded).toContain(first.suket.qrText);
      expect(readQrFromImage(await renderQrPng(first.suket.qrText))).toBe(first.suket.qrText);

      // An uploaded PDF and an uploaded photo of the QR verify alike.
      const fromPdf = await app.inject({ method: 'POST', url: '/api/verifikasi/gambar', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from(bytes) });
      expect(fromPdf.json<Verification>().verdict).toBe('VALID');
      const png = await app.inject({ method: 'GET', url: `/api/sukets/${first.suket.serial}/qr.png`, headers: as('operator') });
      const fromPng = await app.inject({ method: 'POST', url: '/api/verifikasi/gambar', headers: { 'content-type': 'image/png' }, payload: png.rawPayload });
      expect(fromPng.json<Verification>().verdict).toBe('VALID');
      // The record's photo has no QR in it: a clear 422.
      const photo = await app.inject({ method: 'GET', url: `/api/recordings/${recordId}/photo`, headers: as('operator') });
      expectError(await app.inject({ method: 'POST', url: '/api/verifikasi/gambar', headers: { 'content-type': 'image/png' }, payload: photo.rawPayload }), 422, 'QR_NOT_FOUND');
    });

    it('supersedes: a new Suket for the record revokes the earlier one in the same transaction', async () => {
      const second = await issued(recordId);
      expect(second.superseded).toEqual([first.suket.serial]);
      expect(second.suket.serial).toMatch(/-000002$/);
      const list = await app.inject({ method: 'GET', url: `/api/recordings/${recordId}/sukets`, headers: as('operator') });
      const items = list.json<{ items: SuketBody['suket'][] }>().items;
      expect(items.map((s) => [s.serial, s.status])).toEqual([
        [second.suket.serial, 'ACTIVE'],
        [first.suket.serial, 'REVOKED'],
      ]);
      expect(items[1]).toMatchObject({ revokeReason: 'SUPERSEDED', supersededBy: second.suket.serial });
      const revoked = await outboxOf('suket.revoked');
      expect(revoked.map((e) => e.subject_id)).toEqual([first.suket.serial]);
      expect(JSON.parse(revoked[0]!.payload!)).toMatchObject({ reason: 'SUPERSEDED', supersededBy: second.suket.serial });
      // The centre has not heard of it yet, but the office counts its own revocations.
      expect((await verify(first.suket.qrText)).verdict).toBe('SUPERSEDED');
      expect((await verify(second.suket.qrText)).verdict).toBe('VALID');
      first = second;
    });

    it('refuses what it must, in both languages: wrong status 409, unknown 404, wrong role 403', async () => {
      const duplicate = await recordOne();
      await office.db.updateTable('records').set({ status: 'DUPLICATE_RECORD' }).where('id', '=', duplicate).execute();
      const refused = expectError(await issue(duplicate), 409, 'SUKET_NOT_ALLOWED');
      expect(refused.messages.id).toContain('DUPLICATE_RECORD');
      expect(refused.messages.en).toContain('duplicate');
      await office.db.updateTable('records').set({ status: 'ENROLL_FAILURE_AT_CENTRAL' }).where('id', '=', duplicate).execute();
      expectError(await issue(duplicate), 409, 'SUKET_NOT_ALLOWED');
      expect(await withSuketTables(office.db).selectFrom('sukets').select('serial').where('record_id', '=', duplicate).execute()).toEqual([]);

      expectError(await issue('00000000-0000-4000-8000-000000000000'), 404, 'RECORD_NOT_FOUND');
      expectError(await app.inject({ method: 'GET', url: '/api/sukets/SKT-3509-20260101-999999', headers: as('operator') }), 404, 'SUKET_NOT_FOUND');
      expectError(await app.inject({ method: 'GET', url: '/api/sukets/SKT-3509-20260101-999999/pdf', headers: as('operator') }), 404, 'SUKET_NOT_FOUND');
      expectError(await app.inject({ method: 'GET', url: '/api/sukets/not-a-serial', headers: as('operator') }), 400, 'INVALID_INPUT');

      expectError(await issue(recordId, 'kepala'), 403, 'FORBIDDEN');
      expectError(await app.inject({ method: 'POST', url: `/api/recordings/${recordId}/suket`, payload: {} }), 401, 'UNAUTHENTICATED');
      expectError(await app.inject({ method: 'POST', url: `/api/sukets/${first.suket.serial}/revoke`, headers: as('operator'), payload: { reason: 'ISSUED_IN_ERROR' } }), 403, 'FORBIDDEN');
      expectError(await app.inject({ method: 'POST', url: '/api/trust/document-keys/rotate', headers: as('supervisor'), payload: {} }), 403, 'FORBIDDEN');

      expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', payload: {} }), 400, 'CREDENTIAL_TEXT_MISSING');
      expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', payload: { text: 'x'.repeat(5000) } }), 400, 'CREDENTIAL_TEXT_TOO_LONG');
      expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(70 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a supervisor withdraws a Suket issued in error; a tampered QR says PALSU', async () => {
      const other = await issued(await recordOne());
      const response = await app.inject({ method: 'POST', url: `/api/sukets/${other.suket.serial}/revoke`, headers: as('supervisor'), payload: { reason: 'ISSUED_IN_ERROR' } });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<SuketBody>().suket).toMatchObject({ status: 'REVOKED', revokeReason: 'ISSUED_IN_ERROR' });
      expectError(await app.inject({ method: 'POST', url: `/api/sukets/${other.suket.serial}/revoke`, headers: as('admin'), payload: { reason: 'OTHER' } }), 409, 'SUKET_ALREADY_REVOKED');
      expect((await verify(other.suket.qrText)).verdict).toBe('REVOKED');

      // One printed field changed, or another Suket's signature swapped in: PALSU. A key nobody certified: TIDAK DIKENAL.
      const { claims } = decodeCredential(first.suket.qrText);
      const altered = alterPayload(first.suket.qrText);
      const forged = await verify(altered);
      expect(forged.verdict).toBe('FORGED');
      expect(forged.label.id).toBe('PALSU');
      expect(forged.claims).toBeUndefined();
      expect((await verify(swapSignature(first.suket.qrText, other.suket.qrText))).verdict).toBe('FORGED');
      const impostor = generateSigningKey();
      expect((await verify(encodeCredential({ ...claims, sub: { ...claims.sub, nama: 'ORANG LAIN' } }, impostor))).verdict).toBe('UNKNOWN_ISSUER');
    });

    it('serves the pinned root and the cached lists to verifiers without a login', async () => {
      const root = await app.inject({ method: 'GET', url: '/api/trust/root' });
      expect(root.statusCode).toBe(200);
      const central = await openCentral(centralDbPath);
      try {
        expect(root.json()).toEqual({ kid: (await trustRoot(central.ctx)).kid, publicKey: Buffer.from((await trustRoot(central.ctx)).publicKey).toString('base64url') });
      } finally {
        await central.handle.close();
      }
      for (const path of ['/api/trust/list', '/api/trust/revocations']) {
        const list = await app.inject({ method: 'GET', url: path });
        expect(list.statusCode).toBe(200);
        expect(list.json()).toMatchObject({ signed: expect.any(String), fetchedAt: expect.any(String) });
      }
    });
  });

  describe('Suket settings and missing lists', () => {
    it('takes its validity from the office setting suket_validity_months', async () => {
      await office.db.insertInto('settings').values({ key: 'suket_validity_months', value: '3' }).execute();
      try {
        const { suket } = await issued(await recordOne());
        const months = (Date.parse(suket.expiresAt) - Date.parse(suket.issuedAt)) / (30.44 * 86_400_000);
        expect(Math.round(months)).toBe(3);
        expect(decodeCredential(suket.qrText).claims.exp).toBe(Math.floor(Date.parse(suket.expiresAt) / 1000));
      } finally {
        await office.db.deleteFrom('settings').where('key', '=', 'suket_validity_months').execute();
      }
    });

    it('says clearly, in both languages, when it has never received the lists', async () => {
      const saved = await withSuketTables(office.db).selectFrom('trust_cache').selectAll().execute();
      await withSuketTables(office.db).deleteFrom('trust_cache').execute();
      try {
        expectError(await app.inject({ method: 'GET', url: '/api/trust/list' }), 404, 'TRUST_LIST_NOT_FETCHED');
        expectError(await app.inject({ method: 'GET', url: '/api/trust/revocations' }), 404, 'TRUST_LIST_NOT_FETCHED');
        expectError(await app.inject({ method: 'POST', url: '/api/verifikasi', payload: { text: 'TGH1:ABC' } }), 503, 'TRUST_LISTS_MISSING');
      } finally {
        await withSuketTables(office.db).insertInto('trust_cache').values(saved).execute();
      }
      expect((await app.inject({ method: 'GET', url: '/api/trust/list' })).statusCode).toBe(200);
    });
  });

  describe('Suket with the centre back', () => {
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
    });
    afterAll(async () => {
      await centralApp?.close();
      await closeCentral?.();
    });

    async function drain() {
      while ((await pushOnce(office, client, 50)) > 0);
    }
    const logged = (serial: string) => trustDb(central.db).selectFrom('sukets').selectAll().where('serial', '=', serial).execute();

    it('syncs every issuance to the centre’s log exactly once, and the revocations to its list', async () => {
      await drain();
      const sukets = await withSuketTables(office.db).selectFrom('sukets').selectAll().execute();
      expect(sukets.length).toBeGreaterThanOrEqual(3);
      for (const s of sukets) expect(await logged(s.serial)).toHaveLength(1);
      // A push of the same entries again (lost acknowledgement) changes nothing.
      await office.db.deleteFrom('sync_state').where('key', '=', 'acked_seq').execute();
      await drain();
      for (const s of sukets) expect(await logged(s.serial)).toHaveLength(1);

      const revoked = sukets.filter((s) => s.status === 'REVOKED').map((s) => s.serial);
      const list = openRevocationList((await currentRevocationList(central)).signed, (await trustRoot(central)).publicKey);
      expect(list.entries.map((e) => e.ser).sort()).toEqual(revoked.sort());

      // The office fetches the grown list, verifies it against its pinned root, and stores it.
      const before = (await cachedList(office.db, 'REVOCATION_LIST'))!;
      await trustSyncer(office, { centralUrl }).run();
      const after = (await cachedList(office.db, 'REVOCATION_LIST'))!;
      expect(after.sequence).toBeGreaterThan(before.sequence);
      expect(after.signed).toBe((await currentRevocationList(central)).signed);
    });

    it('revokes a Suket automatically when the pull brings CARD_ISSUED, and the verifier then says DICABUT', async () => {
      const recordId = await recordOne();
      const suket = (await issued(recordId)).suket;
      await drain();
      expect(await logged(suket.serial)).toHaveLength(1);
      expect((await verify(suket.qrText)).verdict).toBe('VALID');

      await central.db.transaction().execute((trx) =>
        recordStatusChanges(trx, [{ officeId: office.office.id, recordId, status: 'CARD_ISSUED', at: new Date().toISOString(), note: 'diserahkan di kecamatan' }]),
      );
      while ((await pullOnce(office, client, 100)).hasMore);
      const record = await office.db.selectFrom('records').select('status').where('id', '=', recordId).executeTakeFirstOrThrow();
      expect(record.status).toBe('CARD_ISSUED');
      const row = await withSuketTables(office.db).selectFrom('sukets').selectAll().where('serial', '=', suket.serial).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'REVOKED', revoke_reason: 'CARD_ISSUED' });
      const events = (await outboxOf('suket.revoked')).filter((e) => e.subject_id === suket.serial);
      expect(events).toHaveLength(1);

      const result = await verify(suket.qrText);
      expect(result.verdict).toBe('REVOKED');
      expect(result.label.id).toBe('DICABUT');
      expect(result.reason.en).toMatch(/card/i);

      // The centre hears of it with the next push and lists it for every verifier.
      await drain();
      const list = openRevocationList((await currentRevocationList(central)).signed, (await trustRoot(central)).publicKey);
      expect(list.entries.find((e) => e.ser === suket.serial)?.reason).toBe('CARD_ISSUED');
      expect((await centralApp.inject({ method: 'POST', url: '/api/verifikasi', payload: { text: suket.qrText } })).json<Verification>().verdict).toBe('REVOKED');

      // No new Suket once the card is out.
      const refused = expectError(await issue(recordId), 409, 'SUKET_NOT_ALLOWED');
      expect(refused.messages.id).toContain('CARD_ISSUED');
    });

    it('rotates its key through the centre; new Sukets use the new key and the old ones stay ASLI', async () => {
      const old = (await issued(await recordOne())).suket;
      const rotate = await app.inject({ method: 'POST', url: '/api/trust/document-keys/rotate', headers: as('admin'), payload: {} });
      expect(rotate.statusCode, rotate.body).toBe(202);
      const { key } = rotate.json<{ key: { kid: string; state: string } }>();
      expect(key.state).toBe('PENDING');
      // Until the centre has certified it and the signed list carries it, the old key keeps signing.
      expect((await issued(await recordOne())).suket.kid).toBe(old.kid);

      await trustSyncer(office, { centralUrl }).run();
      const keys = await listDocumentKeys(office.db);
      expect(keys.find((k) => k.kid === key.kid)?.state).toBe('CURRENT');
      expect(keys.find((k) => k.kid === old.kid)?.state).toBe('RETIRED');
      const fresh = (await issued(await recordOne())).suket;
      expect(fresh.kid).toBe(key.kid);
      expect((await verify(fresh.qrText)).verdict).toBe('VALID');
      expect((await verify(old.qrText)).verdict).toBe('VALID');
    });
  });
});
