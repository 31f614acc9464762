import type { PDFDocument, PDFFont, PDFImage, PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { DomainError } from '@tangguh/domain';
import type { OpenedCardPackage } from '@tangguh/credential';
import { fitText, printable, type FittedText } from './card-text.ts';
import type { CardIssue, RenderCard } from './types.ts';
import { pdfLib, rgb } from '../services/pdf-lib.ts';

/** ID-1 (ISO/IEC 7810) in PDF points: 85.60 × 53.98 mm. */
const mm = (v: number) => (v * 72) / 25.4;
export const ID1 = { width: mm(85.6), height: mm(53.98) } as const;

const INK = rgb(0.05, 0.05, 0.1);
const EDGE = 6;
const PHOTO = { x: 182, width: 53, height: 66 } as const;
/** Where the left column's values start and how wide they may run: up to the photo, never under it. */
const LABEL_X = EDGE + 1;
const COLON_X = 59;
const VALUE_X = 62;
const VALUE_WIDTH = PHOTO.x - 5 - VALUE_X;
/** Below this a value is no longer legible on a card; a field that needs less is refused, not printed. */
const MIN_SIZE = 3.5;

/** The QR and machine-readable line on the back: the NIK and the blank it was printed on, nothing more. */
export const cardBackCode = (nik: string, blankSerial: number) => `KTP-EL:1:${nik}:${blankSerial}`;

const tooLong = (field: string) =>
  new DomainError('CARD_TEXT_TOO_LONG', { id: `Isian ${field} terlalu panjang untuk dicetak pada kartu.`, en: `The ${field} field is too long to print on the card.` }, 'invalid');
const badImage = (what: string) =>
  new DomainError('CARD_IMAGE_INVALID', { id: `Gambar ${what} di paket cetak tidak dapat dibaca.`, en: `The ${what} image in the print package cannot be read.` }, 'invalid');
const badIssue = (detail: string) =>
  new DomainError('CARD_ISSUE_INVALID', { id: `Data penerbitan kartu tidak sah: ${detail}.`, en: `The card's issue data is not valid: ${detail}.` }, 'invalid');

const dmy = (iso: string) => iso.split('-').reverse().join('-');

/** The image by its leading bytes, not by the mime it claims: pdf-lib embeds PNG and JPEG. */
async function embedImage(doc: PDFDocument, data: Uint8Array, what: string): Promise<PDFImage> {
  try {
    if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return await doc.embedPng(data);
    if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return await doc.embedJpg(data);
  } catch {
    // falls through to the refusal: a damaged image is a misprint waiting to happen
  }
  throw badImage(what);
}

/** Draws an image as large as fits the box, keeping its proportions, centred. */
function drawFitted(page: PDFPage, image: PDFImage, box: { x: number; y: number; width: number; height: number }) {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  page.drawImage(image, { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height });
}

function centred(page: PDFPage, text: string, font: PDFFont, box: { x: number; width: number; y: number; size: number; minSize?: number }, field: string) {
  const fitted = fitText(printable(text), font, { size: box.size, minSize: box.minSize ?? MIN_SIZE, width: box.width, maxLines: 1 });
  if (!fitted) throw tooLong(field);
  const line = fitted.lines[0]!;
  page.drawText(line, { x: box.x + (box.width - font.widthOfTextAtSize(line, fitted.size)) / 2, y: box.y, size: fitted.size, font, color: INK });
}

interface Row {
  label: string;
  value: string;
  field: string;
  maxLines: number;
  /** Indented under Alamat, as on the card. */
  indent?: boolean;
  /** Jenis Kelamin shares its row with Gol. Darah. */
  beside?: { label: string; value: string };
}

const rowsOf = (f: OpenedCardPackage['fields']): Row[] => [
  { label: 'Nama', value: f.nama, field: 'Nama', maxLines: 2 },
  { label: 'Tempat/Tgl Lahir', value: `${f.tempatLahir}, ${f.tanggalLahir}`, field: 'Tempat/Tgl Lahir', maxLines: 2 },
  { label: 'Jenis Kelamin', value: f.jenisKelamin, field: 'Jenis Kelamin', maxLines: 1, beside: { label: 'Gol. Darah', value: f.golonganDarah } },
  { label: 'Alamat', value: f.alamat, field: 'Alamat', maxLines: 3 },
  { label: 'RT/RW', value: f.rtRw, field: 'RT/RW', maxLines: 1, indent: true },
  { label: 'Kel/Desa', value: f.kelurahanDesa, field: 'Kel/Desa', maxLines: 2, indent: true },
  { label: 'Kecamatan', value: f.kecamatan, field: 'Kecamatan', maxLines: 2, indent: true },
  { label: 'Agama', value: f.agama, field: 'Agama', maxLines: 1 },
  { label: 'Status Perkawinan', value: f.statusPerkawinan, field: 'Status Perkawinan', maxLines: 1 },
  { label: 'Pekerjaan', value: f.pekerjaan, field: 'Pekerjaan', maxLines: 2 },
  { label: 'Kewarganegaraan', value: f.kewarganegaraan, field: 'Kewarganegaraan', maxLines: 1 },
  { label: 'Berlaku Hingga', value: f.berlakuHingga, field: 'Berlaku Hingga', maxLines: 1 },
];

const lineHeight = (size: number) => size * 1.18;
/** Jenis Kelamin's value stops where Gol. Darah begins. */
const BESIDE_X = VALUE_X + 52;

interface Laid {
  row: Row;
  fitted: FittedText;
  height: number;
}

/**
 * The left column at the largest common size at which every row fits between `top` and `bottom`: each
 * value may shrink a little or wrap (a long name, a long address), and if the column is still too tall
 * every row steps down together, so the card stays even.
 */
function layRows(rows: Row[], font: PDFFont, top: number, bottom: number): { laid: Laid[]; size: number; gap: number } {
  for (let size = 6; size >= MIN_SIZE; size -= 0.25) {
    const gap = size * 0.42;
    const laid: Laid[] = [];
    for (const row of rows) {
      const width = row.beside ? BESIDE_X - VALUE_X - 3 : VALUE_WIDTH;
      const fitted = fitText(printable(row.value), font, { size, minSize: Math.max(MIN_SIZE, size * 0.8), width, maxLines: row.maxLines });
      if (!fitted) break;
      laid.push({ row, fitted, height: Math.max(lineHeight(size), fitted.lines.length * lineHeight(fitted.size)) });
    }
    const total = laid.reduce((sum, l) => sum + l.height + gap, -gap);
    if (laid.length === rows.length && total <= top - bottom) return { laid, size, gap };
  }
  // Name the field that cannot fit even alone at the floor size.
  const culprit = rows.find((row) => !fitText(printable(row.value), font, { size: MIN_SIZE, minSize: MIN_SIZE, width: VALUE_WIDTH, maxLines: row.maxLines }));
  throw tooLong(culprit?.field ?? 'Alamat');
}

function drawFront(page: PDFPage, pkg: OpenedCardPackage, fonts: { regular: PDFFont; bold: PDFFont }, images: { photo: PDFImage; signature: PDFImage }) {
  const { regular, bold } = fonts;
  const f = pkg.fields;
  const H = ID1.height;
  centred(page, f.provinsi, bold, { x: EDGE, width: ID1.width - 2 * EDGE, y: H - 12, size: 7.5 }, 'Provinsi');
  centred(page, f.kabupatenKota, bold, { x: EDGE, width: ID1.width - 2 * EDGE, y: H - 20.5, size: 7.5 }, 'Kabupaten/Kota');

  const nikY = H - 32;
  page.drawText('NIK', { x: LABEL_X, y: nikY, size: 8, font: bold, color: INK });
  page.drawText(':', { x: COLON_X - 6, y: nikY, size: 8, font: bold, color: INK });
  const nik = fitText(printable(f.nik), bold, { size: 9, minSize: MIN_SIZE, width: PHOTO.x - 4 - (COLON_X - 2), maxLines: 1 });
  if (!nik) throw tooLong('NIK');
  page.drawText(nik.lines[0]!, { x: COLON_X - 2, y: nikY, size: nik.size, font: bold, color: INK });

  const { laid, size, gap } = layRows(rowsOf(f), regular, nikY - 5, EDGE);
  let top = nikY - 5;
  for (const { row, fitted, height } of laid) {
    const baseline = top - lineHeight(size) + size * 0.2;
    page.drawText(row.label, { x: LABEL_X + (row.indent ? 4 : 0), y: baseline, size, font: regular, color: INK });
    page.drawText(':', { x: COLON_X, y: baseline, size, font: regular, color: INK });
    fitted.lines.forEach((line, i) => {
      page.drawText(line, { x: VALUE_X, y: baseline - i * lineHeight(fitted.size), size: fitted.size, font: regular, color: INK });
    });
    if (row.beside) {
      page.drawText(`${row.beside.label}`, { x: BESIDE_X, y: baseline, size, font: regular, color: INK });
      const labelEnd = BESIDE_X + regular.widthOfTextAtSize(row.beside.label, size);
      page.drawText(':', { x: labelEnd + 2, y: baseline, size, font: regular, color: INK });
      const blood = fitText(printable(row.beside.value), regular, { size, minSize: MIN_SIZE, width: PHOTO.x - 5 - (labelEnd + 6), maxLines: 1 });
      if (!blood) throw tooLong('Gol. Darah');
      page.drawText(blood.lines[0]!, { x: labelEnd + 6, y: baseline, size: blood.size, font: regular, color: INK });
    }
    top -= height + gap;
  }

  // Photo, then the place and date of issue, then the holder's signature, as on the card.
  const photoTop = H - 26;
  drawFitted(page, images.photo, { x: PHOTO.x, y: photoTop - PHOTO.height, width: PHOTO.width, height: PHOTO.height });
  const column = { x: PHOTO.x - 3, width: PHOTO.width + 6 };
  centred(page, f.tempatTerbit, regular, { ...column, y: photoTop - PHOTO.height - 8, size: 5.5 }, 'Tempat Terbit');
  centred(page, f.tanggalTerbit, regular, { ...column, y: photoTop - PHOTO.height - 14.5, size: 5.5 }, 'Tanggal Terbit');
  drawFitted(page, images.signature, { x: PHOTO.x, y: EDGE, width: PHOTO.width, height: photoTop - PHOTO.height - 17.5 - EDGE });
}

/** A QR drawn as vector squares: sharp at any printer resolution, no raster to embed. */
function drawQr(page: PDFPage, text: string, box: { x: number; y: number; size: number }) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = box.size / (n + 2 * quiet);
  page.drawRectangle({ x: box.x, y: box.y, width: box.size, height: box.size, color: rgb(1, 1, 1) });
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!qr.modules.get(row, col)) continue;
      page.drawRectangle({ x: box.x + (col + quiet) * cell, y: box.y + box.size - (row + quiet + 1) * cell, width: cell, height: cell, color: INK });
    }
  }
}

