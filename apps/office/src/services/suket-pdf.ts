import { deflateSync } from 'node:zlib';
import type * as PdfLib from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage, PDFRef } from 'pdf-lib';
import QRCode from 'qrcode';
import { embedCredentialInPdf } from '@tangguh/credential';
import { QR_ERROR_CORRECTION } from '@tangguh/credential/node';
import { decodeCredential } from '@tangguh/credential';
import { formatZonedDate } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { findRecordRow } from '../repositories/records.ts';
import { SUKET_FIELD_LABELS } from './suket-subject.ts';
import { findSuket, recordNotFound } from './suket.ts';
import { pdfLib, rgb } from './pdf-lib.ts';

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

/** Pixels per QR module and quiet-zone modules of the QR image in the PDF (as the PNG was drawn before). */
const QR_SCALE = 4;
const QR_MARGIN = 2;

/** The characters of QR's alphanumeric mode, which a credential's base45 text keeps to. */
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/;

/** The eight mask patterns of ISO/IEC 18004 (a module at row i, column j is flipped when true). */
const MASKS: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

/** Rules N1 and N3 along the rows of `m` (call it with the transposed symbol for the columns). */
function linePenalty(m: Uint8Array, size: number): number {
  let penalty = 0;
  for (let row = 0; row < size; row++) {
    const base = row * size;
    let run = 1;
    let bits = m[base]!;
    for (let col = 1; col < size; col++) {
      const v = m[base + col]!;
      if (v === m[base + col - 1]) run++;
      else {
        if (run >= 5) penalty += run - 2;
        run = 1;
      }
      // N3: 1:1:3:1:1 with four light modules on one side (10111010000 or 00001011101).
      bits = ((bits << 1) & 0x7ff) | v;
      if (col >= 10 && (bits === 0x5d0 || bits === 0x05d)) penalty += 40;
    }
    if (run >= 5) penalty += run - 2;
  }
  return penalty;
}

/** The standard's penalty of a symbol (rules N1–N4) — lower reads better. `t` is scratch for the transpose. */
function maskPenalty(m: Uint8Array, t: Uint8Array, size: number): number {
  let dark = 0;
  let blocks = 0;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const k = row * size + col;
      const v = m[k]!;
      t[col * size + row] = v;
      dark += v;
      if (row + 1 < size && col + 1 < size && v === m[k + 1] && v === m[k + size] && v === m[k + size + 1]) blocks++;
    }
  }
  return linePenalty(m, size) + linePenalty(t, size) + 3 * blocks + 10 * Math.floor(Math.abs((100 * dark) / (size * size) - 50) / 5);
}

/**
 * The credential's QR at level Q, built in a fraction of qrcode's own time: a base45 text is one alphanumeric
 * segment (what qrcode's segment search finds, without the search), and the mask is chosen by the standard's
 * penalty computed here over typed arrays instead of by qrcode's much slower evaluation of all eight. The
 * format information is left out of the penalty, so in a rare tie another mask may win; any mask decodes.
 */
function qrCode(text: string): ReturnType<typeof QRCode.create> {
  if (!QR_ALPHANUMERIC.test(text)) return QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const segments = [{ data: text, mode: 'alphanumeric' as const }];
  const first = QRCode.create(segments, { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: 0 });
  const { size, data, reservedBit } = first.modules;
  const scratch = new Uint8Array(size * size);
  const transposed = new Uint8Array(size * size);
  let best = 0;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < MASKS.length; mask++) {
    const flip = MASKS[mask]!;
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const k = row * size + col;
        // The symbol came masked with pattern 0: undo it, apply this one (function patterns are never masked).
        scratch[k] = reservedBit[k] ? data[k]! : data[k]! ^ ((row + col) % 2 === 0 ? 1 : 0) ^ (flip(row, col) ? 1 : 0);
      }
    }
    const penalty = maskPenalty(scratch, transposed, size);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      best = mask;
    }
  }
  return best === 0 ? first : QRCode.create(segments, { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: best as 0 });
}

/**
 * The QR as a greyscale image straight from the code's modules: no PNG is encoded and decoded again on the
 * way into the PDF (that round trip, with pdf-lib's JavaScript deflate, was most of a Suket's issue time).
 * The samples are deflated natively; the image is drawn unsmoothed, so the modules stay sharp on paper.
 */
