import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, login, residentRequests, type HttpClient } from '../test/helpers.ts';

// The centre is down. An office issues a Suket, then a second one for the same person, which supersedes
// the first. The first must read DIGANTI on a clerk's phone at once — from the office's own signed
// revocation list — and keep reading so offline, not ASLI until the centre comes back.
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;

interface SuketIssued {
  suket: { serial: string; qrText: string };
}

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  await stack.stopCentral();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const verdictOf = (page: Page) => page.getByTestId('verdict').getAttribute('data-verdict');

async function check(page: Page, text: string): Promise<string | null> {
  await page.getByLabel('Tempel teks QR').fill(text);
  await page.getByRole('button', { name: 'Periksa', exact: true }).click();
  await page.getByTestId('verdict').waitFor();
  const verdict = await verdictOf(page);
  await page.getByRole('button', { name: 'Periksa dokumen lain' }).click();
  await page.getByLabel('Tempel teks QR').waitFor();
  return verdict;
}

it('with the centre down, a superseded Suket reads DIGANTI in the web verifier at once, and still offline', async () => {
  const [resident] = await residentRequests(1, 2718);
  const created = await operator.post<{ record: { id: string } }>('/api/recordings', resident!.request);
  expect(created.status).toBe(201);
  const issue = async () => {
    const issued = await operator.post<SuketIssued>(`/api/recordings/${created.body.record.id}/suket`, {});
    expect(issued.status).toBe(201);
    return issued.body.suket;
  };
  const first = await issue();

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${stack.officeUrl}/verifikasi`);
  await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
  expect(await check(page, first.qrText)).toBe('VALID');

  const second = await issue();
  // A fresh visit (or the page's own refresh) fetches the office's newly signed list.
  await page.reload();
  await expect.poll(() => page.getByTestId('lists-age').textContent(), { timeout: 20_000 }).toContain('Pencabutan oleh kantor ini ditandatangani');
  await page.getByLabel('Tempel teks QR').fill(first.qrText);
  await page.getByRole('button', { name: 'Periksa', exact: true }).click();
  await expect.poll(() => verdictOf(page), { timeout: 10_000 }).toBe('SUPERSEDED');
  expect(await page.getByTestId('verdict').textContent()).toContain('DIGANTI');
  // The reason names the Suket that replaced it, so the clerk knows which paper to ask for.
  expect(await page.getByTestId('verdict-reason').textContent()).toContain(second.serial);
  await page.getByRole('button', { name: 'Periksa dokumen lain' }).click();

  // The office goes away and the phone is offline: the stored office list still applies.
  await stack.stopOffice();
  await context.setOffline(true);
  await page.reload();
  await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
  await expect.poll(() => page.getByTestId('lists-mode').textContent(), { timeout: 20_000 }).toContain('Mode luring');
  expect(await check(page, first.qrText)).toBe('SUPERSEDED');
  expect(await check(page, second.qrText)).toBe('VALID');
  await context.close();
});
