/**
 * The binary body of POST /sync/push: CBOR (RFC 8949), the same fields as the JSON body with the photo,
 * signature and sealed templates as byte strings (see `pushBatchSchema`). Both ends are written here, for the
 * plain subset the push needs — unsigned and negative integers, floats, text and byte strings, arrays, maps
 * with text keys, true/false/null — and nothing else: no tags, no indefinite lengths, no undefined.
 *
 * The decoder reads what a stranger may send (after the signature's headers are checked, but before the body is
 * known to match them), so it is bounded: the nesting depth, the number of items, and every declared length
 * against the bytes actually left (a declared million-item array in a ten-byte body is refused before anything
 * is allocated); a map key `__proto__` and a repeated key are refused; and the item must span the whole input.
 */

export const CBOR_CONTENT_TYPE = 'application/cbor';

/** A body that is not CBOR of the accepted subset, or breaks a limit; `message` says what, in English. */
export class CborError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborError';
  }
}

export interface CborLimits {
  /** Deepest nesting of arrays and maps (the top level is depth 1). */
  maxDepth: number;
  /** Most items in all (every array element, map key and map value, and the top item, count one each). */
  maxItems: number;
}

/** A push: a map holding an array of up to 1,000 entries, each a few maps deep with a few dozen fields. */
export const PUSH_CBOR_LIMITS: CborLimits = { maxDepth: 8, maxItems: 200_000 };

/* ---- encoding ---- */

class Writer {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  head(major: number, n: number): void {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.buf.writeUInt16BE(n, this.pos);
      this.pos += 2;
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.buf.writeUInt32BE(Math.floor(n / 0x100000000), this.pos);
      this.buf.writeUInt32BE(n >>> 0, this.pos + 4);
      this.pos += 8;
    }
  }
}

function encodeInto(w: Writer, value: unknown): void {
  if (value === null || value === undefined) {
    // As JSON.stringify writes undefined in an array: null. (Undefined object properties are left out below.)
    w.ensure(1);
    w.buf[w.pos++] = 0xf6;
  } else if (typeof value === 'boolean') {
    w.ensure(1);
    w.buf[w.pos++] = value ? 0xf5 : 0xf4;
  } else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) {
      if (value >= 0) w.head(0, value);
      else w.head(1, -1 - value);
    } else {
      if (!Number.isFinite(value)) throw new CborError('a number that is not finite cannot be sent');
      w.ensure(9);
      w.buf[w.pos++] = 0xfb;
      w.buf.writeDoubleBE(value, w.pos);
      w.pos += 8;
    }
  } else if (typeof value === 'string') {
    const length = Buffer.byteLength(value, 'utf8');
    w.head(3, length);
    w.ensure(length);
    w.pos += w.buf.write(value, w.pos, length, 'utf8');
  } else if (value instanceof Uint8Array) {
    w.head(2, value.byteLength);
    w.ensure(value.byteLength);
    w.buf.set(value, w.pos);
    w.pos += value.byteLength;
  } else if (Array.isArray(value)) {
    w.head(4, value.length);
    for (const item of value) encodeInto(w, item);
  } else if (typeof value === 'object') {
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    w.head(5, keys.length);
    for (const key of keys) {
      encodeInto(w, key);
      encodeInto(w, (value as Record<string, unknown>)[key]);
    }
  } else {
    throw new CborError(`a ${typeof value} cannot be sent`);
  }
}

/** Encodes a JSON-like value, with Uint8Arrays as byte strings and definite lengths throughout. */
export function encodeCbor(value: unknown, sizeHint = 64 * 1024): Buffer {
  const w = new Writer(sizeHint);
  encodeInto(w, value);
  return w.buf.subarray(0, w.pos);
}

/* ---- decoding ---- */

