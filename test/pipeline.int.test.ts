/**
 * The recording pipeline end to end, with a real centre and a real office process on loopback: what an
 * operator records travels to the centre, is deduplicated, and the office hears the outcome; bad input is
 * refused at the office with a code and messages in both languages, and nothing of it is stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticCaptureDevice } from '@tangguh/capture';
import { composeNik } from '@tangguh/domain';
import type { RecordingRequest } from '@tangguh/protocol';
import {
  HEAD,
  HttpClient,
  TestStack,
  login,
  loginOperator,
  residentRequests,
  scalar,
  waitFor,
  type ErrorBodyShape,
  type RecordDetail,
  type RecordingCreated,
  type SyncStatusBody,
} from './helpers.ts';

const HAPPY_PATH = ['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING', 'PRINT_READY_RECORD'];
const DUPLICATE_PATH = ['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING', 'DUPLICATE_RECORD'];

let stack: TestStack;
let operator: HttpClient;
let residents: Awaited<ReturnType<typeof residentRequests>>;

beforeAll(async () => {
  residents = await residentRequests(20, 7101);
  stack = await TestStack.create({ officeArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
  await stack.startCentral();
  await stack.startOffice();
  operator = await loginOperator(stack.officeUrl);
});

afterAll(async () => {
  await stack?.dispose();
});

async function detail(client: HttpClient, id: string): Promise<RecordDetail> {
  const response = await client.get<RecordDetail>(`/api/recordings/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Waits until the record reaches `status` at the office (it is told by the centre's change feed). */
function waitForStatus(client: HttpClient, id: string, status: string, timeoutMs = 60_000): Promise<RecordDetail> {
  return waitFor(
    async () => {
      const found = await detail(client, id);
      return found.record.status === status ? found : undefined;
    },
    { timeoutMs, intervalMs: 250, message: `record ${id} to reach ${status}` },
  );
}

function expectTimeline(found: RecordDetail, expected: string[]): void {
  expect(found.timeline.map((e) => e.status)).toEqual(expected);
  let previous = 0;
  for (const event of found.timeline) {
    const at = Date.parse(event.at);
    expect(Number.isFinite(at), `${event.status} has a time`).toBe(true);
    expect(at, `${event.status} is not earlier than the step before it`).toBeGreaterThanOrEqual(previous);
    previous = at;
  }
  expect(found.timeline.map((e) => e.source)).toEqual(['office', 'office', 'central', 'central', 'central']);
}

describe('happy path over HTTP', () => {
  const recorded: RecordingCreated[] = [];

  it('records 5 residents; each reaches PRINT_READY_RECORD with the full timeline', async () => {
    for (const { request } of residents.slice(0, 5)) {
      const response = await operator.post<RecordingCreated>('/api/recordings', request);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.record.status).toBe('BIO_CAPTURED');
      expect(response.body.record.registrationNumber).toMatch(/^3509-\d{8}-\d{6}$/);
      expect(response.body.receipt.registrationNumber).toBe(response.body.record.registrationNumber);
      recorded.push(response.body);
    }
    expect(new Set(recorded.map((r) => r.record.registrationNumber)).size).toBe(5);

    for (const { record } of recorded) {
      const found = await waitForStatus(operator, record.id, 'PRINT_READY_RECORD');
      expectTimeline(found, HAPPY_PATH);
    }

    const summary = await operator.get<{ byStatus: Record<string, number>; total: number }>('/api/recordings/summary');
    expect(summary.body).toEqual({ byStatus: { PRINT_READY_RECORD: 5 }, total: 5 });
    const sync = await operator.get<SyncStatusBody>('/api/sync/status');
    expect(sync.body.central.reachable).toBe(true);
    expect(sync.body.outbox.pending).toBe(0);
  });

  it('the same person recorded again under a new NIK becomes DUPLICATE_RECORD', async () => {
    const original = residents[0]!;
    const impostor = residents[5]!;
    expect(impostor.biodata.nik).not.toBe(original.biodata.nik);
    // A second visit of the first resident to the scanner (another attempt reads slightly differently).
    const capture = await new SyntheticCaptureDevice().capture({ subjectKey: `subject-7101-${original.biodata.nik}`, attempt: 1 });
    const request: RecordingRequest = {
      ...impostor.request,
      biometrics: capture.biometrics.map((b) => ({ position: b.position, template: Buffer.from(b.template).toString('base64') })),
    };
    const response = await operator.post<RecordingCreated>('/api/recordings', request);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const found = await waitForStatus(operator, response.body.record.id, 'DUPLICATE_RECORD');
    expectTimeline(found, DUPLICATE_PATH);
    const note = found.timeline.at(-1)!.note ?? '';
    expect(note).toContain(recorded[0]!.record.id);
  });

  it('a retried submit with the same clientRequestId returns the first record, once', async () => {
    const request = { ...residents[6]!.request, clientRequestId: randomUUID() };
    const first = await operator.post<RecordingCreated>('/api/recordings', request);
    expect(first.status).toBe(201);
    const again = await operator.post<RecordingCreated>('/api/recordings', request);
    expect(again.status).toBe(200);
    expect(again.body.record.id).toBe(first.body.record.id);
    expect(again.body.record.registrationNumber).toBe(first.body.record.registrationNumber);
    const found = await waitForStatus(operator, first.body.record.id, 'PRINT_READY_RECORD');
    expectTimeline(found, HAPPY_PATH);
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from records where nik = ?', residents[6]!.biodata.nik))).toBe(1);
  });

  it('a double-clicked submit (same clientRequestId, concurrently) creates one record', async () => {
    const request = { ...residents[7]!.request, clientRequestId: randomUUID() };
    const responses = await Promise.all(Array.from({ length: 5 }, () => operator.post<RecordingCreated>('/api/recordings', request)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.record.id)).size).toBe(1);
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from records where nik = ?', residents[7]!.biodata.nik))).toBe(1);
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from outbox where record_id = ?', responses[0]!.body.record.id))).toBe(1);
  });

  it('two counters recording the same NIK at once: one succeeds, the other gets 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 3 }, () => operator.post<RecordingCreated | ErrorBodyShape>('/api/recordings', { ...residents[8]!.request, clientRequestId: randomUUID() })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of responses.filter((r) => r.status === 409)) expect((r.body as ErrorBodyShape).error.code).toBe('NIK_ALREADY_RECORDED');
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from records where nik = ?', residents[8]!.biodata.nik))).toBe(1);
  });
});

