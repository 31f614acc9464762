// Node-only: the pixels of an uploaded PNG or JPEG and the credential text in an upload, within the
// limits of upload-limits.ts. Each decoder is bounded before it runs: the declared size against the pixel
// budget; an interlaced PNG's data inflated here first with zlib's maxOutputLength, because pngjs caps the
// inflate of a plain PNG at its image size but inflates an interlaced one without limit (a 1 MB file could
// ask for 1 GiB); jpeg-js with its own resolution and memory limits. Callers that must not be slowed by a
// hostile file run this in a worker with a time limit (the nodes' upload pool); the CLI runs it directly.
import { inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { readCredentialFromPdf } from './pdf.ts';
import { imageBudgetRefusal, imageHeader, MAX_IMAGE_PIXELS, UPLOAD_REFUSALS, UploadRefusedError, type ImageHeader } from './upload-limits.ts';

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Samples per pixel by PNG colour type: grey, -, RGB, palette, grey+alpha, -, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7: where each of the seven passes starts and how far it steps, across and down. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The exact number of bytes an interlaced PNG's data inflates to: per pass, rows × (filter byte + row bytes). */
function interlacedDataBytes(header: ImageHeader): number {
  const bitsPerPixel = (PNG_CHANNELS[header.colorType ?? -1] ?? 4) * (header.bitDepth ?? 16);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = header.width > x0 ? Math.ceil((header.width - x0) / dx) : 0;
    const h = header.height > y0 ? Math.ceil((header.height - y0) / dy) : 0;
    if (w > 0 && h > 0) total += h * (1 + Math.ceil((w * bitsPerPixel) / 8));
  }
  return total;
}

/** The concatenated IDAT chunks of a PNG (chunk CRCs are pngjs's to check). */
function idatData(png: Uint8Array): Buffer {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= view.length; ) {
    const length = view.readUInt32BE(at);
    const type = view.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') parts.push(view.subarray(at + 8, Math.min(view.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** Refuses an interlaced PNG whose data inflates beyond what its dimensions need, stopping zlib there. */
function checkInterlacedData(png: Uint8Array, header: ImageHeader): void {
  try {
    inflateSync(idatData(png), { maxOutputLength: interlacedDataBytes(header) + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new UploadRefusedError(UPLOAD_REFUSALS.imageDataTooLarge());
    // Damaged data: pngjs says so below.
  }
}

/** jpeg-js's own limits, the same budget: it throws past them before allocating the frame. */
const JPEG_LIMITS = { maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 256 };

/**
 * The RGBA pixels of a PNG or JPEG, or null when it is neither or cannot be decoded. Throws
 * UploadRefusedError when the image is above the pixel budget or its data is larger than its size needs.
 */
export function decodeImagePixels(image: Uint8Array): Pixels | null {
  const header = imageHeader(image);
  if (!header) return null;
  const refusal = imageBudgetRefusal(header);
  if (refusal) throw new UploadRefusedError(refusal);
  if (header.kind === 'png') {
    if (header.interlaced) checkInterlacedData(image, header);
    try {
      const png = PNG.sync.read(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
      return { data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), width: png.width, height: png.height };
    } catch {
      return null;
    }
  }
  try {
    const img = jpeg.decode(image, { useTArray: true, formatAsRGBA: true, ...JPEG_LIMITS });
    return { data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), width: img.width, height: img.height };
  } catch (error) {
    // A second, larger frame header further in the file, or a progressive image's coefficient buffers.
    if (/maxResolutionInMP|maxMemoryUsageInMB/.test((error as Error).message)) throw new UploadRefusedError(UPLOAD_REFUSALS.imageDataTooLarge());
    return null;
  }
}

/** The text of the first QR jsQR finds in the image, or null. Throws UploadRefusedError as decodeImagePixels. */
export function readQrWithinLimits(image: Uint8Array): string | null {
  const pixels = decodeImagePixels(image);
  if (!pixels) return null;
  const code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
  return code ? code.data : null;
}

export type UploadKind = 'png' | 'jpeg' | 'pdf';

/** By the leading bytes: what a browser or a file name declares cannot be trusted. */
export function uploadKind(bytes: Uint8Array): UploadKind | undefined {
  const starts = (...magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'pdf';
  return undefined;
}

/**
 * The credential text in an uploaded photo, scan or PDF; null when there is none to read (or the bytes are
 * none of the three). Throws UploadRefusedError for a file over the limits.
 */
export async function readCredentialFromUpload(bytes: Uint8Array): Promise<string | null> {
  const kind = uploadKind(bytes);
  if (kind === 'pdf') return readCredentialFromPdf(bytes);
  if (kind) return readQrWithinLimits(bytes);
  return null;
}
