import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn as signInAt } from './browser.ts';
import { recordResidents, waitForPrintReady } from './print-setup.ts';
import { TestStack, login, waitFor } from '../test/helpers.ts';

// A real centre and office (with the built web UI) on loopback, driven through Debian's Chromium.
let stack: TestStack;
let browser: Browser;

const WAITING = 6;

beforeAll(async () => {
  stack = await TestStack.create();
  await stack.startCentral();
  await stack.startOffice();
  // Six residents recorded through the real pipeline: the centre makes each a Print Ready Record.
  const operator = await login(stack.officeUrl, 'operator', 'operator-jember');
  await recordResidents(operator, WAITING, 6400);
  await waitForPrintReady(operator, WAITING, 90_000);
  // One printer at the Dinas that prints two cards a day; no blanks yet.
  const admin = await login(stack.officeUrl, 'admin', 'admin-jember');
  const printer = await admin.request('PUT', '/api/print-plan/printers/dinas-1', { siteId: 'dinas', name: 'Printer Dinas 1', capacityPerDay: 2, state: 'ready', ribbonLeft: 40, filmLeft: 400, printsPerRibbon: 500, printsPerFilm: 500 });
  expect(printer.status).toBe(200);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

const signIn = (page: Page, path: string, username: string, password: string) => signInAt(page, `${stack.officeUrl}${path}`, username, password);

/** The balance the stock table shows for a site, as a number ("1.000" in Indonesian). */
async function balanceOf(page: Page, siteId: string): Promise<number> {
  const text = await page.locator(`[data-testid="stock-balance"] tr[data-site="${siteId}"] [data-testid="site-balance"]`).innerText();
  return Number(text.replace(/\D/g, ''));
}

describe('the forecast screen and the head’s charts', () => {
  it('shows the headline in big type and works it out again for the extra blanks typed in', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/perkiraan', 'supervisor', 'supervisor-jember');
    const headline = page.getByTestId('forecast-headline');
    await headline.waitFor();
    // No blanks on hand: the office's own suggestion (what the queue lacks, rounded up to a thousand) fills the field.
    expect(await headline.innerText()).toContain(`${WAITING} menunggu, 0 blangko, 1 printer: lebih dari 250 hari kerja`);
    const extra = page.locator('#forecast-extra');
    await page.waitForFunction(() => (document.getElementById('forecast-extra') as HTMLInputElement | null)?.value === '1000');
    expect(await headline.innerText()).toContain('dengan 1.000 blangko lagi: 3 hari');

    // Two blanks more: two records printed, the rest never — still beyond the horizon.
    await extra.fill('2');
    await page.waitForFunction(() => document.querySelector('[data-testid="forecast-headline"]')?.textContent?.includes('dengan 2 blangko lagi'));
    expect(await headline.innerText()).toContain('dengan 2 blangko lagi: lebih dari 250 hari');
    expect(await page.getByTestId('days-with-extra').innerText()).toBe('lebih dari setahun');

    // Six: the whole queue at two a day.
    await extra.fill('6');
    await page.waitForFunction(() => document.querySelector('[data-testid="forecast-headline"]')?.textContent?.includes('dengan 6 blangko lagi'));
    expect(await headline.innerText()).toContain('dengan 6 blangko lagi: 3 hari');
    expect(await page.getByTestId('days-with-extra').innerText()).toBe('3');

    // The queue: every waiting record with its position, reason and estimate; the request form carries the forecast.
    const rows = page.locator('[data-testid="print-queue"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(WAITING);
    expect(await rows.first().innerText()).toContain(`1 / ${WAITING}`);
    // Nobody holds a Suket here: that class is empty, and the screen says so rather than "nothing waiting".
    await page.getByLabel('Golongan prioritas').selectOption('suket');
    await page.getByText('Tidak ada rekaman antrean yang cocok dengan pilihan ini.').waitFor();
    await page.getByLabel('Golongan prioritas').selectOption('');
    await rows.nth(WAITING - 1).waitFor();
    expect(await page.getByTestId('request-justification').innerText()).toMatch(new RegExp(`^${WAITING}\\b.*menunggu.*1\\.000 blangko`));

    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="forecast-headline"]')?.textContent?.includes('waiting'));
    expect(await headline.innerText()).toContain(`${WAITING} waiting, 0 blanks, 1 printer`);
  });

  it('draws the head’s charts (SVG) with their figures beside them', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, '/pimpinan/masuk?next=/pimpinan/cetak', 'kepala', 'kepala-jember');
    await page.getByRole('heading', { name: 'Grafik cetak kartu' }).waitFor();
    for (const id of ['chart-backlog', 'chart-funnel-kecamatan', 'chart-funnel-day']) {
      await page.locator(`[data-testid="${id}"] svg.recharts-surface`).first().waitFor();
    }
    // Bars for the funnel per kecamatan, a drawn line for the backlog.
    expect(await page.locator('[data-testid="chart-funnel-kecamatan"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-backlog"] .recharts-area-area, [data-testid="chart-backlog"] .recharts-line-curve').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-backlog"] figcaption').innerText()).toContain(`${WAITING} menunggu`);
    expect(await page.locator('[data-testid="chart-funnel-kecamatan"] figcaption').innerText()).toContain(`Sampai sekarang: ${WAITING} Direkam, ${WAITING} Siap cetak (PRR)`);

    // The figures: every recorded resident counted once across the kecamatan, all of them print-ready.
    const figures = page.locator('[data-testid="chart-funnel-kecamatan"] details');
    await figures.locator('summary').click();
    const column = async (n: number) =>
      (await figures.locator(`tbody tr td:nth-of-type(${n})`).allInnerTexts()).reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
    expect(await column(1)).toBe(WAITING);
    expect(await column(2)).toBe(WAITING);
  });
});

