/**
 * Getting the QR text out of what a clerk has: a camera frame, a phone photo, or the Suket PDF.
 * Everything runs in the browser; nothing is uploaded.
 */
import jsQR from 'jsqr';
import { CREDENTIAL_PREFIX, extractCredentialFromPdf, imageBudgetRefusal, imageHeader } from '@tangguh/credential';

export type FileReadResult =
  | { kind: 'text'; text: string }
  | { kind: 'noQrInImage' }
  | { kind: 'noQrInPdf' }
  | { kind: 'imageTooLarge' }
  | { kind: 'unreadable' };

/** Longest side tried first, then the others: phone photos are 3000–4000 px, a QR in them maybe 400. */
const IMAGE_SCALES = [1200, 800, 1800, 2600, 500];

export function isCredentialText(text: string): boolean {
  return text.startsWith(CREDENTIAL_PREFIX);
}

/** Decodes a QR from pixels; returns its text, or null when there is none (or only a foreign one). */
export function decodeQrPixels(image: ImageData, invert: 'dontInvert' | 'attemptBoth' = 'attemptBoth'): string | null {
  const code = jsQR(image.data, image.width, image.height, { inversionAttempts: invert });
  return code ? code.data : null;
}

function pixelsAt(source: CanvasImageSource, width: number, height: number, longest: number): ImageData | null {
  const scale = Math.min(1, longest / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, w, h);
  return context.getImageData(0, 0, w, h);
}

/** Tries a few scales of the image; a small QR in a big photo needs the larger ones. */
export async function decodeQrFromImage(blob: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(blob);
  try {
    const tried = new Set<number>();
    let foreign: string | null = null;
    for (const longest of IMAGE_SCALES) {
      const effective = Math.min(longest, Math.max(bitmap.width, bitmap.height));
      if (tried.has(effective)) continue;
      tried.add(effective);
      const pixels = pixelsAt(bitmap, bitmap.width, bitmap.height, effective);
      if (!pixels) return null;
      const text = decodeQrPixels(pixels);
      if (text && isCredentialText(text)) return text;
      foreign ??= text;
      // Give the page a chance to paint the "reading…" state between the heavier attempts.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return foreign;
  } finally {
    bitmap.close();
  }
}

async function isPdf(file: File): Promise<boolean> {
  if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) return true;
  const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
  return String.fromCharCode(...head) === '%PDF-';
}

/** Reads an uploaded image or PDF into the credential text (or why not). */
export async function readCredentialFromFile(file: File): Promise<FileReadResult> {
  if (await isPdf(file)) {
    try {
      const text = await extractCredentialFromPdf(new Uint8Array(await file.arrayBuffer()));
      return text ? { kind: 'text', text } : { kind: 'noQrInPdf' };
    } catch {
      return { kind: 'unreadable' };
    }
  }
  // The server's pixel budget, from the header alone: a 48 KB file can declare 7000×7000 pixels, which
  // the browser would decode in full (196 MB) before the canvas scales it down.
  const header = imageHeader(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  if (header && imageBudgetRefusal(header)) return { kind: 'imageTooLarge' };
  let text: string | null;
  try {
    text = await decodeQrFromImage(file);
  } catch {
    return { kind: 'unreadable' };
  }
  // A foreign QR is handed on: the verifier then says plainly that it is not a Tangguh document.
  return text ? { kind: 'text', text } : { kind: 'noQrInImage' };
}
