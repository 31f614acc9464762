import { invalidInput, isDomainError, type Bilingual, type FieldIssue } from './errors.ts';
import { ageOn, parseIsoDate, toIsoDate } from './dates.ts';
import { zonedDate } from './time-zones.ts';
import { checkNikMatches, type Sex } from './nik.ts';
import { nikRegionIssues } from './nik-region.ts';
import { parseKk } from './kk.ts';
import { REGION_CODE_PATTERNS, type RegionDirectory } from './region.ts';
import { KTP_MIN_AGE, type BloodType, type MaritalStatus, type Nationality, type Religion } from './civil.ts';
import { detectImageMime } from './media.ts';
import { checkBiometricCaptures, type BiometricCaptureInput } from './biometric-checks.ts';

export interface Biodata {
  nik: string;
  kkNumber: string;
  fullName: string;
  birthPlace: string;
  /** ISO YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  bloodType?: BloodType;
  religion: Religion;
  maritalStatus: MaritalStatus;
  occupation: string;
  nationality: Nationality;
  address: {
    street: string;
    rt: string;
    rw: string;
    /** PP.KK.CC.DDDD */
    villageCode: string;
  };
}

export interface RecordingCheckInput {
  biodata: Biodata;
  photo: { mime: string; bytes: Uint8Array };
  signature: { mime: string; bytes: Uint8Array };
  biometrics: BiometricCaptureInput[];
}

export const PHOTO_MAX_BYTES = 300 * 1024;
export const SIGNATURE_MAX_BYTES = 100 * 1024;

const issue = (field: string, code: string, id: string, en: string): FieldIssue => ({ field, code, messages: { id, en } });

/** Letters of any script plus the punctuation Indonesian names use (Ma'ruf, Moh. Hasan, Siti-Aminah, Dr., S.Pd). */
const NAME_PATTERN = /^[\p{L}\p{M} '.,-]+$/u;

/**
 * The semantic checks of a recording, run at the office before it is queued for the centre. Shape
 * and types are validated earlier; everything here is about whether the facts agree with each other
 * and with the region list. Returns every issue found, so the operator can fix them in one pass.
 * `today` is read as a date in `timeZone`, the office's zone (birth dates, age, KK dates).
 */
export function checkRecording(input: RecordingCheckInput, regions: RegionDirectory, today: Date, timeZone: string): FieldIssue[] {
  const { biodata } = input;
  return [
    ...checkIdentity(biodata, regions, today, timeZone),
    ...checkPerson(biodata, today, timeZone),
    ...checkAddress(biodata.address, regions),
    ...checkImage(input.photo, 'photo', PHOTO_MAX_BYTES, { id: 'Foto', en: 'Photo' }),
    ...checkImage(input.signature, 'signature', SIGNATURE_MAX_BYTES, { id: 'Tanda tangan', en: 'Signature' }),
    ...checkBiometricCaptures(input.biometrics),
  ];
}

/** Throws one DomainError carrying every issue, for callers that must not continue with a bad recording. */
export function assertRecording(input: RecordingCheckInput, regions: RegionDirectory, today: Date, timeZone: string): void {
  const issues = checkRecording(input, regions, today, timeZone);
  if (issues.length > 0) throw invalidInput(issues);
}

function checkIdentity(biodata: Biodata, regions: RegionDirectory, today: Date, timeZone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const birthDateValid = parseIsoDate(biodata.birthDate) !== undefined;
  // A bad birth date gets its own issue below; comparing it with the NIK would only repeat it.
  const nikIssues = checkNikMatches(biodata.nik, { birthDate: biodata.birthDate, sex: biodata.sex }, today, timeZone).filter(
    (found) => birthDateValid || found.code !== 'NIK_BIRTHDATE_MISMATCH',
  );
  issues.push(...nikIssues);
  // One rule for the NIK's region wherever a NIK is accepted (nik-region.ts).
  issues.push(...nikRegionIssues(biodata.nik, regions));
  try {
    parseKk(biodata.kkNumber, today, timeZone);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    issues.push({ field: 'kkNumber', code: error.code, messages: error.messages });
  }
  return issues;
}

function checkPerson(biodata: Biodata, today: Date, timeZone: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isName(biodata.fullName)) {
    issues.push(
      issue(
        'fullName',
        'NAME_INVALID',
        'Nama harus 1–100 karakter: huruf, spasi, apostrof, titik, koma atau tanda hubung.',
        'The name must be 1–100 characters: letters, spaces, apostrophes, periods, commas or hyphens.',
      ),
    );
  }
  if (!isName(biodata.birthPlace)) {
    issues.push(
      issue('birthPlace', 'BIRTH_PLACE_INVALID', 'Tempat lahir harus diisi dengan huruf (maks. 100).', 'The place of birth must be letters (max. 100).'),
    );
  }
  if (biodata.occupation.trim().length === 0 || biodata.occupation.length > 100) {
    issues.push(issue('occupation', 'OCCUPATION_INVALID', 'Pekerjaan harus diisi (maks. 100 karakter).', 'The occupation is required (max. 100 characters).'));
  }
  const birth = parseIsoDate(biodata.birthDate);
  const now = zonedDate(today, timeZone);
  if (!birth) {
    issues.push(issue('birthDate', 'BIRTH_DATE_INVALID', 'Tanggal lahir tidak ada di kalender.', 'The birth date does not exist.'));
  } else if (toIsoDate(birth) > toIsoDate(now)) {
    issues.push(issue('birthDate', 'BIRTH_DATE_FUTURE', 'Tanggal lahir belum terjadi.', 'The birth date is in the future.'));
  } else if (ageOn(birth, now) < KTP_MIN_AGE && biodata.maritalStatus === 'BELUM_KAWIN') {
    // Married or once married (cerai hidup / cerai mati) residents qualify before 17.
    issues.push(
      issue(
        'birthDate',
        'NOT_ELIGIBLE_AGE',
        `Belum wajib KTP-el: umur di bawah ${KTP_MIN_AGE} tahun dan belum pernah kawin.`,
        `Not yet eligible for a KTP-el: under ${KTP_MIN_AGE} and never married.`,
      ),
    );
  }
  return issues;
}

