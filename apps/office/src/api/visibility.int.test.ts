import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentsList, RecordingList } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import type { ErrorBodyShape } from '../../../../test/helpers.ts';
import { signIn, startTestOffice, type TestOfficeApi } from './test-office.ts';

type Caller = Awaited<ReturnType<typeof signIn>>;

/**
 * The rule written in the README ("Who sees what across sites"): a kecamatan operator sees the records made at
 * the site and the residents living in the kecamatan; the Dinas, the head and admins see the whole kabupaten.
 */
describe.each(DIALECTS)('who sees which residents across the sites of an office on %s', (dialect) => {
  let office: TestOfficeApi;
  let kaliwates: Caller;
  let dinas: Caller;
  let head: Caller;

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    kaliwates = await signIn(office.url, 'operator.kaliwates', 'operator-jember');
    dinas = await signIn(office.url, 'operator', 'operator-jember');
    head = await signIn(office.url, 'kepala', 'kepala-jember');
  });
  afterAll(async () => {
    await office?.close();
  });

  const listed = async (caller: Caller) => (await caller<RecordingList>('GET', '/api/recordings?limit=100')).body.items.map((r) => r.id).sort();
  const listedDocuments = async (caller: Caller) => (await caller<DocumentsList>('GET', '/api/documents?limit=500')).body.items.map((d) => d.id).sort();

  it('lists for a kecamatan operator the residents living in the kecamatan and the records made at the site, nobody else', async () => {
    const { kaliwatesResident, recordedAtKaliwates, elsewhere } = office.residents;
    expect(await listed(kaliwates)).toEqual([kaliwatesResident.recordId, recordedAtKaliwates.recordId].sort());
    const byNik = await kaliwates<RecordingList>('GET', `/api/recordings?q=${elsewhere.biodata.nik}`);
    expect(byNik.status).toBe(200);
    expect(byNik.body.items).toEqual([]);
  });

  it('answers 404 for the record, photo, Sukets, Suket PDF and QR of a resident outside the kecamatan, as if none existed', async () => {
    const { recordId, suketSerial } = office.residents.elsewhere;
    for (const path of [`/api/recordings/${recordId}`, `/api/recordings/${recordId}/photo`, `/api/recordings/${recordId}/sukets`, `/api/sukets/${suketSerial}`, `/api/sukets/${suketSerial}/pdf`, `/api/sukets/${suketSerial}/qr.png`]) {
      const answer = await kaliwates<ErrorBodyShape>('GET', path);
      expect(answer.status, path).toBe(404);
      expect(['RECORD_NOT_FOUND', 'SUKET_NOT_FOUND']).toContain(answer.body.error.code);
    }
    const issue = await kaliwates<ErrorBodyShape>('POST', `/api/recordings/${recordId}/suket`);
    expect(issue.status).toBe(404);
  });

  it('opens for a kecamatan operator the record, photo and Suket of a resident living there, even when recorded at the Dinas', async () => {
    const { recordId, suketSerial } = office.residents.kaliwatesResident;
    for (const path of [`/api/recordings/${recordId}`, `/api/recordings/${recordId}/photo`, `/api/sukets/${suketSerial}`, `/api/sukets/${suketSerial}/pdf`]) {
      expect((await kaliwates('GET', path)).status, path).toBe(200);
    }
  });

  it('shows a kecamatan operator only the documents of residents they may see, and 404 for the others', async () => {
    const { kaliwatesResident, recordedAtKaliwates, elsewhere } = office.residents;
    expect(await listedDocuments(kaliwates)).toEqual([kaliwatesResident.documentId, recordedAtKaliwates.documentId].sort());
    expect((await kaliwates('GET', `/api/documents/${elsewhere.documentId}`)).status).toBe(404);
    expect((await kaliwates('GET', `/api/documents/${elsewhere.documentId}/pdf`)).status).toBe(404);
    expect((await kaliwates('GET', `/api/documents/${kaliwatesResident.documentId}`)).status).toBe(200);
  });

  it('lets Dinas staff and the head of office see every record and document of the kabupaten', async () => {
    const all = Object.values(office.residents);
    for (const caller of [dinas, head]) {
      expect(await listed(caller)).toEqual(all.map((r) => r.recordId).sort());
      expect(await listedDocuments(caller)).toEqual(all.map((r) => r.documentId).sort());
      expect((await caller('GET', `/api/recordings/${office.residents.recordedAtKaliwates.recordId}/photo`)).status).toBe(200);
    }
  });

  it('refuses a NIK whose province does not exist when a document is registered, and writes nothing', async () => {
    const count = async () => (await head<DocumentsList>('GET', '/api/documents?limit=500')).body.items.length;
    const before = await count();
    const response = await fetch(`${office.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await cookieOf('operator') },
      body: JSON.stringify({ type: 'KK', nik: '9909124507900003', name: 'Siti', nomor: '9909120101230001', fields: {} }),
    });
    const body = (await response.json()) as ErrorBodyShape;
    expect(response.status).toBe(400);
    expect(body.error.issues?.[0]).toMatchObject({ field: 'nik', code: 'NIK_REGION_UNKNOWN' });
    expect(body.error.messages.id).toContain('(99.09.12) tidak dikenal');
    expect(body.error.messages.en).toContain('(99.09.12) is unknown');
    expect(await count()).toBe(before);
  });

  it('refuses a search by a NIK of an unknown region with an issue on the search field', async () => {
    const answer = await dinas<ErrorBodyShape>('GET', '/api/recordings?q=9909124507900003');
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues?.[0]).toMatchObject({ field: 'q', code: 'NIK_REGION_UNKNOWN' });
  });

  async function cookieOf(username: string): Promise<string> {
    const login = await fetch(`${office.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-jember` }) });
    return login.headers.getSetCookie()[0]!.split(';')[0]!;
  }
});
