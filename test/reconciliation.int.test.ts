/**
 * The reconciliation report after a central outage, with real processes: the centre stops, the office records
 * residents and issues a Suket offline, the head asks for the report while the centre is still down (only the
 * office's own acknowledgement state, said plainly), the centre comes back and the backlog drains; then a
 * deliberate difference is planted in the centre's database and the report lists exactly it — and the PDF for
 * the head of office parses and says the same.
 */
import { inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStatusSchema, reconciliationReportSchema, type ReconciliationReport } from '@tangguh/protocol';
import { openOffice } from '../apps/office/src/runtime.ts';
import { saveNotifyConfig } from '../apps/office/src/notify/config.ts';
import { startMailServer, type MailServer } from '../apps/office/src/notify/test-servers.ts';
import { HEAD, HttpClient, TestStack, login, loginOperator, residentRequests, waitFor, type RecordingCreated, type SyncStatusBody } from './helpers.ts';

const BEFORE = 2;
const OFFLINE = 5;

let stack: TestStack;
let operator: HttpClient;
let head: HttpClient;
let residents: Awaited<ReturnType<typeof residentRequests>>;
let mail: MailServer;

beforeAll(async () => {
  residents = await residentRequests(BEFORE + OFFLINE, 7311);
  // The status worker checks the centre every 300 ms: 3 failures open an incident, 2 successes resolve it.
  stack = await TestStack.create({ officeArgs: ['--backoff-cap-ms', '1000', '--idle-ms', '200', '--status-interval-ms', '300', '--status-fail-after', '3', '--status-recover-after', '2'] });
  // A resident subscribed by e-mail to printing at the Dinas, told through a real SMTP server started here.
  mail = await startMailServer();
  const office = await openOffice(stack.paths.officeDb);
  await saveNotifyConfig(office.ctx.db, { email: { host: '127.0.0.1', port: mail.port, secure: false, from: 'Disdukcapil Jember <notifikasi@jember.test>' }, recoverySettleMs: 1_000 });
  await office.handle.close();
  await stack.startCentral();
  await stack.startOffice();
  operator = await loginOperator(stack.officeUrl);
  head = await login(stack.officeUrl, HEAD.username, HEAD.password);
});

afterAll(async () => {
  await stack?.dispose();
  await mail?.close();
});

