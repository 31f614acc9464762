import { createHash } from 'node:crypto';
import { TEMPLATE_BYTES, type BiometricPosition } from '@tangguh/domain';
import { randomFromKey } from './random.ts';

/** The subject's "true" template at one position: what a perfect sensor would read every time. */
export function baseTemplate(subjectKey: string, position: BiometricPosition): Uint8Array {
  const digest = createHash('sha256').update(`${subjectKey}|${position}`).digest();
  return Uint8Array.from(digest.subarray(0, TEMPLATE_BYTES));
}

export interface NoisyCapture {
  template: Uint8Array;
  flippedBits: number;
}

/**
 * One reading of a position: every bit flips independently with probability `noise`. The noise level
 * is part of the seed so that two devices of different quality read independently; otherwise a
 * noisy reading would contain every flip of a clean one and look more alike than real sensors do.
 */
export function noisyCapture(subjectKey: string, position: BiometricPosition, attempt: number, noise: number): NoisyCapture {
  const template = baseTemplate(subjectKey, position);
  const random = randomFromKey(`noise|${subjectKey}|${position}|${attempt}|${noise}`);
  let flippedBits = 0;
  for (let byte = 0; byte < template.length; byte++) {
    let mask = 0;
    for (let bit = 0; bit < 8; bit++) {
      if (random.next() < noise) {
        mask |= 1 << bit;
        flippedBits++;
      }
    }
    template[byte] = (template[byte] ?? 0) ^ mask;
  }
  return { template, flippedBits };
}

/** NFIQ-like 0..100 score: a clean reading scores 100, one with a quarter of its bits wrong scores 0. */
export function captureQuality(flippedBits: number): number {
  const bits = TEMPLATE_BYTES * 8;
  return Math.max(0, Math.min(100, Math.round(100 - (400 * flippedBits) / bits)));
}