describe('bad input over HTTP is refused and stores nothing', () => {
  const counts = () =>
    stack.officeDb((db) => ({
      records: scalar(db, 'select count(*) from records'),
      outbox: scalar(db, 'select count(*) from outbox'),
      // Recording writes the first status; later office events (SENT_FOR_ENROLLMENT) come from the sync worker.
      firstEvents: scalar(db, 'select count(*) from status_events where status = ?', 'BIO_CAPTURED'),
    }));

  /** A valid request for a resident not recorded yet, changed by `change`. */
  const variant = (index: number, change: (r: RecordingRequest) => RecordingRequest): RecordingRequest => change(structuredClone(residents[index]!.request));

  async function expectRefused(request: RecordingRequest, code: string, field: string): Promise<ErrorBodyShape> {
    const before = counts();
    const response = await operator.post<ErrorBodyShape>('/api/recordings', request);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    const { error } = response.body;
    expect(error.code).toBe(code);
    expect(error.messages.id.length).toBeGreaterThan(0);
    expect(error.messages.en.length).toBeGreaterThan(0);
    expect(error.messages.id).not.toBe(error.messages.en);
    // Indonesian is the default language of the message shown.
    expect(error.message).toBe(error.messages.id);
    const issue = error.issues?.find((i) => i.code === code);
    expect(issue, `an issue ${code} in ${JSON.stringify(error.issues)}`).toBeDefined();
    expect(issue!.field).toBe(field);
    expect(issue!.messages.id).not.toBe(issue!.messages.en);
    expect(counts()).toEqual(before);
    return response.body;
  }

  it('malformed NIK (not 16 digits)', async () => {
    await expectRefused(variant(10, (r) => ({ ...r, biodata: { ...r.biodata, nik: '35091234' } })), 'FIELD_INVALID', 'nik');
  });

  it('NIK whose date part is not a date', async () => {
    // 16 digits, but month 13.
    const nik = `${residents[10]!.biodata.nik.slice(0, 8)}13${residents[10]!.biodata.nik.slice(10)}`;
    await expectRefused(variant(10, (r) => ({ ...r, biodata: { ...r.biodata, nik } })), 'NIK_DATE_INVALID', 'nik');
  });

  it('birth date contradicting the NIK', async () => {
    const body = await expectRefused(
      variant(10, (r) => {
        const [y, m, d] = r.biodata.birthDate.split('-');
        return { ...r, biodata: { ...r.biodata, birthDate: `${Number(y) - 1}-${m}-${d === '29' && m === '02' ? '28' : d}` } };
      }),
      'NIK_BIRTHDATE_MISMATCH',
      'birthDate',
    );
    expect(body.error.issues).toHaveLength(1);
  });

  it('sex contradicting the NIK (women: day + 40)', async () => {
    const person = residents[10]!.biodata;
    const body = await expectRefused(variant(10, (r) => ({ ...r, biodata: { ...r.biodata, sex: person.sex === 'L' ? 'P' : 'L' } })), 'NIK_SEX_MISMATCH', 'sex');
    expect(body.error.issues).toHaveLength(1);
    // The rule itself: the same date written for a woman has 40 added to the day.
    const district = `${person.nik.slice(0, 2)}.${person.nik.slice(2, 4)}.${person.nik.slice(4, 6)}`;
    const man = composeNik(district, person.birthDate, 'L', 1);
    const woman = composeNik(district, person.birthDate, 'P', 1);
    expect(Number(woman.slice(6, 8))).toBe(Number(man.slice(6, 8)) + 40);
  });

  it('unknown village code', async () => {
    await expectRefused(variant(10, (r) => ({ ...r, biodata: { ...r.biodata, address: { ...r.biodata.address, villageCode: '35.09.01.9999' } } })), 'REGION_UNKNOWN', 'address.villageCode');
  });

  it('oversize photo (> 300 KB)', async () => {
    const png = Buffer.alloc(310 * 1024, 7);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    await expectRefused(variant(10, (r) => ({ ...r, photo: { mime: 'image/png', data: png.toString('base64') } })), 'PHOTO_TOO_LARGE', 'photo');
  });

  it('a missing fingerprint without an exception; the same finger with AMPUTATED is accepted', async () => {
    const without = (r: RecordingRequest) => ({ ...r, biometrics: r.biometrics.map((b) => (b.position === 'R_INDEX' ? { position: b.position } : b)) });
    await expectRefused(variant(11, without), 'BIOMETRIC_MISSING', 'biometrics.R_INDEX');
    const omitted = variant(11, (r) => ({ ...r, biometrics: r.biometrics.filter((b) => b.position !== 'R_INDEX') }));
    await expectRefused(omitted, 'BIOMETRIC_MISSING', 'biometrics.R_INDEX');

    const before = counts();
    const amputated = variant(11, (r) => ({ ...r, biometrics: r.biometrics.map((b) => (b.position === 'R_INDEX' ? { position: b.position, exception: 'AMPUTATED' as const } : b)) }));
    const response = await operator.post<RecordingCreated>('/api/recordings', amputated);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(counts().records).toBe(before.records + 1);
    expect(counts().outbox).toBe(before.outbox + 1);
    const found = await detail(operator, response.body.record.id);
    expect((found.record as unknown as { exceptions: unknown }).exceptions).toEqual([{ position: 'R_INDEX', exception: 'AMPUTATED' }]);
    await waitForStatus(operator, response.body.record.id, 'PRINT_READY_RECORD');
  });

  it('several problems at once are all reported, in one 400', async () => {
    const before = counts();
    const request = variant(12, (r) => ({
      ...r,
      biodata: { ...r.biodata, sex: r.biodata.sex === 'L' ? 'P' : 'L', address: { ...r.biodata.address, villageCode: '35.09.01.9999' } },
    }));
    const response = await operator.post<ErrorBodyShape>('/api/recordings', request);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_INPUT');
    expect(response.body.error.issues?.map((i) => i.code).sort()).toEqual(['NIK_SEX_MISMATCH', 'REGION_UNKNOWN']);
    expect(counts()).toEqual(before);
  });
});

