import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { formatZoned } from '@tangguh/domain';
import type { ReconciliationReport } from '@tangguh/protocol';
import { pdfLib, rgb } from './pdf-lib.ts';

/**
 * The reconciliation report on A4 for the head of office: the window, the totals, every mismatch (all of
 * them, however many pages that takes), then the lists. Indonesian first, English under each heading.
 * Long lists are cut at ROWS_PER_LIST in the PDF with a line saying how many more the page on screen shows.
 */
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 42;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const ALERT = rgb(0.65, 0.1, 0.1);
const ROWS_PER_LIST = 400;

/** The standard fonts speak WinAnsi only: anything else is shown as '?'. */
function printable(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || '—–‘’“”•…'.includes(ch)) return ch;
      return '?';
    })
    .join('');
}

class Writer {
  private page!: PDFPage;
  private y = 0;
  pages = 0;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
    private readonly footer: string,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.pages += 1;
    this.y = A4.height - MARGIN;
    this.page.drawText(printable(`${this.footer} — hal. ${this.pages}`), { x: MARGIN, y: MARGIN / 2, size: 7, font: this.font, color: MUTED });
  }

  private room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  line(text: string, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number } = {}) {
    const size = options.size ?? 8.5;
    const font = options.bold ? this.bold : this.font;
    const width = A4.width - 2 * MARGIN - (options.indent ?? 0);
    let rest = printable(text);
    while (rest.length > 0) {
      // Cut at the last space that fits; a single long word is cut where it must be.
      let cut = rest.length;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) {
        const space = rest.lastIndexOf(' ', cut - 1);
        cut = space > 0 ? space : cut - 1;
      }
      this.room(size + 3);
      this.page.drawText(rest.slice(0, cut), { x: MARGIN + (options.indent ?? 0), y: this.y - size, size, font, color: options.color ?? INK });
      this.y -= size + 3;
      rest = rest.slice(cut).trimStart();
    }
  }

  gap(points = 6) {
    this.y -= points;
  }
}

