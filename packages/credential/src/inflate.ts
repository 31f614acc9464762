// Strict zlib/DEFLATE decoder (RFC 1950/1951) for untrusted credential text, modelled on Mark Adler's
// puff.c. Compression uses fflate; decompression uses this instead because fflate's inflater is
// permissive in ways that let different texts decode to the same bytes (it skips the Adler-32 check,
// ignores bytes after the final block and padding bits, and does not check a stored block's NLEN).
// Here: the zlib header must be exactly 78 DA (what fflate writes at level 9, no preset dictionary),
// over-subscribed and (with puff's one exception) incomplete Huffman codes are rejected, a stored block's
// NLEN must match, the padding after the final block must be zero bits, the stream must end exactly
// before the Adler-32 trailer, the trailer must match, and the output is capped.
import { CredentialFormatError } from './errors.ts';

const MAXBITS = 15;
const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function fail(message: string): never {
  throw new CredentialFormatError(`deflate: ${message}`);
}

interface Huffman {
  count: Int16Array;
  symbol: Int16Array;
}

/** Builds a canonical Huffman decoding table; returns 0 if complete, > 0 if incomplete, < 0 if over-subscribed. */
function construct(h: Huffman, lengths: ArrayLike<number>, offset: number, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[offset + s]!]!++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left <<= 1;
    left -= h.count[len]!;
    if (left < 0) return left;
  }
  const offs = new Int16Array(MAXBITS + 1);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + h.count[len]!;
  for (let s = 0; s < n; s++) {
    const len = lengths[offset + s]!;
    if (len !== 0) h.symbol[offs[len]!++] = s;
  }
  return left;
}

function huffman(n: number): Huffman {
  return { count: new Int16Array(MAXBITS + 1), symbol: new Int16Array(n) };
}

class State {
  private pos: number;
  private bitbuf = 0;
  private bitcnt = 0;
  readonly out: Uint8Array;
  outLen = 0;

  constructor(
    private readonly data: Uint8Array,
    start: number,
    private readonly end: number,
    maxOut: number,
  ) {
    this.pos = start;
    this.out = new Uint8Array(maxOut);
  }

