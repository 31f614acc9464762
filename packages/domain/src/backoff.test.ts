import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const opts = { baseMs: 500, capMs: 60_000 };

  it('spans [0, base·2^attempt) with full jitter', () => {
    expect(backoffDelay(0, opts, () => 0)).toBe(0);
    expect(backoffDelay(0, opts, () => 0.999)).toBe(499);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(2000);
  });

  it('never exceeds the cap, even for huge attempts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, opts, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(opts.capMs, opts.baseMs * 2 ** attempt));
        expect(Number.isInteger(delay)).toBe(true);
      }),
    );
  });

  it('uses Math.random by default and treats a negative attempt as the first', () => {
    const delay = backoffDelay(2, opts);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(2000);
    expect(backoffDelay(-3, opts, () => 0.5)).toBe(250);
  });
});