const publicPost = async (path: string, body: unknown) =>
  (await fetch(`${stack.officeUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;

const record = async (i: number) => {
  const response = await operator.post<RecordingCreated>('/api/recordings', residents[i]!.request, { timeoutMs: 10_000 });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.record;
};

const allPrintReady = (n: number) =>
  waitFor(
    async () => {
      const s = (await operator.get<{ byStatus: Record<string, number> }>('/api/recordings/summary')).body;
      return s.byStatus.PRINT_READY_RECORD === n;
    },
    { timeoutMs: 60_000, message: `${n} records PRINT_READY` },
  );

const report = async (query: Record<string, string>) => {
  const response = await head.get<unknown>(`/api/reconciliation?${new URLSearchParams(query).toString()}`, { timeoutMs: 30_000 });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return reconciliationReportSchema.parse(response.body);
};

/** The text a pdf-lib PDF draws with the standard fonts: hex strings shown with Tj, in its inflated content streams. */
function pdfText(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes);
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = raw.indexOf('stream\n', at);
    if (start < 0) break;
    const end = raw.indexOf('\nendstream', start);
    if (end < 0) break;
    const body = raw.subarray(start + 7, end);
    at = end + 10;
    let text: string;
    try {
      text = inflateSync(body).toString('latin1');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) out.push(Buffer.from(m[1]!, 'hex').toString('latin1'));
  }
  return out.join('\n');
}

describe('the reconciliation report after an outage', () => {
  it('lists what was done offline, whether each reached the centre, and every difference with the centre', async () => {
    const address = 'warga.rekonsiliasi@example.org';
    expect(await publicPost('/api/langganan', { channel: 'email', address, topics: [{ siteId: 'dinas', serviceCode: 'cetak' }], lang: 'id' })).toBe(202);
    const codeMail = await waitFor(() => mail.mails.find((m) => m.to === address), { message: 'the confirmation code by e-mail' });
    expect(await publicPost('/api/langganan/konfirmasi', { channel: 'email', address, code: /: (\d{6})/.exec(codeMail.text)![1]! })).toBe(200);

    // Before the outage: two recordings that converge normally, outside the window.
    const before = [await record(0), await record(1)];
    await allPrintReady(BEFORE);

    // The outage: the centre stops and the office opens an incident by itself; recordings and a Suket go on.
    await stack.stopCentral('SIGTERM');
    const incident = await waitFor(
      async () => publicStatusSchema.parse(await (await fetch(`${stack.officeUrl}/api/status`)).json()).incidents.find((i) => i.capability === 'central_sync' && i.resolvedAt === null),
      { timeoutMs: 30_000, message: 'an incident to open for the centre' },
    );
    const offline = [];
    for (let i = BEFORE; i < BEFORE + OFFLINE; i++) offline.push(await record(i));
    const suket = await operator.post<{ suket: { serial: string } }>(`/api/recordings/${offline[0]!.id}/suket`, {});
    expect(suket.status, JSON.stringify(suket.body)).toBe(201);
    const serial = suket.body.suket.serial;
    // A card queued for printing during the outage (no printer is set up here: it waits).
    const job = await operator.post<{ items: { id: string }[] }>('/api/cetak/pekerjaan', { recordIds: [before[0]!.id], siteId: 'dinas' });
    expect(job.status, JSON.stringify(job.body)).toBe(201);

    // Asked during the outage (the incident still open: its window runs to now): the centre cannot answer, and
    // the report says so; nothing offline is acknowledged.
    const during = await report({ incidentId: incident.id });
    expect(during.incident).toMatchObject({ id: incident.id, resolvedAt: null });
    expect(during.window.from).toBe(new Date(during.incident!.openedAt).toISOString());
    expect(during.centre.state).toBe('UNREACHABLE');
    expect(during.centre.error).toBeTruthy();
    expect(during.recordings.map((r) => r.registrationNumber).sort()).toEqual(offline.map((r) => r.registrationNumber).sort());
    expect(during.recordings.every((r) => !r.acknowledged && r.officeStatus === 'BIO_CAPTURED' && r.centreStatus === null)).toBe(true);
    expect(during.totals.reachedCentre).toBe(0);
    expect(during.sukets).toMatchObject([{ serial, acknowledged: false, loggedAtCentre: null }]);
    const notSent = during.mismatches.filter((m) => m.kind === 'NOT_YET_SENT').map((m) => m.subject);
    for (const r of offline) expect(notSent).toContain(r.registrationNumber);
    expect(notSent).toContain(`suket.issued ${serial}`);
    expect(during.printJobs.map((j) => [j.jobId, j.registrationNumber])).toEqual([[job.body.items[0]!.id, before[0]!.registrationNumber]]);
    // Print-ready before the outage and still without a card: a delayed print.
    expect(during.prints.map((p) => p.registrationNumber)).toContain(before[1]!.registrationNumber);

    // The centre comes back: the office drains by itself.
    await stack.startCentral();
    await waitFor(async () => (await operator.get<SyncStatusBody>('/api/sync/status')).body.outbox.pending === 0, { timeoutMs: 60_000, message: 'outbox drained' });
    // All print-ready but the one whose card is queued for printing.
    await allPrintReady(BEFORE + OFFLINE - 1);
    await waitFor(
      async () => publicStatusSchema.parse(await (await fetch(`${stack.officeUrl}/api/status`)).json()).incidents.find((i) => i.id === incident.id && i.resolvedAt !== null),
      { timeoutMs: 30_000, message: 'the incident to resolve itself' },
    );

    // The resident was told of the outage and, once the link settled, of its end.
    await waitFor(() => mail.mails.filter((m) => m.to === address && /normal kembali/.test(m.text)).length === 1, { timeoutMs: 30_000, message: 'the recovery message' });

    // The closed incident's report: its window is [opened, resolved].
    const clean = await report({ incidentId: incident.id });
    expect(clean.incident?.resolvedAt).toBeTruthy();
    expect(clean.window.to).toBe(new Date(clean.incident!.resolvedAt!).toISOString());
    expect(clean.incidents.map((i) => i.id)).toContain(incident.id);
    const { from: opened, to: resolved } = clean.window;
    expect(clean.centre.state).toBe('ANSWERED');
    expect(clean.mismatches).toEqual([]);
    expect(clean.recordings).toHaveLength(OFFLINE);
    for (const r of clean.recordings) {
      expect(r.acknowledged).toBe(true);
      expect(r.centreStatus).toBe('PRINT_READY_RECORD');
      // Each reached the centre only after it came back.
      expect(Date.parse(r.receivedAtCentre!)).toBeGreaterThan(Date.parse(r.recordedAt));
    }
    expect(clean.recordings.some((r) => before.some((b) => b.id === r.recordId))).toBe(false);
    expect(clean.sukets).toMatchObject([{ serial, acknowledged: true, loggedAtCentre: true }]);
    expect(clean.totals).toMatchObject({ recordings: OFFLINE, reachedCentre: OFFLINE, sukets: 1, mismatches: 0 });
    // The incident's messages counted whenever they went (the recovery after the window's end), from the log.
    await waitFor(async () => (await report({ incidentId: incident.id })).notifications.incident?.sent === 2, { timeoutMs: 15_000, message: 'both messages logged as sent' });
    expect((await report({ incidentId: incident.id })).notifications).toMatchObject({ available: true, incident: { sent: 2, failed: 0, pending: 0 } });
    expect(clean.notifications.sent).toBeGreaterThanOrEqual(1);

    // A deliberate difference planted at the centre: one record's status changed there, the Suket's log entry lost.
    const changed = offline[1]!;
    await stack.stopCentral('SIGTERM');
    const central = new Database(stack.paths.centralDb);
    try {
      central.prepare("update enrollments set status = 'DUPLICATE_RECORD' where record_id = ?").run(changed.id);
      central.prepare("delete from office_events where kind = 'suket.issued' and subject_id = ?").run(serial);
    } finally {
      central.close();
    }
    await stack.startCentral();

    const afterTamper: ReconciliationReport = await report({ from: opened, to: resolved });
    expect(afterTamper.centre.state).toBe('ANSWERED');
    expect(afterTamper.mismatches.map((m) => [m.kind, m.subject, m.office, m.centre]).sort()).toEqual(
      [
        ['EVENT_MISSING_AT_CENTRE', `suket.issued ${serial}`, 'suket.issued', null],
        ['STATUS_DIFFERS', changed.registrationNumber, 'PRINT_READY_RECORD', 'DUPLICATE_RECORD'],
      ].sort(),
    );
    expect(afterTamper.sukets).toMatchObject([{ serial, loggedAtCentre: false }]);

    // The PDF for the head of office: parses, and lists the same differences.
    const pdfResponse = await fetch(`${stack.officeUrl}/api/reconciliation/pdf?incidentId=${encodeURIComponent(incident.id)}`, {
      headers: { cookie: await headCookie() },
    });
    expect(pdfResponse.status).toBe(200);
    expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdfResponse.arrayBuffer());
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toMatch(/Laporan rekonsiliasi/);
    const text = pdfText(bytes);
    expect(text).toContain('LAPORAN REKONSILIASI');
    expect(text).toContain(`Gangguan / incident: ${clean.incident!.title.id}`);
    expect(text).toContain(`STATUS_DIFFERS · ${changed.registrationNumber}`);
    expect(text).toContain(`EVENT_MISSING_AT_CENTRE · suket.issued ${serial}`);
    for (const r of offline) expect(text).toContain(r.registrationNumber);

    // An operator may not read it; an unknown incident and a missing window are refused in both languages.
    expect((await operator.get(`/api/reconciliation?incidentId=${incident.id}`)).status).toBe(403);
    const unknown = await head.get<{ error: { code: string } }>('/api/reconciliation?incidentId=nope');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'INCIDENT_NOT_FOUND']);
    const missing = await head.get<{ error: { code: string } }>(`/api/reconciliation?from=${encodeURIComponent(opened)}`);
    expect([missing.status, missing.body.error.code]).toEqual([400, 'RECONCILE_WINDOW_MISSING']);
  });
});

/** The head's session cookie, for a raw fetch of the PDF (HttpClient parses only JSON and text). */
async function headCookie(): Promise<string> {
  const response = await fetch(`${stack.officeUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(HEAD) });
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
