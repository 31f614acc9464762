import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeCredential, verifyCredential } from './index.ts';
import { qrVersion, readQrFromImage, renderQrPng } from './node.ts';
import { NOW, fullSuket, kartuKeluarga, world } from './test-support.ts';

const w = world();
const lists = { trust: w.trust, revocations: w.revocations, now: NOW };
const text = encodeCredential(fullSuket(), w.suketKey);

/** Decode the PNG and re-encode it as a JPEG, as a phone photo or a messaging app would. */
function asJpeg(png: Uint8Array, quality: number): Uint8Array {
  const img = PNG.sync.read(Buffer.from(png));
  return Uint8Array.from(jpeg.encode({ data: img.data, width: img.width, height: img.height }, quality).data);
}

/** Blur with a 3×3 box and darken, a crude stand-in for a slightly soft photo in poor light. */
function softened(png: Uint8Array): Uint8Array {
  const img = PNG.sync.read(Buffer.from(png));
  const out = new PNG({ width: img.width, height: img.height });
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= img.height || xx >= img.width) continue;
          sum += img.data[(yy * img.width + xx) * 4]!;
          n++;
        }
      }
      const v = Math.round((sum / n) * 0.7 + 20);
      out.data.set([v, v, v, 255], (y * img.width + x) * 4);
    }
  }
  return Uint8Array.from(PNG.sync.write(out));
}

describe('QR round trip through real images', () => {
  it('PNG (default scale) → jsQR → VALID', async () => {
    const png = await renderQrPng(text);
    expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const read = readQrFromImage(png);
    expect(read).toBe(text);
    expect(verifyCredential(read!, lists).verdict).toBe('VALID');
  });

  it('PNG at 3 px per module with a 2-module margin', async () => {
    const png = await renderQrPng(text, { scale: 3, margin: 2 });
    const size = PNG.sync.read(Buffer.from(png)).width;
    expect(size).toBe((17 + 4 * qrVersion(text) + 4) * 3);
    const read = readQrFromImage(png);
    expect(read).toBe(text);
    expect(verifyCredential(read!, lists).verdict).toBe('VALID');
  });

  it('JPEG re-encode at quality 60 (phone-photo-like), at 3 and 4 px per module', async () => {
    for (const scale of [3, 4]) {
      const photo = asJpeg(await renderQrPng(text, { scale }), 60);
      expect([...photo.slice(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const read = readQrFromImage(photo);
      expect(read).toBe(text);
      expect(verifyCredential(read!, lists).verdict).toBe('VALID');
    }
  });

  it('a blurred, darker image still reads', async () => {
    const read = readQrFromImage(softened(await renderQrPng(text, { scale: 4 })));
    expect(read).toBe(text);
  });

  it('a TTE document QR reads back too', async () => {
    const doc = encodeCredential(kartuKeluarga(), w.tteKey);
    expect(readQrFromImage(await renderQrPng(doc, { scale: 3 }))).toBe(doc);
  });

  it('returns null for images without a QR and for non-images', async () => {
    const blank = new PNG({ width: 50, height: 50 });
    blank.data.fill(255);
    expect(readQrFromImage(Uint8Array.from(PNG.sync.write(blank)))).toBeNull();
    expect(readQrFromImage(new TextEncoder().encode('not an image'))).toBeNull();
    expect(readQrFromImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0]))).toBeNull();
    expect(readQrFromImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]))).toBeNull();
  });
});
