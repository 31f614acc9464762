import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { unzlibSync } from 'fflate';
import { decodeCredential, extractCredentialFromPdf, fromBase64Url, verifyCredential } from '@tangguh/credential';
import { qrVersion } from '@tangguh/credential/node';
import { buildCentralApp } from '@tangguh/central';
import { openCentral } from '@tangguh/central/provision';
import type { CentralContext } from '@tangguh/central/context';
import { currentRevocationList, currentTrustList } from '@tangguh/central/services/trust';
import { provisionStack, freePort } from '../../../cli/src/stack.ts';
import { HttpClient, login, type ErrorBodyShape } from '../../../../test/helpers.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { CentralClient } from './central-client.ts';
import { pushOnce } from './sync.ts';
import { probeTte } from './tte-status.ts';
import type { DocumentView } from './documents.ts';
import { PROTOCOL_VERSION, SYNC_HEADERS } from '@tangguh/protocol';
import { enrolHead, signAllAsHead, type HeadKey } from '../../../../test/tte-head.ts';

describe.each(DIALECTS)('e-signed documents at the office on %s', (dialect) => {
  // A real centre and a real office (both HTTP APIs on loopback, their own SQLite files); the worker's
  // steps (TTE probe, outbox push) are run by hand so each test decides when the office learns something.
  let dir: string;
  let office: OfficeContext;
  let central: CentralContext;
  let closeAll: () => Promise<void>;
  let centralApp: FastifyInstance;
  let centralUrl: string;
  let client: CentralClient;
  let operator: HttpClient;
  let head: HttpClient;
  let officeAdmin: HttpClient;
  let centreAdmin: HttpClient;
  let officeUrl: string;
  let pdfCookie: string;
  let headKey: HeadKey;

  type Created = { document: DocumentView };

  let dropStore = async () => {};
  setupOrFail(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tangguh-documents-'));
    const store = await freshLocation(dialect, dir, 'office');
    dropStore = store.drop;
    const paths = await provisionStack(dir, { officeDb: store.location });
    const c = await openCentral(paths.centralDb);
    central = c.ctx;
    centralApp = await buildCentralApp(central, { serveWeb: false });
    const centralPort = await freePort();
    await centralApp.listen({ port: centralPort, host: '127.0.0.1' });
    centralUrl = `http://127.0.0.1:${centralPort}`;
    const o = await openOffice(paths.officeDb);
    office = o.ctx;
    const officeApp = await buildOfficeApp(office, { serveWeb: false, centralUrl });
    const officePort = await freePort();
    await officeApp.listen({ port: officePort, host: '127.0.0.1' });
    officeUrl = `http://127.0.0.1:${officePort}`;
    // HttpClient reads bodies as text; the PDFs are fetched as bytes with a session of their own.
    const session = await fetch(`${officeUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: 'operator-jember' }) });
    pdfCookie = session.headers.getSetCookie()[0]!.split(';')[0]!;
    client = new CentralClient({ baseUrl: centralUrl, officeId: office.office.id, signingPrivateKey: office.signingPrivateKey });
    operator = await login(officeUrl, 'operator', 'operator-jember');
    head = await login(officeUrl, 'kepala', 'kepala-jember');
    officeAdmin = await login(officeUrl, 'admin', 'admin-jember');
    centreAdmin = await login(centralUrl, 'admin', 'admin-pusat');
    // The head's personal key, enrolled through the office and approved at the centre, as at /pimpinan and /pusat/tte.
    headKey = await enrolHead(head, centreAdmin);
    closeAll = async () => {
      await officeApp.close();
      await centralApp.close();
      await o.handle.close();
      await c.handle.close();
    };
  });

  afterAll(async () => {
    await closeAll?.();
    await dropStore();
    rmSync(dir, { recursive: true, force: true });
  });

  const NIKS = ['3509124507900003', '3509120101850007', '3509126002010002'];

  async function createDocument(type: string, nomor: string, nik: string, name: string, fields: Record<string, string> = {}): Promise<DocumentView> {
    const response = await operator.post<Created>('/api/documents', { type, nik, name, nomor, fields });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.document;
  }

  async function setTte(available: boolean): Promise<{ available: boolean; since: string | null }> {
    const response = await centreAdmin.post<{ available: boolean; since: string | null }>('/api/admin/tte', { available });
    expect(response.status).toBe(200);
    await probeTte(office, client, 0);
    return response.body;
  }

  const getDocument = async (id: string) => (await operator.get<Created>(`/api/documents/${id}`)).body.document;
  const documentRows = () => office.db.selectFrom('documents' as never).selectAll().orderBy('created_at' as never).execute();
  const outboxKinds = async () => (await office.db.selectFrom('outbox').select(['kind', 'payload']).orderBy('seq').execute()).filter((r) => r.kind !== 'recording.created');

  async function fetchPdf(id: string): Promise<Uint8Array> {
    const response = await fetch(`${officeUrl}/api/documents/${id}/pdf`, { headers: { cookie: pdfCookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    return new Uint8Array(await response.arrayBuffer());
  }

  async function pushAll(): Promise<void> {
    while ((await pushOnce(office, client, 200)) > 0);
  }

  /** The words drawn on the first page of a PDF (pdf-lib writes them as hex strings in a zlib stream). */
  async function pdfText(bytes: Uint8Array): Promise<{ text: string; images: number }> {
    const pdf = await PDFDocument.load(bytes);
    const page = pdf.getPages()[0]!;
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    let text = '';
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const raw = new TextDecoder('latin1').decode(unzlibSync(stream.contents));
      // WinAnsi is Latin-1 plus a few marks in 0x80–0x9F; the em dash (0x97) is the one drawn here.
      for (const match of raw.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) text += `${Buffer.from(match[1]!, 'hex').toString('latin1').replaceAll('\x97', '—')}\n`;
    }
    const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    return { text, images: xobjects ? xobjects.keys().length : 0 };
  }

  describe('e-signed documents (TTE) against a real centre on loopback', () => {
    let waiting: DocumentView[] = [];

    it('TTE down: documents wait as AWAITING_SIGNATURE with an honest estimate, and signing changes nothing', async () => {
      const outage = await setTte(false);
      expect(outage.available).toBe(false);
      const health = (await (await fetch(`${centralUrl}/sync/tte/health`, { headers: { [SYNC_HEADERS.protocol]: String(PROTOCOL_VERSION) } })).json()) as { available: boolean; since: string };
      expect(health).toEqual({ available: false, since: outage.since });

      waiting = [
        await createDocument('KK', '3509120101230001', NIKS[0]!, 'Siti Rahayu', { kepala_keluarga: 'Siti Rahayu', alamat: 'Jl. Kenanga 5' }),
        await createDocument('AKTA_KELAHIRAN', '3509-LU-01012026-0001', NIKS[1]!, 'Bagus Santoso', { tempat_lahir: 'Jember', nama_ibu: 'Sri' }),
        await createDocument('AKTA_KEMATIAN', '3509-KM-02012026-0001', NIKS[2]!, 'Darmi'),
      ];
      for (const document of waiting) {
        expect(document.status).toBe('AWAITING_SIGNATURE');
        expect(document.serial).toMatch(/^3509-DOK-\d{8}-\d{6}$/);
        expect(document.pickup.kind).toBe('AFTER_TTE_RECOVERY');
        expect(document.pickup.day).toBeUndefined();
        expect(document.pickup.tte).toMatchObject({ available: false, since: outage.since, reason: 'TTE_DOWN' });
        expect(document.pickup.tte.outageMinutes).toBeGreaterThanOrEqual(0);
        expect(document.pickup.messages.id).toContain('Layanan TTE pusat gangguan sejak');
        expect(document.pickup.messages.id).toContain('setelah layanan TTE pulih');
        expect(document.pickup.messages.id).toContain('Anda akan diberi tahu');
        expect(document.pickup.messages.en).toContain('no firm date');
      }

      const before = await documentRows();
      const outboxBefore = await outboxKinds();
      const refused = await signAllAsHead<ErrorBodyShape>(head, headKey);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('TTE_UNAVAILABLE');
      expect(refused.body.error.messages.id).toContain('tidak ada yang berubah');
      expect(refused.body.error.messages.en).toContain('nothing was changed');
      expect(await documentRows()).toEqual(before);
      expect(await outboxKinds()).toEqual(outboxBefore);
      expect((await getDocument(waiting[0]!.id)).status).toBe('AWAITING_SIGNATURE');
      const status = await head.get<{ awaiting: number; tte: { available: boolean } }>('/api/tte/status');
      expect(status.body).toMatchObject({ awaiting: 3, tte: { available: false } });
    });

    it('checks roles: only the head signs, only head or admin switch the policy, only an admin adds document types', async () => {
      expect((await operator.post<ErrorBodyShape>('/api/documents/sign-all', {})).body.error.code).toBe('FORBIDDEN');
      expect((await operator.post('/api/documents/sign-all', {})).status).toBe(403);
      expect((await officeAdmin.post('/api/documents/sign-all', {})).status).toBe(403);
      expect((await operator.post('/api/documents/sign-all/challenge', {})).status).toBe(403);
      expect((await operator.post('/api/tte/enrolment', { publicKey: headKey.publicKey })).status).toBe(403);
      const enrolment = await head.get<{ isHead: boolean; enrolment: { status: string; username: string } }>('/api/tte/enrolment');
      expect(enrolment.status, JSON.stringify(enrolment.body)).toBe(200);
      expect(enrolment.body).toMatchObject({ isHead: true, enrolment: { status: 'APPROVED', username: 'kepala' } });
      expect((await operator.post('/api/documents/' + waiting[0]!.id + '/wet-sign', { reason: 'TTE pusat mati' })).status).toBe(403);
      expect((await operator.request('PUT', '/api/policies/wet-signature', { enabled: true, reason: 'ingin coba' })).status).toBe(403);
      expect((await head.post('/api/documents', { type: 'KK', nik: NIKS[0], name: 'X', nomor: '1', fields: {} })).status).toBe(403);
      expect((await operator.post('/api/document-types', { code: 'AKTA_PERKAWINAN', name: 'Akta Perkawinan' })).status).toBe(403);

      const added = await officeAdmin.post('/api/document-types', { code: 'AKTA_PERKAWINAN', name: 'Akta Perkawinan', fields: [{ key: 'nama_suami', label: 'Nama suami' }] });
      expect(added.status).toBe(201);
      expect((await officeAdmin.post<ErrorBodyShape>('/api/document-types', { code: 'AKTA_PERKAWINAN', name: 'Lagi' })).body.error.code).toBe('DOCUMENT_TYPE_EXISTS');
      const types = await operator.get<{ items: { code: string; name: string }[] }>('/api/document-types');
      expect(types.body.items.map((t) => t.code)).toEqual(['AKTA_KELAHIRAN', 'AKTA_KEMATIAN', 'KK', 'SURAT_PINDAH', 'AKTA_PERKAWINAN']);
      const unknown = await operator.post<ErrorBodyShape>('/api/documents', { type: 'PASPOR', nik: NIKS[0], name: 'X', nomor: '1' });
      expect(unknown.body.error.code).toBe('DOCUMENT_TYPE_UNKNOWN');
      const badNik = await operator.post<ErrorBodyShape>('/api/documents', { type: 'KK', nik: '3509120000000000', name: 'X', nomor: '1' });
      expect(badNik.status).toBe(400);
    });

    it('TTE up: the head signs all three in one action; each QR decodes to a TTE key of the centre’s trust list', async () => {
      await setTte(true);
      const estimate = (await getDocument(waiting[0]!.id)).pickup;
      expect(estimate.kind).toBe('AFTER_SIGNATURE');
      expect(estimate.messages.id).toMatch(/^Perkiraan: (hari ini|hari kerja berikutnya), setelah ditandatangani kepala dinas/);

      const result = await signAllAsHead(head, headKey);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ signed: 3, remaining: 0, error: null });

      const trust = (await currentTrustList(central)).list;
      const kids = new Set<string>();
      for (const before of waiting) {
        const document = await getDocument(before.id);
        expect(document.status).toBe('SIGNED');
        expect(document.signature).toMatchObject({ kind: 'TTE', by: 'kepala', byName: 'Drs. Hadi Santoso', reason: null });
        expect(document.pickup.kind).toBe('READY');
        const qr = document.qrText!;
        expect(qrVersion(qr)).toBeLessThanOrEqual(14);
        const decoded = decodeCredential(qr);
        expect(decoded.claims).toMatchObject({ typ: before.type, ser: before.serial, iss: '3509', sub: { nomor: before.nomor, nik: before.nik, nama: before.name, ttd: 'Drs. Hadi Santoso' } });
        const key = trust.keys.find((k) => k.kid === decoded.kid);
        expect(key).toMatchObject({ purpose: 'TTE', officeId: '3509' });
        expect(decoded.verifyWith(fromBase64Url(key!.publicKey))).toBe(true);
        kids.add(decoded.kid);

        // The printed PDF carries the same credential, and says who signed it electronically.
        const bytes = await fetchPdf(before.id);
        expect(await extractCredentialFromPdf(bytes)).toBe(qr);
        const page = await pdfText(bytes);
        expect(page.text).toContain('Ditandatangani secara elektronik oleh Drs. Hadi Santoso');
        expect(page.text).toContain(`Nomor: ${before.nomor}`);
        expect(page.images).toBe(1);
      }
      expect(kids.size).toBe(1);

      const signedEvents = (await outboxKinds()).filter((e) => e.kind === 'document.signed');
      expect(signedEvents.map((e) => (JSON.parse(e.payload!) as { ser: string }).ser).sort()).toEqual(waiting.map((d) => d.serial).sort());
      expect((await signAllAsHead(head, headKey)).body.signed).toBe(0);
      await pushAll();
      const logged = await central.db.selectFrom('office_events').select('subject_id').where('kind', '=', 'document.signed').execute();
      expect(logged.map((r) => r.subject_id).sort()).toEqual(waiting.map((d) => d.serial).sort());
    });

    it('a newer document of the same type and number supersedes the older, and the centre lists the old serial as SUPERSEDED', async () => {
      const old = await getDocument(waiting[0]!.id);
      const draft = await createDocument('KK', old.nomor, old.nik, old.name, { kepala_keluarga: old.name, alamat: 'Jl. Melati 9' });
      // An unsigned correction replaces an unsigned draft at once; a signed document only once its successor is signed.
      const correction = await createDocument('KK', old.nomor, old.nik, old.name, { kepala_keluarga: old.name, alamat: 'Jl. Melati 10' });
      expect((await getDocument(draft.id)).status).toBe('SUPERSEDED');
      expect((await getDocument(old.id)).status).toBe('SIGNED');

      expect((await signAllAsHead(head, headKey)).body.signed).toBe(1);
      const replaced = await getDocument(old.id);
      expect(replaced).toMatchObject({ status: 'SUPERSEDED', supersededBy: correction.serial });
      expect(replaced.pickup.kind).toBe('SUPERSEDED');
      expect((await getDocument(correction.id)).status).toBe('SIGNED');
      const events = (await outboxKinds()).filter((e) => e.kind === 'document.superseded').map((e) => JSON.parse(e.payload!) as { ser: string; supersededBy: string });
      expect(events).toEqual([
        { ser: draft.serial, supersededBy: correction.serial },
        { ser: old.serial, supersededBy: correction.serial },
      ]);

      await pushAll();
      const revocations = (await currentRevocationList(central)).list;
      expect(revocations.entries.find((e) => e.ser === old.serial)).toMatchObject({ reason: 'SUPERSEDED', supersededBy: correction.serial });
      const trust = (await currentTrustList(central)).list;
      const now = Math.floor(Date.now() / 1000);
      expect(verifyCredential(old.qrText!, { trust, revocations, now }).verdict).toBe('SUPERSEDED');
      expect(verifyCredential((await getDocument(correction.id)).qrText!, { trust, revocations, now }).verdict).toBe('VALID');
    });

    it('wet signatures: refused while the policy is off; the switch and each use are recorded with who, why and when', async () => {
      const document = await createDocument('SURAT_PINDAH', '3509/SKP/2026/0042', NIKS[1]!, 'Bagus Santoso', { alamat_tujuan: 'Kota Malang' });
      const policy = await head.get<{ policy: { enabled: boolean } }>('/api/policies/wet-signature');
      expect(policy.body.policy.enabled).toBe(false);

      const refused = await head.post<ErrorBodyShape>(`/api/documents/${document.id}/wet-sign`, { reason: 'TTE pusat gangguan' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('POLICY_DISABLED');
      expect(refused.body.error.messages.id).toContain('Tanda tangan basah tidak diizinkan');
      expect(refused.body.error.messages.en).toContain('Wet signatures are not allowed');
      expect((await getDocument(document.id)).status).toBe('AWAITING_SIGNATURE');

      expect((await head.request('PUT', '/api/policies/wet-signature', { enabled: true, reason: '' })).status).toBe(400);
      const on = await head.request<{ policy: { enabled: boolean; changedBy: string }; audit: { action: string; actor: string; actorRole: string; reason: string; at: string }[] }>(
        'PUT',
        '/api/policies/wet-signature',
        { enabled: true, reason: 'TTE pusat gangguan tiga hari, izin Sekda no. 12/2026' },
      );
      expect(on.status).toBe(200);
      expect(on.body.policy).toMatchObject({ enabled: true, changedBy: 'kepala' });
      expect(on.body.audit[0]).toMatchObject({ action: 'POLICY_ON', actor: 'kepala', actorRole: 'head', reason: 'TTE pusat gangguan tiga hari, izin Sekda no. 12/2026' });
      expect(Date.parse(on.body.audit[0]!.at)).toBeGreaterThan(Date.now() - 60_000);

      const wet = await head.post<Created>(`/api/documents/${document.id}/wet-sign`, { reason: 'Warga harus berangkat besok' });
      expect(wet.status).toBe(200);
      expect(wet.body.document).toMatchObject({ status: 'WET_SIGNED', qrText: null, signature: { kind: 'WET', by: 'kepala', reason: 'Warga harus berangkat besok' } });
      const audit = await operator.get<{ audit: { action: string; documentId: string | null; actor: string; reason: string }[] }>('/api/policies/wet-signature');
      expect(audit.body.audit[0]).toMatchObject({ action: 'WET_SIGNED', documentId: document.id, actor: 'kepala', reason: 'Warga harus berangkat besok' });

      const bytes = await fetchPdf(document.id);
      expect(await extractCredentialFromPdf(bytes)).toBeNull();
      const page = await pdfText(bytes);
      expect(page.text).toContain('Ditandatangani basah (tanpa TTE) — Warga harus berangkat besok');
      expect(page.images).toBe(0);

      const off = await officeAdmin.request<{ policy: { enabled: boolean } }>('PUT', '/api/policies/wet-signature', { enabled: false, reason: 'TTE pusat pulih' });
      expect(off.body.policy.enabled).toBe(false);
      const another = await createDocument('SURAT_PINDAH', '3509/SKP/2026/0043', NIKS[2]!, 'Darmi');
      expect((await head.post(`/api/documents/${another.id}/wet-sign`, { reason: 'coba lagi' })).status).toBe(409);

      await pushAll();
      const logged = await central.db.selectFrom('office_events').select(['kind', 'payload']).where('kind', 'in', ['document.wet_signed', 'policy.wet_signature']).orderBy('seq').execute();
      expect(logged.map((e) => [e.kind, (JSON.parse(e.payload) as { by: string }).by])).toEqual([
        ['policy.wet_signature', 'kepala'],
        ['document.wet_signed', 'kepala'],
        ['policy.wet_signature', 'admin'],
      ]);
      expect(JSON.parse(logged[1]!.payload)).toMatchObject({ ser: document.serial, reason: 'Warga harus berangkat besok' });
    });

    it('centre unreachable: the estimate says so, and signing is refused with nothing changed', async () => {
      await centralApp.close();
      await probeTte(office, client, 0);
      const document = await createDocument('KK', '3509120101230099', NIKS[0]!, 'Siti Rahayu');
      expect(document.pickup.kind).toBe('AFTER_TTE_RECOVERY');
      expect(document.pickup.tte.reason).toBe('CENTRE_UNREACHABLE');
      expect(document.pickup.messages.id).toContain('tidak dapat menghubungi pusat');
      const refused = await signAllAsHead<ErrorBodyShape>(head, headKey);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('TTE_UNAVAILABLE');
      expect(refused.body.error.messages.id).toContain('Pusat tidak dapat dihubungi');
      expect((await getDocument(document.id)).status).toBe('AWAITING_SIGNATURE');
      expect((await fetch(`${officeUrl}/api/documents/${document.id}/pdf`, { headers: { cookie: pdfCookie } })).status).toBe(409);
    });
  });
});
