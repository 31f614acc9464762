import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCardChip } from '@tangguh/credential';
import { cupsPdfOutput, ensurePdfQueue, removeCupsPdfOutputs, TEST_QUEUE } from '../../../../test/cups.ts';
import { setupOrFail } from '../../../../test/pg.ts';
import { renderCard } from '../printing/card-pdf.ts';
import { SimulatedChipEncoder } from '../printing/chip-encoder.ts';
import { runCommand } from '../printing/commands.ts';
import { CupsPrinter } from '../printing/cups-printer.ts';
import { findPrintJob } from '../repositories/print-jobs.ts';
import { createPrintBatch, printBatch } from './print-batches.ts';
import { printRoomPass, type PrintDevices } from './print-run.ts';
import { startPrintRoom, type PrintRoomHarness } from './print-room-harness.ts';
import { printJobs } from './print-jobs.ts';
import { cachedTrustList } from './trust-store.ts';

// A night batch through a real CUPS queue (Debian's cups with the cups-pdf virtual printer, as a card printer's
// driver would sit in CUPS), with the office's real card renderer and simulated chip encoder, the centre down.
// The PDFs cups-pdf wrote are read back: each holds its resident's NIK and name.
describe('the print room through a real CUPS queue', () => {
  let room: PrintRoomHarness;
  let devices: PrintDevices;
  let chips: SimulatedChipEncoder;

  setupOrFail(async () => {
    await ensurePdfQueue(TEST_QUEUE);
    room = await startPrintRoom('sqlite');
    await room.printReady(2, 3131);
    await room.deliverPackages();
    await room.centralDown();
    chips = new SimulatedChipEncoder({ folder: join(room.dir, 'cip') });
    devices = { printer: (row) => new CupsPrinter({ id: row.id, queue: TEST_QUEUE }), encoder: chips, render: renderCard, pollMs: 250, waitMs: 60_000 };
  });
  afterAll(async () => {
    removeCupsPdfOutputs('KTP-el_');
    await room?.close();
  });

  it('prints both cards of a batch; the PDFs that came out carry each resident, the chips the centre’s signature', async () => {
    const batch = await createPrintBatch(room.office, { siteId: 'dinas', printerId: 'p1', count: 2, by: 'supervisor' });
    expect((await printRoomPass(room.office, devices, { worker: 'system:cups-test' })).printed).toBe(2);
    expect((await printBatch(room.office.db, batch.id)).progress).toMatchObject({ total: 2, printed: 2 });
    const trust = (await cachedTrustList(room.office.db))!;
    const out = mkdtempSync(join(tmpdir(), 'tangguh-cups-cards-'));
    try {
      for (const view of await printJobs(room.office.db, { batchId: batch.id, limit: 10 })) {
        const job = (await findPrintJob(room.office.db, view.id))!;
        expect(job.external_job_id).toMatch(new RegExp(`^${TEST_QUEUE}-\\d+$`));
        const pdf = await cupsPdfOutput(job.external_job_id!, `KTP-el ${job.id} blangko ${job.blank_serial}`);
        writeFileSync(join(out, `${job.id}.pdf`), pdf);
        const text = (await runCommand('pdftotext', ['-layout', join(out, `${job.id}.pdf`), '-'], { timeoutMs: 30_000 })).stdout;
        expect(text).toContain(view.nik!);
        expect(text).toContain(view.name!.toLocaleUpperCase('id-ID'));
        expect(verifyCardChip((await chips.read(job.blank_serial!))!, trust)).toMatchObject({ recordId: job.record_id, kind: 'FIRST' });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