function drawQr(lib: typeof PdfLib, doc: PDFDocument, page: PDFPage, text: string, at: { x: number; y: number; size: number }): void {
  const { modules } = qrCode(text);
  const count = modules.size;
  const side = (count + 2 * QR_MARGIN) * QR_SCALE;
  const samples = Buffer.alloc(side * side, 0xff);
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (!modules.get(row, col)) continue;
      const x0 = (col + QR_MARGIN) * QR_SCALE;
      for (let dy = 0; dy < QR_SCALE; dy++) samples.fill(0, ((row + QR_MARGIN) * QR_SCALE + dy) * side + x0, ((row + QR_MARGIN) * QR_SCALE + dy) * side + x0 + QR_SCALE);
    }
  }
  // Level 1: a QR's long runs compress almost as well as at the default level, in a fraction of the time.
  const image = doc.context.stream(deflateSync(samples, { level: 1 }), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: side,
    Height: side,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 8,
    Interpolate: false,
    Filter: 'FlateDecode',
  });
  drawXObject(lib, page, doc.context.register(image), { x: at.x, y: at.y, width: at.size, height: at.size });
}

function drawXObject(lib: typeof PdfLib, page: PDFPage, ref: PDFRef, at: { x: number; y: number; width: number; height: number }): void {
  const name = page.node.newXObject('Image', ref);
  page.pushOperators(lib.pushGraphicsState(), lib.translate(at.x, at.y), lib.scale(at.width, at.height), lib.drawObject(name), lib.popGraphicsState());
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * A plain PNG (8-bit grey or RGB, no alpha, no palette, not interlaced — what the capture device gives) goes
 * into the PDF as it is: its IDAT data is a zlib stream with PNG row filters, which PDF reads directly
 * (FlateDecode with predictor 15), so nothing is decoded or compressed again. Any other PNG: undefined, and
 * pdf-lib embeds it the long way.
 */
function pngAsPdfImage(doc: PDFDocument, png: Uint8Array): PDFRef | undefined {
  if (png.length < 33 || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let colours = 0;
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return undefined;
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colourType !== 0 && colourType !== 2)) return undefined;
      colours = colourType === 2 ? 3 : 1;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'tRNS') return undefined;
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!width || !height || !colours || idat.length === 0) return undefined;
  const stream = doc.context.stream(Buffer.concat(idat), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: width,
    Height: height,
    ColorSpace: colours === 3 ? 'DeviceRGB' : 'DeviceGray',
    BitsPerComponent: 8,
    Filter: 'FlateDecode',
    DecodeParms: { Predictor: 15, Colors: colours, BitsPerComponent: 8, Columns: width },
  });
  return doc.context.register(stream);
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

  const lib = await pdfLib();
  const { PDFDocument, StandardFonts } = lib;
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
  const photoX = A4.width - MARGIN - photoWidth;
  const direct = record.photo_mime === 'image/png' ? pngAsPdfImage(doc, record.photo) : undefined;
  if (direct) drawXObject(lib, page, direct, { x: photoX, y: y - photoHeight, width: photoWidth, height: photoHeight });
  else {
    const photo = record.photo_mime === 'image/jpeg' ? await doc.embedJpg(record.photo) : await doc.embedPng(record.photo);
    page.drawImage(photo, { x: photoX, y: y - photoHeight, width: photoWidth, height: photoHeight });
  }
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
  const qrSize = 150;
  const qrX = A4.width - MARGIN - qrSize;
  const qrY = MARGIN + 24;
  drawQr(lib, doc, page, suket.qrText, { x: qrX, y: qrY, size: qrSize });
  const caption = 'Pindai untuk memeriksa keaslian di /verifikasi';
  page.drawText(caption, { x: A4.width - MARGIN - regular.widthOfTextAtSize(caption, 8), y: qrY - 12, size: 8, font: regular, color: MUTED });
  page.drawText(printable(ctx.office.name), { x: MARGIN, y: qrY + qrSize - 10, size: 9, font: regular, color: INK });
  page.drawText(`Nomor: ${suket.serial}`, { x: MARGIN, y: qrY + qrSize - 24, size: 9, font: regular, color: INK });

  embedCredentialInPdf(doc, suket.qrText);
  return doc.save({ useObjectStreams: false });
}