describe('the holiday calendar', () => {
  it('lets an admin mark a cuti bersama day and take it off again', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 30 * 86_400_000));
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/perkiraan', 'admin', 'admin-jember');
    const form = page.getByRole('form', { name: 'Tandai hari libur' });
    await form.getByLabel('Tanggal').fill(day);
    await form.getByLabel('Jenis').selectOption('cuti_bersama');
    await form.getByLabel('Nama (Bahasa Indonesia)').fill('Cuti bersama uji');
    await form.getByLabel('Nama (English)').fill('Test collective leave');
    await form.getByRole('button', { name: 'Tandai hari libur' }).click();
    const listed = page.locator('[data-testid="holidays"] li').filter({ hasText: 'Cuti bersama uji' });
    await listed.waitFor();
    expect(await listed.innerText()).toContain('Cuti bersama');
    await listed.getByRole('button', { name: 'Hapus' }).click();
    await listed.waitFor({ state: 'detached' });

    // A supervisor reads the calendar but has no form to change it.
    const supervisor = await (await browser.newContext()).newPage();
    await signIn(supervisor, '/petugas/masuk?next=/petugas/perkiraan', 'supervisor', 'supervisor-jember');
    await supervisor.getByText('Hanya admin yang dapat mengubah kalender.').waitFor();
    expect(await supervisor.getByRole('form', { name: 'Tandai hari libur' }).count()).toBe(0);
  });
});

