/**
 * Nodes split into processes stay right. The centre and the office each run as an API process and a worker
 * process sharing only the database: the office's API process shows what its sync worker learnt about the
 * centre, the centre's API process never loads the matcher, and a decision taken in the centre's API process
 * reaches the dedup worker's matcher through the gallery table. The centre runs on SQLite and on PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HttpClient, login, loginOperator, residentRequests, waitFor, type RecordDetail, type RecordingCreated, type SyncStatusBody } from './helpers.ts';
import { setupOrFail } from './pg.ts';
import { SplitStack } from './split-stack.ts';

const SEED = 7301;
/** Where a record is before the centre's verdict. */
const IN_FLIGHT = ['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING'];

interface ProcessHealth {
  services: string[];
  rssBytes?: number;
  matcher?: { loaded: boolean; size?: number; cursor?: number };
}
interface OpenCase {
  caseId: string;
  recordId: string;
  candidate: { recordId: string };
}
interface CaptureBody {
  photo: unknown;
  signature: unknown;
  biometrics: unknown;
}

describe.each(['sqlite', 'postgres'] as const)('a centre (on %s) and an office, each split into API and worker processes', (centralDb) => {
  let stack: SplitStack;
  let operator: HttpClient;
  let adjudicator: HttpClient;
  let residents: Awaited<ReturnType<typeof residentRequests>>;

  setupOrFail(async () => {
    residents = await residentRequests(10, SEED);
    stack = await SplitStack.create({ central: centralDb, officeWorkerArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
    await stack.startCentral();
    await stack.startOffice();
    operator = await loginOperator(stack.url('officeApi'));
    adjudicator = await login(stack.url('centralApi'), 'adjudikator', 'adjudikator-pusat');
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  async function record(request: unknown): Promise<string> {
    const response = await operator.post<RecordingCreated>('/api/recordings', request);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.record.id;
  }

  /** Resident `i`'s form with the biometrics (and photo) of another capture. */
  async function recordWithCapture(i: number, capture: { subjectKey: string; attempt?: number; noise?: number }): Promise<string> {
    const captured = await operator.post<CaptureBody>('/api/capture/synthetic', capture);
    expect(captured.status).toBe(200);
    return record({ ...residents[i]!.request, photo: captured.body.photo, signature: captured.body.signature, biometrics: captured.body.biometrics });
  }

  /** Waits until the record has left the statuses it passes through on its way, then checks where it landed. */
  async function waitForStatus(id: string, status: string, passing: string[] = IN_FLIGHT): Promise<RecordDetail> {
    const found = await waitFor(
      async () => {
        const detail = (await operator.get<RecordDetail>(`/api/recordings/${id}`)).body;
        return passing.includes(detail.record.status) ? undefined : detail;
      },
      { timeoutMs: 60_000, intervalMs: 250, message: `record ${id} to reach ${status}` },
    );
    expect(found.record.status, found.timeline.at(-1)?.note ?? '').toBe(status);
    return found;
  }

  const subjectOf = (i: number) => `subject-${SEED}-${residents[i]!.biodata.nik}`;
  const health = async (role: 'centralApi' | 'centralWorker' | 'officeApi' | 'officeWorker') => (await new HttpClient(stack.url(role)).get<ProcessHealth>('/health/process')).body;
  const gallerySize = async () => (await adjudicator.get<{ gallerySize: number }>('/api/pipeline/summary')).body.gallerySize;

  it('takes recordings made in the office API process to PRINT_READY_RECORD, and a returning person to DUPLICATE_RECORD', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await record(residents[i]!.request));
    for (const id of ids) {
      const found = await waitForStatus(id, 'PRINT_READY_RECORD');
      expect(found.timeline.map((e) => e.status)).toEqual(['BIO_CAPTURED', 'SENT_FOR_ENROLLMENT', 'RECEIVED_AT_CENTRAL', 'PROCESSING', 'PRINT_READY_RECORD']);
    }
    // Resident 0 again, under resident 4's NIK: another visit to the scanner reads slightly differently.
    const returning = await recordWithCapture(4, { subjectKey: subjectOf(0), attempt: 1 });
    const found = await waitForStatus(returning, 'DUPLICATE_RECORD');
    expect(found.timeline.at(-1)!.note).toContain(ids[0]);
    const sync = (await operator.get<SyncStatusBody>('/api/sync/status')).body;
    expect(sync.central.reachable).toBe(true);
    expect(sync.outbox.pending).toBe(0);
  });

  it('keeps the matcher out of the centre’s API process: only the dedup worker holds it, the whole gallery', async () => {
    const api = await health('centralApi');
    expect(api.services).toEqual(['api']);
    expect(api.matcher).toEqual({ loaded: false });
    const worker = await health('centralWorker');
    expect(worker.services).toEqual(['worker']);
    expect(worker.matcher).toMatchObject({ loaded: true, size: 4 });
    expect(await gallerySize()).toBe(4);
    expect((await health('officeApi')).services).toEqual(['api']);
    expect((await health('officeWorker')).services).toEqual(['worker']);
    const mb = (h: ProcessHealth) => `${((h.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MB`;
    console.log(`[split ${centralDb}] resident memory: centre API ${mb(api)} (matcher not loaded), dedup worker ${mb(worker)} (gallery ${worker.matcher?.size})`);
  });

  it('lets "different person", decided in the centre’s API process, reach the dedup worker: the same capture again is its duplicate', async () => {
    // Person A recorded well, then under another NIK with a poor capture: about 77% alike, a human decides.
    const first = await record(residents[5]!.request);
    await waitForStatus(first, 'PRINT_READY_RECORD');
    const poorCapture = { subjectKey: subjectOf(5), noise: 0.2 };
    const second = await recordWithCapture(6, poorCapture);
    await waitForStatus(second, 'ADJUDICATE_RECORD');

    const open = (await adjudicator.get<{ items: OpenCase[] }>('/api/adjudications')).body.items;
    const theCase = open.find((c) => c.recordId === second)!;
    expect(theCase.candidate.recordId).toBe(first);
    const decided = await adjudicator.post(`/api/adjudications/${theCase.caseId}/decision`, { decision: 'DIFFERENT_PERSON' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await waitForStatus(second, 'PRINT_READY_RECORD', [...IN_FLIGHT, 'ADJUDICATE_RECORD']);

    // The very same poor capture under a third NIK: identical to the second recording, which only the API
    // process admitted to the gallery. A worker that missed the decision would see just the first (~77%)
    // and send it to adjudication; one that read the gallery table finds the second, and a duplicate.
    const third = await recordWithCapture(7, poorCapture);
    const found = await waitForStatus(third, 'DUPLICATE_RECORD');
    expect(found.timeline.at(-1)!.note).toContain(second);
    const worker = await health('centralWorker');
    expect(worker.matcher).toMatchObject({ loaded: true, size: await gallerySize() });
    expect((await health('centralApi')).matcher).toEqual({ loaded: false });
  });

  it('shows in the office API process the centre going unreachable and coming back, as the sync worker learns it', async () => {
    const status = async () => (await operator.get<SyncStatusBody & { central: { lastAttemptAt: string | null; nextAttemptAt: string | null } }>('/api/sync/status')).body.central;
    const tte = async () => (await operator.get<{ tte: { available: boolean | null; reason: string | null } }>('/api/tte/status')).body.tte;
    expect((await status()).reachable).toBe(true);

    let started = performance.now();
    await stack.stopCentral();
    const down = await waitFor(async () => ((await status()).reachable === false ? status() : undefined), { timeoutMs: 10_000, message: 'the API process to show the centre unreachable' });
    const downMs = performance.now() - started;
    expect(down.lastError).toBeTruthy();
    expect(Date.parse(down.nextAttemptAt!)).toBeGreaterThan(Date.parse(down.lastAttemptAt!));
    // The e-signature service's health is stored by the same worker (probed every 5 s).
    await waitFor(async () => (await tte()).available === false, { timeoutMs: 10_000, message: 'TTE to show unavailable' });
    expect((await tte()).reason).toBe('CENTRE_UNREACHABLE');

    started = performance.now();
    await stack.startCentral();
    const up = await waitFor(async () => ((await status()).reachable === true ? status() : undefined), { timeoutMs: 15_000, message: 'the API process to show the centre reachable again' });
    const upMs = performance.now() - started;
    expect(up.lastError).toBeNull();
    expect(Date.parse(up.lastSuccessAt!)).toBeGreaterThan(Date.parse(down.lastAttemptAt!));
    await waitFor(async () => (await tte()).available === true, { timeoutMs: 10_000, message: 'TTE to show available again' });
    console.log(`[split ${centralDb}] office API saw the centre down ${downMs.toFixed(0)} ms after it stopped, up ${upMs.toFixed(0)} ms after it was started again (incl. start-up)`);
  });
});
