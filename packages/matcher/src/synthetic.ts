import { noisyCapture } from '@tangguh/capture';
import { BIOMETRIC_POSITIONS, type BiometricPosition, type BiometricSet } from '@tangguh/domain';

/**
 * Synthetic people for the matcher's tests and benchmarks, read as the capture device reads them: every bit
 * of a person's true template flips with the device's noise (0.04 good, 0.2 poor).
 */
export function capturedSet(subject: string, attempt: number, noise: number, missing: readonly BiometricPosition[] = []): BiometricSet {
  const set: BiometricSet = {};
  for (const position of BIOMETRIC_POSITIONS) {
    if (!missing.includes(position)) set[position] = noisyCapture(subject, position, attempt, noise).template;
  }
  return set;
}

/** The probe kinds whose recall is reported separately. */
export const PROBE_KINDS = {
  clean: { noise: 0.04, missing: [] },
  noisy: { noise: 0.1, missing: [] },
  poor: { noise: 0.2, missing: [] },
  'missing fingers': { noise: 0.04, missing: ['R_THUMB', 'R_INDEX', 'R_MIDDLE', 'L_THUMB', 'L_INDEX', 'L_MIDDLE'] },
} as const satisfies Record<string, { noise: number; missing: readonly BiometricPosition[] }>;
