// Packed printed fields (claim -70002 "sub"), TGH1. One bit stream, zero-padded to a byte:
//
//   Sub   := presence:24  Value{one per present known field, in SUB_FIELDS order}
//            ( 1 name:Text Value )*  0            -- other fields, sorted by name
//   Value := '0'    Text                          -- any string (packed text, see text.ts)
//          | '10'   index:8                       -- a string from VALUE_DICTIONARY
//          | '110'  n-1:6  digits                 -- 1…64 ASCII digits, 3 per 10 bits (then 7 or 4 bits)
//          | '1110' days:17                       -- 'YYYY-MM-DD', days since 1900-01-01
//          | '1111' days:17                       -- 'DD-MM-YYYY', days since 1900-01-01
// The encoder always takes the first form that applies in the order DICT, DATE, DIGITS, TEXT, so
// every set of fields has exactly one packing; the decoder re-encodes to check that.
// SUB_FIELDS and VALUE_DICTIONARY are part of the format: append only, never reorder (and only
// while they fit: 24 fields, 256 values).
import { BitReader, BitWriter } from './bits.ts';
import { CredentialFormatError } from './errors.ts';
import { readText, writeText } from './text.ts';

/** Field names with a presence bit, in wire order. */
export const SUB_FIELDS: readonly string[] = [
  'nik', 'nama', 'tempatLahir', 'tanggalLahir', 'jenisKelamin', 'golonganDarah', 'alamat', 'rtRw',
  'kelDesa', 'kecamatan', 'kabKota', 'provinsi', 'agama', 'statusPerkawinan', 'pekerjaan', 'kewarganegaraan',
  'nomor', 'judul', 'tanggal', 'nomorKk', 'namaAyah', 'namaIbu', 'kepalaKeluarga', 'berlakuHingga',
];
const PRESENCE_BITS = 24;

/** Whole values sent as an 8-bit index: sexes, religions, marital statuses, nationality, blood types, SIAK occupations. */
export const VALUE_DICTIONARY: readonly string[] = [
  'LAKI-LAKI', 'PEREMPUAN', 'L', 'P',
  'ISLAM', 'KRISTEN', 'KATOLIK', 'HINDU', 'BUDDHA', 'KONGHUCU', 'KEPERCAYAAN', 'KEPERCAYAAN TERHADAP TUHAN YME',
  'BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI', 'BELUM_KAWIN', 'CERAI_HIDUP', 'CERAI_MATI',
  'WNI', 'WNA', 'A', 'B', 'AB', 'O', '-',
  'BELUM/TIDAK BEKERJA', 'MENGURUS RUMAH TANGGA', 'PELAJAR/MAHASISWA', 'PENSIUNAN', 'PEGAWAI NEGERI SIPIL (PNS)',
  'TENTARA NASIONAL INDONESIA (TNI)', 'KEPOLISIAN RI (POLRI)', 'PERDAGANGAN', 'PETANI/PEKEBUN', 'PETERNAK',
  'NELAYAN/PERIKANAN', 'INDUSTRI', 'KONSTRUKSI', 'TRANSPORTASI', 'KARYAWAN SWASTA', 'KARYAWAN BUMN', 'KARYAWAN BUMD',
  'KARYAWAN HONORER', 'BURUH HARIAN LEPAS', 'BURUH TANI/PERKEBUNAN', 'BURUH NELAYAN/PERIKANAN', 'BURUH PETERNAKAN',
  'PEMBANTU RUMAH TANGGA', 'TUKANG CUKUR', 'TUKANG LISTRIK', 'TUKANG BATU', 'TUKANG KAYU', 'TUKANG SOL SEPATU',
  'TUKANG LAS/PANDAI BESI', 'TUKANG JAHIT', 'TUKANG GIGI', 'PENATA RIAS', 'PENATA BUSANA', 'PENATA RAMBUT', 'MEKANIK',
  'SENIMAN', 'TABIB', 'PARAJI', 'PERANCANG BUSANA', 'PENTERJEMAH', 'IMAM MASJID', 'PENDETA', 'PASTOR', 'WARTAWAN',
  'USTADZ/MUBALIGH', 'JURU MASAK', 'PROMOTOR ACARA', 'ANGGOTA DPR-RI', 'ANGGOTA DPD', 'ANGGOTA BPK', 'PRESIDEN',
  'WAKIL PRESIDEN', 'ANGGOTA MAHKAMAH KONSTITUSI', 'ANGGOTA KABINET/KEMENTERIAN', 'DUTA BESAR', 'GUBERNUR',
  'WAKIL GUBERNUR', 'BUPATI', 'WAKIL BUPATI', 'WALIKOTA', 'WAKIL WALIKOTA', 'ANGGOTA DPRD PROVINSI',
  'ANGGOTA DPRD KABUPATEN/KOTA', 'DOSEN', 'GURU', 'PILOT', 'PENGACARA', 'NOTARIS', 'ARSITEK', 'AKUNTAN', 'KONSULTAN',
  'DOKTER', 'BIDAN', 'PERAWAT', 'APOTEKER', 'PSIKIATER/PSIKOLOG', 'PENYIAR TELEVISI', 'PENYIAR RADIO', 'PELAUT',
  'PENELITI', 'SOPIR', 'PIALANG', 'PARANORMAL', 'PEDAGANG', 'PERANGKAT DESA', 'KEPALA DESA', 'BIARAWATI', 'WIRASWASTA',
  'LAINNYA',
];
const DICT_INDEX: ReadonlyMap<string, number> = new Map(VALUE_DICTIONARY.map((v, i) => [v, i]));
if (SUB_FIELDS.length > PRESENCE_BITS || VALUE_DICTIONARY.length > 256 || DICT_INDEX.size !== VALUE_DICTIONARY.length) {
  throw new Error('fields: tables out of range');
}
const FIELD_INDEX: ReadonlyMap<string, number> = new Map(SUB_FIELDS.map((f, i) => [f, i]));

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1900, 0, 1) / DAY_MS;
const MAX_DAYS = 2 ** 17 - 1;

