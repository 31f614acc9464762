import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { BIOMETRIC_POSITIONS, classifyScore, compareSets, TEMPLATE_BYTES, type BiometricSet } from '@tangguh/domain';
import { SyntheticCaptureDevice, type CaptureResult } from './device.ts';

const toSet = (result: CaptureResult): BiometricSet => Object.fromEntries(result.biometrics.map((b) => [b.position, b.template]));
const SUBJECTS = Array.from({ length: 20 }, (_, i) => `subject-${i}`);

describe('SyntheticCaptureDevice', () => {
  const device = new SyntheticCaptureDevice();

  it('captures all twelve positions as 32-byte templates with a quality score', async () => {
    const result = await device.capture({ subjectKey: 'ani' });
    expect(result.biometrics.map((b) => b.position)).toEqual(BIOMETRIC_POSITIONS);
    for (const { template, quality } of result.biometrics) {
      expect(template).toHaveLength(TEMPLATE_BYTES);
      expect(quality).toBeGreaterThanOrEqual(0);
      expect(quality).toBeLessThanOrEqual(100);
    }
  });

  it('is repeatable: the same request gives the same bytes, a retry differs', async () => {
    const first = await device.capture({ subjectKey: 'ani', attempt: 2 });
    const again = await new SyntheticCaptureDevice().capture({ subjectKey: 'ani', attempt: 2 });
    expect(again).toEqual(first);
    const retry = await device.capture({ subjectKey: 'ani', attempt: 3 });
    expect(retry.biometrics[0]?.template).not.toEqual(first.biometrics[0]?.template);
    expect(retry.photo.bytes).toEqual(first.photo.bytes);
  });

  it('scores the same person as a duplicate and different people as unique', async () => {
    for (const subjectKey of SUBJECTS) {
      const a = toSet(await device.capture({ subjectKey }));
      const b = toSet(await device.capture({ subjectKey, attempt: 1 }));
      const other = toSet(await device.capture({ subjectKey: `${subjectKey}-other` }));
      const same = compareSets(a, b);
      expect(same.compared).toBe(12);
      expect(same.score).toBeGreaterThan(0.85);
      expect(classifyScore(same.score)).toBe('DUPLICATE');
      expect(compareSets(a, other).score).toBeLessThan(0.6);
      expect(classifyScore(compareSets(a, other).score)).toBe('UNIQUE');
    }
  });

  it('puts a noisy (0.2) capture of the same person in the adjudication band', async () => {
    const noisy = new SyntheticCaptureDevice({ noise: 0.2 });
    for (const subjectKey of SUBJECTS) {
      const clean = toSet(await device.capture({ subjectKey }));
      const poor = await noisy.capture({ subjectKey });
      const { score } = compareSets(clean, toSet(poor));
      expect(score).toBeGreaterThan(0.65);
      expect(score).toBeLessThan(0.8);
      expect(classifyScore(score)).toBe('ADJUDICATE');
      const meanQuality = poor.biometrics.reduce((sum, b) => sum + b.quality, 0) / poor.biometrics.length;
      expect(meanQuality).toBeLessThan(50);
    }
  });

  it('refuses a noise level outside 0..0.5', () => {
    expect(() => new SyntheticCaptureDevice({ noise: 0.7 })).toThrow(RangeError);
    expect(() => new SyntheticCaptureDevice({ noise: Number.NaN })).toThrow(RangeError);
  });

  it('draws a small PNG photo and signature that decode, per subject', async () => {
    const a = await device.capture({ subjectKey: 'ani' });
    const b = await device.capture({ subjectKey: 'budi' });
    const photo = PNG.sync.read(Buffer.from(a.photo.bytes));
    expect([photo.width, photo.height]).toEqual([96, 120]);
    const signature = PNG.sync.read(Buffer.from(a.signature.bytes));
    expect([signature.width, signature.height]).toEqual([200, 60]);
    expect(a.photo.mime).toBe('image/png');
    for (const subjectKey of SUBJECTS) {
      const result = await device.capture({ subjectKey });
      expect(result.photo.bytes.length).toBeLessThan(20 * 1024);
      expect(result.signature.bytes.length).toBeLessThan(5 * 1024);
    }
    expect(b.photo.bytes).not.toEqual(a.photo.bytes);
    expect(b.signature.bytes).not.toEqual(a.signature.bytes);
    // The signature has ink on it, not just a blank page.
    const inked = signature.data.filter((value, i) => i % 4 === 0 && value < 128).length;
    expect(inked).toBeGreaterThan(200);
  });
});