export async function renderReconciliationPdf(report: ReconciliationReport): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await pdfLib();
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Laporan rekonsiliasi ${report.officeName}`);
  pdf.setSubject('Reconciliation report after an outage');
  pdf.setProducer('Tangguh');
  pdf.setCreationDate(new Date(report.generatedAt));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const when = (iso: string | null) => (iso ? formatZoned(iso, report.timeZone, 'id') : '—');
  const w = new Writer(pdf, font, bold, `${report.officeName} · rekonsiliasi ${when(report.window.from)} – ${when(report.window.to)}`);

  w.line('LAPORAN REKONSILIASI SETELAH GANGGUAN', { size: 14, bold: true });
  w.line('Reconciliation report after an outage', { size: 9, color: MUTED });
  w.gap();
  w.line(`Kantor / office: ${report.officeName}`);
  if (report.incident) {
    const i = report.incident;
    w.line(`Gangguan / incident: ${i.title.id} / ${i.title.en}`, { bold: true });
    w.line(`Mulai / opened ${when(i.openedAt)} · pulih / resolved ${i.resolvedAt ? when(i.resolvedAt) : 'belum pulih / still open'} · warga terdampak / people affected ${i.affectedCount}`);
  }
  w.line(`Jendela waktu / window: ${when(report.window.from)} – ${when(report.window.to)}`);
  w.line(`Dibuat / generated: ${when(report.generatedAt)}`);
  const centre =
    report.centre.state === 'ANSWERED'
      ? `Pusat menjawab; seq yang diterapkan pusat ${report.centre.appliedSeq}, diakui di kantor ${report.officeAckedSeq}${report.centre.truncated ? ' (jawaban pusat terpotong)' : ''}`
      : report.centre.state === 'UNREACHABLE'
        ? `Pusat tidak dapat ditanya (${report.centre.error ?? '—'}): hanya status pengakuan kantor yang dibandingkan / the centre could not be asked`
        : 'Kantor berjalan tanpa pusat yang dikonfigurasi / no centre configured';
  w.line(`Pusat / centre: ${centre}`, { color: report.centre.state === 'ANSWERED' ? INK : ALERT });
  w.gap(10);

  const t = report.totals;
  w.line('Ringkasan / summary', { size: 11, bold: true });
  w.line(`Perekaman / recordings: ${t.recordings} — sampai di pusat / reached the centre: ${t.reachedCentre}`);
  w.line(`Suket diterbitkan / issued: ${t.sukets}`);
  w.line(`Dokumen menunggu TTE / documents waiting for e-signature: ${t.documentsWaited} — ditandatangani / signed: ${t.documentsSigned}`);
  w.line(`Cetak tertunda / prints delayed: ${t.printsDelayed} — pekerjaan cetak / print jobs: ${t.printJobs}`);
  const told = report.notifications;
  w.line(
    told.available
      ? `Pesan ke warga dalam jendela / messages in the window: ${told.sent ?? 0} terkirim / sent, ${told.failed ?? 0} gagal / failed, ${told.pending ?? 0} menunggu / pending`
      : 'Pesan ke warga / messages to people: kantor ini belum menyimpan log pemberitahuan / no notifications log at this office',
  );
  if (told.incident) w.line(`Pesan tentang gangguan ini / messages about this incident: ${told.incident.sent} terkirim / sent, ${told.incident.failed} gagal / failed, ${told.incident.pending} menunggu / pending`);
  w.line(`Selisih kantor–pusat / mismatches: ${t.mismatches}`, { bold: true, color: t.mismatches > 0 ? ALERT : INK });
  w.gap(10);

  w.line('Selisih / mismatches', { size: 11, bold: true });
  if (report.mismatches.length === 0) w.line('Tidak ada selisih. / No mismatch.');
  for (const m of report.mismatches) {
    w.line(`${m.kind} · ${m.subject} · kantor/office: ${m.office ?? '—'} · pusat/centre: ${m.centre ?? '—'} · ${m.detail.id}`, { indent: 6 });
  }
  w.gap(10);

  const list = <T>(title: string, rows: T[], show: (row: T) => string) => {
    w.line(title, { size: 11, bold: true });
    if (rows.length === 0) w.line('—', { indent: 6 });
    for (const row of rows.slice(0, ROWS_PER_LIST)) w.line(show(row), { indent: 6 });
    if (rows.length > ROWS_PER_LIST) w.line(`… dan ${rows.length - ROWS_PER_LIST} lagi di halaman /pimpinan/rekonsiliasi / and ${rows.length - ROWS_PER_LIST} more on the page`, { indent: 6, color: MUTED });
    w.gap(10);
  };
  list('Perekaman dalam jendela / recordings in the window', report.recordings, (r) =>
    `${r.registrationNumber} · ${r.siteName} · ${when(r.recordedAt)} · kantor ${r.officeStatus} · seq ${r.outboxSeq ?? '—'} ${r.acknowledged ? 'diakui' : 'belum dikirim'} · pusat ${r.centreStatus ?? '—'}${r.receivedAtCentre ? ` (diterima ${when(r.receivedAtCentre)})` : ''}`,
  );
  list('Suket diterbitkan / Sukets issued', report.sukets, (s) => `${s.serial} · ${when(s.issuedAt)} · ${s.issuedBy} · ${s.status} · ${s.loggedAtCentre === null ? (s.acknowledged ? 'diakui' : 'belum dikirim') : s.loggedAtCentre ? 'tercatat di pusat' : 'TIDAK tercatat di pusat'}`);
  list('Dokumen menunggu TTE / documents waiting for e-signature', report.documents, (d) => `${d.serial} · ${d.type} · dibuat ${when(d.createdAt)} · ${d.status} · ditandatangani ${when(d.signedAt)} · menunggu ${d.waitedMinutes} menit`);
  list('Pekerjaan cetak / print jobs', report.printJobs, (j) => `${j.registrationNumber ?? j.jobId} · ${j.siteId} · ${j.state} · dibuat ${when(j.createdAt)} · dicetak ${when(j.printedAt)}${j.problem ? ` · ${j.problem.id}` : ''}`);
  list('Cetak tertunda / prints delayed', report.prints, (p) => `${p.registrationNumber} · siap cetak ${when(p.printReadyAt)} · dicetak ${when(p.printedAt)} · ${p.status}`);
  return pdf.save();
}