describe('authentication and roles', () => {
  it('refuses an unauthenticated client with 401 and stores nothing', async () => {
    const anonymous = new HttpClient(stack.officeUrl);
    const before = stack.officeDb((db) => scalar(db, 'select count(*) from records'));
    const post = await anonymous.post<ErrorBodyShape>('/api/recordings', residents[13]!.request);
    expect(post.status).toBe(401);
    expect(post.body.error.code).toBe('UNAUTHENTICATED');
    expect(post.body.error.messages.en).toBeTruthy();
    for (const path of ['/api/recordings/summary', '/api/sync/status', '/api/recordings', `/api/recordings/${randomUUID()}`]) {
      const response = await anonymous.get<ErrorBodyShape>(path);
      expect(response.status, path).toBe(401);
    }
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from records'))).toBe(before);
  });

  it('refuses a wrong password with 401', async () => {
    const client = new HttpClient(stack.officeUrl);
    const response = await client.post<ErrorBodyShape>('/api/auth/login', { username: 'operator', password: 'salah' });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('LOGIN_FAILED');
    expect((await client.get('/api/recordings/summary')).status).toBe(401);
  });

  it('a head of office may read but not record (403)', async () => {
    const head = await login(stack.officeUrl, HEAD.username, HEAD.password);
    const before = stack.officeDb((db) => scalar(db, 'select count(*) from records'));
    const post = await head.post<ErrorBodyShape>('/api/recordings', residents[13]!.request);
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('FORBIDDEN');
    expect(post.body.error.messages.id).toBeTruthy();
    expect((await head.post('/api/capture/synthetic', { subjectKey: 'x' })).status).toBe(403);
    expect((await head.get('/api/recordings/summary')).status).toBe(200);
    expect((await head.get('/api/sync/status')).status).toBe(200);
    expect(stack.officeDb((db) => scalar(db, 'select count(*) from records'))).toBe(before);
  });

  it('after logout the session no longer works', async () => {
    const client = await loginOperator(stack.officeUrl);
    expect((await client.get('/api/recordings/summary')).status).toBe(200);
    expect((await client.post('/api/auth/logout', {})).status).toBe(200);
    expect((await client.get('/api/recordings/summary')).status).toBe(401);
  });
});
