import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { cborDecode, cborEncode, Tag } from './cbor.ts';
import { coseToText, decodeEnvelope, encodeClaimsPayload, DOCUMENT_TYPES } from './credential.ts';
import { encodeSign1, sign1 } from './cose.ts';
import {
  CREDENTIAL_PREFIX,
  CredentialFormatError,
  decodeCredential,
  encodeCredential,
  generateSigningKey,
  keyId,
  signingKeyFromPrivate,
  type CredentialClaims,
} from './index.ts';
import { qrVersion } from './node.ts';
import { fullSuket, kartuKeluarga } from './test-support.ts';

const key = generateSigningKey();

/** A synthetic 32×40 grey face (oval, eyes, mouth) as a JPEG from jpeg-js: the smallest "photo" pure JS makes easily. */
function tinyFaceJpeg(quality: number): Uint8Array {
  const width = 32;
  const height = 40;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inFace = ((x - 16) / 12) ** 2 + ((y - 20) / 16) ** 2 < 1;
      const eye = (Math.abs(x - 11) < 2 || Math.abs(x - 21) < 2) && Math.abs(y - 16) < 2;
      const mouth = Math.abs(y - 28) < 1 && Math.abs(x - 16) < 5;
      const v = !inFace ? 235 : eye || mouth ? 40 : 170 + ((x * 7 + y * 3) % 20);
      data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return Uint8Array.from(jpeg.encode({ data, width, height }, quality).data);
}

describe('keys', () => {
  it('keyId is 11 base64url characters; signingKeyFromPrivate rebuilds the key', () => {
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(keyId(key.publicKey)).toBe(key.kid);
    expect(signingKeyFromPrivate(key.privateKey)).toEqual(key);
    expect(() => signingKeyFromPrivate(new Uint8Array(31))).toThrow(TypeError);
  });
});