function isoFromDays(days: number): string {
  return new Date((EPOCH_1900 + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Days since 1900-01-01 if the value is exactly that date written YYYY-MM-DD or DD-MM-YYYY. */
function dateDays(value: string): { days: number; dmy: boolean } | undefined {
  let iso: string;
  let dmy = false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) iso = value;
  else if (/^\d{2}-\d{2}-\d{4}$/.test(value)) {
    iso = `${value.slice(6)}-${value.slice(3, 5)}-${value.slice(0, 2)}`;
    dmy = true;
  } else return undefined;
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  const days = ms / DAY_MS - EPOCH_1900;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DAYS || isoFromDays(days) !== iso) return undefined;
  return { days, dmy };
}

function writeValue(w: BitWriter, value: string): void {
  const dict = DICT_INDEX.get(value);
  if (dict !== undefined) {
    w.write(0b10, 2);
    w.write(dict, 8);
    return;
  }
  const date = dateDays(value);
  if (date) {
    w.write(date.dmy ? 0b1111 : 0b1110, 4);
    w.write(date.days, 17);
    return;
  }
  if (/^[0-9]{1,64}$/.test(value)) {
    w.write(0b110, 3);
    w.write(value.length - 1, 6);
    let i = 0;
    for (; i + 3 <= value.length; i += 3) w.write(Number(value.slice(i, i + 3)), 10);
    const rest = value.length - i;
    if (rest === 2) w.write(Number(value.slice(i)), 7);
    else if (rest === 1) w.write(Number(value.slice(i)), 4);
    return;
  }
  w.write(0, 1);
  writeText(w, value);
}

function bad(message: string): never {
  throw new CredentialFormatError(`packed fields: ${message}`);
}

function readValue(r: BitReader): string {
  if (r.read(1) === 0) return readText(r);
  if (r.read(1) === 0) {
    const i = r.read(8);
    const v = VALUE_DICTIONARY[i];
    if (v === undefined) bad('unknown dictionary value');
    return v;
  }
  if (r.read(1) === 0) {
    const n = r.read(6) + 1;
    let out = '';
    let i = 0;
    for (; i + 3 <= n; i += 3) {
      const g = r.read(10);
      if (g > 999) bad('digit group out of range');
      out += String(g).padStart(3, '0');
    }
    if (n - i === 2) {
      const g = r.read(7);
      if (g > 99) bad('digit group out of range');
      out += String(g).padStart(2, '0');
    } else if (n - i === 1) {
      const g = r.read(4);
      if (g > 9) bad('digit out of range');
      out += String(g);
    }
    return out;
  }
  const dmy = r.read(1) === 1;
  const iso = isoFromDays(r.read(17));
  return dmy ? `${iso.slice(8)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : iso;
}

/** Packs the printed fields; throws TypeError for values that cannot be packed (too long). */
export function packFields(fields: Record<string, string>): Uint8Array {
  const w = new BitWriter();
  let presence = 0;
  const known: [number, string][] = [];
  const other: [string, string][] = [];
  for (const [name, value] of Object.entries(fields)) {
    const i = FIELD_INDEX.get(name);
    if (i !== undefined) {
      presence |= 1 << (PRESENCE_BITS - 1 - i);
      known.push([i, value]);
    } else {
      other.push([name, value]);
    }
  }
  known.sort((a, b) => a[0] - b[0]);
  other.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  w.write(presence, PRESENCE_BITS);
  for (const [, value] of known) writeValue(w, value);
  for (const [name, value] of other) {
    w.write(1, 1);
    writeText(w, name);
    writeValue(w, value);
  }
  w.write(0, 1);
  return w.finish();
}

/** Reads what packFields wrote; throws CredentialFormatError (the caller re-packs to check canonical form). */
export function unpackFields(bytes: Uint8Array, maxFields: number): Record<string, string> {
  const r = new BitReader(bytes);
  const out: Record<string, string> = {};
  const set = (name: string, value: string): void => {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  };
  const presence = r.read(PRESENCE_BITS);
  let count = 0;
  for (let i = 0; i < PRESENCE_BITS; i++) {
    if (((presence >>> (PRESENCE_BITS - 1 - i)) & 1) === 0) continue;
    const name = SUB_FIELDS[i];
    if (name === undefined) bad('unknown field bit');
    set(name, readValue(r));
    count++;
  }
  while (r.read(1) === 1) {
    if (++count > maxFields) bad('too many fields');
    const name = readText(r);
    if (name.length === 0 || FIELD_INDEX.has(name) || Object.prototype.hasOwnProperty.call(out, name)) bad('bad field name');
    set(name, readValue(r));
  }
  r.finish();
  return out;
}