/**
 * The back. DOMAIN.md is silent about it, so it carries what a print room and a verifier need: the blank's
 * serial (the card can be matched to the stock ledger), a QR and a machine-readable line with the NIK and
 * that serial, and the issuing office's line with where and when the card was printed.
 */
function drawBack(page: PDFPage, pkg: OpenedCardPackage, issue: CardIssue, fonts: { regular: PDFFont; bold: PDFFont; mono: PDFFont }) {
  const { regular, bold, mono } = fonts;
  const H = ID1.height;
  const full = { x: EDGE, width: ID1.width - 2 * EDGE };
  centred(page, 'REPUBLIK INDONESIA', bold, { ...full, y: H - 13, size: 7.5 }, 'Judul');
  centred(page, 'KARTU TANDA PENDUDUK ELEKTRONIK', bold, { ...full, y: H - 21.5, size: 6.5 }, 'Judul');

  const code = cardBackCode(pkg.fields.nik, issue.blankSerial);
  const qrSize = 66;
  drawQr(page, code, { x: EDGE + 2, y: 30, size: qrSize });

  const x = EDGE + qrSize + 10;
  const width = ID1.width - EDGE - x;
  const lines: [string, PDFFont, number][] = [
    ['NIK', regular, 5.5],
    [pkg.fields.nik, bold, 7.5],
    ['No. Blangko / Blank No.', regular, 5.5],
    [String(issue.blankSerial), bold, 7.5],
    ['Diterbitkan oleh / Issued by', regular, 5.5],
    ['DINAS KEPENDUDUKAN DAN', bold, 5.5],
    ['PENCATATAN SIPIL', bold, 5.5],
    [issue.place, bold, 6.5],
    [`Dicetak / Printed ${dmy(issue.date)}`, regular, 5.5],
  ];
  let y = H - 36;
  for (const [text, font, size] of lines) {
    const fitted = fitText(printable(text), font, { size, minSize: MIN_SIZE, width, maxLines: 1 });
    if (!fitted) throw tooLong('Tempat cetak');
    page.drawText(fitted.lines[0]!, { x, y, size: fitted.size, font, color: INK });
    y -= size + 3;
  }
  centred(page, code, mono, { ...full, y: EDGE + 6, size: 7 }, 'Kode');
}