function isName(value: string): boolean {
  return value.length >= 1 && value.length <= 100 && NAME_PATTERN.test(value) && /\p{L}/u.test(value);
}

function checkAddress(address: Biodata['address'], regions: RegionDirectory): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (address.street.trim().length === 0 || address.street.length > 200) {
    issues.push(issue('address.street', 'STREET_INVALID', 'Alamat (jalan/dusun) harus diisi, maks. 200 karakter.', 'The street address is required, max. 200 characters.'));
  }
  for (const part of ['rt', 'rw'] as const) {
    const value = address[part];
    if (!/^\d{1,3}$/.test(value) || Number(value) === 0) {
      const label = part.toUpperCase();
      issues.push(issue(`address.${part}`, 'RT_RW_INVALID', `${label} harus angka 1–3 digit, bukan 0.`, `${label} must be a 1–3 digit number, not 0.`));
    }
  }
  if (!REGION_CODE_PATTERNS.village.test(address.villageCode) || !regions.village(address.villageCode)) {
    issues.push(
      issue(
        'address.villageCode',
        'REGION_UNKNOWN',
        `Kode kelurahan/desa "${address.villageCode}" tidak ada di daftar wilayah.`,
        `Village code "${address.villageCode}" is not in the region list.`,
      ),
    );
  }
  return issues;
}

function checkImage(image: { mime: string; bytes: Uint8Array }, field: 'photo' | 'signature', maxBytes: number, label: Bilingual): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const code = field.toUpperCase();
  const detected = detectImageMime(image.bytes);
  if (!detected) {
    issues.push(issue(field, `${code}_FORMAT`, `${label.id} harus berkas PNG atau JPEG.`, `${label.en} must be a PNG or JPEG file.`));
  } else if (detected !== image.mime) {
    // A mislabelled upload would be served with the wrong type later, so it is refused here.
    issues.push(
      issue(
        field,
        `${code}_FORMAT`,
        `${label.id} disebut ${image.mime} tetapi isinya ${detected}.`,
        `${label.en} is labelled ${image.mime} but contains ${detected}.`,
      ),
    );
  }
  if (image.bytes.length > maxBytes) {
    const kb = Math.round(maxBytes / 1024);
    issues.push(issue(field, `${code}_TOO_LARGE`, `${label.id} melebihi ${kb} KB.`, `${label.en} is larger than ${kb} KB.`));
  }
  return issues;
}
