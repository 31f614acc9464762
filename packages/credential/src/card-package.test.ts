import { describe, expect, it } from 'vitest';
import { CARD_FIELD_NAMES, CardPackageError, decodeCardChip, encodeCardChip, openCardPackage, signCardPackage, verifyCardChip, type CardFields, type CardPackageContent } from './card-package.ts';
import { cborDecode, cborEncode } from './cbor.ts';
import { toBase64Url } from './bytes.ts';
import { generateSigningKey, type SigningKey } from './keys.ts';
import type { TrustList, TrustedKey } from './lists.ts';

const NOW = 1_795_000_000;
const fields = Object.fromEntries(CARD_FIELD_NAMES.map((name) => [name, `nilai ${name}`])) as CardFields;

function content(overrides: Partial<CardPackageContent> = {}): CardPackageContent {
  return {
    packageId: 'F-rec-1',
    kind: 'FIRST',
    recordId: 'rec-1',
    officeId: '3509',
    issuedAt: NOW,
    fields: { ...fields, nik: '3509014101900001', berlakuHingga: 'SEUMUR HIDUP' },
    photo: { mime: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 1, 2, 3]) },
    signature: { mime: 'image/png', data: new Uint8Array([0x89, 0x50, 4, 5]) },
    fingerprints: [
      { position: 'R_INDEX', template: new Uint8Array(32).fill(7) },
      { position: 'L_INDEX', template: new Uint8Array(32).fill(9) },
    ],
    ...overrides,
  };
}

function listed(key: SigningKey, purpose: TrustedKey['purpose'], extra: Partial<TrustedKey> = {}): TrustList {
  return {
    issuer: 'PUSAT-DUKCAPIL',
    issuedAt: NOW,
    sequence: 1,
    keys: [{ kid: key.kid, officeId: 'PUSAT', officeName: 'Pusat', purpose, publicKey: toBase64Url(key.publicKey), notBefore: NOW - 100, notAfter: NOW + 100, ...extra }],
  };
}

const code = (run: () => unknown): string => {
  try {
    run();
    return 'ACCEPTED';
  } catch (error) {
    return error instanceof CardPackageError ? error.code : `other: ${(error as Error).message}`;
  }
};

/** Re-encodes a package after changing its decoded top-level map (the SOD and data groups as bytes). */
function rewritten(bytes: Uint8Array, change: (top: Map<unknown, unknown>) => void): Uint8Array {
  const top = cborDecode(bytes) as Map<unknown, unknown>;
  change(top);
  return cborEncode(top);
}

