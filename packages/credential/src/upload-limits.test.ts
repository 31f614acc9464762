import jpeg from 'jpeg-js';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { hugeDimensionsPng, inflationBombPdf, inflationBombPng } from '../../../test/hostile-uploads.ts';
import { embedCredentialInPdf, extractCredentialFromPdf, readCredentialFromPdf } from './pdf.ts';
import { readCredentialFromUpload } from './upload-decode.ts';
import { imageBudgetRefusal, imageHeader, UploadRefusedError } from './upload-limits.ts';

function smallJpeg(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4, 0x80);
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

/** The same JPEG with its frame header claiming another size (what a hostile file would do). */
function claimingSize(image: Uint8Array, width: number, height: number): Uint8Array {
  const copy = Uint8Array.from(image);
  for (let i = 2; i + 9 < copy.length; ) {
    const marker = copy[i + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      copy.set([height >> 8, height & 0xff, width >> 8, width & 0xff], i + 5);
      return copy;
    }
    i += 2 + ((copy[i + 2]! << 8) | copy[i + 3]!);
  }
  throw new Error('no frame header');
}

async function refusalOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UploadRefusedError);
  const { refusal } = error as UploadRefusedError;
  expect(refusal.messages.id).not.toBe(refusal.messages.en);
  return refusal.code;
}

describe('upload limits', () => {
  it('reads the size a PNG or JPEG declares from its header, past the segments before a JPEG frame', () => {
    const png = new PNG({ width: 321, height: 123 });
    expect(imageHeader(Uint8Array.from(PNG.sync.write(png)))).toMatchObject({ kind: 'png', width: 321, height: 123, interlaced: false });
    expect(imageHeader(smallJpeg(40, 24))).toEqual({ kind: 'jpeg', width: 40, height: 24 });
    expect(imageHeader(new TextEncoder().encode('%PDF-1.7'))).toBeUndefined();
    expect(imageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeUndefined();
  });

  it('lets a 12 Mpx phone photo through and refuses more than 16 Mpx or a side over 8192 px', () => {
    expect(imageBudgetRefusal({ kind: 'jpeg', width: 4032, height: 3024 })).toBeUndefined();
    expect(imageBudgetRefusal({ kind: 'png', width: 4096, height: 4096 })).toBeUndefined();
    expect(imageBudgetRefusal({ kind: 'png', width: 4097, height: 4096 })?.code).toBe('IMAGE_TOO_LARGE');
    expect(imageBudgetRefusal({ kind: 'jpeg', width: 16, height: 9000 })?.code).toBe('IMAGE_TOO_LARGE');
    expect(imageBudgetRefusal({ kind: 'png', width: 7000, height: 7000 })?.messages.en).toContain('7000×7000');
  });

  it('refuses a PNG or a JPEG declaring 7000×7000 before decoding it', async () => {
    expect(await refusalOf(readCredentialFromUpload(await hugeDimensionsPng()))).toBe('IMAGE_TOO_LARGE');
    expect(await refusalOf(readCredentialFromUpload(claimingSize(smallJpeg(16, 16), 7000, 7000)))).toBe('IMAGE_TOO_LARGE');
  });

  it('stops inflating an interlaced PNG at the size its dimensions need', async () => {
    const started = performance.now();
    expect(await refusalOf(readCredentialFromUpload(await inflationBombPng()))).toBe('IMAGE_DATA_TOO_LARGE');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('refuses a PDF whose object stream inflates to 256 MiB; the browser path reads it as holding no credential', async () => {
    const bomb = await inflationBombPdf();
    expect(await refusalOf(readCredentialFromPdf(bomb))).toBe('PDF_DATA_TOO_LARGE');
    expect(await extractCredentialFromPdf(bomb)).toBeNull();
  });

  it('still reads the credential of a PDF saved with object streams, and does not decode another filter there', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    embedCredentialInPdf(doc, 'TGH1:UJI');
    const saved = await doc.save({ useObjectStreams: true });
    expect(await readCredentialFromPdf(saved)).toBe('TGH1:UJI');
    // The same file with its object stream's filter renamed: pdf-lib would decode LZW without a limit.
    const renamed = Buffer.from(saved).toString('latin1').replace('/Filter /FlateDecode', '/Filter /LZWDecode  ');
    expect(renamed).not.toBe(Buffer.from(saved).toString('latin1'));
    expect(await readCredentialFromPdf(Buffer.from(renamed, 'latin1'))).toBeNull();
  });
});