describe('the blank request to the centre', () => {
  it('goes from the forecast screen to the centre’s admin, who allocates blanks, and the answer comes back to the office', async () => {
    const office = await (await browser.newContext()).newPage();
    await signIn(office, '/petugas/masuk?next=/petugas/perkiraan', 'kepala', 'kepala-jember');
    const form = office.getByRole('form', { name: 'Permintaan blangko ke pusat' });
    await office.waitForFunction(() => (document.getElementById('request-quantity') as HTMLInputElement | null)?.value === '1000');
    await form.getByLabel('Catatan (tidak wajib)').fill('Antrean menumpuk di Dinas');
    await form.getByRole('button', { name: 'Kirim permintaan' }).click();
    await office.getByRole('status').filter({ hasText: 'Permintaan 1.000 blangko dicatat' }).waitFor();
    const row = office.locator('[data-testid="blank-requests"] tbody tr').first();
    await row.waitFor();
    expect(await row.innerText()).toContain('Antrean menumpuk di Dinas');

    // The centre's admin sees it (once the office's outbox has delivered it) with the forecast as its justification.
    const centre = await (await browser.newContext()).newPage();
    await signInAt(centre, `${stack.centralUrl}/pusat/masuk?next=/pusat/blangko`, 'admin', 'admin-pusat');
    await centre.getByRole('heading', { name: 'Permintaan blangko dari kantor' }).waitFor();
    const item = centre.locator('[data-testid="centre-blank-request"][data-status="pending"]').first();
    await waitFor(
      async () => {
        if (await item.count()) return true;
        await centre.reload();
        await centre.getByRole('heading', { name: 'Permintaan blangko dari kantor' }).waitFor();
        return false;
      },
      { timeoutMs: 60_000, message: 'the request to reach the centre' },
    );
    expect(await item.innerText()).toMatch(new RegExp(`meminta 1\\.000 blangko[\\s\\S]*${WAITING}\\b.*menunggu`));
    await item.getByLabel('Tahap (tranche)').fill('2026-T9');
    await item.getByLabel('Nomor seri awal').fill('500000');
    expect(await item.getByLabel('Nomor seri akhir').inputValue()).toBe('500999');
    await item.locator('button[type="submit"]').click();
    await centre.getByRole('status').filter({ hasText: 'tersimpan' }).waitFor();

    // The office learns the answer from the centre's signed feed: the allocation shows beside the request.
    await waitFor(
      async () => {
        await office.reload();
        const answered = office.locator('[data-testid="blank-requests"] tbody tr[data-state="allocated"]');
        await office.locator('[data-testid="blank-requests"]').waitFor();
        return (await answered.count()) > 0;
      },
      { timeoutMs: 90_000, intervalMs: 2_000, message: 'the allocation to reach the office' },
    );
    expect(await office.locator('[data-testid="blank-requests"] tbody tr[data-state="allocated"]').first().innerText()).toContain('tahap 2026-T9, seri 500000–500999');

    // A second request, refused with a reason: the office sees the refusal in its own words.
    const supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
    expect((await supervisor.post('/api/blank-requests', { quantity: 5000 })).status).toBe(201);
    const pending = centre.locator('[data-testid="centre-blank-request"][data-status="pending"]').first();
    await waitFor(
      async () => {
        await centre.reload();
        await centre.getByRole('heading', { name: 'Permintaan blangko dari kantor' }).waitFor();
        return (await pending.count()) > 0;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, message: 'the second request to reach the centre' },
    );
    await pending.getByRole('button', { name: 'Tolak' }).click();
    await pending.getByLabel('Alasan penolakan').fill('Stok nasional habis sampai Januari');
    await pending.locator('button[type="submit"]').click();
    await centre.getByRole('status').filter({ hasText: 'tersimpan' }).waitFor();
    await waitFor(
      async () => {
        await office.reload();
        await office.locator('[data-testid="blank-requests"]').waitFor();
        return (await office.locator('[data-testid="blank-requests"] tbody tr[data-state="refused"]').count()) > 0;
      },
      { timeoutMs: 90_000, intervalMs: 2_000, message: 'the refusal to reach the office' },
    );
    expect(await office.locator('[data-testid="blank-requests"] tbody tr[data-state="refused"]').innerText()).toContain('Ditolak: Stok nasional habis sampai Januari');
  });
});

