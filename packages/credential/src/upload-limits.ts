// Limits on what a verifier will decode from an uploaded photo or PDF, and the header reading that lets
// it refuse before decoding. A 48 KB PNG can declare 7000×7000 pixels (196 MB once decoded), so the size
// is read from the PNG IHDR or the JPEG SOF segment first; both are a few bytes at known places, which is
// why this is written here rather than asking a decoder for a header-only pass (pngjs has none). Runs in
// Node and the browser (no node: modules).
import type { Bilingual } from './verify.ts';

/** A phone photo of a QR is at most ~12 Mpx (4032×3024); 4096×4096 leaves room and stays under 64 MB of RGBA. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;
/** A long side beyond this is not a photo of a QR (a 16 Mpx budget could otherwise be 16 px × 1 Mpx). */
export const MAX_IMAGE_SIDE = 8192;
/** What all of a PDF's object and xref streams may inflate to while its metadata is read (they hold no page content; a Tangguh PDF needs a few KB). */
export const MAX_PDF_DECODED_BYTES = 8 * 1024 * 1024;

/** Why an upload was refused without (or while) decoding it, as an HTTP answer and a CLI message. */
export interface UploadRefusal {
  status: 422 | 503;
  code: string;
  messages: Bilingual;
}

export class UploadRefusedError extends Error {
  constructor(readonly refusal: UploadRefusal) {
    super(refusal.messages.en);
    this.name = 'UploadRefusedError';
  }
}

export const UPLOAD_REFUSALS = {
  imageTooLarge: (width: number, height: number): UploadRefusal => ({
    status: 422,
    code: 'IMAGE_TOO_LARGE',
    messages: {
      id: `Gambar ${width}×${height} piksel terlalu besar untuk dibaca (paling besar ${MAX_IMAGE_PIXELS / 1_048_576} Mpx, sisi terpanjang ${MAX_IMAGE_SIDE} px). Foto ulang QR saja, atau perkecil gambarnya.`,
      en: `The ${width}×${height} pixel image is too large to read (at most ${MAX_IMAGE_PIXELS / 1_048_576} Mpx, longest side ${MAX_IMAGE_SIDE} px). Photograph just the QR, or scale the picture down.`,
    },
  }),
  imageDataTooLarge: (): UploadRefusal => ({
    status: 422,
    code: 'IMAGE_DATA_TOO_LARGE',
    messages: {
      id: 'Data gambar ini jauh lebih besar daripada ukuran gambarnya; berkas ini tidak dibaca. Unggah foto PNG atau JPEG biasa.',
      en: 'This image holds far more data than its size needs; the file was not read. Upload an ordinary PNG or JPEG photo.',
    },
  }),
  pdfTooLarge: (): UploadRefusal => ({
    status: 422,
    code: 'PDF_DATA_TOO_LARGE',
    messages: {
      id: `Isi PDF ini terlalu besar bila dibuka (lebih dari ${MAX_PDF_DECODED_BYTES / 1_048_576} MB); berkas ini tidak dibaca. Unggah PDF dokumen Tangguh aslinya.`,
      en: `This PDF's contents are too large once unpacked (over ${MAX_PDF_DECODED_BYTES / 1_048_576} MB); the file was not read. Upload the original Tangguh document PDF.`,
    },
  }),
  tooSlow: (seconds: number): UploadRefusal => ({
    status: 422,
    code: 'UPLOAD_TOO_SLOW',
    messages: {
      id: `Berkas ini tidak selesai dibaca dalam ${seconds} detik dan dihentikan. Unggah foto QR yang lebih kecil atau PDF aslinya.`,
      en: `This file could not be read within ${seconds} seconds and was stopped. Upload a smaller photo of the QR or the original PDF.`,
    },
  }),
  busy: (): UploadRefusal => ({
    status: 503,
    code: 'VERIFIER_BUSY',
    messages: {
      id: 'Terlalu banyak berkas sedang dibaca. Coba lagi sebentar lagi, atau kirim teks QR-nya.',
      en: 'Too many files are being read right now. Try again shortly, or send the QR text instead.',
    },
  }),
};

export interface ImageHeader {
  kind: 'png' | 'jpeg';
  width: number;
  height: number;
  /** PNG only: Adam7 interlacing, whose data size pngjs does not cap. */
  interlaced?: boolean;
  /** PNG only: bits per sample and colour type, to know how many bytes the pixels inflate to. */
  bitDepth?: number;
  colorType?: number;
}

const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

function pngHeader(bytes: Uint8Array): ImageHeader | undefined {
  // Signature (8), then the IHDR chunk: length 13, "IHDR", width, height, depth, colour, method, filter, interlace.
  if (bytes.length < 33 || u32(bytes, 8) !== 13 || u32(bytes, 12) !== 0x49484452) return undefined;
  return { kind: 'png', width: u32(bytes, 16), height: u32(bytes, 20), bitDepth: bytes[24]!, colorType: bytes[25]!, interlaced: bytes[28] === 1 };
}

/** Start-of-frame markers (baseline, extended, progressive, lossless, arithmetic); C4, C8 and CC are not frames. */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegHeader(bytes: Uint8Array): ImageHeader | undefined {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2; // markers without a length
      continue;
    }
    // Scan data before any frame header: not a JPEG we can size, so not one we decode.
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = u16(bytes, i + 2);
    if (isSof(marker)) {
      if (i + 9 > bytes.length) return undefined;
      return { kind: 'jpeg', height: u16(bytes, i + 5), width: u16(bytes, i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

/** The size an image declares, from its first bytes; undefined when it is not a PNG or JPEG we can size. */
export function imageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return pngHeader(bytes);
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes);
  return undefined;
}

/** The refusal for an image above the pixel budget, or undefined when it may be decoded. */
export function imageBudgetRefusal(header: ImageHeader): UploadRefusal | undefined {
  const { width, height } = header;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) return UPLOAD_REFUSALS.imageTooLarge(width, height);
  return undefined;
}
