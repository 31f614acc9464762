import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@tangguh/domain';
import { cupsAdmin, cupsPdfOutput, ensurePdfQueue, removeCupsPdfOutputs, TEST_QUEUE } from '../../../../test/cups.ts';
import { renderCard } from './card-pdf.ts';
import { runCommand } from './commands.ts';
import { CupsPrinter } from './cups-printer.ts';
import { testCardPackage } from './test-card.ts';
import type { CardPrinter } from './types.ts';

// A card through a real CUPS queue on the cups-pdf virtual printer, read back from the PDF it wrote.
// No CUPS here is a failure with the package to install, never a skip.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(printer: CardPrinter, jobId: string, wanted: string, timeoutMs = 60_000): Promise<string> {
  let state = '';
  for (let waited = 0; waited < timeoutMs; waited += 250) {
    state = await printer.jobState(jobId);
    if (state === wanted || state === 'failed') return state;
    await sleep(250);
  }
  return state;
}

const code = (p: Promise<unknown>) => p.then(() => 'ACCEPTED', (e: unknown) => (e instanceof DomainError ? e.code : `other: ${String(e)}`));

describe('the CUPS card printer', () => {
  let printer: CupsPrinter;
  let pdf: Uint8Array;
  const run = Date.now().toString(36);

  // Stopped and refusing in the second test: a queue of its own, so another test printing to the shared one is not held up.
  const STOPPABLE = 'TangguhTestPDFStop';
  let stoppable: CupsPrinter;

  beforeAll(async () => {
    await ensurePdfQueue(TEST_QUEUE);
    await ensurePdfQueue(STOPPABLE);
    printer = new CupsPrinter({ id: 'cups-test', queue: TEST_QUEUE });
    stoppable = new CupsPrinter({ id: 'cups-stop', queue: STOPPABLE });
    pdf = await renderCard((await testCardPackage()).pkg, { blankSerial: 4242, place: 'JEMBER', date: '2026-11-28' });
  });

  afterAll(async () => {
    // Leave the queue usable for the next run whatever happened.
    await cupsAdmin('cupsenable', [STOPPABLE]).catch(() => {});
    await cupsAdmin('cupsaccept', [STOPPABLE]).catch(() => {});
    removeCupsPdfOutputs(`job-${run}-`);
  });

  it('prints a card: lp takes it, the job completes, and cups-pdf wrote two pages of ID-1 size with the NIK', async () => {
    expect(await printer.health()).toEqual({ state: 'ready' });
    const title = `job-${run}-4242`;
    const { externalJobId } = await printer.submit({ title, pdf });
    expect(externalJobId).toMatch(new RegExp(`^${TEST_QUEUE}-\\d+$`));
    expect(await until(printer, externalJobId, 'completed')).toBe('completed');

    const out = await cupsPdfOutput(externalJobId, title);
    const doc = await PDFDocument.load(out);
    expect(doc.getPageCount()).toBe(2);
    for (const page of doc.getPages()) {
      // Ghostscript in cups-pdf rounds the page to whole points: 242 × 153 for 242.65 × 153.01.
      expect(Math.abs(page.getWidth() - 242.65)).toBeLessThan(1.5);
      expect(Math.abs(page.getHeight() - 153.01)).toBeLessThan(1.5);
    }
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-cups-out-'));
    try {
      writeFileSync(join(dir, 'out.pdf'), out);
      const text = await runCommand('pdftotext', ['-layout', join(dir, 'out.pdf'), '-'], { timeoutMs: 30_000 });
      expect(text.stdout).toContain('3509014101900001');
      expect(text.stdout).toContain('SITI AMINAH');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a stopped queue as offline with CUPS’ reason; a job waits queued there and completes once the queue is enabled; a cancelled one is failed', async () => {
    await cupsAdmin('cupsdisable', ['-r', 'ribbon out', STOPPABLE]);
    try {
      expect(await stoppable.health()).toEqual({ state: 'offline', detail: 'disabled: ribbon out' });
      const { externalJobId } = await stoppable.submit({ title: `job-${run}-4243`, pdf });
      await sleep(500);
      expect(await stoppable.jobState(externalJobId)).toBe('queued');
      // Cancelled at the printer before it came out: lpstat lists it as completed, IPP says cancelled.
      const cancelled = await stoppable.submit({ title: `job-${run}-4244`, pdf });
      await cupsAdmin('cancel', [cancelled.externalJobId]);
      expect(await stoppable.jobState(cancelled.externalJobId)).toBe('failed');
      await cupsAdmin('cupsenable', [STOPPABLE]);
      expect(await until(stoppable, externalJobId, 'completed')).toBe('completed');
    } finally {
      await cupsAdmin('cupsenable', [STOPPABLE]);
    }
    await cupsAdmin('cupsreject', ['-r', 'maintenance', STOPPABLE]);
    try {
      expect(await stoppable.health()).toEqual({ state: 'offline', detail: 'not accepting jobs: maintenance' });
      expect(await code(stoppable.submit({ title: `job-${run}-refused`, pdf }))).toBe('PRINTER_CUPS_REFUSED');
    } finally {
      await cupsAdmin('cupsaccept', [STOPPABLE]);
    }
    expect((await stoppable.health()).state).toBe('ready');
  });

  it('says clearly, in both languages, when the queue does not exist, the scheduler is down, lp is not installed or hangs; a job CUPS never had is failed', async () => {
    const nowhere = new CupsPrinter({ id: 'x', queue: 'TangguhNoSuchQueue' });
    const refused = await nowhere.submit({ title: 'x', pdf }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('PRINTER_QUEUE_NOT_FOUND');
    expect((refused as DomainError).messages.id).toContain('TangguhNoSuchQueue');
    expect(await nowhere.health()).toEqual({ state: 'error', detail: 'Antrean printer CUPS "TangguhNoSuchQueue" tidak ada. / The CUPS printer queue "TangguhNoSuchQueue" does not exist.' });

    const noLp = new CupsPrinter({ id: 'y', queue: TEST_QUEUE, lpCommand: '/nonexistent/lp', lpstatCommand: '/nonexistent/lpstat' });
    const missing = await noLp.submit({ title: 'x', pdf }).catch((e: unknown) => e);
    expect((missing as DomainError).code).toBe('PRINTER_CUPS_MISSING');
    expect((missing as DomainError).messages).toEqual({ id: 'CUPS tidak terpasang di server ini (perintah /nonexistent/lp tidak ditemukan).', en: 'CUPS is not installed on this server (no /nonexistent/lp command).' });
    expect((await noLp.health()).state).toBe('error');

    // A scheduler nobody answers for (a closed port): lp only says "no such printer"; the message says CUPS is down.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const down = new CupsPrinter({ id: 'w', queue: TEST_QUEUE, server: `127.0.0.1:${closed}` });
    expect(await code(down.submit({ title: 'x', pdf }))).toBe('PRINTER_CUPS_NOT_RUNNING');
    expect(await down.health()).toEqual({ state: 'offline', detail: 'Layanan CUPS (cupsd) tidak berjalan atau tidak dapat dihubungi. / The CUPS scheduler (cupsd) is not running or cannot be reached.' });

    // An lp that hangs is killed at its time limit.
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-slow-lp-'));
    try {
      const slow = join(dir, 'lp');
      writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
      chmodSync(slow, 0o755);
      const started = Date.now();
      expect(await code(new CupsPrinter({ id: 's', queue: TEST_QUEUE, lpCommand: slow, submitTimeoutMs: 300 }).submit({ title: 'x', pdf }))).toBe('PRINTER_CUPS_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    expect(await printer.jobState(`${TEST_QUEUE}-999999999`)).toBe('failed');
    expect(await printer.jobState('OtherQueue-1')).toBe('failed');
    expect(() => new CupsPrinter({ id: 'z', queue: 'bad queue; rm -rf /' })).toThrow(RangeError);
  });
});
