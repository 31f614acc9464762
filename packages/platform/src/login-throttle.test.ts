import { describe, expect, it } from 'vitest';
import { accountBlockedUntil, addressBlockedUntil, THROTTLE, tooManyAttempts } from './login-throttle.ts';

const NOW = new Date('2026-12-04T07:30:00Z');
const waitOf = (failures: number) => (accountBlockedUntil(failures, NOW)?.getTime() ?? NOW.getTime()) - NOW.getTime();

describe('login throttling', () => {
  it('lets the first five failures of an account through, then doubles the wait from 30 seconds up to 15 minutes and no further', () => {
    expect([1, 2, 3, 4, 5].map(waitOf)).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10, 11, 12, 50].map((n) => waitOf(n) / 1000)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('keeps one account’s most failures in a window well under the address limit, so it cannot block its colleagues', () => {
    let failures = 0;
    for (let elapsed = 0; elapsed < THROTTLE.windowMs; failures++) elapsed += waitOf(failures + 1);
    expect(failures).toBeLessThan(THROTTLE.addressFailures / 3);
  });

  it('slows an address only from its fiftieth failure in the window', () => {
    expect(addressBlockedUntil(THROTTLE.addressFailures - 1, NOW)).toBeUndefined();
    expect(addressBlockedUntil(THROTTLE.addressFailures, NOW)!.getTime() - NOW.getTime()).toBe(THROTTLE.addressBlockMs);
  });

  it('names the time to try again in the node’s own zone, Indonesian first', () => {
    expect(tooManyAttempts(NOW, 'Asia/Jakarta')).toEqual({
      id: 'Terlalu banyak percobaan masuk. Coba lagi pukul 14.30 WIB.',
      en: 'Too many login attempts. Try again at 14:30 WIB.',
    });
    expect(tooManyAttempts(NOW, 'Asia/Jayapura').id).toBe('Terlalu banyak percobaan masuk. Coba lagi pukul 16.30 WIT.');
    expect(tooManyAttempts(NOW, 'Asia/Makassar').en).toBe('Too many login attempts. Try again at 15:30 WITA.');
  });
});
