import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegionDirectory } from '@tangguh/regions';
import { assertRecording, checkRecording, PHOTO_MAX_BYTES, type RecordingCheckInput } from './recording.ts';
import { BIOMETRIC_POSITIONS, TEMPLATE_BYTES } from './biometrics.ts';
import type { RegionDirectory } from './region.ts';
import { thrown } from './test-support.ts';

const TODAY = new Date('2026-11-23T05:00:00Z');
const PNG_1X1 = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (c) => c.charCodeAt(0),
);
const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);

let regions: RegionDirectory;
beforeAll(async () => {
  regions = await loadRegionDirectory();
});

/** A consistent recording of a woman born 17 August 1995 living in Kelurahan Kaliwates, Jember. */
function validInput(): RecordingCheckInput {
  return {
    biodata: {
      nik: '3509195708950003',
      kkNumber: '3509192311150042',
      fullName: "SITI MA'RUFAH",
      birthPlace: 'JEMBER',
      birthDate: '1995-08-17',
      sex: 'P',
      bloodType: 'O',
      religion: 'ISLAM',
      maritalStatus: 'KAWIN',
      occupation: 'GURU',
      nationality: 'WNI',
      address: { street: 'JL. KARTINI NO. 12', rt: '003', rw: '012', villageCode: '35.09.19.1004' },
    },
    photo: { mime: 'image/png', bytes: PNG_1X1 },
    signature: { mime: 'image/jpeg', bytes: JPEG_HEAD },
    biometrics: BIOMETRIC_POSITIONS.map((position, i) => ({ position, template: new Uint8Array(TEMPLATE_BYTES).fill(i) })),
  };
}

const codes = (input: RecordingCheckInput): string[] => checkRecording(input, regions, TODAY, 'Asia/Jakarta').map((i) => `${i.field}:${i.code}`);

