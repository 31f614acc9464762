import QRCode from 'qrcode';
import type { PDFFont, PDFPage } from 'pdf-lib';
import { PRIORITY_REASON_NAMES, formatZoned, type PriorityReason } from '@tangguh/domain';
import type { QueueFollow } from '@tangguh/protocol';
import type { TicketRow } from '../repositories/queue.ts';
import { pdfLib, rgb } from './pdf-lib.ts';

/**
 * The kiosk's ticket for a thermal roll printer, 58 mm or 80 mm wide: office and site, the number large,
 * the service, time of issue, people ahead and the wait as a range, and a QR that opens the ticket on a
 * phone. Black only, no fills (thermal heads print black or nothing), Helvetica's WinAnsi characters only.
 */

const MM = 72 / 25.4;
const INK = rgb(0, 0, 0);

/** Keeps only what Helvetica's WinAnsi encoding can draw (an en dash is one of them). */
const winAnsi = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g, '?');

function centred(page: PDFPage, text: string, font: PDFFont, size: number, y: number, width: number) {
  const safe = winAnsi(text);
  let s = size;
  while (s > 5 && font.widthOfTextAtSize(safe, s) > width - 8) s -= 0.5;
  page.drawText(safe, { x: (width - font.widthOfTextAtSize(safe, s)) / 2, y, size: s, font, color: INK });
}

function drawQr(page: PDFPage, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) if (qr.modules.get(row, col)) page.drawRectangle({ x: x + col * cell, y: y + size - (row + 1) * cell, width: cell, height: cell, color: INK });
}

export async function ticketPdf(input: { officeName: string; ticket: TicketRow; follow: QueueFollow; followUrl: string; timeZone: string; widthMm: 58 | 80 }): Promise<Uint8Array> {
  const { ticket, follow } = input;
  const width = input.widthMm * MM;
  const height = (input.widthMm === 58 ? 118 : 128) * MM;
  const { PDFDocument, StandardFonts } = await pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle(`Nomor antrean ${ticket.number}`);
  doc.setCreator('Tangguh');
  const page = doc.addPage([width, height]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const big = input.widthMm === 58 ? 40 : 52;
  let y = height - 16;
  centred(page, input.officeName, bold, 9, y, width);
  y -= 12;
  centred(page, follow.siteName, regular, 8, y, width);
  y -= 10;
  page.drawLine({ start: { x: 6, y }, end: { x: width - 6, y }, thickness: 0.6, color: INK });
  y -= 12;
  centred(page, 'NOMOR ANTREAN / TICKET', regular, 7, y, width);
  y -= big;
  centred(page, ticket.number, bold, big, y, width);
  y -= 16;
  centred(page, `${follow.serviceName.id} / ${follow.serviceName.en}`, bold, 9, y, width);
  const lane = ticket.lane === 'priority' && ticket.priority_reason ? `Prioritas: ${PRIORITY_REASON_NAMES[ticket.priority_reason as PriorityReason].id}` : ticket.lane === 'booking' ? `Pemesanan ${ticket.window_start}–${ticket.window_end}` : undefined;
  if (lane) {
    y -= 11;
    centred(page, lane, regular, 8, y, width);
  }
  y -= 12;
  centred(page, formatZoned(ticket.issued_at, input.timeZone, 'id'), regular, 8, y, width);
  y -= 12;
  centred(page, follow.ahead === null ? '' : `Di depan Anda / ahead of you: ${follow.ahead}`, regular, 8, y, width);
  y -= 11;
  const wait = follow.wait ? `Perkiraan tunggu / wait: ${follow.wait.lowMinutes}–${follow.wait.highMinutes} menit` : 'Perkiraan tunggu: saat loket dibuka / when a counter opens';
  centred(page, wait, regular, 8, y, width);
  const qrSize = Math.min(width - 24, 34 * MM);
  y -= qrSize + 8;
  drawQr(page, input.followUrl, (width - qrSize) / 2, y, qrSize);
  y -= 10;
  centred(page, 'Pindai untuk memantau antrean / scan to follow', regular, 6.5, y, width);
  return doc.save();
}
