import { afterAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { reconciliationReportSchema } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { findSummary } from '../repositories/records.ts';
import { reconciliationReport } from './reconciliation.ts';
import { renderReconciliationPdf } from './reconciliation-pdf.ts';

/**
 * The office's half of the reconciliation report on both databases (the centre's half, over the signed
 * channel with real processes, is test/reconciliation.int.test.ts): an office that never reached a centre
 * lists its recordings, Sukets and documents of the window, each as not yet sent, and nothing outside it.
 */
describe.each(DIALECTS)('the reconciliation report from the office alone on %s', (dialect) => {
  let office: TestOfficeApi;
  let madeFrom: string;
  let madeTo: string;

  setupOrFail(async () => {
    madeFrom = new Date(Date.now() - 1000).toISOString();
    office = await startTestOffice(dialect);
    madeTo = new Date(Date.now() + 1000).toISOString();
  });
  afterAll(async () => {
    await office?.close();
  });

  it('lists what the office did in the window, says the centre was not compared, and every entry as not yet sent', async () => {
    const report = reconciliationReportSchema.parse(await reconciliationReport(office.ctx, { from: madeFrom, to: madeTo }));
    const residents = Object.values(office.residents);
    expect(report.centre).toMatchObject({ state: 'NOT_CONFIGURED', appliedSeq: null });
    expect(report.recordings.map((r) => r.recordId).sort()).toEqual(residents.map((r) => r.recordId).sort());
    expect(report.recordings.every((r) => !r.acknowledged && r.outboxSeq !== null && r.centreStatus === null)).toBe(true);
    expect(report.sukets.map((s) => s.serial).sort()).toEqual(residents.map((r) => r.suketSerial).sort());
    expect(report.documents.map((d) => d.id).sort()).toEqual(residents.map((r) => r.documentId).sort());
    expect(report.documents.every((d) => d.status === 'AWAITING_SIGNATURE' && d.signedAt === null)).toBe(true);
    expect(report.prints).toEqual([]);
    expect(report.printJobs).toEqual([]);
    expect(report.notifications).toMatchObject({ available: true, sent: 0, failed: 0 });
    // Each recording, Suket and document event still in the outbox.
    const notSent = report.mismatches.filter((m) => m.kind === 'NOT_YET_SENT');
    expect(notSent).toHaveLength(report.mismatches.length);
    for (const r of residents) {
      expect(notSent.map((m) => m.subject)).toContain((await findSummary(office.ctx.db, r.recordId))!.registrationNumber);
      expect(notSent.map((m) => m.subject)).toContain(`suket.issued ${r.suketSerial}`);
    }
    expect(report.totals).toMatchObject({ recordings: 3, reachedCentre: 0, sukets: 3, documentsWaited: 3, documentsSigned: 0 });

    const pdf = await PDFDocument.load(await renderReconciliationPdf(report));
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
  });

  it('leaves out what happened outside the window, and refuses a window that is backwards or longer than 31 days', async () => {
    const later = reconciliationReportSchema.parse(await reconciliationReport(office.ctx, { from: madeTo, to: new Date(Date.parse(madeTo) + 3600_000).toISOString() }));
    expect([later.recordings, later.sukets, later.mismatches]).toEqual([[], [], []]);
    // The documents made before the window and still unsigned did wait during it.
    expect(later.documents).toHaveLength(3);
    await expect(reconciliationReport(office.ctx, { from: madeTo, to: madeFrom })).rejects.toMatchObject({ code: 'RECONCILE_WINDOW_INVALID' });
    await expect(reconciliationReport(office.ctx, { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).rejects.toMatchObject({ code: 'RECONCILE_WINDOW_INVALID' });
    await expect(reconciliationReport(office.ctx, { incidentId: 'none' })).rejects.toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
  });
});