function checkIssue(issue: CardIssue) {
  if (!Number.isSafeInteger(issue.blankSerial) || issue.blankSerial < 0) throw badIssue('blank serial');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issue.date)) throw badIssue('date (YYYY-MM-DD)');
  if (printable(issue.place).length === 0) throw badIssue('place');
}

/**
 * Both sides of the KTP-el at ID-1 size from the opened print package alone: every field on the front is
 * read from the package's DG1, the photo from DG2 and the signature from DG7 — the groups the chip is
 * written from — so the face and the chip cannot disagree; the place and date of issue on the front are
 * the package's too. `issue` adds only what the package cannot know: the blank it is printed on, and where
 * and when it was printed (on the back). The PDF is deterministic: the same package and issue give the same bytes.
 */
export const renderCard: RenderCard = async (pkg, issue) => {
  checkIssue(issue);
  const { PDFDocument, StandardFonts } = await pdfLib();
  const doc = await PDFDocument.create();
  // The title shows in viewers and spoolers: the blank, never the resident's name.
  doc.setTitle(`KTP-el blangko ${issue.blankSerial}`);
  doc.setCreator('Tangguh');
  doc.setProducer('Tangguh');
  const at = new Date(`${issue.date}T00:00:00Z`);
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
  const images = { photo: await embedImage(doc, pkg.photo.data, 'foto / photo'), signature: await embedImage(doc, pkg.signature.data, 'tanda tangan / signature') };
  drawFront(doc.addPage([ID1.width, ID1.height]), pkg, fonts, images);
  drawBack(doc.addPage([ID1.width, ID1.height]), pkg, issue, fonts);
  return doc.save();
};
