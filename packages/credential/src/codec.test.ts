import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, zlibSync } from 'fflate';
import * as base45pkg from 'base45';
import { decodeBase45, encodeBase45, BASE45_CHARSET } from './base45.ts';
import { fromBase64Url, toBase64Url } from './bytes.ts';
import { inflateRawStrict, unzlibStrict } from './inflate.ts';
import { packText, unpackText } from './text.ts';
import { packFields, unpackFields } from './fields.ts';
import { CredentialFormatError } from './errors.ts';

describe('Base45 (RFC 9285)', () => {
  it('matches the RFC examples', () => {
    const enc = (s: string): string => encodeBase45(new TextEncoder().encode(s));
    expect(enc('AB')).toBe('BB8');
    expect(enc('Hello!!')).toBe('%69 VD92EX0');
    expect(enc('base-45')).toBe('UJCLQE7W581');
    expect(new TextDecoder().decode(decodeBase45('QED8WEX0'))).toBe('ietf!');
  });

  it('rejects bad characters, bad lengths and out-of-range groups', () => {
    for (const bad of ['a', 'AB', 'abc', 'GGW', 'ZZ', 'BB8_', 'BB8x', '::', '\u00e9AB']) {
      expect(() => decodeBase45(bad)).toThrow(CredentialFormatError);
    }
  });

  it('round-trips any bytes and agrees with the npm base45 package', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase45(bytes);
        expect(decodeBase45(text)).toEqual(bytes);
        expect(text).toBe(String(base45pkg.encode(bytes)));
        expect(Uint8Array.from(base45pkg.decode(text))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('every accepted text re-encodes to itself (one spelling per byte string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...BASE45_CHARSET), maxLength: 60 }), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase45(text);
        } catch {
          return;
        }
        expect(encodeBase45(bytes)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('base64url', () => {
  it('round-trips and rejects padding, other alphabets and non-zero trailing bits', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    }), { numRuns: 300 });
    expect(toBase64Url(new Uint8Array([251, 255]))).toBe('-_8');
    for (const bad of ['A', 'AB==', 'A+8', 'A/8', 'AB', '-_9']) expect(() => fromBase64Url(bad)).toThrow(CredentialFormatError);
  });
});

describe('strict zlib inflate', () => {
  it('inflates what fflate deflates, at every level', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 2000 }).map((s) => new TextEncoder().encode(s.repeat(3)))), fc.integer({ min: 0, max: 9 }), (data, level) => {
        expect(inflateRawStrict(deflateSync(data, { level: level as 0 }), 1 << 20)).toEqual(data);
        expect(unzlibStrict(zlibSync(data, { level: 9 }), 1 << 20)).toEqual(data);
      }),
      { numRuns: 400 },
    );
  });

  it('rejects a wrong header, a bad checksum, trailing bytes, non-zero padding and oversized output', () => {
    const data = new TextEncoder().encode('MUHAMMAD RIZKY PRATAMA WIBOWO '.repeat(4));
    const z = zlibSync(data, { level: 9 });
    expect(unzlibStrict(z, 4096)).toEqual(data);
    const copy = (): Uint8Array => z.slice();
    const badHeader = copy();
    badHeader[1] = 0x9c;
    expect(() => unzlibStrict(badHeader, 4096)).toThrow(/header/);
    const badSum = copy();
    badSum[badSum.length - 1]! ^= 1;
    expect(() => unzlibStrict(badSum, 4096)).toThrow(/Adler/);
    const trailing = new Uint8Array([...z.slice(0, -4), 0, ...z.slice(-4)]);
    expect(() => unzlibStrict(trailing, 4096)).toThrow(CredentialFormatError);
    expect(() => unzlibStrict(z, 16)).toThrow(/too large/);
    // Set a padding bit after the final block (find one whose flip still decodes the same bytes otherwise).
    const raw = deflateSync(data, { level: 9 });
    let rejected = 0;
    for (let bit = 1; bit < 8; bit++) {
      const p = raw.slice();
      p[p.length - 1]! |= 0x80 >> (bit - 1);
      if (p[p.length - 1] === raw[raw.length - 1]) continue;
      try {
        inflateRawStrict(p, 4096);
      } catch {
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
    const bomb = zlibSync(new Uint8Array(100_000), { level: 9 });
    expect(() => unzlibStrict(bomb, 16 * 1024)).toThrow(/too large/);
  });
});

describe('packed text and fields', () => {
  it('packs any string and reads it back exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('Kebonsari', "Ma'ruf", 'McDonald', 'jl. kh. agus salim', 'É')), (s) => {
        expect(unpackText(packText(s))).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('packs any record of fields and reads it back exactly', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9]{1,20}$/), fc.constantFrom('ISLAM', 'LAKI-LAKI', '1998-07-18', '18-07-1998', '1899-12-31', '2000-02-30', '003/012', ''));
    const name = fc.oneof(fc.constantFrom('nik', 'nama', 'alamat', 'tanggal', 'nomor'), fc.string({ minLength: 1, maxLength: 12 }));
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 20 }), (fields) => {
        const packed = packFields(fields);
        const back = unpackFields(packed, 64);
        expect(back).toEqual(fields);
        expect(packFields(back)).toEqual(packed);
      }),
      { numRuns: 1000 },
    );
  });

  it('uses the compact forms', () => {
    expect(packFields({ nik: '3509125807980003' }).length).toBeLessThanOrEqual(12);
    expect(packFields({ agama: 'ISLAM', jenisKelamin: 'PEREMPUAN', kewarganegaraan: 'WNI' }).length).toBeLessThanOrEqual(8);
    expect(packFields({ tanggalLahir: '1998-07-18' }).length).toBeLessThanOrEqual(6);
    expect(packText('MUHAMMAD RIZKY PRATAMA WIBOWO').length).toBeLessThanOrEqual(18);
  });
});
