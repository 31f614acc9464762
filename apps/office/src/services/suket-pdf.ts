import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { embedCredentialInPdf } from '@tangguh/credential';
import { renderQrPng } from '@tangguh/credential/node';
import { decodeCredential } from '@tangguh/credential';
import { formatZonedDate } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { findRecordRow } from '../repositories/records.ts';
import { SUKET_FIELD_LABELS } from './suket-subject.ts';
import { findSuket, recordNotFound } from './suket.ts';

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 56;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);


/** The standard fonts speak WinAnsi only: anything else becomes '?', never an exception mid-print. */
const printable = (text: string) => text.normalize('NFC').replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');

function centred(page: PDFPage, text: string, y: number, font: PDFFont, size: number) {
  const t = printable(text);
  page.drawText(t, { x: (A4.width - font.widthOfTextAtSize(t, size)) / 2, y, size, font, color: INK });
}

/** Splits a value into lines that fit `width`, at spaces where possible. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * The printable Suket: header of the Dinas, title and serial, the photo, every field in a two-column
 * table, the validity, and the QR at the bottom right. The QR's text is also embedded in the PDF itself,
 * so an uploaded PDF verifies without rendering the page.
 */
export async function renderSuketPdf(ctx: OfficeContext, serial: string): Promise<Uint8Array> {
  const suket = await findSuket(ctx.db, serial);
  const record = await findRecordRow(ctx.db, suket.recordId);
  if (!record) throw recordNotFound();
  // The printed fields are the signed ones: what the paper says is exactly what the QR vouches for.
  const { claims } = decodeCredential(suket.qrText);

  const doc = await PDFDocument.create();
  doc.setTitle(`Surat Keterangan Pengganti KTP-el ${suket.serial}`);
  doc.setAuthor(ctx.office.name);
  // A date as Indonesians write it, in the office's zone: 24 November 2026.
  const tanggal = (iso: string) => formatZonedDate(iso, ctx.office.timeZone, 'id');
  doc.setCreator('Tangguh');
  doc.setProducer('Tangguh');
  doc.setCreationDate(new Date(suket.issuedAt));
  doc.setModificationDate(new Date(suket.issuedAt));
  const page = doc.addPage([A4.width, A4.height]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);

  const regency = ctx.regions.regency(ctx.office.regencyCode)?.name ?? ctx.office.name;
  let y = A4.height - MARGIN;
  centred(page, `PEMERINTAH ${regency.toUpperCase()}`, y, bold, 14);
  y -= 18;
  centred(page, 'DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL', y, bold, 13);
  y -= 10;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.width - MARGIN, y }, thickness: 1.5, color: INK });
  y -= 34;
  centred(page, 'SURAT KETERANGAN PENGGANTI KTP-EL', y, bold, 13);
  y -= 16;
  centred(page, `Nomor: ${suket.serial}`, y, regular, 10.5);
  y -= 28;
  const intro = `Kepala ${ctx.office.name} menerangkan bahwa penduduk di bawah ini telah melakukan perekaman KTP-el dan KTP-el-nya sedang dalam proses penerbitan, dengan data sebagai berikut:`;
  for (const line of wrap(intro, regular, 9.5, A4.width - 2 * MARGIN)) {
    page.drawText(line, { x: MARGIN, y, size: 9.5, font: regular, color: INK });
    y -= 13;
  }
  y -= 9;

  // Photo at the top right of the table, 3 × 4 as on the card.
  const photoWidth = 96;
  const photoHeight = 128;
  const photo = record.photo_mime === 'image/jpeg' ? await doc.embedJpg(record.photo) : await doc.embedPng(record.photo);
  const photoX = A4.width - MARGIN - photoWidth;
  page.drawImage(photo, { x: photoX, y: y - photoHeight, width: photoWidth, height: photoHeight });
  page.drawRectangle({ x: photoX, y: y - photoHeight, width: photoWidth, height: photoHeight, borderColor: MUTED, borderWidth: 0.75 });

  const labelX = MARGIN;
  const valueX = MARGIN + 128;
  const valueWidth = photoX - 16 - valueX;
  const size = 10;
  for (const field of SUKET_FIELD_LABELS) {
    const value = claims.sub[field.key];
    if (value === undefined) continue;
    page.drawText(printable(field.id), { x: labelX, y, size, font: regular, color: INK });
    page.drawText(':', { x: valueX - 10, y, size, font: regular, color: INK });
    for (const line of wrap(value, bold, size, valueWidth)) {
      page.drawText(line, { x: valueX, y, size, font: bold, color: INK });
      y -= 15;
    }
  }
  y -= 12;
  page.drawText(printable(`Surat keterangan ini berlaku sejak ${tanggal(suket.issuedAt)} sampai dengan ${tanggal(suket.expiresAt)}`), { x: MARGIN, y, size: 10, font: regular, color: INK });
  y -= 13;
  page.drawText('sebagai pengganti KTP-el dan tidak berlaku lagi setelah KTP-el diterbitkan.', { x: MARGIN, y, size: 10, font: regular, color: INK });
  y -= 13;
  page.drawText(printable(`Diterbitkan oleh petugas ${suket.issuedBy}; ditandatangani secara elektronik dengan kunci kantor ${suket.kid}.`), { x: MARGIN, y, size: 8.5, font: regular, color: MUTED });

  // The QR at the bottom right; 2 points per module keeps even a version-14 code near 4.5 cm.
  const qr = await doc.embedPng(await renderQrPng(suket.qrText, { scale: 4, margin: 2 }));
  const qrSize = 150;
  const qrX = A4.width - MARGIN - qrSize;
  const qrY = MARGIN + 24;
  page.drawImage(qr, { x: qrX, y: qrY, width: qrSize, height: qrSize });
  const caption = 'Pindai untuk memeriksa keaslian di /verifikasi';
  page.drawText(caption, { x: A4.width - MARGIN - regular.widthOfTextAtSize(caption, 8), y: qrY - 12, size: 8, font: regular, color: MUTED });
  page.drawText(printable(ctx.office.name), { x: MARGIN, y: qrY + qrSize - 10, size: 9, font: regular, color: INK });
  page.drawText(`Nomor: ${suket.serial}`, { x: MARGIN, y: qrY + qrSize - 24, size: 9, font: regular, color: INK });

  embedCredentialInPdf(doc, suket.qrText);
  return doc.save({ useObjectStreams: false });
}
