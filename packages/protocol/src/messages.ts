import type { z } from 'zod';
import type { Bilingual, FieldIssue } from '@tangguh/domain';
import { PRINTABLE_SHAPE } from './printable.ts';

/**
 * The one place where a schema failure becomes words for a person. zod's own messages are English
 * internals ("Invalid input: expected object, received undefined"); the server and the web both turn
 * every issue into a sentence written for the operator, in Indonesian and English, through this module.
 */

/** Labels of the fields people fill in, by the last segment of the path. */
const FIELD_LABELS: Record<string, Bilingual> = {
  nik: { id: 'NIK', en: 'NIK' },
  kkNumber: { id: 'Nomor KK', en: 'Family card (KK) number' },
  fullName: { id: 'Nama lengkap', en: 'Full name' },
  birthPlace: { id: 'Tempat lahir', en: 'Place of birth' },
  birthDate: { id: 'Tanggal lahir', en: 'Date of birth' },
  sex: { id: 'Jenis kelamin', en: 'Sex' },
  bloodType: { id: 'Golongan darah', en: 'Blood type' },
  religion: { id: 'Agama', en: 'Religion' },
  maritalStatus: { id: 'Status perkawinan', en: 'Marital status' },
  occupation: { id: 'Pekerjaan', en: 'Occupation' },
  nationality: { id: 'Kewarganegaraan', en: 'Nationality' },
  street: { id: 'Alamat', en: 'Street address' },
  rt: { id: 'RT', en: 'RT' },
  rw: { id: 'RW', en: 'RW' },
  villageCode: { id: 'Kelurahan/desa', en: 'Village' },
  photo: { id: 'Foto', en: 'Photo' },
  signature: { id: 'Tanda tangan', en: 'Signature' },
  biometrics: { id: 'Sidik jari dan iris', en: 'Fingerprints and irises' },
  template: { id: 'Templat biometrik', en: 'Biometric template' },
  exception: { id: 'Pengecualian biometrik', en: 'Biometric exception' },
  position: { id: 'Posisi jari/iris', en: 'Finger/iris position' },
  clientRequestId: { id: 'Nomor permintaan', en: 'Request id' },
  username: { id: 'Nama pengguna', en: 'Username' },
  password: { id: 'Kata sandi', en: 'Password' },
  documentType: { id: 'Jenis dokumen', en: 'Document type' },
  documentNumber: { id: 'Nomor dokumen', en: 'Document number' },
  reason: { id: 'Alasan', en: 'Reason' },
  text: { id: 'Teks QR', en: 'QR text' },
  q: { id: 'Kata kunci', en: 'Search text' },
  status: { id: 'Status', en: 'Status' },
  limit: { id: 'Jumlah', en: 'Limit' },
  id: { id: 'ID', en: 'ID' },
  biodata: { id: 'Biodata', en: 'Personal data' },
  subjectKey: { id: 'Kunci subjek alat rekam', en: 'Capture subject key' },
  noise: { id: 'Derau alat rekam', en: 'Capture noise' },
  attempt: { id: 'Percobaan ke', en: 'Attempt number' },
  district: { id: 'Kecamatan', en: 'District' },
  type: { id: 'Jenis dokumen', en: 'Document type' },
  code: { id: 'Kode jenis dokumen', en: 'Document type code' },
  name: { id: 'Nama', en: 'Name' },
  nomor: { id: 'Nomor dokumen', en: 'Document number' },
  fields: { id: 'Kolom isian dokumen', en: 'Document fields' },
  key: { id: 'Kode kolom', en: 'Field key' },
  label: { id: 'Nama kolom', en: 'Field label' },
  ids: { id: 'Daftar dokumen', en: 'Document list' },
  enabled: { id: 'Status kebijakan', en: 'Policy switch' },
  note: { id: 'Catatan', en: 'Note' },
  purpose: { id: 'Kegunaan kunci', en: 'Key purpose' },
  serial: { id: 'Nomor Suket', en: 'Suket serial' },
  mime: { id: 'Jenis berkas', en: 'File type' },
  data: { id: 'Isi berkas', en: 'File contents' },
  institution: { id: 'Nama lembaga', en: 'Institution' },
  perMinute: { id: 'Kuota per menit', en: 'Quota per minute' },
  perDay: { id: 'Kuota per hari', en: 'Quota per day' },
  documentIds: { id: 'Daftar dokumen', en: 'Document list' },
  nonce: { id: 'Kode sekali pakai', en: 'One-time code' },
  issuedAt: { id: 'Waktu dibuat', en: 'Time issued' },
  publicKey: { id: 'Kunci publik', en: 'Public key' },
  day: { id: 'Tanggal', en: 'Day' },
};

/** What the person should do when a whole part of the form is missing, where there is a clear next step. */
const MISSING_HINTS: Record<string, Bilingual> = {
  photo: { id: 'Pindai biometrik dulu: foto belum diambil.', en: 'Scan the biometrics first: no photo has been taken.' },
  signature: { id: 'Pindai biometrik dulu: tanda tangan belum diambil.', en: 'Scan the biometrics first: no signature has been captured.' },
  biometrics: { id: 'Pindai biometrik dulu: sidik jari dan iris belum diambil.', en: 'Scan the biometrics first: no fingerprints or irises captured.' },
};