  bits(need: number): number {
    let val = this.bitbuf;
    while (this.bitcnt < need) {
      if (this.pos >= this.end) fail('unexpected end of data');
      val |= this.data[this.pos++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    this.bitbuf = val >>> need;
    this.bitcnt -= need;
    return val & ((1 << need) - 1);
  }

  /** Drops the bits up to the next byte boundary; they must be zero. */
  alignZero(): void {
    if (this.bitbuf !== 0) fail('non-zero padding bits');
    this.bitbuf = 0;
    this.bitcnt = 0;
  }

  atEnd(): boolean {
    return this.pos === this.end;
  }

  byte(): number {
    if (this.pos >= this.end) fail('unexpected end of data');
    return this.data[this.pos++]!;
  }

  emit(b: number): void {
    if (this.outLen >= this.out.length) fail('output too large');
    this.out[this.outLen++] = b;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    return fail('invalid Huffman code');
  }
}

function stored(s: State): void {
  s.alignZero();
  const len = s.byte() | (s.byte() << 8);
  const nlen = s.byte() | (s.byte() << 8);
  if (len !== (~nlen & 0xffff)) fail('stored block length mismatch');
  for (let i = 0; i < len; i++) s.emit(s.byte());
}

function codes(s: State, lencode: Huffman, distcode: Huffman): void {
  for (;;) {
    let symbol = s.decode(lencode);
    if (symbol < 256) {
      s.emit(symbol);
    } else if (symbol === 256) {
      return;
    } else {
      symbol -= 257;
      if (symbol >= 29) fail('invalid length symbol');
      const len = LBASE[symbol]! + s.bits(LEXT[symbol]!);
      const dsym = s.decode(distcode);
      if (dsym >= 30) fail('invalid distance symbol');
      const dist = DBASE[dsym]! + s.bits(DEXT[dsym]!);
      if (dist > s.outLen) fail('distance too far back');
      for (let i = 0; i < len; i++) s.emit(s.out[s.outLen - dist]!);
    }
  }
}

let fixedTables: { lencode: Huffman; distcode: Huffman } | undefined;
function fixed(): { lencode: Huffman; distcode: Huffman } {
  if (!fixedTables) {
    const lengths = new Uint8Array(288);
    lengths.fill(8, 0, 144);
    lengths.fill(9, 144, 256);
    lengths.fill(7, 256, 280);
    lengths.fill(8, 280, 288);
    const lencode = huffman(288);
    construct(lencode, lengths, 0, 288);
    const distcode = huffman(30);
    construct(distcode, new Uint8Array(30).fill(5), 0, 30);
    fixedTables = { lencode, distcode };
  }
  return fixedTables;
}

function dynamic(s: State): void {
  const nlen = s.bits(5) + 257;
  const ndist = s.bits(5) + 1;
  const ncode = s.bits(4) + 4;
  if (nlen > 286 || ndist > 30) fail('bad counts');
  const lengths = new Uint8Array(nlen + ndist);
  const cl = new Uint8Array(19);
  for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]!] = s.bits(3);
  const clcode = huffman(19);
  if (construct(clcode, cl, 0, 19) !== 0) fail('incomplete code-length code');
  let index = 0;
  while (index < nlen + ndist) {
    let symbol = s.decode(clcode);
    if (symbol < 16) {
      lengths[index++] = symbol;
    } else {
      let len = 0;
      if (symbol === 16) {
        if (index === 0) fail('repeat with no first length');
        len = lengths[index - 1]!;
        symbol = 3 + s.bits(2);
      } else if (symbol === 17) {
        symbol = 3 + s.bits(3);
      } else {
        symbol = 11 + s.bits(7);
      }
      if (index + symbol > nlen + ndist) fail('too many lengths');
      while (symbol--) lengths[index++] = len;
    }
  }
  if (lengths[256] === 0) fail('no end-of-block code');
  const lencode = huffman(nlen);
  let err = construct(lencode, lengths, 0, nlen);
  if (err < 0 || (err > 0 && nlen !== lencode.count[0]! + lencode.count[1]!)) fail('bad literal/length code');
  const distcode = huffman(ndist);
  err = construct(distcode, lengths, nlen, ndist);
  if (err < 0 || (err > 0 && ndist !== distcode.count[0]! + distcode.count[1]!)) fail('bad distance code');
  codes(s, lencode, distcode);
}

/** Raw DEFLATE between data[start] and data[end]; the stream must fill that range exactly. */
export function inflateRawStrict(data: Uint8Array, maxOut: number, start = 0, end = data.length): Uint8Array {
  const s = new State(data, start, end, maxOut);
  for (;;) {
    const last = s.bits(1);
    const type = s.bits(2);
    if (type === 0) stored(s);
    else if (type === 1) codes(s, fixed().lencode, fixed().distcode);
    else if (type === 2) dynamic(s);
    else fail('invalid block type');
    if (last) break;
  }
  s.alignZero();
  if (!s.atEnd()) fail('data after the final block');
  return s.out.slice(0, s.outLen);
}

export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const stop = Math.min(bytes.length, i + 3800);
    for (; i < stop; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib container with header 78 DA (deflate, 32 KiB window, level 9, no dictionary) and a verified Adler-32. */
export function unzlibStrict(data: Uint8Array, maxOut: number): Uint8Array {
  if (data.length < 7) fail('too short');
  if (data[0] !== 0x78 || data[1] !== 0xda) fail('unexpected zlib header');
  const out = inflateRawStrict(data, maxOut, 2, data.length - 4);
  const n = data.length;
  const expected = ((data[n - 4]! << 24) | (data[n - 3]! << 16) | (data[n - 2]! << 8) | data[n - 1]!) >>> 0;
  if (adler32(out) !== expected) fail('Adler-32 mismatch');
  return out;
}
