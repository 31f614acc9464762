import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from './browser.ts';
import { TestStack } from '../test/helpers.ts';

/**
 * The security headers (issue 7, hole 13) in Debian's Chromium: every page of both nodes renders and works
 * under the Content-Security-Policy with no violation reported, and no other site can frame the office.
 * And what a person sees of login throttling (hole 6): when to try again, in the office's time.
 */
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

/** A page that records every CSP violation Chromium reports, as events and as console errors. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI} at ${location.pathname} from ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return { page, violations };
}

describe('under the Content-Security-Policy', () => {
  it('the operator’s, the head’s and the centre’s pages render and act with no violation', async () => {
    const { page, violations } = await watchedPage();
    await signIn(page, `${stack.officeUrl}/petugas`, 'operator', 'operator-jember');
    await page.waitForURL(/\/petugas$/);
    for (const path of ['/petugas/rekam', '/petugas/dokumen']) {
      await page.goto(`${stack.officeUrl}${path}`);
      await page.locator('main').first().waitFor();
    }
    await page.getByRole('button', { name: /Keluar/ }).first().click();
    await signIn(page, `${stack.officeUrl}/pimpinan`, 'kepala', 'kepala-jember');
    await page.waitForURL(/\/pimpinan$/);
    await page.goto(`${stack.officeUrl}/pimpinan/akses`);
    await page.locator('main').first().waitFor();
    await signIn(page, `${stack.centralUrl}/pusat/adjudikasi`, 'adjudikator', 'adjudikator-pusat');
    await page.waitForURL(/\/pusat\/adjudikasi$/);
    await page.locator('main').first().waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it('the public verifier and the API documents render', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${stack.officeUrl}/verifikasi`);
    await page.locator('main').first().waitFor();
    await page.getByRole('textbox').first().waitFor();
    // cbor-x probes once whether it may compile decoders with Function() and, refused, decodes without: that
    // probe is the one report the verifier makes, and verifier.e2e.test.ts proves real Sukets still verify.
    const probe = /^script-src eval at \/verifikasi from .*\/assets\/VerifierPage-[\w-]+\.js:\d+$/;
    expect(violations.filter((v) => !probe.test(v))).toEqual([]);
    violations.length = 0;
    await page.goto(`${stack.officeUrl}/api/docs`);
    await page.locator('.swagger-ui').first().waitFor({ timeout: 15_000 });
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
    expect(violations).toEqual([]);
    await page.close();
  });

  it('no page of another origin can frame the office (frame-ancestors \'none\')', async () => {
    const { page, violations } = await watchedPage();
    // The centre's origin stands for any other site on the same host.
    await page.goto(`${stack.centralUrl}/health`);
    await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, `${stack.officeUrl}/pimpinan`);
    // Chromium refuses to render it and puts its own error page in the frame instead.
    await expect
      .poll(() => violations.some((v) => /frame-ancestors/.test(v)) || page.frames().some((f) => f.url().startsWith('chrome-error:')), { timeout: 10_000 })
      .toBe(true);
    const framed = page.frames().find((f) => f.url().startsWith(stack.officeUrl));
    expect(framed, page.frames().map((f) => f.url()).join(', ')).toBeUndefined();
    await page.close();
  });
});

describe('a throttled login', () => {
  it('tells the person at the login page when to try again, in the office’s time', async () => {
    const { page } = await watchedPage();
    await page.goto(`${stack.officeUrl}/petugas/masuk`);
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('Nama pengguna').fill('supervisor');
      await page.getByLabel('Kata sandi').fill(`salah-${i}`);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/salah/i);
    }
    await page.getByLabel('Kata sandi').fill('supervisor-jember');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/^Terlalu banyak percobaan masuk\. Coba lagi pukul \d\d\.\d\d WIB\.$/);
    expect(page.url()).toMatch(/\/petugas\/masuk/);
    await page.close();
  });
});