/** Shapes that schemas name in their regex message, in both languages. */
const SHAPE_WORDS: Record<string, Bilingual> = {
  '16 digits': { id: '16 angka', en: '16 digits' },
  '1–3 digits': { id: '1–3 angka', en: '1–3 digits' },
  'YYYY-MM-DD': { id: 'TTTT-BB-HH', en: 'YYYY-MM-DD' },
  'PP.KK.CC': { id: 'kode kecamatan PP.KK.CC', en: 'district code PP.KK.CC' },
  'PP.KK.CC.DDDD': { id: 'kode kelurahan/desa PP.KK.CC.DDDD', en: 'village code PP.KK.CC.DDDD' },
  'a-z, 0-9, _': { id: 'huruf kecil, angka atau _', en: 'lower-case letters, digits or _' },
  'A-Z, 0-9, _': { id: 'huruf besar, angka atau _', en: 'capital letters, digits or _' },
  'SKT-<office>-<YYYYMMDD>-<NNNNNN>': { id: 'SKT-<kantor>-<TTTTBBHH>-<NNNNNN>', en: 'SKT-<office>-<YYYYMMDD>-<NNNNNN>' },
};

type Issue = z.core.$ZodIssue;

export function fieldLabel(path: readonly PropertyKey[]): Bilingual {
  const named = [...path].reverse().find((segment) => typeof segment === 'string' && FIELD_LABELS[segment]);
  if (typeof named === 'string' && FIELD_LABELS[named]) return FIELD_LABELS[named];
  if (path.length === 0) return { id: 'Data yang dikirim', en: 'The data sent' };
  const shown = path.map(String).join('.');
  return { id: `Isian ${shown}`, en: `Field ${shown}` };
}

function sizeWords(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, bound: 'min' | 'max'): Bilingual {
  const n = String(bound === 'min' ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  switch (issue.origin) {
    case 'string':
      return bound === 'min'
        ? n === '1' ? { id: 'wajib diisi', en: 'is required' } : { id: `minimal ${n} karakter`, en: `must be at least ${n} characters` }
        : { id: `maksimal ${n} karakter`, en: `must be at most ${n} characters` };
    case 'array':
    case 'set':
      if (bound === 'min') return n === '1' ? { id: 'wajib diisi', en: 'needs at least one item' } : { id: `minimal ${n} butir`, en: `needs at least ${n} items` };
      return { id: `maksimal ${n} butir`, en: `allows at most ${n} items` };
    default:
      return bound === 'min' ? { id: `minimal ${n}`, en: `must be at least ${n}` } : { id: `maksimal ${n}`, en: `must be at most ${n}` };
  }
}

function problem(issue: Issue): Bilingual {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { id: 'wajib diisi', en: 'is required' };
      return { id: 'bentuknya tidak sesuai', en: 'has the wrong form' };
    case 'too_small':
      return sizeWords(issue, 'min');
    case 'too_big':
      return sizeWords(issue, 'max');
    case 'invalid_format': {
      if (issue.message === PRINTABLE_SHAPE) {
        return { id: 'berisi karakter kendali atau pengubah arah teks yang tidak boleh dicetak', en: 'contains control or text-direction characters, which cannot be printed' };
      }
      // Schemas state the expected shape as their message ('16 digits', 'YYYY-MM-DD'); zod's default starts "Invalid".
      const shape = issue.message && !/^Invalid/.test(issue.message) ? issue.message : undefined;
      if (issue.format === 'uuid') return { id: 'bukan pengenal yang sah', en: 'is not a valid identifier' };
      if (!shape) return { id: 'formatnya tidak sesuai', en: 'has the wrong format' };
      const words = SHAPE_WORDS[shape] ?? { id: shape, en: shape };
      return { id: `harus berformat ${words.id}`, en: `must have the form ${words.en}` };
    }
    case 'invalid_value':
      return issue.values.length <= 8
        ? { id: `harus salah satu dari: ${issue.values.map(String).join(', ')}`, en: `must be one of: ${issue.values.map(String).join(', ')}` }
        : { id: 'bukan pilihan yang tersedia', en: 'is not one of the available choices' };
    case 'unrecognized_keys':
      return { id: `berisi isian yang tidak dikenal (${issue.keys.join(', ')})`, en: `has unknown fields (${issue.keys.join(', ')})` };
    case 'not_multiple_of':
      return { id: `harus kelipatan ${String(issue.divisor)}`, en: `must be a multiple of ${String(issue.divisor)}` };
    default:
      return { id: 'tidak valid', en: 'is not valid' };
  }
}

/** One issue as a sentence for the person who filled in the form. */
export function describeIssue(issue: Issue): Bilingual {
  const last = issue.path[issue.path.length - 1];
  if (issue.code === 'invalid_type' && issue.input === undefined && typeof last === 'string' && MISSING_HINTS[last]) return MISSING_HINTS[last];
  const label = fieldLabel(issue.path);
  const words = problem(issue);
  return { id: `${label.id} ${words.id}.`, en: `${label.en} ${words.en}.` };
}

/** Every issue of a failed parse, keyed by its dotted path, in the shape the error body carries. */
export function describeZodError(error: { issues: readonly Issue[] }): FieldIssue[] {
  // A value of the wrong type also fails the size checks zod runs on it ('at most 120 items' for a name
  // sent as a list): one message per field, the one that says what is wrong.
  const key = (issue: Issue) => issue.path.map(String).join('.');
  const wrongType = new Set(error.issues.filter((issue) => issue.code === 'invalid_type').map(key));
  return error.issues.filter((issue) => issue.code === 'invalid_type' || !wrongType.has(key(issue))).map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', code: 'FIELD_INVALID', messages: describeIssue(issue) }));
}