class Reader {
  pos = 0;
  items = 0;
  readonly text: Buffer;
  constructor(
    readonly bytes: Uint8Array,
    readonly limits: CborLimits,
  ) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  left(): number {
    return this.bytes.byteLength - this.pos;
  }
  /** The argument of a head whose first byte was `first`: a length or an integer value. */
  argument(first: number): number {
    const info = first & 0x1f;
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new CborError(info === 31 ? 'indefinite lengths are not accepted' : 'reserved additional information');
    if (this.left() < size) throw new CborError('the body ends inside an item');
    const at = this.pos;
    this.pos += size;
    if (size === 1) return this.text[at]!;
    if (size === 2) return this.text.readUInt16BE(at);
    if (size === 4) return this.text.readUInt32BE(at);
    const high = this.text.readUInt32BE(at);
    if (high > 0x1fffff) throw new CborError('an integer or length beyond 2^53');
    return high * 0x100000000 + this.text.readUInt32BE(at + 4);
  }
  count(n: number): void {
    this.items += n;
    if (this.items > this.limits.maxItems) throw new CborError(`more than ${this.limits.maxItems} items`);
  }
  item(depth: number): unknown {
    if (this.left() < 1) throw new CborError('the body ends where an item was expected');
    const first = this.bytes[this.pos++]!;
    const major = first >> 5;
    switch (major) {
      case 0:
        return this.argument(first);
      case 1:
        return -1 - this.argument(first);
      case 2: {
        const length = this.argument(first);
        if (length > this.left()) throw new CborError('a byte string longer than the body');
        const start = this.pos;
        this.pos += length;
        return this.bytes.subarray(start, this.pos);
      }
      case 3: {
        const length = this.argument(first);
        if (length > this.left()) throw new CborError('a text string longer than the body');
        const start = this.pos;
        this.pos += length;
        return this.text.toString('utf8', start, this.pos);
      }
      case 4: {
        if (depth >= this.limits.maxDepth) throw new CborError(`nested deeper than ${this.limits.maxDepth}`);
        const n = this.argument(first);
        // Every item takes at least one byte: a longer declared count is a lie, refused before allocating.
        if (n > this.left()) throw new CborError('an array longer than the body');
        this.count(n);
        const array = new Array<unknown>(n);
        for (let i = 0; i < n; i++) array[i] = this.item(depth + 1);
        return array;
      }
      case 5: {
        if (depth >= this.limits.maxDepth) throw new CborError(`nested deeper than ${this.limits.maxDepth}`);
        const n = this.argument(first);
        if (n * 2 > this.left()) throw new CborError('a map longer than the body');
        this.count(n * 2);
        const map: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.item(depth + 1);
          if (typeof key !== 'string') throw new CborError('a map key that is not text');
          if (key === '__proto__') throw new CborError('a map key __proto__');
          if (Object.prototype.hasOwnProperty.call(map, key)) throw new CborError(`a repeated map key ${JSON.stringify(key.slice(0, 40))}`);
          map[key] = this.item(depth + 1);
        }
        return map;
      }
      case 6:
        throw new CborError('tags are not accepted');
      default:
        return this.simple(first);
    }
  }
  simple(first: number): unknown {
    const info = first & 0x1f;
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22) return null;
    const size = info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new CborError(info === 31 ? 'a break outside an indefinite item' : 'a simple value other than true, false or null');
    if (this.left() < size) throw new CborError('the body ends inside a number');
    const at = this.pos;
    this.pos += size;
    if (size === 4) return this.text.readFloatBE(at);
    if (size === 8) return this.text.readDoubleBE(at);
    // Half precision (RFC 8949 appendix D).
    const half = this.text.readUInt16BE(at);
    const exponent = (half >> 10) & 0x1f;
    const mantissa = half & 0x3ff;
    const magnitude = exponent === 0 ? mantissa * 2 ** -24 : exponent !== 31 ? (mantissa + 1024) * 2 ** (exponent - 25) : mantissa === 0 ? Infinity : NaN;
    return half & 0x8000 ? -magnitude : magnitude;
  }
}

/**
 * Decodes one CBOR item that must span all of `bytes`, within `limits`. Byte strings come back as views of
 * `bytes` (no copy); maps as plain objects. Anything else, or anything past a limit, is a CborError.
 */
export function decodeCbor(bytes: Uint8Array, limits: CborLimits = PUSH_CBOR_LIMITS): unknown {
  const reader = new Reader(bytes, limits);
  reader.count(1);
  const value = reader.item(0);
  if (reader.left() !== 0) throw new CborError('bytes after the item');
  return value;
}
