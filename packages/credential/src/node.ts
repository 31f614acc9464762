// Node-only helpers: render a credential as a QR PNG and read one back from a PNG or JPEG photo.
import QRCode from 'qrcode';
import { readQrWithinLimits } from './upload-decode.ts';

/** Error-correction level used for every credential QR (recovers ~25% damage). */
export const QR_ERROR_CORRECTION = 'Q' as const;

/** A PNG of the QR at error correction Q; scale = pixels per module (default 4), margin = quiet zone in modules (default 4). */
export async function renderQrPng(text: string, options: { scale?: number; margin?: number } = {}): Promise<Uint8Array> {
  const png = await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, scale: options.scale ?? 4, margin: options.margin ?? 4 });
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** The QR version qrcode chooses for this text at level Q (credential texts must stay ≤ 14). */
export function qrVersion(text: string): number {
  return QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
}

/** Decodes a PNG or JPEG (within the upload limits) and returns the text of the first QR jsQR finds, or null. Never throws. */
export function readQrFromImage(image: Uint8Array): string | null {
  try {
    return readQrWithinLimits(image);
  } catch {
    return null;
  }
}

export { decodeImagePixels, readQrWithinLimits, readCredentialFromUpload, uploadKind, type UploadKind, type Pixels } from './upload-decode.ts';
