import { describe, expect, it } from 'vitest';
import { claimRows, imageMime } from './claims.ts';
import { fresher, listsAgeMs, toIsoTime, type ListCopy } from './lists.ts';

const copy = (fetchedAt: string, signed = 'x'): ListCopy => ({ signed, fetchedAt, storedAt: fetchedAt });

describe('claimRows', () => {
  it('lists the Suket fields in the order of the card, values exactly as signed, RT/RW joined', () => {
    const rows = claimRows({ agama: 'ISLAM', nama: 'SITI AMINAH', nik: '3509014101900001', rt: '001', rw: '002', tanggalLahir: '01-01-1990' });
    expect(rows.map((r) => [r.id, r.value])).toEqual([
      ['nik', '3509014101900001'],
      ['name', 'SITI AMINAH'],
      ['birthDate', '01-01-1990'],
      ['rtrw', '001/002'],
      ['religion', 'ISLAM'],
    ]);
    expect(rows.filter((r) => r.prominent).map((r) => r.id)).toEqual(['nik', 'name']);
  });

  it('still shows fields it has no label for, under their own name, after the known ones', () => {
    const rows = claimRows({ nik: '3509014101900001', nomorAkta: '3509-LT-01012026-0001' });
    expect(rows.at(-1)).toEqual({ id: 'nomorAkta', label: { raw: 'nomorAkta' }, value: '3509-LT-01012026-0001' });
  });
});

describe('imageMime', () => {
  it('knows JPEG, PNG and WebP by their first bytes', () => {
    expect(imageMime(new Uint8Array([0xff, 0xd8, 0xff]))).toBe('image/jpeg');
    expect(imageMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe('image/png');
    expect(imageMime(new Uint8Array([0x52, 0x49, 0x46, 0x46]))).toBe('image/webp');
    expect(imageMime(new Uint8Array([1, 2, 3]))).toBe('application/octet-stream');
  });
});

describe('fresher', () => {
  const stored = copy('2026-11-20T00:00:00.000Z', 'stored');
  it('takes a list with a higher signed sequence', () => {
    expect(fresher(stored, 4, copy('2026-11-19T00:00:00.000Z', 'new'), 5).signed).toBe('new');
  });
  it('never goes back to a lower sequence, however recent its fetch time claims to be', () => {
    expect(fresher(stored, 5, copy('2026-11-24T00:00:00.000Z', 'replayed'), 4).signed).toBe('stored');
  });
  it('keeps the later office fetch time for the same list', () => {
    expect(fresher(stored, 5, copy('2026-11-24T00:00:00.000Z'), 5).fetchedAt).toBe('2026-11-24T00:00:00.000Z');
    expect(fresher(stored, 5, copy('2026-11-01T00:00:00.000Z'), 5).fetchedAt).toBe(stored.fetchedAt);
  });
});

describe('list times', () => {
  it('reads ISO strings, unix seconds and unix milliseconds', () => {
    expect(toIsoTime('2026-11-24T01:02:03+07:00')).toBe('2026-11-23T18:02:03.000Z');
    expect(toIsoTime(1_795_000_000)).toBe(new Date(1_795_000_000_000).toISOString());
    expect(toIsoTime(1_795_000_000_123)).toBe(new Date(1_795_000_000_123).toISOString());
  });

  it('ages the lists by the older of the two office fetches', () => {
    const now = Date.parse('2026-11-24T00:00:00Z');
    const state = { trust: copy('2026-11-23T22:00:00Z'), revocations: copy('2026-11-15T00:00:00Z') };
    expect(listsAgeMs(state, now)).toBe(9 * 24 * 3600 * 1000);
    expect(listsAgeMs({}, now)).toBeNull();
  });
});
