import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, officerLoginUrl, signIn as signInAt } from './browser.ts';
import { dinasFolderPrinterWithBlanks } from './print-setup.ts';
import { TestStack, login, residentRequests, scalar, waitFor, type HttpClient, type RecordingCreated } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium. Two residents
// are recorded and made print-ready; a replacement card (damaged) is asked for the second. Then the centre goes
// DOWN. The first resident's card is printed and shipped to Kaliwates, where the box arrives without it: a
// supervisor declares it lost in transit at /petugas/distribusi (blank written off, the card printed again
// first). The replacement is printed and handed over at /petugas/pengambilan, marked as a replacement, with the
// damaged card taken back.
const SEED = 7400;
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;
let supervisor: HttpClient;
const residents: { nik: string; subjectKey: string; recordId: string }[] = [];
let requestId = '';

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
  for (const resident of await residentRequests(2, SEED)) {
    const created = await operator.post<RecordingCreated>('/api/recordings', resident.request);
    expect(created.status).toBe(201);
    residents.push({ nik: resident.biodata.nik, subjectKey: `subject-${SEED}-${resident.biodata.nik}`, recordId: created.body.record.id });
  }
  await waitFor(async () => (await operator.get<{ byStatus: Record<string, number> }>('/api/recordings/summary')).body.byStatus.PRINT_READY_RECORD === 2, { timeoutMs: 180_000, message: 'two print-ready records' });
  const asked = await operator.post<{ request: { requestId: string } }>('/api/card-replacements', { nik: residents[1]!.nik, reason: 'DAMAGED' });
  expect(asked.status).toBe(201);
  requestId = asked.body.request.requestId;
  // Prefetched before the outage: both first packages and the replacement's.
  await waitFor(() => stack.officeDb((db) => scalar(db, "select count(*) from print_packages where status = 'READY'")) === 3, { timeoutMs: 180_000, message: 'three print packages at the office' });
  await dinasFolderPrinterWithBlanks(stack, supervisor, '2026-T7', 740_001);
  await stack.stopCentral();
  browser = await launchChromium();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, officerLoginUrl(stack.officeUrl, path), username, password);
const statusOf = async (recordId: string) => (await operator.get<{ record: { status: string } }>(`/api/recordings/${recordId}`)).body.record.status;
const printedJobs = (where: string) => stack.officeDb((db) => scalar(db, `select count(*) from print_jobs where state = 'printed' and ${where}`));

it('with the centre down, settles a card lost in transit on the distribution screen and hands a replacement over with the old card taken back', async () => {
  const [lostOne, replaced] = residents as [(typeof residents)[0], (typeof residents)[0]];
  const print = await operator.post('/api/cetak/pekerjaan', { recordIds: [lostOne.recordId], replacementRequestIds: [requestId], siteId: 'dinas', printerId: 'dinas-1' });
  expect(print.status, JSON.stringify(print.body)).toBe(201);
  await waitFor(async () => (await statusOf(lostOne.recordId)) === 'CARD_PRINTED' && printedJobs(`request_id = '${requestId}'`) === 1, { timeoutMs: 60_000, message: 'the card and the replacement printed' });

  // The card travels to Kaliwates and is not in the box.
  const manifest = await supervisor.post<{ manifest: { id: string } }>('/api/distribusi/manifes', { toSiteId: 'kec-35.09.19', recordIds: [lostOne.recordId] });
  expect(manifest.status, JSON.stringify(manifest.body)).toBe(201);
  expect((await supervisor.post(`/api/distribusi/manifes/${manifest.body.manifest.id}/kirim`, {})).status).toBe(200);
  const kaliwates = await login(stack.officeUrl, 'operator.kaliwates', 'operator-jember');
  expect((await kaliwates.post(`/api/distribusi/manifes/${manifest.body.manifest.id}/terima`, { receivedRecordIds: [] })).status).toBe(200);

  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, '/petugas/distribusi', 'supervisor', 'supervisor-jember');
  const open = desk.locator(`[data-testid="missing-case"][data-record="${lostOne.recordId}"]`);
  await open.waitFor({ timeout: 20_000 });
  await open.getByLabel(/Alasan menyatakan hilang/).fill('Tidak ada di kotak dan tidak ditemukan setelah dicari di Kaliwates.');
  await open.getByRole('button', { name: 'Nyatakan hilang dalam pengiriman' }).click();
  await expect.poll(() => desk.getByTestId('dist-message').innerText(), { timeout: 20_000 }).toContain('dinyatakan hilang dalam pengiriman');
  await desk.getByTestId('missing-cards').getByText(/Sudah diselesaikan/).click();
  await expect.poll(() => desk.locator(`[data-testid="missing-settled"][data-record="${lostOne.recordId}"]`).getAttribute('data-state'), { timeout: 20_000 }).toBe('LOST_IN_TRANSIT');
  // The blank is written off in the ledger, and the card is printed again.
  expect(stack.officeDb((db) => scalar(db, `select count(*) from blank_ledger where kind = 'spoilage' and record_id = '${lostOne.recordId}'`))).toBe(1);
  await waitFor(() => printedJobs(`record_id = '${lostOne.recordId}' and reprint_of is not null`) === 1, { timeoutMs: 60_000, message: 'the lost card printed again' });

  // The replacement at the counter: marked as one, the damaged card taken back.
  const counter = await (await browser.newContext()).newPage();
  await signIn(counter, '/petugas/pengambilan', 'operator', 'operator-jember');
  await counter.getByLabel('NIK, nomor registrasi, atau nama').fill(replaced.nik);
  await counter.getByRole('button', { name: 'Cari', exact: true }).click();
  const card = counter.locator(`[data-testid="pickup-replacement"][data-request="${requestId}"]`);
  await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('READY_HERE');
  expect(await card.getByTestId('replacement-badge').innerText()).toContain('Kartu pengganti · KTP-el rusak');
  expect(await card.getByLabel(/Kartu lama diserahkan pemohon dan ditarik/).isChecked()).toBe(true);
  await card.getByLabel('Kunci subjek (alat perekam sintetis)').fill(replaced.subjectKey);
  await card.getByRole('button', { name: 'Pindai sidik jari' }).click();
  await expect.poll(() => card.getByTestId('identity-result').innerText(), { timeout: 20_000 }).toContain('Sidik jari cocok');
  await card.getByRole('button', { name: 'Serahkan kartu' }).click();
  await expect.poll(() => card.getByTestId('replacement-handover-done').innerText(), { timeout: 20_000 }).toContain('Kartu lama ditarik.');
  expect(await card.getAttribute('data-state')).toBe('ISSUED');
  expect(stack.officeDb((db) => scalar(db, `select count(*) from replacement_handovers where request_id = '${requestId}' and old_card = 'TAKEN_BACK'`))).toBe(1);
}, 420_000);