describe('encodeCredential / decodeCredential', () => {
  it('round-trips a full Suket and a document; verifyWith checks the signature', () => {
    for (const claims of [fullSuket(), kartuKeluarga(), fullSuket({ typ: 'SURAT_LAIN', sub: { catatan: 'bebas; apa saja — ✓', nik: '0012' }, exp: undefined })]) {
      if (claims.exp === undefined) delete claims.exp;
      const text = encodeCredential(claims, key);
      expect(text.startsWith(CREDENTIAL_PREFIX)).toBe(true);
      expect(text).toMatch(/^TGH1:[0-9A-Z $%*+\-./:]+$/);
      const decoded = decodeCredential(text);
      expect(decoded.claims).toEqual(claims);
      expect(decoded.kid).toBe(key.kid);
      expect(decoded.alg).toBe(-8);
      expect(decoded.verifyWith(key.publicKey)).toBe(true);
      expect(decoded.verifyWith(generateSigningKey().publicKey)).toBe(false);
      expect(decoded.verifyWith(new Uint8Array(3))).toBe(false);
    }
  });

  it('is deterministic (Ed25519 signatures are) and the claims map uses the documented keys', () => {
    const text = encodeCredential(fullSuket(), key);
    expect(encodeCredential(fullSuket(), key)).toBe(text);
    const env = decodeEnvelope(text);
    expect(cborDecode(env.protectedBytes)).toEqual(new Map<number, unknown>([[1, -8], [4, env.kid]]));
    const map = cborDecode(env.payload) as Map<number, unknown>;
    expect([...map.keys()]).toEqual([1, 4, 6, 7, -70001, -70002]);
    expect(map.get(1)).toBe('3509');
    expect(map.get(-70001)).toBe(DOCUMENT_TYPES.indexOf('SUKET'));
  });

  it('FULL SUKET FITS QR VERSION 14 AT LEVEL Q (measured with qrcode)', () => {
    const text = encodeCredential(fullSuket(), key);
    const version = qrVersion(text);
    console.info(`full Suket: ${text.length} characters, QR version ${version} at level Q`);
    expect(version).toBeLessThanOrEqual(14);
    // Longer but still realistic values also fit.
    const longer = fullSuket({
      sub: {
        ...fullSuket().sub,
        nama: 'RADEN AJENG SITI NURHALIZAH KUSUMAWARDHANI',
        alamat: 'PERUMAHAN GRIYA MANGLI INDAH BLOK C-12 NO. 7',
        kelDesa: 'Tegal Gede',
        kecamatan: 'SUMBERSARI',
        tempatLahir: 'BANYUWANGI',
        pekerjaan: 'WIRASWASTA',
      },
    });
    const longText = encodeCredential(longer, key);
    console.info(`longer Suket: ${longText.length} characters, QR version ${qrVersion(longText)} at level Q`);
    expect(qrVersion(longText)).toBeLessThanOrEqual(14);
    // With province and blood type, and the date as printed on the card (DD-MM-YYYY).
    const withProvince = fullSuket({ sub: { ...fullSuket().sub, provinsi: 'JAWA TIMUR', golonganDarah: 'O', tanggalLahir: '18-07-1998' } });
    const provinceText = encodeCredential(withProvince, key);
    console.info(`Suket with province and blood type: ${provinceText.length} characters, QR version ${qrVersion(provinceText)} at level Q`);
    expect(qrVersion(provinceText)).toBeLessThanOrEqual(14);
    expect(decodeCredential(provinceText).claims).toEqual(withProvince);
  });

  it('the face-image variant does not fit version 14 (measured, so img stays unused for the Suket)', () => {
    for (const quality of [10, 30]) {
      const img = tinyFaceJpeg(quality);
      const text = encodeCredential(fullSuket({ img }), key);
      console.info(`with a 32x40 JPEG face (quality ${quality}, ${img.length} bytes): ${text.length} characters, QR version ${qrVersion(text)} at level Q`);
      expect(qrVersion(text)).toBeGreaterThan(14);
      expect(decodeCredential(text).claims.img).toEqual(img);
    }
    // Even 20 bytes of (incompressible) image push a full Suket past version 14.
    const text = encodeCredential(fullSuket({ img: Uint8Array.from({ length: 20 }, (_, i) => (i * 151 + 7) % 256) }), key);
    expect(qrVersion(text)).toBeGreaterThan(14);
  });

  it('refuses claims it cannot encode', () => {
    const bad: Partial<CredentialClaims>[] = [
      { typ: '' },
      { ser: 'x'.repeat(65) },
      { iat: 1.5 },
      { iat: -1 },
      { exp: 2 ** 32 },
      { img: new Uint8Array(0) },
      { sub: { nama: 'x'.repeat(257) } },
      { sub: { '': 'x' } },
    ];
    for (const change of bad) expect(() => encodeCredential({ ...fullSuket(), ...change }, key)).toThrow(TypeError);
    expect(() => encodeCredential(fullSuket(), { ...key, kid: 'AAAAAAAAAAA' })).toThrow(/kid/);
  });

  it('decodeCredential throws CredentialFormatError on malformed input', () => {
    const text = encodeCredential(fullSuket(), key);
    for (const bad of ['', 'TGH1:', 'TGH2:' + text.slice(5), text.toLowerCase(), text.slice(0, 200), `${text} `, 'x'.repeat(5000)]) {
      expect(() => decodeCredential(bad)).toThrow(CredentialFormatError);
    }
  });

  it('rejects structurally valid but non-canonical encodings', () => {
    const text = encodeCredential(fullSuket(), key);
    const env = decodeEnvelope(text);
    const claims = cborDecode(env.payload) as Map<number, unknown>;
    // typ as text instead of its dictionary index, an extra claim, keys out of order, an untagged COSE array:
    const typAsText = new Map(claims).set(-70001, 'SUKET');
    const extra = new Map(claims).set(8, 1);
    const reordered = new Map([...claims.entries()].reverse());
    for (const payload of [typAsText, extra, reordered].map((m) => cborEncode(m))) {
      expect(() => decodeCredential(coseToText(encodeSign1(env.protectedBytes, payload, env.signature)))).toThrow(CredentialFormatError);
    }
    const untagged = cborEncode([env.protectedBytes, new Map(), env.payload, env.signature]);
    expect(() => decodeCredential(coseToText(untagged))).toThrow(/tag 18/);
    const wrongTag = cborEncode(new Tag([env.protectedBytes, new Map(), env.payload, env.signature], 98));
    expect(() => decodeCredential(coseToText(wrongTag))).toThrow(CredentialFormatError);
    // Non-minimal integer header for the iat claim (0x1b 8-byte form): same value, different bytes.
    const payload = encodeClaimsPayload(fullSuket());
    const i = payload.indexOf(0x1a);
    const widened = new Uint8Array([...payload.slice(0, i), 0x1b, 0, 0, 0, 0, ...payload.slice(i + 1)]);
    expect(() => decodeCredential(coseToText(sign1(widened, key)))).toThrow(CredentialFormatError);
  });
});
