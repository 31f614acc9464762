/**
 * Turns a credential's subject claims (names from @tangguh/credential SUB_KEYS) into the rows a clerk
 * compares with the paper, in the order the paper (and the KTP-el) prints them. Unknown claims, e.g. of a document type added later,
 * are still shown, under their own name, after the known ones.
 */
import type { MessageKey } from '../i18n/index.tsx';

export interface ClaimRow {
  /** Stable id for React and for tests. */
  id: string;
  label: { key: MessageKey } | { raw: string };
  value: string;
  /** The NIK and the name are shown larger. */
  prominent?: boolean;
}

interface KnownField {
  id: string;
  label: MessageKey;
  /** Claim names this field may arrive under (short CBOR-friendly names first). */
  names: string[];
  prominent?: boolean;
}

const KNOWN: KnownField[] = [
  { id: 'nik', label: 'verify.claim.nik', names: ['nik'], prominent: true },
  { id: 'name', label: 'verify.claim.name', names: ['nama', 'name', 'fullName'], prominent: true },
  { id: 'birthPlace', label: 'verify.claim.birthPlace', names: ['tempatLahir', 'birthPlace'] },
  { id: 'birthDate', label: 'verify.claim.birthDate', names: ['tanggalLahir', 'birthDate'] },
  { id: 'sex', label: 'verify.claim.sex', names: ['jenisKelamin', 'sex'] },
  { id: 'bloodType', label: 'verify.claim.bloodType', names: ['golonganDarah', 'bloodType'] },
  { id: 'address', label: 'verify.claim.address', names: ['alamat', 'address', 'street'] },
  { id: 'rtrw', label: 'verify.claim.rtrw', names: ['rtRw', 'rtrw'] },
  { id: 'village', label: 'verify.claim.village', names: ['kelDesa', 'village'] },
  { id: 'district', label: 'verify.claim.district', names: ['kecamatan', 'district'] },
  { id: 'regency', label: 'verify.claim.regency', names: ['kabKota', 'regency'] },
  { id: 'province', label: 'verify.claim.province', names: ['provinsi', 'province'] },
  { id: 'religion', label: 'verify.claim.religion', names: ['agama', 'religion'] },
  { id: 'maritalStatus', label: 'verify.claim.maritalStatus', names: ['statusPerkawinan', 'maritalStatus'] },
  { id: 'occupation', label: 'verify.claim.occupation', names: ['pekerjaan', 'occupation'] },
  { id: 'nationality', label: 'verify.claim.nationality', names: ['kewarganegaraan', 'nationality'] },
  { id: 'kkNumber', label: 'verify.claim.kkNumber', names: ['nomorKk', 'kkNumber'] },
  // Fields of e-signed documents (KK, akta): their own number, title and date, the parents.
  { id: 'docNumber', label: 'verify.claim.docNumber', names: ['nomor'], prominent: true },
  { id: 'docTitle', label: 'verify.claim.docTitle', names: ['judul'] },
  { id: 'docDate', label: 'verify.claim.docDate', names: ['tanggal'] },
  { id: 'father', label: 'verify.claim.father', names: ['namaAyah'] },
  { id: 'mother', label: 'verify.claim.mother', names: ['namaIbu'] },
];

/** RT and RW arrive separately on the recording; the paper prints them as "003/007". */
const RT_NAMES = ['rt'];
const RW_NAMES = ['rw'];

function pick(sub: Record<string, string>, names: string[], used: Set<string>): string | undefined {
  for (const name of names) {
    const value = sub[name];
    if (typeof value === 'string' && value !== '') {
      used.add(name);
      return value;
    }
  }
  return undefined;
}

/** Values are shown exactly as signed (and printed): the clerk compares them letter by letter. */
export function claimRows(sub: Record<string, string>): ClaimRow[] {
  const used = new Set<string>();
  const rows: ClaimRow[] = [];
  for (const field of KNOWN) {
    let value = pick(sub, field.names, used);
    if (field.id === 'rtrw' && value === undefined) {
      const rt = pick(sub, RT_NAMES, used);
      const rw = pick(sub, RW_NAMES, used);
      if (rt !== undefined || rw !== undefined) value = `${rt ?? '—'}/${rw ?? '—'}`;
    }
    if (value === undefined) continue;
    rows.push({ id: field.id, label: { key: field.label }, value, prominent: field.prominent });
  }
  for (const [name, value] of Object.entries(sub)) {
    if (used.has(name) || typeof value !== 'string' || value === '') continue;
    rows.push({ id: name, label: { raw: name }, value });
  }
  return rows;
}

/** The document's MIME type from its first bytes: the QR carries a tiny photo without a type. */
export function imageMime(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46) return 'image/webp';
  return 'application/octet-stream';
}
