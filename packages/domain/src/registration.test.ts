import { describe, expect, it } from 'vitest';
import { formatRegistrationNumber } from './registration.ts';
import { thrown } from './test-support.ts';

describe('formatRegistrationNumber', () => {
  it('formats office, Jakarta date and a six-digit sequence', () => {
    expect(formatRegistrationNumber('3509', new Date('2026-11-23T03:00:00Z'), 42, 'Asia/Jakarta')).toBe('3509-20261123-000042');
  });

  it('rolls over to the next day at midnight in the office zone, not UTC', () => {
    expect(formatRegistrationNumber('3509', new Date('2026-11-23T16:59:59Z'), 1, 'Asia/Jakarta')).toBe('3509-20261123-000001');
    expect(formatRegistrationNumber('3509', new Date('2026-11-23T17:00:00Z'), 1, 'Asia/Jakarta')).toBe('3509-20261124-000001');
    expect(formatRegistrationNumber('9471', new Date('2026-11-23T14:59:59Z'), 1, 'Asia/Jayapura')).toBe('9471-20261123-000001');
    expect(formatRegistrationNumber('9471', new Date('2026-11-23T15:00:00Z'), 1, 'Asia/Jayapura')).toBe('9471-20261124-000001');
  });

  it('refuses a bad office code, sequence or date', () => {
    expect(thrown(() => formatRegistrationNumber('35.09', new Date(), 1, 'Asia/Jakarta')).code).toBe('REGISTRATION_OFFICE_INVALID');
    expect(thrown(() => formatRegistrationNumber('3509', new Date(), 0, 'Asia/Jakarta')).code).toBe('REGISTRATION_SEQUENCE_INVALID');
    expect(thrown(() => formatRegistrationNumber('3509', new Date(), 1_000_000, 'Asia/Jakarta')).code).toBe('REGISTRATION_SEQUENCE_INVALID');
    expect(thrown(() => formatRegistrationNumber('3509', new Date('nope'), 1, 'Asia/Jakarta')).code).toBe('REGISTRATION_DATE_INVALID');
  });
});
