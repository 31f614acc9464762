import { afterAll, describe, expect, it } from 'vitest';
import { citizenCheckResponseSchema, errorBodySchema, type AccessLogEntry } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { appendStatusEvents, findSummary, setRecordsStatus } from '../repositories/records.ts';
import { upsertPrinter } from '../repositories/print-plan.ts';
import { checkManifestItems, insertManifest } from '../repositories/distribution.ts';
import { recordBlankEntry } from '../services/blank-stock.ts';
import { listAccess } from '../repositories/access-log.ts';
import { CITIZEN_THROTTLE, checkOwnRecord } from '../services/citizen-check.ts';
import { startTestOffice, type Resident, type TestOfficeApi } from './test-office.ts';

/**
 * /warga over real HTTP on both databases: a resident with the receipt's registration number and their date of
 * birth sees their own record and nothing of anyone else's; a NIK is refused by name; a wrong number and a wrong
 * date get the same answer; failures are counted per number (existing or not) and per address.
 */
describe.each(DIALECTS)('a resident checks their own record at /warga on %s', (dialect) => {
  let office: TestOfficeApi;
  const regno = new Map<string, string>();

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    for (const r of Object.values(office.residents)) regno.set(r.recordId, (await findSummary(office.ctx.db, r.recordId))!.registrationNumber);
  });
  afterAll(async () => {
    await office?.close();
  });

  const check = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${office.url}/api/warga/status`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  };
  const numberOf = (r: Resident) => regno.get(r.recordId)!;

  it("shows the resident their own record — timeline, Suket, forecast, pickup — and nothing of anyone else's", async () => {
    const { kaliwatesResident: me, elsewhere, recordedAtKaliwates } = office.residents;
    const answer = await check({ registrationNumber: numberOf(me), birthDate: me.biodata.birthDate }, { 'x-tangguh-screen': '/warga/status' });
    expect(answer.status, answer.text).toBe(200);
    const body = citizenCheckResponseSchema.parse(JSON.parse(answer.text));
    expect(body.registrationNumber).toBe(numberOf(me));
    expect(body.stage).toBe('RECORDED');
    expect(body.timeline.map((e) => e.status)).toEqual(['BIO_CAPTURED']);
    expect(body.timeline[0]!.words.id).toMatch(/direkam/);
    expect(body.suket.state).toBe('ACTIVE');
    expect(body.suket.serial).toBe(me.suketSerial);
    expect(body.forecast.kind).toBe('NOT_YET');
    expect(body.forecast.earliest).toBeNull();
    expect(body.pickup.confirmed).toBe(false);
    expect(body.maskedNik).toBe(`${me.biodata.nik.slice(0, 6)}••••••${me.biodata.nik.slice(12)}`);
    // Nothing more than the resident needs: no full NIK, no name, no address, no photo, no operator.
    expect(answer.text).not.toContain(me.biodata.nik);
    expect(answer.text).not.toContain(me.biodata.fullName);
    expect(answer.text).not.toContain(me.biodata.address.villageCode);
    expect(answer.text).not.toContain(me.biodata.address.street);
    expect(answer.text).not.toMatch(/photo|foto|base64|operator/i);
    for (const other of [elsewhere, recordedAtKaliwates]) {
      for (const secret of [other.biodata.nik, other.biodata.fullName, numberOf(other), other.recordId, other.suketSerial]) expect(answer.text).not.toContain(secret);
    }
    // Written to the access log as the resident's own check.
    const log: AccessLogEntry[] = await listAccess(office.ctx.db, { nik: me.biodata.nik, limit: 10 });
    expect(log.find((e) => e.action === 'citizen.check')).toMatchObject({ username: 'warga', role: 'citizen', recordId: me.recordId, subject: numberOf(me), screen: '/warga/status' });
  });

  it('accepts the number as people type it (spaces, no dashes)', async () => {
    const me = office.residents.elsewhere;
    const typed = numberOf(me).replaceAll('-', ' ');
    const answer = await check({ registrationNumber: typed, birthDate: me.biodata.birthDate });
    expect(answer.status, answer.text).toBe(200);
    expect(citizenCheckResponseSchema.parse(JSON.parse(answer.text)).registrationNumber).toBe(numberOf(me));
  });

  it('refuses a NIK with the date of birth, by name, whether typed in the number field or sent as nik', async () => {
    const me = office.residents.recordedAtKaliwates;
    const inField = await check({ registrationNumber: me.biodata.nik, birthDate: me.biodata.birthDate });
    expect(inField.status).toBe(400);
    const { error } = errorBodySchema.parse(JSON.parse(inField.text));
    expect(error.code).toBe('CITIZEN_CHECK_NIK_REFUSED');
    expect(error.messages.id).toMatch(/NIK/);
    expect(inField.text).not.toContain(numberOf(me));
    const asNik = await check({ nik: me.biodata.nik, birthDate: me.biodata.birthDate });
    expect(asNik.status).toBe(400);
    expect(asNik.text).not.toContain(numberOf(me));
  });

  it('answers a wrong date of birth and a number never issued with the very same 404', async () => {
    const me = office.residents.recordedAtKaliwates;
    const wrongDate = await check({ registrationNumber: numberOf(me), birthDate: '1901-01-01' });
    const unknownNumber = await check({ registrationNumber: '3509-20000101-999999', birthDate: me.biodata.birthDate });
    expect(wrongDate.status).toBe(404);
    expect(unknownNumber.status).toBe(404);
    expect(wrongDate.text).toBe(unknownNumber.text);
    expect(errorBodySchema.parse(JSON.parse(wrongDate.text)).error.code).toBe('CITIZEN_CHECK_NO_MATCH');
  });

  it('makes a number wait after 5 failures in an hour — the right date too, and a number never issued alike', async () => {
    const me = office.residents.elsewhere;
    const ghost = '3509-20000102-000777';
    for (let i = 0; i < CITIZEN_THROTTLE.perNumberFailures; i++) {
      expect((await check({ registrationNumber: numberOf(me), birthDate: `1950-01-${String(i + 10)}` })).status).toBe(404);
      expect((await check({ registrationNumber: ghost, birthDate: '1950-02-01' })).status).toBe(404);
    }
    const blocked = await check({ registrationNumber: numberOf(me), birthDate: me.biodata.birthDate });
    const blockedGhost = await check({ registrationNumber: ghost, birthDate: me.biodata.birthDate });
    expect(blocked.status).toBe(429);
    expect(blockedGhost.status).toBe(429);
    expect(errorBodySchema.parse(JSON.parse(blocked.text)).error.code).toBe('CITIZEN_CHECK_WAIT');
    expect(errorBodySchema.parse(JSON.parse(blocked.text)).error.messages.id).toMatch(/Coba lagi pukul \d{2}\.\d{2} WIB/);
    // Another resident's number is not affected by it.
    const other = office.residents.kaliwatesResident;
    expect((await check({ registrationNumber: numberOf(other), birthDate: other.biodata.birthDate })).status).toBe(200);
  });

  it('makes an address wait after 20 failures across many numbers (counted in the database)', async () => {
    const address = '203.0.113.9';
    const me = office.residents.kaliwatesResident;
    const outcomes: string[] = [];
    for (let i = 0; i < CITIZEN_THROTTLE.perAddressFailures; i++) {
      outcomes.push((await checkOwnRecord(office.ctx, { request: { registrationNumber: `3509-20010101-${String(i + 1).padStart(6, '0')}`, birthDate: '1970-01-01' }, address, screen: 'api' })).kind);
    }
    expect(outcomes.every((k) => k === 'no_match')).toBe(true);
    const after = await checkOwnRecord(office.ctx, { request: { registrationNumber: numberOf(me), birthDate: me.biodata.birthDate }, address, screen: 'api' });
    expect(after.kind).toBe('blocked');
    const elsewhere = await checkOwnRecord(office.ctx, { request: { registrationNumber: numberOf(me), birthDate: me.biodata.birthDate }, address: '198.51.100.4', screen: 'api' });
    expect(elsewhere.kind).toBe('found');
  });

  it('once print-ready shows the print estimate as a range of days, never one promised date; once sent, where to collect the card', async () => {
    const me = office.residents.recordedAtKaliwates;
    const move = async (status: string) => {
      const at = new Date().toISOString();
      await setRecordsStatus(office.ctx.db, [me.recordId], status, at);
      await appendStatusEvents(office.ctx.db, [{ record_id: me.recordId, status, at, source: 'test', note: null }]);
    };
    const ask = async () => {
      const answer = await check({ registrationNumber: numberOf(me), birthDate: me.biodata.birthDate });
      expect(answer.status, answer.text).toBe(200);
      return citizenCheckResponseSchema.parse(JSON.parse(answer.text));
    };

    await move('PRINT_READY_RECORD');
    // No blanks and no printer yet: said plainly, no date.
    const none = await ask();
    expect(none.stage).toBe('PRINT_READY');
    expect(none.forecast).toMatchObject({ kind: 'UNAVAILABLE', earliest: null, latest: null });

    const at = new Date().toISOString();
    await recordBlankEntry(office.ctx.db, { kind: 'receipt', siteId: 'dinas', tranche: 'WARGA-1', quantity: 10, serials: { from: 9_000_001, to: 9_000_010 } }, 'admin', at);
    await upsertPrinter(office.ctx.db, { id: 'warga-p1', siteId: 'dinas', name: 'Printer warga', capacityPerDay: 5, state: 'ready', ribbonLeft: 100, filmLeft: 100, printsPerRibbon: 500, printsPerFilm: 500, updatedAt: at });
    const ranged = await ask();
    expect(ranged.forecast.kind).toBe('AVAILABLE');
    expect(ranged.forecast.earliest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ranged.forecast.latest === null || ranged.forecast.latest >= ranged.forecast.earliest!).toBe(true);
    expect(ranged.forecast.words.id).toMatch(/perkiraan, bukan janji/);
    expect(ranged.timeline.map((e) => e.status)).toEqual(['BIO_CAPTURED', 'PRINT_READY_RECORD']);

    await move('CARD_PRINTED');
    const printed = await ask();
    expect(printed.forecast.kind).toBe('PRINTED');
    expect(printed.pickup).toMatchObject({ place: 'Kantor Dinas', confirmed: false });

    // Sent to the Kaliwates service point and checked in there: that is where to collect it.
    await move('CARD_SHIPPED');
    await insertManifest(office.ctx.db, { id: 'mnf-warga', number: 'MNF-3509-WARGA-1', from_site_id: 'dinas', to_site_id: 'kec-35.09.19', status: 'RECEIVED', created_by: 'supervisor', created_at: at, dispatched_by: 'supervisor', dispatched_at: at, received_by: 'operator.kaliwates', received_at: at }, [me.recordId]);
    await checkManifestItems(office.ctx.db, 'mnf-warga', [me.recordId], 'RECEIVED', 'operator.kaliwates', at);
    const shipped = await ask();
    expect(shipped.stage).toBe('SHIPPED');
    expect(shipped.pickup.confirmed).toBe(true);
    expect(shipped.pickup.place).toMatch(/Kaliwates/);
    expect(shipped.pickup.words.id).toMatch(/^Ambil di .*Kaliwates/);
  });
});
