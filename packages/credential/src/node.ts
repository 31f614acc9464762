// Node-only helpers: render a credential as a QR PNG and read one back from a PNG or JPEG photo.
import jsQR from 'jsqr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

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

const MAX_PIXELS = 50_000_000;

function rgba(image: Uint8Array): { data: Uint8ClampedArray; width: number; height: number } | null {
  const isPng = image.length > 8 && image[0] === 0x89 && image[1] === 0x50 && image[2] === 0x4e && image[3] === 0x47;
  const isJpeg = image.length > 3 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff;
  if (isPng) {
    const png = PNG.sync.read(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
    if (png.width * png.height > MAX_PIXELS) return null;
    return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
  }
  if (isJpeg) {
    const img = jpeg.decode(image, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height };
  }
  return null;
}

/** Decodes a PNG or JPEG and returns the text of the first QR code jsQR finds, or null. Never throws. */
export function readQrFromImage(image: Uint8Array): string | null {
  try {
    const pixels = rgba(image);
    if (!pixels) return null;
    const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
    return code ? code.data : null;
  } catch {
    return null;
  }
}
