import { DomainError, type Bilingual } from './errors.ts';

export const FINGER_POSITIONS = [
  'R_THUMB',
  'R_INDEX',
  'R_MIDDLE',
  'R_RING',
  'R_LITTLE',
  'L_THUMB',
  'L_INDEX',
  'L_MIDDLE',
  'L_RING',
  'L_LITTLE',
] as const;
export type FingerPosition = (typeof FINGER_POSITIONS)[number];

export const IRIS_POSITIONS = ['R_IRIS', 'L_IRIS'] as const;
export type IrisPosition = (typeof IRIS_POSITIONS)[number];

export type BiometricPosition = FingerPosition | IrisPosition;

/** Every position in the fixed order used by the packed form: fingers, then irises. */
export const BIOMETRIC_POSITIONS: readonly BiometricPosition[] = [...FINGER_POSITIONS, ...IRIS_POSITIONS];

export function isBiometricPosition(value: string): value is BiometricPosition {
  return (BIOMETRIC_POSITIONS as readonly string[]).includes(value);
}

export const POSITION_LABELS: Record<BiometricPosition, Bilingual> = {
  R_THUMB: { id: 'Ibu jari kanan', en: 'Right thumb' },
  R_INDEX: { id: 'Telunjuk kanan', en: 'Right index finger' },
  R_MIDDLE: { id: 'Jari tengah kanan', en: 'Right middle finger' },
  R_RING: { id: 'Jari manis kanan', en: 'Right ring finger' },
  R_LITTLE: { id: 'Kelingking kanan', en: 'Right little finger' },
  L_THUMB: { id: 'Ibu jari kiri', en: 'Left thumb' },
  L_INDEX: { id: 'Telunjuk kiri', en: 'Left index finger' },
  L_MIDDLE: { id: 'Jari tengah kiri', en: 'Left middle finger' },
  L_RING: { id: 'Jari manis kiri', en: 'Left ring finger' },
  L_LITTLE: { id: 'Kelingking kiri', en: 'Left little finger' },
  R_IRIS: { id: 'Iris mata kanan', en: 'Right iris' },
  L_IRIS: { id: 'Iris mata kiri', en: 'Left iris' },
};

/** Why a position could not be captured; recorded instead of a template. */
export const BIOMETRIC_EXCEPTIONS = ['AMPUTATED', 'BANDAGED', 'SCARRED', 'CONGENITAL', 'UNREADABLE'] as const;
export type BiometricException = (typeof BIOMETRIC_EXCEPTIONS)[number];

export const BIOMETRIC_EXCEPTION_LABELS: Record<BiometricException, Bilingual> = {
  AMPUTATED: { id: 'Diamputasi / tidak ada', en: 'Amputated / missing' },
  BANDAGED: { id: 'Diperban / terluka', en: 'Bandaged / injured' },
  SCARRED: { id: 'Bekas luka / guratan rusak', en: 'Scarred / worn ridges' },
  CONGENITAL: { id: 'Kelainan bawaan', en: 'Congenital condition' },
  UNREADABLE: { id: 'Tidak terbaca alat', en: 'Unreadable by the device' },
};

export function isBiometricException(value: string): value is BiometricException {
  return (BIOMETRIC_EXCEPTIONS as readonly string[]).includes(value);
}

/** A synthetic template is 256 bits; real ABIS templates are larger but are compared the same way here. */
export const TEMPLATE_BYTES = 32;

/** Templates by position; an absent position was not captured (an exception was recorded). */
export type BiometricSet = Partial<Record<BiometricPosition, Uint8Array>>;

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, byte) => {
  let bits = 0;
  for (let v = byte; v > 0; v >>= 1) bits += v & 1;
  return bits;
});

function corrupt(en: string): DomainError {
  return new DomainError('BIOMETRIC_CORRUPT', { id: 'Data biometrik rusak atau terpotong.', en: `Biometric data is corrupt: ${en}.` });
}

/** 1 − Hamming distance / bits: 1 for identical templates, about 0.5 for unrelated ones. */
export function templateSimilarity(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) throw corrupt(`templates of ${a.length} and ${b.length} bytes cannot be compared`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) distance += POPCOUNT[(a[i] ?? 0) ^ (b[i] ?? 0)] ?? 0;
  return 1 - distance / (a.length * 8);
}

/** Mean similarity over the positions captured in both sets. */
export function compareSets(probe: BiometricSet, candidate: BiometricSet): { score: number; compared: number } {
  let total = 0;
  let compared = 0;
  for (const position of BIOMETRIC_POSITIONS) {
    const a = probe[position];
    const b = candidate[position];
    if (!a || !b) continue;
    total += templateSimilarity(a, b);
    compared++;
  }
  return { score: compared === 0 ? 0 : total / compared, compared };
}

/** Thresholds of the 1:N search: at or above duplicateAt is a duplicate, between the two a person decides. */
export interface MatchPolicy {
  duplicateAt: number;
  adjudicateFrom: number;
}

export const DEFAULT_MATCH_POLICY: MatchPolicy = { duplicateAt: 0.8, adjudicateFrom: 0.65 };

export type MatchClass = 'DUPLICATE' | 'ADJUDICATE' | 'UNIQUE';

export function classifyScore(score: number, policy: MatchPolicy = DEFAULT_MATCH_POLICY): MatchClass {
  if (score >= policy.duplicateAt) return 'DUPLICATE';
  if (score >= policy.adjudicateFrom) return 'ADJUDICATE';
  return 'UNIQUE';
}

const HEADER_BYTES = 2;

/** Compact form for storage and transfer: a little-endian presence bitmask, then 32 bytes per present slot. */
export function packSet(set: BiometricSet): Uint8Array {
  const present = BIOMETRIC_POSITIONS.filter((position) => set[position] !== undefined);
  const out = new Uint8Array(HEADER_BYTES + present.length * TEMPLATE_BYTES);
  let mask = 0;
  let offset = HEADER_BYTES;
  BIOMETRIC_POSITIONS.forEach((position, slot) => {
    const template = set[position];
    if (!template) return;
    if (template.length !== TEMPLATE_BYTES) {
      throw new DomainError('BIOMETRIC_TEMPLATE_INVALID', {
        id: `Template ${POSITION_LABELS[position].id} harus ${TEMPLATE_BYTES} byte.`,
        en: `The ${POSITION_LABELS[position].en} template must be ${TEMPLATE_BYTES} bytes.`,
      });
    }
    mask |= 1 << slot;
    out.set(template, offset);
    offset += TEMPLATE_BYTES;
  });
  out[0] = mask & 0xff;
  out[1] = mask >> 8;
  return out;
}

export function unpackSet(bytes: Uint8Array): BiometricSet {
  if (bytes.length < HEADER_BYTES) throw corrupt('missing header');
  const mask = (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
  if (mask >> BIOMETRIC_POSITIONS.length !== 0) throw corrupt('unknown slots in the header');
  const slots = BIOMETRIC_POSITIONS.filter((_, slot) => (mask & (1 << slot)) !== 0);
  if (bytes.length !== HEADER_BYTES + slots.length * TEMPLATE_BYTES) {
    throw corrupt(`expected ${HEADER_BYTES + slots.length * TEMPLATE_BYTES} bytes, got ${bytes.length}`);
  }
  const set: BiometricSet = {};
  slots.forEach((position, index) => {
    const start = HEADER_BYTES + index * TEMPLATE_BYTES;
    // A copy, so the caller's buffer can be reused without changing the set.
    set[position] = bytes.slice(start, start + TEMPLATE_BYTES);
  });
  return set;
}