describe('card print packages (ICAO-style data groups and a signed security object)', () => {
  const key = generateSigningKey();
  const trust = listed(key, 'CARD');

  it('opens what it signed: the fields, photo, signature image and exactly two fingerprints, with the CARD key that signed', () => {
    const opened = openCardPackage(signCardPackage(content(), key), trust);
    expect(opened.fields.nik).toBe('3509014101900001');
    expect(opened.fields.berlakuHingga).toBe('SEUMUR HIDUP');
    expect(opened.photo).toEqual({ mime: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 1, 2, 3]) });
    expect(opened.fingerprints.map((f) => f.position)).toEqual(['R_INDEX', 'L_INDEX']);
    expect(opened.signer.kid).toBe(key.kid);
    expect([...opened.chip.dataGroups.keys()]).toEqual([1, 2, 3, 7]);
  });

  it('encodes deterministically: the same content gives the same bytes', () => {
    expect(signCardPackage(content(), key)).toEqual(signCardPackage(content(), key));
  });

  it('refuses to sign a chip with other than two fingerprints', () => {
    expect(() => signCardPackage(content({ fingerprints: content().fingerprints.slice(0, 1) }), key)).toThrow(/exactly 2/);
  });

  it('refuses a data group swapped for another, a group removed, or a group added', () => {
    const bytes = signCardPackage(content(), key);
    const other = signCardPackage(content({ fields: { ...content().fields, nama: 'ORANG LAIN' } }), key);
    const otherGroups = (cborDecode(other) as Map<unknown, unknown>).get('dg') as Map<number, Uint8Array>;
    expect(code(() => openCardPackage(rewritten(bytes, (top) => (top.get('dg') as Map<number, Uint8Array>).set(1, otherGroups.get(1)!)), trust))).toBe('HASH_MISMATCH');
    expect(code(() => openCardPackage(rewritten(bytes, (top) => (top.get('dg') as Map<number, Uint8Array>).delete(3)), trust))).toBe('MALFORMED');
    expect(code(() => openCardPackage(rewritten(bytes, (top) => (top.get('dg') as Map<number, Uint8Array>).set(4, new Uint8Array([1]))), trust))).toBe('MALFORMED');
  });

  it('refuses a package signed by a key the trust list does not certify for CARD, signed outside its validity, or after its revocation', () => {
    const bytes = signCardPackage(content(), key);
    expect(code(() => openCardPackage(bytes, listed(key, 'SUKET')))).toBe('KEY_NOT_TRUSTED');
    expect(code(() => openCardPackage(bytes, listed(generateSigningKey(), 'CARD')))).toBe('KEY_NOT_TRUSTED');
    expect(code(() => openCardPackage(bytes, listed(key, 'CARD', { notAfter: NOW - 1 })))).toBe('KEY_NOT_TRUSTED');
    expect(code(() => openCardPackage(bytes, listed(key, 'CARD', { revokedAt: NOW - 1 })))).toBe('KEY_NOT_TRUSTED');
    // Revoked later than it signed: what it signed before stays good, as with a passport's document signer.
    expect(code(() => openCardPackage(bytes, listed(key, 'CARD', { revokedAt: NOW + 1 })))).toBe('ACCEPTED');
  });

  it('refuses a security object whose signature is not the card key’s, and bytes that are not a package', () => {
    const bytes = signCardPackage(content(), key);
    const sod = (cborDecode(bytes) as Map<unknown, unknown>).get('sod') as Uint8Array;
    const flipped = Uint8Array.from(sod);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x80;
    expect(code(() => openCardPackage(rewritten(bytes, (top) => top.set('sod', flipped)), trust))).toBe('SIGNATURE_INVALID');
    expect(code(() => openCardPackage(new Uint8Array([1, 2, 3]), trust))).toBe('MALFORMED');
    expect(code(() => openCardPackage(cborEncode(new Map([['v', 2]])), trust))).toBe('MALFORMED');
  });

  it('verifies a chip written from a package and read back: the signer, the record, every group; an altered, missing or extra group is refused', () => {
    const opened = openCardPackage(signCardPackage(content(), key), trust);
    const readBack = decodeCardChip(encodeCardChip(opened.chip));
    const facts = verifyCardChip(readBack, trust);
    expect(facts).toMatchObject({ packageId: 'F-rec-1', recordId: 'rec-1', officeId: '3509', kind: 'FIRST', issuedAt: NOW });
    expect(facts.signer.kid).toBe(key.kid);

    const altered = new Map(readBack.dataGroups);
    const dg1 = Uint8Array.from(altered.get(1)!);
    dg1[dg1.length - 1] = dg1[dg1.length - 1]! ^ 0x01;
    altered.set(1, dg1);
    expect(code(() => verifyCardChip({ ...readBack, dataGroups: altered }, trust))).toBe('HASH_MISMATCH');
    const missing = new Map(readBack.dataGroups);
    missing.delete(7);
    expect(code(() => verifyCardChip({ ...readBack, dataGroups: missing }, trust))).toBe('MALFORMED');
    expect(code(() => verifyCardChip({ ...readBack, dataGroups: new Map([...readBack.dataGroups, [4, new Uint8Array([1])]]) }, trust))).toBe('MALFORMED');
    expect(code(() => verifyCardChip(readBack, listed(generateSigningKey(), 'CARD')))).toBe('KEY_NOT_TRUSTED');
    expect(code(() => decodeCardChip(new Uint8Array([0xa0])))).toBe('MALFORMED');
  });
});
