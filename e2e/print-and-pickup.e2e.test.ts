import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, officerLoginUrl, signIn as signInAt } from './browser.ts';
import { centralRecordStatus, dinasFolderPrinterWithBlanks, recordResidents, waitForPrintPackages, waitForPrintReady } from './print-setup.ts';
import { TestStack, login, waitFor, type HttpClient } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium. Two residents
// are recorded, the centre makes them print-ready and the office fetches their print packages; then the centre
// goes DOWN. An operator prints them in the print room, an operator hands a card over at the pickup counter
// after the fingerprint check, and the resident's Suket reads DICABUT in the verifier at once. When the centre is
// back, it learns that the card was issued.
const SEED = 7300;
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;
let supervisor: HttpClient;
let cardsDir: string;
const residents: { nik: string; subjectKey: string; recordId: string }[] = [];
let suket: { serial: string; qrText: string };

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
  for (const { nik, recordId } of await recordResidents(operator, 2, SEED)) residents.push({ nik, subjectKey: `subject-${SEED}-${nik}`, recordId });
  const issued = await operator.post<{ suket: { serial: string; qrText: string } }>(`/api/recordings/${residents[0]!.recordId}/suket`, {});
  expect(issued.status).toBe(201);
  suket = issued.body.suket;
  // Prefetched before the outage: both print packages, and the trust lists the verifier needs.
  await waitForPrintReady(operator, residents.length, 180_000);
  await waitForPrintPackages(stack, residents.length, 180_000);
  await waitFor(async () => (await operator.post<{ verdict: string }>('/api/verifikasi', { text: suket.qrText })).body.verdict === 'VALID', { timeoutMs: 60_000, message: 'the office lists vouch for its Suket' });
  cardsDir = await dinasFolderPrinterWithBlanks(stack, supervisor, '2026-T9', 500_001);
  await stack.stopCentral();
  browser = await launchChromium();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, officerLoginUrl(stack.officeUrl, path), username, password);

const statusOf = async (recordId: string) => (await operator.get<{ record: { status: string } }>(`/api/recordings/${recordId}`)).body.record.status;

it('with the centre down, prints a batch in the print room, hands a card over after the fingerprint check, and the Suket reads DICABUT', async () => {
  // The print room: the operator picks both cards in the queue and prints them on the Dinas printer.
  const room = await (await browser.newContext()).newPage();
  await signIn(room, '/petugas/cetak', 'operator', 'operator-jember');
  await room.locator('#print-site').selectOption('dinas');
  await room.locator('#print-printer').selectOption('dinas-1');
  for (const r of residents) await room.locator(`tr[data-record="${r.recordId}"] input[type="checkbox"]`).check();
  await room.getByRole('button', { name: `Cetak ${residents.length} yang dipilih` }).click();
  await room.getByTestId('print-room-notice').waitFor();
  for (const r of residents) await waitFor(async () => (await statusOf(r.recordId)) === 'CARD_PRINTED', { timeoutMs: 60_000, message: `card of ${r.nik} printed` });
  expect(readdirSync(cardsDir).length).toBeGreaterThanOrEqual(residents.length);

  const counter = await (await browser.newContext()).newPage();
  await signIn(counter, '/petugas/pengambilan', 'operator', 'operator-jember');
  await counter.getByLabel('NIK, nomor registrasi, atau nama').fill(residents[0]!.nik);
  await counter.getByRole('button', { name: 'Cari', exact: true }).click();
  const card = counter.locator(`[data-testid="pickup-candidate"][data-record="${residents[0]!.recordId}"]`);
  await expect.poll(() => card.getAttribute('data-availability'), { timeout: 20_000 }).toBe('READY_HERE');
  expect(await card.getByTestId('active-sukets').innerText()).toContain(suket.serial);

  // Someone else's fingers first: refused, and nothing to hand over with.
  await card.getByLabel('Kunci subjek (alat perekam sintetis)').fill(residents[1]!.subjectKey);
  await card.getByRole('button', { name: 'Pindai sidik jari' }).click();
  await expect.poll(() => card.getByTestId('identity-result').innerText(), { timeout: 20_000 }).toContain('TIDAK cocok');
  expect(await card.getByRole('button', { name: 'Serahkan kartu' }).count()).toBe(0);

  await card.getByLabel('Kunci subjek (alat perekam sintetis)').fill(residents[0]!.subjectKey);
  await card.getByRole('button', { name: 'Pindai sidik jari' }).click();
  await expect.poll(() => card.getByTestId('identity-result').innerText(), { timeout: 20_000 }).toContain('Sidik jari cocok');
  await card.getByRole('button', { name: 'Serahkan kartu' }).click();
  await expect.poll(() => card.getByTestId('handover-done').innerText(), { timeout: 20_000 }).toContain(`Suket dicabut: ${suket.serial}`);
  expect(await card.getAttribute('data-availability')).toBe('ISSUED');
  expect(await statusOf(residents[0]!.recordId)).toBe('CARD_ISSUED');

  // The verifier on a phone: the office's own signed revocation list already carries the Suket.
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(`${stack.officeUrl}/verifikasi`);
  await expect.poll(() => phone.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
  await phone.getByLabel('Tempel teks QR').fill(suket.qrText);
  await phone.getByRole('button', { name: 'Periksa', exact: true }).click();
  await expect.poll(() => phone.getByTestId('verdict').getAttribute('data-verdict'), { timeout: 10_000 }).toBe('REVOKED');
  expect(await phone.getByTestId('verdict').textContent()).toContain('DICABUT');
  expect(await phone.getByTestId('verdict-reason').textContent()).toContain('KTP-el pemiliknya sudah terbit');
  expect((await operator.post<{ verdict: string }>('/api/verifikasi', { text: suket.qrText })).body.verdict).toBe('REVOKED');

  // The other card goes to Kaliwates on a manifest, still with the centre down: packed, dispatched, received there.
  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, '/petugas/distribusi', 'supervisor', 'supervisor-jember');
  await desk.locator('#dist-to').selectOption({ label: 'Kecamatan Kaliwates' });
  await desk.getByTestId('printed-cards').getByLabel(new RegExp(residents[1]!.nik)).check();
  await desk.getByRole('button', { name: 'Buat manifes (1 kartu)' }).click();
  const manifest = desk.locator('[data-testid="manifest"][data-status="OPEN"]');
  await manifest.getByRole('button', { name: 'Kirim manifes' }).click();
  await expect.poll(() => desk.getByTestId('dist-message').innerText(), { timeout: 20_000 }).toContain('dikirim');
  expect(await statusOf(residents[1]!.recordId)).toBe('CARD_SHIPPED');
  const point = await (await browser.newContext()).newPage();
  await signIn(point, '/petugas/distribusi', 'operator.kaliwates', 'operator-jember');
  await point.locator('[data-testid="manifest"][data-status="DISPATCHED"]').getByRole('button', { name: 'Simpan penerimaan' }).click();
  await expect.poll(() => point.getByTestId('dist-message').innerText(), { timeout: 20_000 }).toContain('1 kartu ada');

  // The centre comes back and learns of both through the outbox.
  await stack.startCentral();
  await waitFor(() => centralRecordStatus(stack, residents[0]!.recordId) === 'CARD_ISSUED' && centralRecordStatus(stack, residents[1]!.recordId) === 'CARD_SHIPPED', { timeoutMs: 60_000, message: 'the centre to hear that one card was issued and one shipped' });
}, 420_000);

