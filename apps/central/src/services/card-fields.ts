import type { CardFields, ChipFingerprint } from '@tangguh/credential';
import {
  MARITAL_STATUS_LABELS,
  RELIGION_LABELS,
  timeZoneOfProvince,
  zonedIsoDate,
  type Biodata,
  type BiometricSet,
  type FingerPosition,
  type RegionDirectory,
} from '@tangguh/domain';

/** The card's lifetime since 2016 (DOMAIN.md). */
export const VALID_FOR_LIFE = 'SEUMUR HIDUP';

const upper = (text: string) => text.toLocaleUpperCase('id-ID');
const dmy = (iso: string) => iso.split('-').reverse().join('-');
const strip = (name: string, prefix: RegExp) => name.replace(prefix, '').trim();

/**
 * The front of the KTP-el as DOMAIN.md lists it, from the centre's biodata and the region list: names
 * printed in capitals as on the card, dates DD-MM-YYYY, RT/RW with three digits each. The place of issue
 * is the printing office's kabupaten/kota, the date of issue the day the centre signs (in that office's zone).
 */
export function cardFieldsOf(biodata: Biodata, regions: RegionDirectory, issue: { regencyCode: string; at: Date }): CardFields {
  const village = biodata.address.villageCode;
  const [pp, kk, cc] = village.split('.');
  const name = (found: { name: string } | undefined, code: string) => upper(found?.name ?? code);
  const regency = name(regions.regency(`${pp}.${kk}`), `${pp}.${kk}`);
  const issuingRegency = name(regions.regency(issue.regencyCode), issue.regencyCode);
  const zone = timeZoneOfProvince(issue.regencyCode.slice(0, 2)) ?? 'Asia/Jakarta';
  return {
    provinsi: `PROVINSI ${name(regions.province(pp!), pp!)}`,
    kabupatenKota: regency,
    nik: biodata.nik,
    nama: upper(biodata.fullName),
    tempatLahir: upper(biodata.birthPlace),
    tanggalLahir: dmy(biodata.birthDate),
    jenisKelamin: biodata.sex === 'L' ? 'LAKI-LAKI' : 'PEREMPUAN',
    golonganDarah: biodata.bloodType ?? '-',
    alamat: upper(biodata.address.street),
    rtRw: `${biodata.address.rt.padStart(3, '0')}/${biodata.address.rw.padStart(3, '0')}`,
    kelurahanDesa: name(regions.village(village), village),
    kecamatan: name(regions.district(`${pp}.${kk}.${cc}`), `${pp}.${kk}.${cc}`),
    agama: upper(RELIGION_LABELS[biodata.religion].id),
    statusPerkawinan: upper(MARITAL_STATUS_LABELS[biodata.maritalStatus].id),
    pekerjaan: upper(biodata.occupation),
    kewarganegaraan: biodata.nationality,
    berlakuHingga: VALID_FOR_LIFE,
    tempatTerbit: strip(issuingRegency, /^(KABUPATEN|KOTA)\s+/),
    tanggalTerbit: dmy(zonedIsoDate(issue.at, zone)),
  };
}

/**
 * The chip's two fingerprints: the right and left index fingers by default (DOMAIN.md). Where one was not
 * captured (an exception at recording), the next in this order stands in. The recording keeps no quality
 * score per template, so "best quality" is the fingers' usual order of reliability for 1:1 checks: index,
 * thumb, middle, ring, little, right hand first.
 */
export const CHIP_FINGER_ORDER: readonly FingerPosition[] = ['R_INDEX', 'L_INDEX', 'R_THUMB', 'L_THUMB', 'R_MIDDLE', 'L_MIDDLE', 'R_RING', 'L_RING', 'R_LITTLE', 'L_LITTLE'];

export function chipFingerprints(set: BiometricSet): ChipFingerprint[] {
  const chosen: ChipFingerprint[] = [];
  for (const position of CHIP_FINGER_ORDER) {
    const template = set[position];
    if (template && chosen.length < 2) chosen.push({ position, template });
  }
  return chosen;
}
