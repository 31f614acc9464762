// MSB-first bit streams and canonical Huffman codes for the packed text and field formats.
import { CredentialFormatError } from './errors.ts';

export class BitWriter {
  private readonly bytes: number[] = [];
  private cur = 0;
  private n = 0;

  /** Writes the low `count` bits of value, most significant first (count ≤ 24). */
  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.cur = (this.cur << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.bytes.push(this.cur);
        this.cur = 0;
        this.n = 0;
      }
    }
  }

  /** The bytes, the last one padded with zero bits. */
  finish(): Uint8Array {
    const out = this.n > 0 ? [...this.bytes, this.cur << (8 - this.n)] : this.bytes;
    return Uint8Array.from(out);
  }
}

export class BitReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  read(count: number): number {
    let v = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.pos >>> 3;
      if (byte >= this.bytes.length) throw new CredentialFormatError('packed data: unexpected end');
      v = (v << 1) | ((this.bytes[byte]! >>> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v >>> 0;
  }

  /** The rest of the last byte must be zero padding, with nothing after it. */
  finish(): void {
    const end = Math.ceil(this.pos / 8);
    if (end !== this.bytes.length) throw new CredentialFormatError('packed data: trailing bytes');
    while (this.pos < end * 8) if (this.read(1) !== 0) throw new CredentialFormatError('packed data: non-zero padding');
  }
}

const MAX_LEN = 15;

/** A canonical Huffman code (the DEFLATE assignment) built from code lengths; lengths must form a complete code. */
export class HuffmanCode {
  private readonly codes: Uint16Array;
  private readonly lengths: Uint8Array;
  private readonly count = new Uint16Array(MAX_LEN + 1);
  private readonly symbols: Uint16Array;

  constructor(lengths: ArrayLike<number>) {
    this.lengths = Uint8Array.from(lengths);
    for (const len of this.lengths) {
      if (len < 1 || len > MAX_LEN) throw new Error('Huffman: every symbol needs a code of 1 to 15 bits');
      this.count[len]!++;
    }
    let left = 1;
    for (let len = 1; len <= MAX_LEN; len++) {
      left = left * 2 - this.count[len]!;
      if (left < 0) throw new Error('Huffman: over-subscribed');
    }
    if (left !== 0) throw new Error('Huffman: incomplete');
    const next = new Uint16Array(MAX_LEN + 2);
    const offs = new Uint16Array(MAX_LEN + 2);
    let code = 0;
    for (let len = 1; len <= MAX_LEN; len++) {
      code = (code + this.count[len - 1]!) << 1;
      if (len === 1) code = 0;
      next[len] = code;
      offs[len + 1] = offs[len]! + this.count[len]!;
    }
    this.codes = new Uint16Array(this.lengths.length);
    this.symbols = new Uint16Array(this.lengths.length);
    for (let s = 0; s < this.lengths.length; s++) {
      const len = this.lengths[s]!;
      this.codes[s] = next[len]!++;
      this.symbols[offs[len]!++] = s;
    }
  }

  get size(): number {
    return this.lengths.length;
  }

  bitLength(symbol: number): number {
    return this.lengths[symbol]!;
  }

  write(w: BitWriter, symbol: number): void {
    w.write(this.codes[symbol]!, this.lengths[symbol]!);
  }

  read(r: BitReader): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_LEN; len++) {
      code |= r.read(1);
      const count = this.count[len]!;
      if (code - count < first) return this.symbols[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new CredentialFormatError('packed data: invalid code');
  }
}
