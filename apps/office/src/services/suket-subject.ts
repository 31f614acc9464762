import type { Biodata, RegionDirectory } from '@tangguh/domain';

/**
 * The printed fields of a Suket, as on the KTP-el (upper case), under the credential's field names (its
 * SUB_FIELDS, which the credential packs: a typical Suket fits QR version 13 at level Q). The issuing
 * office, serial and dates are claims of their own.
 */
export interface SuketSubject extends Record<string, string> {
  nik: string;
  nama: string;
  tempatLahir: string;
  /** DD-MM-YYYY, as printed on the card. */
  tanggalLahir: string;
  jenisKelamin: string;
  alamat: string;
  rtRw: string;
  kelDesa: string;
  kecamatan: string;
  kabKota: string;
  provinsi: string;
  agama: string;
  statusPerkawinan: string;
  pekerjaan: string;
  kewarganegaraan: string;
}

/** Labels for the printed fields, Indonesian first, in the order the card shows them. */
export const SUKET_FIELD_LABELS: readonly { key: string; id: string; en: string }[] = [
  { key: 'nik', id: 'NIK', en: 'NIK' },
  { key: 'nama', id: 'Nama', en: 'Name' },
  { key: 'tempatLahir', id: 'Tempat Lahir', en: 'Place of birth' },
  { key: 'tanggalLahir', id: 'Tanggal Lahir', en: 'Date of birth' },
  { key: 'jenisKelamin', id: 'Jenis Kelamin', en: 'Sex' },
  { key: 'golonganDarah', id: 'Gol. Darah', en: 'Blood type' },
  { key: 'alamat', id: 'Alamat', en: 'Address' },
  { key: 'rtRw', id: 'RT/RW', en: 'RT/RW' },
  { key: 'kelDesa', id: 'Kel/Desa', en: 'Village' },
  { key: 'kecamatan', id: 'Kecamatan', en: 'District' },
  { key: 'kabKota', id: 'Kabupaten/Kota', en: 'Regency/City' },
  { key: 'provinsi', id: 'Provinsi', en: 'Province' },
  { key: 'agama', id: 'Agama', en: 'Religion' },
  { key: 'statusPerkawinan', id: 'Status Perkawinan', en: 'Marital status' },
  { key: 'pekerjaan', id: 'Pekerjaan', en: 'Occupation' },
  { key: 'kewarganegaraan', id: 'Kewarganegaraan', en: 'Nationality' },
];

const upper = (s: string) => s.trim().replace(/\s+/g, ' ').toUpperCase();
const pad3 = (s: string) => s.padStart(3, '0');

export function suketSubject(b: Biodata, regions: RegionDirectory): SuketSubject {
  const code = b.address.villageCode;
  const [year, month, day] = b.birthDate.split('-');
  const name = (region: { name: string } | undefined, fallback: string) => upper(region?.name ?? fallback);
  return {
    nik: b.nik,
    nama: upper(b.fullName),
    tempatLahir: upper(b.birthPlace),
    tanggalLahir: `${day}-${month}-${year}`,
    jenisKelamin: b.sex === 'L' ? 'LAKI-LAKI' : 'PEREMPUAN',
    ...(b.bloodType && b.bloodType !== '-' ? { golonganDarah: b.bloodType } : {}),
    alamat: upper(b.address.street),
    rtRw: `${pad3(b.address.rt)}/${pad3(b.address.rw)}`,
    kelDesa: name(regions.village(code), code),
    kecamatan: name(regions.district(code.slice(0, 8)), code.slice(0, 8)),
    kabKota: name(regions.regency(code.slice(0, 5)), code.slice(0, 5)),
    provinsi: name(regions.province(code.slice(0, 2)), code.slice(0, 2)),
    // The card's wording; both forms are in the credential's value dictionary.
    agama: b.religion === 'KEPERCAYAAN' ? 'KEPERCAYAAN TERHADAP TUHAN YME' : b.religion,
    statusPerkawinan: b.maritalStatus.replace(/_/g, ' '),
    pekerjaan: upper(b.occupation),
    kewarganegaraan: b.nationality,
  };
}
