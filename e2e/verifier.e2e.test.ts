import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { renderQrPng } from '@tangguh/credential/node';
import { launchChromium } from './browser.ts';
import { TestStack, login, makeTempDir, residentRequests, waitFor } from '../test/helpers.ts';

// A bank clerk's phone: the public verifier loads once from a real office, then checks a real Suket
// with the office stopped and the browser offline (service worker + lists stored on the device).
let stack: TestStack;
let browser: Browser;
let suket: { serial: string; qrText: string; nik: string };
let pdfPath: string;
let pngPath: string;
let videoPath: string;

interface SuketIssued {
  suket: { serial: string; qrText: string };
}

/**
 * A Y4M video (what Chromium's fake camera plays) of the QR on white paper: 640×480, grey only.
 */
function qrVideo(png: Uint8Array): Buffer {
  const qr = PNG.sync.read(Buffer.from(png));
  const width = 640;
  const height = 480;
  const luma = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - qr.width) / 2);
  const top = Math.floor((height - qr.height) / 2);
  for (let y = 0; y < qr.height; y++) {
    for (let x = 0; x < qr.width; x++) {
      luma[(top + y) * width + left + x] = qr.data[(y * qr.width + x) * 4]! < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma, chroma]);
}

/** The Suket PDF as bytes (the test HTTP client reads bodies as text, which would mangle a PDF). */
async function downloadPdf(baseUrl: string, serial: string): Promise<Uint8Array> {
  const loginResponse = await fetch(new URL('/api/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password: 'operator-jember' }),
  });
  const cookie = loginResponse.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const response = await fetch(new URL(`/api/sukets/${serial}/pdf`, baseUrl), { headers: { cookie } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/pdf');
  return new Uint8Array(await response.arrayBuffer());
}

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
  await stack.startCentral();
  await stack.startOffice();

  // Record a resident and issue a Suket over the office API, as an operator would.
  const office = await login(stack.officeUrl, 'operator', 'operator-jember');
  const [resident] = await residentRequests(1, 314);
  const created = await office.post<{ record: { id: string } }>('/api/recordings', resident!.request);
  expect(created.status).toBe(201);
  const issued = await office.post<SuketIssued>(`/api/recordings/${created.body.record.id}/suket`, {});
  expect(issued.status).toBe(201);
  suket = { serial: issued.body.suket.serial, qrText: issued.body.suket.qrText, nik: resident!.biodata.nik };

  // The office must hold lists from the centre that already carry its certified Suket key.
  await waitFor(
    async () => (await office.post<{ verdict: string }>('/api/verifikasi', { text: suket.qrText })).body.verdict === 'VALID',
    { timeoutMs: 60_000, message: 'office lists vouch for its own Suket' },
  );

  const dir = makeTempDir('tangguh-verifier-');
  pdfPath = join(dir, `${suket.serial}.pdf`);
  writeFileSync(pdfPath, await downloadPdf(stack.officeUrl, suket.serial));
  pngPath = join(dir, `${suket.serial}.png`);
  const png = await renderQrPng(suket.qrText);
  writeFileSync(pngPath, png);
  videoPath = join(dir, 'qr-camera.y4m');
  writeFileSync(videoPath, qrVideo(png));

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

async function verdictOf(page: Page): Promise<string | null> {
  return page.getByTestId('verdict').getAttribute('data-verdict');
}

async function pasteAndCheck(page: Page, text: string): Promise<void> {
  await page.getByLabel('Tempel teks QR').fill(text);
  await page.getByRole('button', { name: 'Periksa', exact: true }).click();
  await page.getByTestId('verdict').waitFor();
}

async function checkAnother(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Periksa dokumen lain' }).click();
  await page.getByLabel('Tempel teks QR').waitFor();
}

/**
 * Rewrites what this device keeps in IndexedDB: another pinned root (as if its first visit had met a
 * different office), or older list fetch times (as if it had been offline for days).
 */
async function rewriteStoredState(page: Page, change: { rootPublicKey?: string; listsFetchedAt?: string }): Promise<void> {
  await page.evaluate(async ({ rootPublicKey, listsFetchedAt }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('tangguh-verifier', 1);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const request = <T,>(make: (store: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        const r = make(db.transaction('kv', 'readwrite').objectStore('kv'));
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    type Stored = { root: { publicKey: string }; trust: { fetchedAt: string }; revocations: { fetchedAt: string } };
    const state = (await request((store) => store.get('state-v1'))) as Stored;
    if (rootPublicKey) state.root.publicKey = rootPublicKey;
    if (listsFetchedAt) state.trust.fetchedAt = state.revocations.fetchedAt = listsFetchedAt;
    await request((store) => store.put(state, 'state-v1'));
    db.close();
    if (listsFetchedAt) {
      // The service worker's copies of /api/trust/* are as old as the device's: without this, an offline
      // reload could be answered from a copy cached seconds ago and the page would rightly call it fresh.
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const cached of await cache.keys()) if (new URL(cached.url).pathname.startsWith('/api/trust/')) await cache.delete(cached);
      }
    }
  }, change);
}

describe('public verifier /verifikasi', () => {
  it('refuses lists from an office whose root key differs from the one pinned on this device', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${stack.officeUrl}/verifikasi`);
    await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');

    // This phone pinned another root at its first visit (32 zero bytes): the office's root is not adopted.
    await rewriteStoredState(page, { rootPublicKey: 'A'.repeat(43) });
    await page.reload();
    await expect.poll(() => page.getByTestId('root-mismatch').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('root-mismatch').textContent()).toContain('DITOLAK');
    // Nothing signed under the office's root is trusted now, so nothing can be checked as ASLI.
    expect(await page.getByTestId('trust-lists').getAttribute('data-ready')).toBe('no');
    expect(await page.getByRole('button', { name: 'Pindai dengan kamera' }).isDisabled()).toBe(true);
    await context.close();
  });

  it('scans the QR with the rear camera (Chromium\'s fake camera plays the printed QR) and stops the camera', async () => {
    const cameraBrowser = await launchChromium(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${videoPath}`]);
    try {
      const context = await cameraBrowser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
      const page = await context.newPage();
      await page.goto(`${stack.officeUrl}/verifikasi`);
      await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
      await page.getByRole('button', { name: 'Pindai dengan kamera' }).click();
      await expect.poll(() => verdictOf(page), { timeout: 20_000 }).toBe('VALID');
      expect(await page.getByTestId('verdict-fields').textContent()).toContain(suket.nik);
      // The scanner is gone and no camera track is left running.
      expect(await page.locator('video').count()).toBe(0);
      await context.close();

      // Without the permission the clerk is told what to do instead.
      const denied = await cameraBrowser.newContext({ viewport: { width: 390, height: 844 } });
      const deniedPage = await denied.newPage();
      await deniedPage.goto(`${stack.officeUrl}/verifikasi`);
      await expect.poll(() => deniedPage.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
      await deniedPage.getByRole('button', { name: 'Pindai dengan kamera' }).click();
      await expect.poll(() => deniedPage.getByTestId('camera-problem').getAttribute('data-problem'), { timeout: 20_000 }).toBe('denied');
      expect(await deniedPage.getByTestId('camera-problem').textContent()).toContain('Izin kamera ditolak');
      await denied.close();
    } finally {
      await cameraBrowser.close();
    }
  });

  // Last: it stops the office.
  it('after one online visit, verifies a real Suket with the office stopped and the network off', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const url = `${stack.officeUrl}/verifikasi`;

    // 1. Online: the lists load (root pinned on this device) and the service worker takes control.
    await page.goto(url);
    await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
    expect(await page.getByTestId('lists-mode').textContent()).toContain('Terhubung ke kantor');
    expect(await page.getByTestId('lists-age').textContent()).toMatch(/Daftar kepercayaan diperbarui .+/);
    const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
    await expect.poll(controlled, { timeout: 20_000 }).toBe(true);
    // Phone layout: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The worker's scope is '/', yet an operator page under it still signs in and talks to its office.
    const operator = await context.newPage();
    await operator.goto(`${stack.officeUrl}/petugas/masuk`);
    expect(await operator.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await operator.getByLabel('Nama pengguna').fill('operator');
    await operator.getByLabel('Kata sandi').fill('operator-jember');
    await operator.getByRole('button', { name: 'Masuk' }).click();
    await operator.waitForURL(/\/petugas\/?$/);
    await expect.poll(() => operator.getByTestId('sync-badge').getAttribute('data-state'), { timeout: 15_000 }).toBe('online');
    await operator.close();

    // 2. The office goes away and the phone loses its network: the page still loads, says it is
    //    offline, and, the lists being 8 days old by now, that revocations may be missing.
    await stack.stopOffice();
    await context.setOffline(true);
    await rewriteStoredState(page, { listsFetchedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString() });
    await page.reload();
    await expect.poll(() => page.getByTestId('trust-lists').getAttribute('data-ready'), { timeout: 20_000 }).toBe('yes');
    await expect.poll(() => page.getByTestId('lists-mode').textContent(), { timeout: 20_000 }).toContain('Mode luring: memakai daftar tersimpan');
    expect(await page.getByTestId('lists-age').textContent()).toContain('Daftar kepercayaan diperbarui 8 hari yang lalu');
    expect(await page.getByTestId('lists-stale').textContent()).toContain('lebih dari 7 hari');
    // Other API calls are never answered from a cache.
    expect(await page.evaluate(() => fetch('/api/sync/status').then((r) => `HTTP ${r.status}`, () => 'network error'))).toBe('network error');

    // 3. The pasted Suket text: ASLI, with the NIK and the serial to compare against the paper.
    await pasteAndCheck(page, suket.qrText);
    expect(await verdictOf(page)).toBe('VALID');
    expect(await page.getByTestId('verdict').textContent()).toContain('ASLI');
    expect(await page.getByTestId('verdict-fields').textContent()).toContain(suket.nik);
    expect(await page.getByTestId('verdict-serial').textContent()).toBe(suket.serial);
    expect(await page.getByText('Cocokkan foto dan data ini dengan dokumen kertas dan pemegangnya').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The same answer in English.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.getByTestId('verdict').textContent()).toContain('GENUINE');
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
    await checkAnother(page);

    // 4. One character changed in the middle: never ASLI.
    const middle = Math.floor(suket.qrText.length / 2);
    const altered = suket.qrText.slice(0, middle) + (suket.qrText[middle] === 'A' ? 'B' : 'A') + suket.qrText.slice(middle + 1);
    await pasteAndCheck(page, altered);
    expect(['FORGED', 'UNREADABLE']).toContain(await verdictOf(page));
    expect(await page.getByTestId('verdict').textContent()).toMatch(/PALSU|TIDAK TERBACA/);
    expect((await page.getByTestId('verdict-reason').textContent())!.length).toBeGreaterThan(20);
    expect(await page.getByTestId('verdict-fields').count()).toBe(0);
    await checkAnother(page);

    // 5. The Suket PDF downloaded from the office earlier.
    await page.getByTestId('verifier-file').setInputFiles(pdfPath);
    await expect.poll(() => verdictOf(page), { timeout: 20_000 }).toBe('VALID');
    expect(await page.getByTestId('verdict-serial').textContent()).toBe(suket.serial);
    await checkAnother(page);

    // 6. A PNG of the QR, read in the browser with jsQR.
    await page.getByTestId('verifier-file').setInputFiles(pngPath);
    await expect.poll(() => verdictOf(page), { timeout: 20_000 }).toBe('VALID');
    expect(await page.getByTestId('verdict-fields').textContent()).toContain(suket.nik);

    await context.close();
  });
});