describe('the blank-stock screen', () => {
  it('records a receipt and a spoilage and shows the balance change, with the server’s refusal in Indonesian', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/stok', 'supervisor', 'supervisor-jember');
    await page.getByRole('heading', { name: 'Stok blangko KTP-el' }).waitFor();
    await page.locator('[data-testid="stock-balance"] tr[data-site="dinas"]').waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(0);

    // A receipt of the centre's allocation: 500 blanks, serials 7000–7499, tranche 2026-T4.
    await page.getByRole('button', { name: 'Penerimaan', exact: true }).click();
    const receipt = page.getByRole('form', { name: 'Penerimaan' });
    await receipt.getByLabel('Lokasi', { exact: true }).selectOption('dinas');
    await receipt.getByLabel('Tahap (tranche) alokasi').fill('2026-T4');
    await receipt.getByLabel('Nomor seri awal').fill('7000');
    await receipt.getByLabel('Nomor seri akhir').fill('7499');
    await receipt.getByText('Dihitung dari rentang: 500 blangko').waitFor();
    await receipt.getByRole('button', { name: 'Catat' }).click();
    await page.getByRole('status').filter({ hasText: 'Tercatat. Stok blangko:' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '500');
    const ledger = page.locator('[data-testid="stock-ledger"] tbody tr');
    expect(await ledger.filter({ hasText: 'Penerimaan' }).filter({ hasText: 'tahap 2026-T4' }).filter({ hasText: 'seri 7000–7499' }).count()).toBe(1);

    // The same range again: the server refuses it, and the screen says why in Indonesian.
    await receipt.getByLabel('Tahap (tranche) alokasi').fill('2026-T4');
    await receipt.getByLabel('Nomor seri awal').fill('7400');
    await receipt.getByLabel('Nomor seri akhir').fill('7599');
    await receipt.getByRole('button', { name: 'Catat' }).click();
    await receipt.getByRole('alert').filter({ hasText: 'Rentang nomor seri sudah pernah diterima.' }).waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(500);

    // A spoiled blank with its reason: the balance goes down by one.
    await page.getByRole('button', { name: 'Kerusakan', exact: true }).click();
    const spoilage = page.getByRole('form', { name: 'Kerusakan' });
    await spoilage.getByLabel('Nomor seri blangko yang rusak').fill('7003');
    await spoilage.getByLabel('Sebab').selectOption('overheating');
    await spoilage.getByRole('button', { name: 'Catat' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '499');
    expect(await ledger.filter({ hasText: 'Rusak' }).filter({ hasText: 'seri 7003' }).filter({ hasText: 'Printer terlalu panas' }).count()).toBe(1);

    // More blanks moved than the site holds: BLANK_STOCK_INSUFFICIENT, in Indonesian, nothing changes.
    await page.getByRole('button', { name: 'Pemindahan', exact: true }).click();
    const transfer = page.getByRole('form', { name: 'Pemindahan' });
    await transfer.getByLabel('Dari lokasi').selectOption('dinas');
    await transfer.getByLabel('Ke lokasi').selectOption('kec-35.09.19');
    await transfer.getByLabel('Jumlah blangko').fill('600');
    await transfer.getByRole('button', { name: 'Catat' }).click();
    await transfer.getByRole('alert').filter({ hasText: 'Stok blangko di lokasi dinas tidak cukup.' }).waitFor();
    expect(await balanceOf(page, 'dinas')).toBe(499);

    // A physical count by the operator found two fewer: the supervisor approves it as a correction.
    await page.getByRole('button', { name: 'Koreksi hitung', exact: true }).click();
    const correction = page.getByRole('form', { name: 'Koreksi hitung' });
    await correction.getByLabel('Selisih hitung (+ lebih, − kurang)').fill('-2');
    await correction.getByLabel('Alasan koreksi').fill('Hitung fisik akhir hari');
    await correction.getByLabel('Nama pengguna petugas yang menghitung').fill('operator');
    await correction.getByRole('button', { name: 'Catat' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '497');
    expect(await ledger.filter({ hasText: 'Koreksi hitung' }).filter({ hasText: 'disetujui supervisor' }).filter({ hasText: 'Hitung fisik akhir hari' }).count()).toBe(1);

    // Ten blanks lent to Banyuwangi (3510): the balance falls and the loan is outstanding.
    await page.getByRole('button', { name: 'Pinjaman antar kantor', exact: true }).click();
    const loan = page.getByRole('form', { name: 'Pinjaman antar kantor' });
    await loan.getByLabel('Arah pinjaman').selectOption('out');
    await loan.getByLabel('Kode kantor lain').fill('3510');
    await loan.getByLabel('Jumlah blangko').fill('10');
    await loan.getByRole('button', { name: 'Catat' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === '487');
    await page.locator('[data-testid="stock-loans"] tr').filter({ hasText: '3510' }).filter({ hasText: '10' }).waitFor();
    expect(await ledger.filter({ hasText: 'Dipinjamkan' }).filter({ hasText: 'dengan 3510' }).count()).toBe(1);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'e-KTP blank-card stock' }).waitFor();
    expect(await ledger.filter({ hasText: 'Spoiled' }).filter({ hasText: 'Printer overheating' }).count()).toBe(1);
  });
});

describe('the public stock page', () => {
  it('shows the day’s stock per site on a phone, with no login', async () => {
    const supervisor = await login(stack.officeUrl, 'supervisor', 'supervisor-jember');
    const received = await supervisor.post('/api/stok-blangko/penerimaan', { siteId: 'kec-35.09.19', tranche: '2026-T5', quantity: 120, serialFrom: 90_000, serialTo: 90_119 });
    expect(received.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${stack.officeUrl}/stok`);
    await page.getByRole('heading', { name: 'Stok blangko KTP-el hari ini' }).waitFor();
    const kaliwates = page.locator('[data-testid="public-site"][data-site="kec-35.09.19"]');
    await kaliwates.waitFor();
    const numberIn = async (text: Promise<string>) => Number((await text).replace(/\D/g, ''));
    expect(await numberIn(kaliwates.locator('.public-stock__n').innerText())).toBe(120);
    const sites = page.locator('[data-testid="public-site"]');
    expect(await sites.count()).toBeGreaterThan(10);
    // The total is the sum of the sites (whatever the other test left at the Dinas), and an empty site says so.
    const figures = await sites.locator('.public-stock__n').allInnerTexts();
    const sum = figures.reduce((total, text) => total + (Number(text.replace(/\D/g, '')) || 0), 0);
    expect(await numberIn(page.getByTestId('public-total').innerText())).toBe(sum);
    expect(figures.filter((text) => text === 'habis').length).toBeGreaterThan(0);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});

describe('the printers screen', () => {
  it('shows each printer’s state, capacity and consumables, and a supervisor puts one in repair', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/printer', 'supervisor', 'supervisor-jember');
    const card = page.locator('[data-testid="printer"][data-printer="dinas-1"]');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('Printer Dinas 1');
    expect(text).toContain('Siap');
    expect(text).toContain('2 kartu/hari');
    expect(await card.getByRole('meter', { name: 'Pita (ribbon)' }).getAttribute('aria-valuetext')).toBe('40 dari 500 cetakan (8%)');

    await card.getByRole('button', { name: 'Ubah' }).click();
    await card.getByLabel('Keadaan').selectOption('in_repair');
    await card.getByRole('button', { name: 'Simpan' }).click();
    await page.getByRole('status').filter({ hasText: 'Printer Printer Dinas 1 tersimpan.' }).waitFor();
    await card.locator('.pill').filter({ hasText: 'Dalam perbaikan' }).waitFor();

    // A new printer at Kaliwates: its code is asked for first, then it is listed.
    await page.getByRole('button', { name: 'Tambah printer' }).click();
    const add = page.getByRole('form', { name: 'Tambah printer' });
    await add.getByLabel('Nama', { exact: true }).fill('Printer Kaliwates');
    await add.getByLabel('Lokasi').selectOption('kec-35.09.19');
    await add.getByRole('button', { name: 'Simpan' }).click();
    await add.getByText('Isi kode printer.').first().waitFor();
    await add.getByLabel('Kode printer').fill('kaliwates-1');
    await add.getByRole('button', { name: 'Simpan' }).click();
    const added = page.locator('[data-testid="printer"][data-printer="kaliwates-1"]');
    await added.waitFor();
    expect(await added.innerText()).toContain('Kecamatan Kaliwates');

    // An operator reads the same, without the edit button.
    const operator = await (await browser.newContext()).newPage();
    await signIn(operator, '/petugas/masuk?next=/petugas/printer', 'operator', 'operator-jember');
    await operator.locator('[data-testid="printer"][data-printer="dinas-1"] .pill').filter({ hasText: 'Dalam perbaikan' }).waitFor();
    expect(await operator.getByRole('button', { name: 'Ubah' }).count()).toBe(0);
  });
});

describe('during a central outage', () => {
  it('keeps the stock, printers, forecast, charts and public stock screens working from the office alone', async () => {
    await stack.stopCentral();
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, '/petugas/masuk?next=/petugas/stok', 'supervisor', 'supervisor-jember');
    await page.locator('[data-testid="stock-balance"] tr[data-site="dinas"]').waitFor();
    const before = await balanceOf(page, 'dinas');
    await page.getByRole('button', { name: 'Kerusakan', exact: true }).click();
    const spoilage = page.getByRole('form', { name: 'Kerusakan' });
    await spoilage.getByLabel('Nomor seri blangko yang rusak').fill('7004');
    await spoilage.getByLabel('Sebab').selectOption('misprint');
    await spoilage.getByRole('button', { name: 'Catat' }).click();
    await page.getByRole('status').filter({ hasText: 'Tercatat.' }).waitFor();
    await page.waitForFunction((n) => document.querySelector('[data-testid="stock-balance"] tr[data-site="dinas"] [data-testid="site-balance"]')?.textContent?.replace(/\D/g, '') === String(n), before - 1);

    await page.goto(`${stack.officeUrl}/petugas/perkiraan`);
    expect(await page.getByTestId('forecast-headline').innerText()).toContain(`${WAITING} menunggu`);
    await page.goto(`${stack.officeUrl}/petugas/printer`);
    await page.getByTestId('printer').first().waitFor();
    await page.goto(`${stack.officeUrl}/pimpinan/cetak`);
    await page.locator('[data-testid="chart-backlog"] svg.recharts-surface').last().waitFor();
    await page.goto(`${stack.officeUrl}/stok`);
    expect(Number((await page.getByTestId('public-total').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
  });
});
