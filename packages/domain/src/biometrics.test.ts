import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BIOMETRIC_POSITIONS,
  BIOMETRIC_EXCEPTIONS,
  BIOMETRIC_EXCEPTION_LABELS,
  classifyScore,
  compareSets,
  DEFAULT_MATCH_POLICY,
  FINGER_POSITIONS,
  IRIS_POSITIONS,
  packSet,
  POSITION_LABELS,
  TEMPLATE_BYTES,
  templateSimilarity,
  unpackSet,
  type BiometricSet,
} from './biometrics.ts';
import { DomainError } from './errors.ts';
import { thrown } from './test-support.ts';

const filled = (byte: number): Uint8Array => new Uint8Array(TEMPLATE_BYTES).fill(byte);

describe('positions and labels', () => {
  it('lists ten fingers then two irises, each with labels in both languages', () => {
    expect(FINGER_POSITIONS).toHaveLength(10);
    expect(IRIS_POSITIONS).toEqual(['R_IRIS', 'L_IRIS']);
    expect(BIOMETRIC_POSITIONS.slice(10)).toEqual(['R_IRIS', 'L_IRIS']);
    expect(POSITION_LABELS.R_THUMB).toEqual({ id: 'Ibu jari kanan', en: 'Right thumb' });
    for (const position of BIOMETRIC_POSITIONS) expect(POSITION_LABELS[position].id.length).toBeGreaterThan(0);
    for (const exception of BIOMETRIC_EXCEPTIONS) expect(BIOMETRIC_EXCEPTION_LABELS[exception].en.length).toBeGreaterThan(0);
  });
});

describe('templateSimilarity', () => {
  it('is 1 for identical, 0 for complementary, and counts single bits', () => {
    expect(templateSimilarity(filled(0xa5), filled(0xa5))).toBe(1);
    expect(templateSimilarity(filled(0x00), filled(0xff))).toBe(0);
    expect(templateSimilarity(filled(0x0f), filled(0x00))).toBe(0.5);
    const oneBitOff = filled(0);
    oneBitOff[31] = 0x80;
    expect(templateSimilarity(filled(0), oneBitOff)).toBe(1 - 1 / 256);
  });

  it('stays within [0, 1] and is symmetric (property)', () => {
    const template = fc.uint8Array({ minLength: TEMPLATE_BYTES, maxLength: TEMPLATE_BYTES });
    fc.assert(
      fc.property(template, template, (a, b) => {
        const similarity = templateSimilarity(a, b);
        expect(similarity).toBeGreaterThanOrEqual(0);
        expect(similarity).toBeLessThanOrEqual(1);
        expect(templateSimilarity(b, a)).toBe(similarity);
      }),
    );
  });

  it('refuses templates of different lengths', () => {
    expect(thrown(() => templateSimilarity(filled(0), new Uint8Array(16))).code).toBe('BIOMETRIC_CORRUPT');
  });
});

describe('compareSets and classifyScore', () => {
  it('averages over positions present in both sets only', () => {
    const probe: BiometricSet = { R_THUMB: filled(0), R_INDEX: filled(0), L_IRIS: filled(0) };
    const candidate: BiometricSet = { R_THUMB: filled(0), R_INDEX: filled(0x0f), R_IRIS: filled(0) };
    expect(compareSets(probe, candidate)).toEqual({ score: 0.75, compared: 2 });
  });

  it('scores 0 with nothing compared when the sets share no position', () => {
    expect(compareSets({ R_THUMB: filled(0) }, { L_THUMB: filled(0) })).toEqual({ score: 0, compared: 0 });
    expect(compareSets({}, {})).toEqual({ score: 0, compared: 0 });
  });

  it('classifies at the policy thresholds, inclusive', () => {
    expect(classifyScore(0.8, DEFAULT_MATCH_POLICY)).toBe('DUPLICATE');
    expect(classifyScore(0.7999)).toBe('ADJUDICATE');
    expect(classifyScore(0.65)).toBe('ADJUDICATE');
    expect(classifyScore(0.6499)).toBe('UNIQUE');
    expect(classifyScore(0.9, { duplicateAt: 0.95, adjudicateFrom: 0.9 })).toBe('ADJUDICATE');
  });
});

describe('packSet / unpackSet', () => {
  it('writes a little-endian presence mask and 32 bytes per present slot', () => {
    const packed = packSet({ R_THUMB: filled(1), L_IRIS: filled(2) });
    expect(packed).toHaveLength(2 + 2 * TEMPLATE_BYTES);
    expect([packed[0], packed[1]]).toEqual([0x01, 0x08]);
    expect(packed[2]).toBe(1);
    expect(packed[2 + TEMPLATE_BYTES]).toBe(2);
    expect(packSet({})).toEqual(new Uint8Array([0, 0]));
  });

  it('round-trips any set (property)', () => {
    const template = fc.uint8Array({ minLength: TEMPLATE_BYTES, maxLength: TEMPLATE_BYTES });
    const set = fc.dictionary(fc.constantFrom(...BIOMETRIC_POSITIONS), template) as fc.Arbitrary<BiometricSet>;
    fc.assert(
      fc.property(set, (original) => {
        const unpacked = unpackSet(packSet(original));
        expect(Object.keys(unpacked).sort()).toEqual(Object.keys(original).sort());
        for (const position of BIOMETRIC_POSITIONS) expect(unpacked[position]).toEqual(original[position]);
      }),
    );
  });

  it('rejects corrupt input', () => {
    expect(thrown(() => unpackSet(new Uint8Array([1]))).code).toBe('BIOMETRIC_CORRUPT');
    expect(thrown(() => unpackSet(new Uint8Array([1, 0]))).code).toBe('BIOMETRIC_CORRUPT');
    expect(thrown(() => unpackSet(new Uint8Array([0, 0x10]))).code).toBe('BIOMETRIC_CORRUPT');
    const truncated = packSet({ R_THUMB: filled(1) }).subarray(0, 20);
    expect(thrown(() => unpackSet(truncated)).code).toBe('BIOMETRIC_CORRUPT');
    expect(thrown(() => packSet({ R_THUMB: new Uint8Array(31) })).code).toBe('BIOMETRIC_TEMPLATE_INVALID');
  });

  it('throws nothing but DomainError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2 + 12 * TEMPLATE_BYTES + 4 }), (bytes) => {
        try {
          const set = unpackSet(bytes);
          expect(packSet(set)).toEqual(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('BIOMETRIC_CORRUPT');
        }
      }),
    );
  });

  it('copies templates out of the packed buffer', () => {
    const packed = packSet({ R_THUMB: filled(7) });
    const set = unpackSet(packed);
    packed.fill(0);
    expect(set.R_THUMB).toEqual(filled(7));
  });
});
