import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { decodeCredential } from '@tangguh/credential';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { TestStack, login, residentRequests, type HttpClient } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;
let operator: HttpClient;
let centreAdmin: HttpClient;

interface DocumentBody {
  id: string;
  serial: string;
  status: string;
  qrText: string | null;
  pickup: { kind: string };
}

beforeAll(async () => {
  stack = await TestStack.create({ officeArgs: ['--idle-ms', '200', '--backoff-cap-ms', '1000'] });
  await stack.startCentral();
  await stack.startOffice();
  operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  centreAdmin = await login(stack.centralUrl, 'admin', 'admin-pusat');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

async function switchTte(available: boolean): Promise<void> {
  const response = await centreAdmin.post('/api/admin/tte', { available });
  expect(response.status).toBe(200);
}

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, `${stack.officeUrl}${path}`, username, password);

/**
 * The head registers a TTE key at /pimpinan (Chromium's WebCrypto makes it, non-extractable, in IndexedDB),
 * reads out its fingerprint, and the centre's admin approves the key with that fingerprint at /pusat/tte.
 */
async function enrolAndApproveHeadKey(head: Page): Promise<void> {
  await head.getByRole('button', { name: 'Daftarkan kunci TTE' }).click();
  await expect.poll(() => head.getByTestId('tte-key-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('PENDING');
  const fingerprint = (await head.getByTestId('tte-key-fingerprint').textContent())!;
  expect(fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
  const privateKey = await head.evaluate(
    () =>
      new Promise<{ type: string; extractable: boolean; algorithm: string }>((resolve, reject) => {
        const open = indexedDB.open('tangguh-tte', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('head-keys').objectStore('head-keys').get('kepala');
          get.onsuccess = () => {
            const pair = get.result as CryptoKeyPair;
            resolve({ type: pair.privateKey.type, extractable: pair.privateKey.extractable, algorithm: pair.privateKey.algorithm.name });
          };
        };
      }),
  );
  expect(privateKey).toEqual({ type: 'private', extractable: false, algorithm: 'Ed25519' });

  const centre = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Signed out, /pusat/tte asks for the login and comes back to itself.
  await centre.goto(`${stack.centralUrl}/pusat/tte`);
  await centre.getByLabel('Nama pengguna').fill('admin');
  await centre.getByLabel('Kata sandi').fill('admin-pusat');
  await centre.getByRole('button', { name: 'Masuk' }).click();
  await centre.waitForURL(/\/pusat\/tte$/);
  const row = centre.locator(`[data-testid="tte-enrolment"][data-fingerprint="${fingerprint}"]`);
  await row.getByRole('button', { name: 'Setujui (sidik cocok)' }).click();
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('APPROVED');
  await centre.close();
  await expect.poll(() => head.getByTestId('tte-key-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('APPROVED');
}

/** No sideways scrolling: the page fits the phone's width. */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('e-signed documents in the browser', () => {
  it('the head sees the waiting documents while TTE is down, and signs them all in one action when it is back', async () => {
    await switchTte(false);

    // One document through the operator's page, two more through the API.
    const clerk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(clerk, '/petugas/dokumen', 'operator', 'operator-jember');
    await clerk.waitForURL(/\/petugas\/dokumen$/);
    await clerk.getByLabel('Jenis dokumen').selectOption('KK');
    await clerk.getByLabel('Nomor dokumen').fill('3509120101260001');
    await clerk.getByLabel('NIK').fill('3509124507900003');
    await clerk.getByLabel('Nama', { exact: true }).fill('Siti Rahayu');
    await clerk.getByLabel('Nama kepala keluarga (opsional)').fill('Siti Rahayu');
    await clerk.getByRole('button', { name: 'Simpan dan ajukan tanda tangan' }).click();
    await clerk.getByText(/Dokumen 3509-DOK-\d{8}-\d{6} tersimpan dan menunggu tanda tangan/).waitFor({ timeout: 15_000 });
    await expect.poll(() => clerk.getByTestId('pickup').first().getAttribute('data-kind'), { timeout: 20_000 }).toBe('AFTER_TTE_RECOVERY');
    await expect.poll(() => clerk.getByTestId('pickup').first().textContent()).toContain('setelah layanan TTE pulih');
    await clerk.close();
    for (const [type, nomor, nik, name] of [
      ['AKTA_KELAHIRAN', '3509-LU-01012026-0002', '3509120101850007', 'Bagus Santoso'],
      ['AKTA_KEMATIAN', '3509-KM-02012026-0003', '3509126002010002', 'Darmi'],
    ] as const) {
      const created = await operator.post<{ document: DocumentBody }>('/api/documents', { type, nomor, nik, name, fields: {} });
      expect(created.status).toBe(201);
    }

    // The head, on a phone.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, '/pimpinan', 'kepala', 'kepala-jember');
    await page.waitForURL(/\/pimpinan\/?$/);
    await expect.poll(() => page.getByTestId('tte-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('down');
    expect(await page.getByTestId('tte-status').textContent()).toContain('Layanan TTE pusat gangguan sejak');
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count')).toBe('3');
    // The count and the list come from two requests: wait for the list too.
    await expect.poll(() => page.getByTestId('document').count()).toBe(3);
    const signAll = page.getByRole('button', { name: 'Tandatangani semua (3)' });
    await expect.poll(() => signAll.isVisible()).toBe(true);
    // No approved key in this browser yet: nothing can be signed until the centre approves one.
    expect(await signAll.isDisabled()).toBe(true);
    await enrolAndApproveHeadKey(page);
    await expect.poll(() => signAll.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    // The wet-signature fallback is off and says why to be careful with it.
    expect(await page.getByTestId('wet-policy').getAttribute('data-enabled')).toBe('false');
    expect(await page.getByTestId('wet-policy').textContent()).toContain('kementerian pernah menegur');

    // Trying during the outage: refused, and every document still waits.
    await signAll.click();
    await page.getByRole('alert').filter({ hasText: 'Layanan TTE pusat sedang gangguan' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count')).toBe('3');

    await switchTte(true);
    await expect.poll(() => page.getByTestId('tte-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('up');
    await page.getByRole('button', { name: 'Tandatangani semua (3)' }).click();
    await page.getByText('3 dokumen ditandatangani secara elektronik.').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('waiting-count').getAttribute('data-count'), { timeout: 10_000 }).toBe('0');
    await page.getByText('Tidak ada dokumen yang menunggu tanda tangan.').waitFor();
    await page.close();

    const signed = await operator.get<{ items: DocumentBody[] }>('/api/documents?status=SIGNED');
    expect(signed.body.items).toHaveLength(3);
    for (const document of signed.body.items) {
      expect(document.pickup.kind).toBe('READY');
      const claims = decodeCredential(document.qrText!).claims;
      expect(claims.ser).toBe(document.serial);
      // The name the centre holds for the head of office 3509, on the head's own proof.
      expect(claims.sub.ttd).toBe('Drs. Hadi Santoso');
    }
  });

  it('issues a Suket from the record page and offers its PDF', async () => {
    const [resident] = await residentRequests(1, 4242);
    const created = await operator.post<{ record: { id: string } }>('/api/recordings', resident!.request);
    expect(created.status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, `/petugas/rekaman/${created.body.record.id}`, 'operator', 'operator-jember');
    await page.waitForURL(/\/petugas\/rekaman\//);
    const panel = page.getByTestId('suket-panel');
    await panel.getByText('Belum ada Suket untuk rekaman ini.').waitFor({ timeout: 15_000 });
    await panel.getByRole('button', { name: 'Terbitkan Suket' }).click();
    await panel.getByText(/^Suket \S+ terbit, berlaku sampai/).waitFor({ timeout: 15_000 });
    const item = panel.locator('.suket-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getByText('AKTIF', { exact: true }).count()).toBe(1);
    const href = await panel.getByRole('link', { name: 'Unduh PDF Suket' }).first().getAttribute('href');
    const pdf = await page.request.get(`${stack.officeUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(await fitsWidth(page)).toBe(true);
    await page.close();
  });
});
