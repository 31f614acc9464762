// The three uploads a security review used to stall the office, built in the test so nothing large is
// committed: a small PNG declaring 7000×7000 pixels, an interlaced PNG whose data inflates to 1 GiB, and a
// PDF whose object stream inflates to 256 MiB. Each deflate stream is made by zlib (see deflateRepeated),
// holding megabytes, not the gigabyte it unpacks to.
import { constants, createDeflate, crc32 } from 'node:zlib';

const MiB = 1024 * 1024;

/** Adler-32 of `prefix` followed by `count` bytes of `fill`, without holding them (RFC 1950's sums, extended in closed form). */
function adler32Of(prefix: Buffer, fill: number, count: number): number {
  const M = 65521n;
  let a = 1n;
  let b = 0n;
  for (const byte of prefix) {
    a = (a + BigInt(byte)) % M;
    b = (b + a) % M;
  }
  const n = BigInt(count);
  const f = BigInt(fill);
  const b2 = (b + n * a + (f * n * (n + 1n)) / 2n) % M;
  const a2 = (a + n * f) % M;
  return Number((b2 << 16n) | a2);
}

/**
 * zlib-deflates `prefix` then `count` bytes of `fill` in well under a second: once the window is full of
 * `fill`, each further MiB compresses (after a sync flush) to the very same bytes, so that block is
 * repeated rather than recomputed, and the Adler-32 trailer is written for the whole.
 */
export async function deflateRepeated(count: number, fill = 0, prefix = Buffer.alloc(0)): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  let pending: Buffer[] = [];
  deflate.on('data', (c: Buffer) => pending.push(c));
  const take = () => {
    const out = Buffer.concat(pending);
    pending = [];
    return out;
  };
  const flushed = async (data: Buffer) => {
    deflate.write(data);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    return take();
  };
  const block = Buffer.alloc(MiB, fill);
  const whole = Math.floor(count / MiB);
  const out: Buffer[] = [];
  if (whole >= 1) out.push(await flushed(Buffer.concat([prefix, block])));
  else deflate.write(prefix);
  if (whole >= 2) {
    const steady = await flushed(block);
    for (let i = 1; i < whole; i++) out.push(steady);
  }
  const ended = new Promise<void>((resolve, reject) => {
    deflate.once('end', resolve);
    deflate.once('error', reject);
  });
  deflate.end(block.subarray(0, count % MiB));
  deflate.resume();
  await ended;
  const tail = take();
  tail.writeUInt32BE(adler32Of(prefix, fill, count), tail.length - 4);
  out.push(tail);
  return Buffer.concat(out);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG with this header (8-bit greyscale) and these already-deflated data. */
export function pngWith(width: number, height: number, idat: Buffer, interlaced = false): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[12] = interlaced ? 1 : 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** 7000×7000 greyscale, every row filter 0 and black: 49 MB of pixels in ~48 KB. */
export async function hugeDimensionsPng(): Promise<Buffer> {
  return pngWith(7000, 7000, await deflateRepeated(7000 * 7001));
}

/** An interlaced 1000×1000 greyscale PNG (needs ~1 MB) whose data inflates to 1 GiB. */
export async function inflationBombPng(): Promise<Buffer> {
  return pngWith(1000, 1000, await deflateRepeated(1024 * MiB), true);
}

/** A one-page PDF whose object stream (holding the document information) inflates to 256 MiB. */
export async function inflationBombPdf(): Promise<Buffer> {
  // The object stream holds object 4 (the information dictionary) followed by 256 MiB of spaces.
  const header = '4 0 ';
  const object = '<< /Subject (TGH1:NOT-A-REAL-CREDENTIAL) >>';
  const head = Buffer.from(header + object, 'latin1');
  const stream = await deflateRepeated(256 * MiB, 0x20, head);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  add('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  offsets[1] = length;
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  offsets[2] = length;
  add('2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  offsets[3] = length;
  add(`3 0 obj\n<< /Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`);
  add(stream);
  add('\nendstream\nendobj\n');
  const xref = length;
  add(`xref\n0 4\n0000000000 65535 f \n${[1, 2, 3].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n \n`).join('')}`);
  add(`trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