describe('checkRecording', () => {
  it('accepts a consistent recording', () => {
    expect(checkRecording(validInput(), regions, TODAY, 'Asia/Jakarta')).toEqual([]);
    expect(() => assertRecording(validInput(), regions, TODAY, 'Asia/Jakarta')).not.toThrow();
  });

  it('rejects a malformed NIK', () => {
    const input = validInput();
    input.biodata.nik = '35091957089500';
    expect(codes(input)).toEqual(['nik:NIK_FORMAT']);
  });

  it('rejects a birth date that contradicts the NIK', () => {
    const input = validInput();
    input.biodata.birthDate = '1995-08-18';
    expect(codes(input)).toEqual(['birthDate:NIK_BIRTHDATE_MISMATCH']);
  });

  it('rejects a sex that contradicts the NIK', () => {
    const input = validInput();
    input.biodata.sex = 'L';
    expect(codes(input)).toEqual(['sex:NIK_SEX_MISMATCH']);
  });

  it('accepts an old NIK whose kecamatan no longer exists, but not an unknown province', () => {
    const input = validInput();
    input.biodata.nik = '3509985708950003';
    expect(codes(input)).toEqual([]);
    input.biodata.nik = '9909195708950003';
    expect(codes(input)).toEqual(['nik:NIK_REGION_UNKNOWN']);
  });

  it('rejects an unknown village and a malformed KK', () => {
    const input = validInput();
    input.biodata.address.villageCode = '35.09.19.1099';
    input.biodata.kkNumber = '3509193102150042';
    expect(codes(input)).toEqual(['kkNumber:KK_DATE_INVALID', 'address.villageCode:REGION_UNKNOWN']);
  });

  it('checks name, RT/RW and street', () => {
    const input = validInput();
    input.biodata.fullName = 'SITI <script>';
    input.biodata.address.rt = '0';
    input.biodata.address.rw = '1234';
    input.biodata.address.street = '  ';
    expect(codes(input)).toEqual(['fullName:NAME_INVALID', 'address.street:STREET_INVALID', 'address.rt:RT_RW_INVALID', 'address.rw:RT_RW_INVALID']);
    input.biodata.fullName = 'x'.repeat(101);
    expect(codes(input)).toContain('fullName:NAME_INVALID');
    input.biodata.fullName = '...';
    expect(codes(input)).toContain('fullName:NAME_INVALID');
  });

  it('requires age 17 unless married or once married', () => {
    const input = validInput();
    input.biodata.nik = '3509196412100003';
    input.biodata.birthDate = '2010-12-24';
    input.biodata.maritalStatus = 'BELUM_KAWIN';
    expect(codes(input)).toEqual(['birthDate:NOT_ELIGIBLE_AGE']);
    input.biodata.maritalStatus = 'CERAI_HIDUP';
    expect(codes(input)).toEqual([]);
    input.biodata.maritalStatus = 'BELUM_KAWIN';
    input.biodata.nik = '3509196311090003';
    input.biodata.birthDate = '2009-11-23';
    expect(codes(input)).toEqual([]);
  });

  it('rejects a birth date that does not exist or lies ahead', () => {
    const input = validInput();
    input.biodata.birthDate = '1995-02-30';
    expect(codes(input)).toEqual(['birthDate:BIRTH_DATE_INVALID']);
    input.biodata.birthDate = '2027-08-17';
    expect(codes(input)).toEqual(['birthDate:NIK_BIRTHDATE_MISMATCH', 'birthDate:BIRTH_DATE_FUTURE']);
  });

  it('rejects an oversize photo and a non-image photo', () => {
    const input = validInput();
    const oversize = new Uint8Array(PHOTO_MAX_BYTES + 1);
    oversize.set(PNG_1X1);
    input.photo.bytes = oversize;
    expect(codes(input)).toEqual(['photo:PHOTO_TOO_LARGE']);
    input.photo.bytes = new TextEncoder().encode('%PDF-1.7 not an image');
    expect(codes(input)).toEqual(['photo:PHOTO_FORMAT']);
    input.photo = { mime: 'image/png', bytes: JPEG_HEAD };
    expect(codes(input)).toEqual(['photo:PHOTO_FORMAT']);
    input.photo = { mime: 'image/jpeg', bytes: JPEG_HEAD };
    input.signature = { mime: 'image/gif', bytes: new TextEncoder().encode('GIF89a') };
    expect(codes(input)).toEqual(['signature:SIGNATURE_FORMAT']);
  });

  it('requires an exception for a finger that was not captured', () => {
    const input = validInput();
    input.biometrics = input.biometrics.map((b) => (b.position === 'R_THUMB' ? { position: 'R_THUMB' } : b));
    expect(codes(input)).toEqual(['biometrics.R_THUMB:BIOMETRIC_MISSING']);
    input.biometrics = input.biometrics.map((b) => (b.position === 'R_THUMB' ? { position: 'R_THUMB', exception: 'AMPUTATED' } : b));
    expect(codes(input)).toEqual([]);
  });

  it('flags omitted, repeated, doubly-filled and malformed positions', () => {
    const input = validInput();
    const [first, second, third, ...rest] = input.biometrics;
    if (!first || !second || !third) throw new Error('fixture has 12 positions');
    input.biometrics = [
      { ...first, exception: 'BANDAGED' },
      { position: second.position, template: new Uint8Array(31) },
      ...rest,
      rest[0] ?? first,
    ];
    expect(codes(input)).toEqual([
      'biometrics.R_THUMB:BIOMETRIC_BOTH',
      'biometrics.R_INDEX:BIOMETRIC_TEMPLATE_INVALID',
      'biometrics.R_RING:BIOMETRIC_DUPLICATE_POSITION',
      'biometrics.R_MIDDLE:BIOMETRIC_MISSING',
    ]);
  });

  it('refuses a recording with no biometric at all, and asserts with every issue', () => {
    const input = validInput();
    input.biometrics = BIOMETRIC_POSITIONS.map((position) => ({ position, exception: 'UNREADABLE' }));
    expect(codes(input)).toEqual(['biometrics:BIOMETRIC_NONE']);
    input.biodata.sex = 'L';
    const error = thrown(() => assertRecording(input, regions, TODAY, 'Asia/Jakarta'));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.code)).toEqual(['NIK_SEX_MISMATCH', 'BIOMETRIC_NONE']);
    expect(error.messages.id).toBe('Ada 2 isian yang tidak valid.');
  });
});
