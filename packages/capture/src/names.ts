import type { Random } from './random.ts';
import type { Religion, Sex } from '@tangguh/domain';

/**
 * Name stock for East Java's Tapal Kuda (Jember, Bondowoso, Lumajang…), where Javanese and Madurese
 * families live side by side. Older people mostly carry one Javanese name or an Arabic-derived
 * Madurese name with the "Moh."/"Abd." abbreviations seen on their cards; younger people two or three.
 */
const OLDER: Record<Sex, readonly string[]> = {
  L: [
    'Suparman', 'Sutrisno', 'Slamet', 'Sugeng', 'Wagiman', 'Suyitno', 'Darmaji', 'Sunarto', 'Supriyadi', 'Purnomo',
    'Hartono', 'Widodo', 'Bambang Sugiarto', 'Joko Susilo', 'Agus Salim', 'Moh. Hasan', 'Abd. Rahman', 'Moh. Sholeh',
    'Ach. Fadil', "Ma'ruf", "Mas'ud", 'Holil', 'Sahwan', 'Buhari', 'Marsuki', 'Suhairi', 'Misnadi', 'Samsuri', 'Hosnan',
    'Juhari', 'Syamsul Arifin', 'Zainal Abidin', 'Fathor Rahman', 'Abdul Kadir', 'Moh. Ilyas', 'Sunaryo', 'Kusnadi',
  ],
  P: [
    'Sumarni', 'Sulastri', 'Tutik', 'Wartini', 'Suprihatin', 'Suwarni', 'Sumiati', 'Lilik', 'Endang', 'Kartini',
    'Siti Aminah', 'Siti Fatimah', 'Siti Maryam', 'Siti Romlah', 'Nur Hasanah', "Mas'udah", 'Hotimah', 'Rokayah', 'Saniyah',
    'Misnati', 'Halimah', 'Khoiriyah', 'Zubaidah', 'Umi Kulsum', 'Sunami', 'Holifah', 'Maimunah', 'Jumaati', 'Suhartini',
    'Sri Wahyuni', 'Sri Rahayu', 'Musyarofah', 'Painah', 'Tumini',
  ],
};

const YOUNGER_FIRST: Record<Sex, readonly string[]> = {
  L: [
    'Ahmad', 'Muhammad', 'Moh.', 'Rizky', 'Dimas', 'Fajar', 'Bayu', 'Andika', 'Eko', 'Dwi', 'Bagus', 'Rudi', 'Yudi', 'Aris',
    'Didik', 'Imam', 'Khoirul', 'Saiful', 'Nur', 'Wahyu', 'Hendra', 'Firman', 'Ilham', 'Farhan', 'Reza', 'Alfian',
  ],
  P: [
    'Siti', 'Nur', 'Dewi', 'Ayu', 'Putri', 'Indah', 'Rina', 'Yuli', 'Novi', 'Ratna', 'Wulan', 'Eka', 'Dwi', 'Fitri', 'Anisa',
    'Nabila', 'Aulia', 'Dinda', 'Salsabila', 'Laila', 'Umi', 'Lailatul', 'Khusnul', 'Riska',
  ],
};

const YOUNGER_LAST: Record<Sex, readonly string[]> = {
  L: [
    'Santoso', 'Prasetyo', 'Wibowo', 'Hidayat', 'Setiawan', 'Susanto', 'Kurniawan', 'Saputra', 'Fauzi', 'Rofiq', 'Anam',
    'Hasan', 'Arifin', 'Maulana', 'Ramadhan', 'Firmansyah', 'Hidayatullah', 'Nugroho', 'Pratama', 'Efendi',
  ],
  P: [
    'Lestari', 'Rahmawati', 'Wahyuningsih', 'Puspitasari', 'Safitri', 'Saputri', 'Hasanah', 'Fitriani', 'Kurniasari',
    'Aminah', 'Maghfiroh', 'Khotimah', 'Agustina', 'Wulandari', 'Rahayu', 'Ningsih', 'Fadilah', 'Nuraini',
  ],
};

/** Baptismal names for Christian residents, combined with a Javanese name as is common in East Java. */
const CHRISTIAN_FIRST: Record<Sex, readonly string[]> = {
  L: ['Yohanes', 'Agustinus', 'Paulus', 'Yosef', 'Markus', 'Petrus', 'Stefanus', 'Antonius', 'Fransiskus', 'Daniel'],
  P: ['Maria', 'Theresia', 'Elisabeth', 'Fransiska', 'Veronika', 'Agnes', 'Yohana', 'Christina', 'Magdalena', 'Ruth'],
};
const JAVANESE_LAST: Record<Sex, readonly string[]> = {
  L: ['Sugiarto', 'Wibisono', 'Hartanto', 'Setyawan', 'Purwanto', 'Sutanto', 'Budiono', 'Handoko'],
  P: ['Sri Hartini', 'Endang Sulistyowati', 'Wahyuningsih', 'Setyaningsih', 'Rahayu', 'Kristiani', 'Sulistyani'],
};

/** Balinese birth-order names of the Hindu minority. */
const BALINESE_FIRST: Record<Sex, readonly string[]> = {
  L: ['I Made', 'I Wayan', 'I Nyoman', 'I Ketut', 'I Gede', 'I Komang'],
  P: ['Ni Made', 'Ni Wayan', 'Ni Nyoman', 'Ni Ketut', 'Ni Luh', 'Ni Komang'],
};
const BALINESE_LAST: Record<Sex, readonly string[]> = {
  L: ['Sudarsana', 'Artawan', 'Suarjana', 'Wirawan', 'Mertayasa', 'Sukadana'],
  P: ['Suartini', 'Ariani', 'Sukerti', 'Widiastuti', 'Suarni', 'Sumerti'],
};

/** Chinese-Indonesian names, common among Buddhist and Konghucu families. */
const CHINESE_INDONESIAN: Record<Sex, readonly string[]> = {
  L: ['Hendra Gunawan', 'Budi Santoso Tjandra', 'Wijaya Kusuma', 'Liem Hok San', 'Tan Kian Hok', 'Andi Halim', 'Tjahjono'],
  P: ['Lina Wijaya', 'Lanny Gunawan', 'Liem Mei Lan', 'Tan Siok Hwa', 'Yenny Halim', 'Susanti Tjandra', 'Melinda Kusuma'],
};

/** A full name for someone of this sex, religion and birth year, upper-case as SIAK records it. */
export function residentName(random: Random, sex: Sex, religion: Religion, birthYear: number): string {
  let name: string;
  if (religion === 'KRISTEN' || religion === 'KATOLIK') {
    name = `${random.pick(CHRISTIAN_FIRST[sex])} ${random.pick(JAVANESE_LAST[sex])}`;
  } else if (religion === 'HINDU') {
    name = `${random.pick(BALINESE_FIRST[sex])} ${random.pick(BALINESE_LAST[sex])}`;
  } else if (religion === 'BUDDHA' || religion === 'KONGHUCU') {
    name = random.pick(CHINESE_INDONESIAN[sex]);
  } else if (birthYear < 1975 || (birthYear < 1990 && random.chance(0.4))) {
    name = random.pick(OLDER[sex]);
  } else {
    name = `${random.pick(YOUNGER_FIRST[sex])} ${random.pick(YOUNGER_LAST[sex])}`;
  }
  return name.toUpperCase();
}
