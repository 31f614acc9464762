import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { TestStack, loginOperator, residentRequests, type RecordingCreated } from '../test/helpers.ts';

// The office (with the built web UI) on loopback, its centre not started — the records stay as recorded, the
// way a resident sees them on the first days; a resident on a phone-sized Chromium.
let stack: TestStack;
let browser: Browser;
let phone: BrowserContext;
const people: { number: string; nik: string; name: string; birthDate: string }[] = [];

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startOffice();
  const operator = await loginOperator(stack.officeUrl);
  for (const resident of await residentRequests(2, 6620)) {
    const created = await operator.post<RecordingCreated>('/api/recordings', resident.request);
    expect(created.status).toBe(201);
    people.push({ number: created.body.receipt.registrationNumber, nik: resident.biodata.nik, name: resident.biodata.fullName, birthDate: resident.biodata.birthDate });
  }
  browser = await launchChromium();
  phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'id-ID' });
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

async function checkOn(page: Page, number: string, birthDate: string) {
  await page.getByLabel('Nomor registrasi').fill(number);
  await page.getByLabel('Tanggal lahir').fill(birthDate);
  await page.getByRole('button', { name: 'Cek status' }).click();
}

const fitsThePhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('/warga on a phone', () => {
  it("shows a resident their own status in plain Indonesian, fitting the screen, and nothing of anyone else's", async () => {
    const [me, other] = people as [(typeof people)[0], (typeof people)[0]];
    const page = await phone.newPage();
    await page.goto(`${stack.officeUrl}/warga`);
    await page.getByRole('heading', { name: 'Cek status KTP-el Anda' }).waitFor();
    expect(await fitsThePhone(page)).toBe(true);

    await checkOn(page, me.number, me.birthDate);
    await page.getByTestId('citizen-result').waitFor();
    expect(await page.getByTestId('citizen-number').textContent()).toBe(me.number);
    expect(await page.getByTestId('citizen-nik').textContent()).toBe(`${me.nik.slice(0, 6)}••••••${me.nik.slice(12)}`);
    await page.getByTestId('citizen-timeline').getByText('Data Anda sudah direkam di kantor.').waitFor();
    expect(await page.getByTestId('citizen-forecast').textContent()).toMatch(/siap cetak/);
    expect(await page.getByTestId('citizen-suket').textContent()).toMatch(/Belum ada Suket/);
    expect(await fitsThePhone(page)).toBe(true);
    const text = (await page.locator('body').textContent()) ?? '';
    for (const secret of [me.nik, me.name, other.nik, other.name, other.number]) expect(text).not.toContain(secret);

    // English on the same answer.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your record' }).waitFor();
    await page.getByTestId('citizen-timeline').getByText('Your data was recorded at the office.').waitFor();
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();

    // "Check another number" forgets the answer and the date of birth.
    await page.getByRole('button', { name: 'Periksa nomor lain' }).click();
    expect(await page.getByLabel('Tanggal lahir').inputValue()).toBe('');
    expect(await page.getByTestId('citizen-result').count()).toBe(0);
  });

  it('refuses a NIK by name and gives the same message for a wrong date and a wrong number', async () => {
    const [me] = people as [(typeof people)[0]];
    const page = await phone.newPage();
    await page.goto(`${stack.officeUrl}/warga/status`);
    await checkOn(page, me.nik, me.birthDate);
    await page.getByRole('alert').getByText(/NIK tidak dapat dipakai di sini/).waitFor();
    expect(await page.getByTestId('citizen-result').count()).toBe(0);

    await checkOn(page, me.number, '1900-01-02');
    const wrongDate = (await page.getByRole('alert').textContent()) ?? '';
    expect(wrongDate).toMatch(/tidak cocok/);
    await checkOn(page, '3509-20000101-999999', me.birthDate);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(wrongDate);
    expect(await fitsThePhone(page)).toBe(true);
  });
});
