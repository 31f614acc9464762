import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, getDisplayTimeZone, setDisplayTimeZone } from './format.ts';

afterEach(() => setDisplayTimeZone(undefined));

describe('times shown in the web', () => {
  it('are in Jakarta time until a session names the office’s zone, then in that zone', () => {
    const at = '2026-11-28T16:30:00Z';
    expect(formatDateTime(at, 'id')).toBe('28 Nov 2026 23.30 WIB');
    setDisplayTimeZone('Asia/Jayapura');
    expect(getDisplayTimeZone()).toBe('Asia/Jayapura');
    expect(formatDateTime(at, 'id')).toBe('29 Nov 2026 01.30 WIT');
    expect(formatDateTime(at, 'en')).toBe('29 Nov 2026 01:30 WIT');
    expect(formatDateTime(at, 'en', 'Asia/Makassar')).toBe('29 Nov 2026 00:30 WITA');
  });

  it('fall back to Jakarta time when the session carries no zone or one the browser does not know', () => {
    setDisplayTimeZone('Asia/Atlantis');
    expect(getDisplayTimeZone()).toBe('Asia/Jakarta');
    setDisplayTimeZone(null);
    expect(formatDateTime('2026-11-28T16:30:00Z', 'en')).toBe('28 Nov 2026 23:30 WIB');
    expect(formatDateTime(null, 'en')).toBe('—');
  });
});
