import type { MaritalStatus, Sex } from '@tangguh/domain';
import type { Random } from './random.ts';

/** Occupation names as SIAK lists them (a subset), weighted for a rural East Java kabupaten. */
const WORKING: Record<Sex, Record<string, number>> = {
  L: {
    'PETANI/PEKEBUN': 28,
    'BURUH TANI/PERKEBUNAN': 15,
    WIRASWASTA: 18,
    'KARYAWAN SWASTA': 10,
    PEDAGANG: 7,
    'BURUH HARIAN LEPAS': 8,
    SOPIR: 3,
    'PEGAWAI NEGERI SIPIL (PNS)': 3,
    GURU: 2,
    'NELAYAN/PERIKANAN': 2,
    'TUKANG BATU': 2,
    'BELUM/TIDAK BEKERJA': 2,
  },
  P: {
    'MENGURUS RUMAH TANGGA': 45,
    'PETANI/PEKEBUN': 10,
    'BURUH TANI/PERKEBUNAN': 10,
    WIRASWASTA: 10,
    PEDAGANG: 8,
    'KARYAWAN SWASTA': 7,
    'BURUH HARIAN LEPAS': 4,
    GURU: 4,
    'PEGAWAI NEGERI SIPIL (PNS)': 2,
  },
};

export function pickOccupation(random: Random, sex: Sex, age: number, maritalStatus: MaritalStatus): string {
  if (age <= 23 && maritalStatus === 'BELUM_KAWIN' && random.chance(0.6)) return 'PELAJAR/MAHASISWA';
  if (age >= 58) {
    if (random.chance(0.2)) return 'PENSIUNAN';
    if (random.chance(0.25)) return 'BELUM/TIDAK BEKERJA';
  }
  return random.weighted(WORKING[sex]);
}
