import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, loginOperator, residentRequests, type RecordingCreated } from '../test/helpers.ts';

// The office (with the built web UI) whose centre is down — never started here — and the head of office in Chromium.
let stack: TestStack;
let browser: Browser;
const numbers: string[] = [];

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startOffice();
  const operator = await loginOperator(stack.officeUrl);
  for (const resident of await residentRequests(2, 6710)) {
    const created = await operator.post<RecordingCreated>('/api/recordings', resident.request);
    expect(created.status).toBe(201);
    numbers.push(created.body.receipt.registrationNumber);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

describe('the reconciliation report in the browser', () => {
  it('shows the head what was done in the last hours, that the centre could not be asked, every recording not yet sent, and offers the PDF', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${stack.officeUrl}/pimpinan/masuk?next=/pimpinan/rekonsiliasi`);
    await page.getByLabel('Nama pengguna').fill('kepala');
    await page.getByLabel('Kata sandi').fill('kepala-jember');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.getByRole('heading', { name: 'Rekonsiliasi setelah gangguan' }).waitFor();
    await page.getByTestId('recon-centre').getByText(/Pusat tidak dapat ditanya/).waitFor();
    expect(await page.getByTestId('recon-mismatch-count').textContent()).toBe('2');
    const mismatches = page.getByTestId('recon-mismatch-table').locator('tbody tr');
    for (const number of numbers) expect(await mismatches.filter({ hasText: number }).filter({ hasText: 'Belum terkirim' }).count()).toBe(1);

    const href = await page.getByTestId('recon-pdf').getAttribute('href');
    expect(href).toMatch(/^\/api\/reconciliation\/pdf\?from=.+&to=.+/);
    const pdf = await page.evaluate(async (path) => {
      const response = await fetch(path!);
      return { status: response.status, type: response.headers.get('content-type'), head: new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Reconciliation after an outage' }).waitFor();
    expect(await mismatches.filter({ hasText: 'Not sent yet' }).count()).toBe(2);
  });
});
