import type { PDFFont, PDFPage } from 'pdf-lib';
import { DomainError, formatZoned } from '@tangguh/domain';
import { embedCredentialInPdf } from '@tangguh/credential';
import { renderQrPng } from '@tangguh/credential/node';
import type { OfficeContext } from '../context.ts';
import { findDocument, findDocumentType } from '../repositories/documents.ts';
import { documentNotFound } from './documents.ts';
import { pdfLib, rgb } from './pdf-lib.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const QR_SIZE = 118;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);

/** The standard PDF fonts speak WinAnsi only: anything else a citizen's name may hold is shown as '?'. */
function printable(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || '—–‘’“”•…'.includes(ch)) return ch;
      return code === 0x0a || code === 0x09 ? ' ' : '?';
    })
    .join('');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function centered(page: PDFPage, text: string, y: number, font: PDFFont, size: number) {
  const safe = printable(text);
  page.drawText(safe, { x: (A4.width - font.widthOfTextAtSize(safe, size)) / 2, y, size, font, color: INK });
}

/**
 * The printed document: A4, the office's header, title and number, the fields, the signature statement,
 * and for an electronic signature the QR at the bottom right (also embedded in the file, so the PDF itself
 * can be verified). A wet-signed document says so and carries no QR.
 */
export async function renderDocumentPdf(ctx: OfficeContext, id: string): Promise<{ bytes: Uint8Array; filename: string }> {
  const row = await findDocument(ctx.db, id);
  if (!row) throw documentNotFound();
  if (row.status === 'AWAITING_SIGNATURE' || !row.signed_at) {
    throw new DomainError(
      'DOCUMENT_NOT_SIGNED',
      { id: 'Dokumen belum ditandatangani; PDF tersedia setelah ditandatangani kepala dinas.', en: 'The document is not signed yet; the PDF is available once the head of office has signed it.' },
      'conflict',
    );
  }
  const type = await findDocumentType(ctx.db, row.type);
  const labels = new Map((type?.fields ?? []).map((f) => [f.key, f.label]));
  const fields = JSON.parse(row.fields) as Record<string, string>;

  const { PDFDocument, StandardFonts } = await pdfLib();
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${row.type_name} ${row.nomor}`);
  pdf.setAuthor(ctx.office.name);
  const page = pdf.addPage([A4.width, A4.height]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  let y = A4.height - MARGIN;
  centered(page, 'PEMERINTAH REPUBLIK INDONESIA', y, bold, 11);
  y -= 16;
  for (const line of wrap(ctx.office.name.toUpperCase(), bold, 13, A4.width - 2 * MARGIN)) {
    centered(page, line, y, bold, 13);
    y -= 17;
  }
  y -= 4;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.width - MARGIN, y }, thickness: 1.5, color: INK });
  y -= 44;
  centered(page, row.type_name.toUpperCase(), y, bold, 17);
  y -= 20;
  centered(page, `Nomor: ${row.nomor}`, y, regular, 11);
  y -= 40;

  const labelWidth = 170;
  const valueWidth = A4.width - 2 * MARGIN - labelWidth;
  const rows: [string, string][] = [['NIK', row.nik], ['Nama', row.full_name], ...Object.entries(fields).map(([key, value]): [string, string] => [labels.get(key) ?? key, value])];
  for (const [label, value] of rows) {
    page.drawText(printable(label), { x: MARGIN, y, size: 11, font: regular, color: MUTED });
    for (const line of wrap(value, bold, 11, valueWidth)) {
      page.drawText(line, { x: MARGIN + labelWidth, y, size: 11, font: bold, color: INK });
      y -= 16;
    }
    y -= 6;
    if (y < MARGIN + QR_SIZE + 120) break;
  }

  const signedOn = formatZoned(row.signed_at, ctx.office.timeZone, 'id');
  const statement =
    row.signature_kind === 'WET'
      ? `Ditandatangani basah (tanpa TTE) — ${row.wet_reason ?? ''}`
      : `Ditandatangani secara elektronik oleh ${row.signed_by_name ?? row.signed_by ?? ''} — ${signedOn}`;
  let sy = MARGIN + QR_SIZE + 70;
  page.drawText('Kepala Dinas Kependudukan dan Pencatatan Sipil', { x: MARGIN, y: sy, size: 10, font: regular, color: INK });
  sy -= 18;
  for (const line of wrap(statement, bold, 10, A4.width - 2 * MARGIN - QR_SIZE - 24)) {
    page.drawText(line, { x: MARGIN, y: sy, size: 10, font: bold, color: INK });
    sy -= 14;
  }
  if (row.signature_kind === 'WET') {
    page.drawText(printable(`${row.signed_by_name ?? ''} — ${signedOn}`), { x: MARGIN, y: sy - 40, size: 10, font: regular, color: INK });
  }
  page.drawText(printable(`No. seri: ${row.serial}`), { x: MARGIN, y: MARGIN, size: 8, font: regular, color: MUTED });

  if (row.status === 'SUPERSEDED') {
    const banner = `TIDAK BERLAKU — diganti oleh dokumen ${row.superseded_by ?? ''}`;
    page.drawRectangle({ x: MARGIN, y: A4.height - 150, width: A4.width - 2 * MARGIN, height: 26, color: rgb(0.98, 0.9, 0.9) });
    centered(page, banner, A4.height - 141, bold, 11);
  }

  if (row.signature_kind === 'TTE' && row.qr_text) {
    const png = await pdf.embedPng(await renderQrPng(row.qr_text));
    page.drawImage(png, { x: A4.width - MARGIN - QR_SIZE, y: MARGIN + 10, width: QR_SIZE, height: QR_SIZE });
    page.drawText('Pindai untuk memeriksa keaslian', { x: A4.width - MARGIN - QR_SIZE, y: MARGIN, size: 7, font: regular, color: MUTED });
    embedCredentialInPdf(pdf, row.qr_text);
  }
  const bytes = await pdf.save();
  return { bytes, filename: `${row.type.toLowerCase()}-${row.serial}.pdf` };
}
