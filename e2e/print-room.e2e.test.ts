import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, officerLoginUrl, signIn as signInAt } from './browser.ts';
import { centralRecordStatus, dinasFolderPrinterWithBlanks, recordResidents, waitForPrintPackages, waitForPrintReady } from './print-setup.ts';
import { TestStack, login, waitFor, type HttpClient } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium. Three residents
// are recorded, made print-ready and their packages fetched; then the centre goes DOWN. In the print room a
// supervisor queues a batch of two from the plan's order, watches its progress, prints the third by picking it,
// and reports one card spoiled, which is reprinted on a new blank. When the centre is back it learns each card's
// SENT_FOR_CARD_PRINTING and CARD_PRINTED exactly once.
const SEED = 8800;
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;
let cardsDir: string;
const recordIds: string[] = [];

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  for (const { recordId } of await recordResidents(operator, 3, SEED)) recordIds.push(recordId);
  await waitForPrintReady(operator, 3, 90_000);
  await waitForPrintPackages(stack, 3, 90_000);
  const supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
  cardsDir = await dinasFolderPrinterWithBlanks(stack, supervisor, '2026-T8', 700_001);
  await stack.stopCentral();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, officerLoginUrl(stack.officeUrl, path), username, password);

const pdfs = () => readdirSync(cardsDir).filter((f) => f.endsWith('.pdf'));

it('with the centre down, prints a batch and a picked record from the print room, reprints a spoiled card, and the centre learns each status once', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, '/petugas/cetak', 'supervisor', 'supervisor-jember');
  await page.getByRole('heading', { name: 'Ruang cetak KTP-el' }).waitFor();
  // The queue in the plan's order, each with its reason and its package here.
  await expect.poll(() => page.locator('tr[data-record]').count(), { timeout: 20_000 }).toBe(3);
  const first = page.locator('tr[data-record]').first();
  expect(await first.innerText()).toMatch(/1 dari 3/);
  expect(await first.innerText()).toContain('Ada');

  await page.getByLabel('Jumlah kartu').fill('2');
  await page.getByRole('button', { name: 'Antrekan batch' }).click();
  await expect.poll(() => page.getByTestId('print-room-notice').innerText(), { timeout: 10_000 }).toContain('Batch 2 kartu diantrekan');
  // Live progress, printed by the office's own worker.
  await expect.poll(() => page.locator('[data-batch]').first().innerText(), { timeout: 60_000 }).toContain('2 dari 2 tercetak');
  await expect.poll(() => page.locator('[data-batch]').first().innerText(), { timeout: 10_000 }).toContain('Selesai');
  expect(pdfs()).toHaveLength(2);

  // The third, picked by hand.
  await expect.poll(() => page.locator('tr[data-record]').count(), { timeout: 20_000 }).toBe(1);
  await page.locator('tr[data-record] input[type="checkbox"]').check();
  await page.getByRole('button', { name: 'Cetak 1 yang dipilih' }).click();
  await expect.poll(() => page.getByTestId('print-room-notice').innerText(), { timeout: 10_000 }).toContain('1 kartu masuk antrean cetak');
  await expect.poll(() => page.locator('tr[data-job][data-state="printed"]').count(), { timeout: 60_000 }).toBe(3);

  // One card came out smudged: reported spoiled (overheating), reprinted on a new blank.
  await page.getByLabel('Sebab kerusakan').selectOption('overheating');
  await page.locator('tr[data-job][data-state="printed"]').first().getByRole('button', { name: 'Laporkan rusak' }).click();
  await expect.poll(() => page.locator('tr[data-job][data-state="spoiled"]').count(), { timeout: 10_000 }).toBe(1);
  await expect.poll(() => page.locator('tr[data-job][data-state="printed"]').count(), { timeout: 60_000 }).toBe(3);
  expect(pdfs()).toHaveLength(4);
  const serials = await page.locator('tr[data-job] td.mono').allInnerTexts();
  expect(new Set(serials).size).toBe(4);

  // The centre comes back: each card's two statuses arrive once.
  await stack.startCentral();
  await waitFor(() => recordIds.every((id) => centralRecordStatus(stack, id) === 'CARD_PRINTED'), { timeoutMs: 60_000, message: 'the centre to learn the three cards were printed' });
  const events = stack.centralDb((db) => db.prepare("select subject_id, payload from office_events where kind = 'card.status'").all() as { subject_id: string; payload: string }[]);
  for (const id of recordIds) {
    const statuses = events.filter((e) => e.subject_id === id).map((e) => (JSON.parse(e.payload) as { status: string }).status);
    expect(statuses).toEqual(['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED']);
  }
}, 240_000);
