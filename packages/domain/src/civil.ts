import type { Bilingual } from './errors.ts';

/** Agama as recorded in SIAK; KEPERCAYAAN is "Kepercayaan terhadap Tuhan YME" (MK ruling 97/2016). */
export const RELIGIONS = ['ISLAM', 'KRISTEN', 'KATOLIK', 'HINDU', 'BUDDHA', 'KONGHUCU', 'KEPERCAYAAN'] as const;
export type Religion = (typeof RELIGIONS)[number];

export const RELIGION_LABELS: Record<Religion, Bilingual> = {
  ISLAM: { id: 'Islam', en: 'Islam' },
  KRISTEN: { id: 'Kristen', en: 'Protestant Christian' },
  KATOLIK: { id: 'Katolik', en: 'Catholic' },
  HINDU: { id: 'Hindu', en: 'Hindu' },
  BUDDHA: { id: 'Buddha', en: 'Buddhist' },
  KONGHUCU: { id: 'Konghucu', en: 'Confucian' },
  KEPERCAYAAN: { id: 'Kepercayaan terhadap Tuhan YME', en: 'Indigenous faith (Kepercayaan)' },
};

export const MARITAL_STATUSES = ['BELUM_KAWIN', 'KAWIN', 'CERAI_HIDUP', 'CERAI_MATI'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

export const MARITAL_STATUS_LABELS: Record<MaritalStatus, Bilingual> = {
  BELUM_KAWIN: { id: 'Belum kawin', en: 'Never married' },
  KAWIN: { id: 'Kawin', en: 'Married' },
  CERAI_HIDUP: { id: 'Cerai hidup', en: 'Divorced' },
  CERAI_MATI: { id: 'Cerai mati', en: 'Widowed' },
};

/** '-' is what the card shows when the blood type is not known. */
export const BLOOD_TYPES = ['A', 'B', 'AB', 'O', '-'] as const;
export type BloodType = (typeof BLOOD_TYPES)[number];

export const NATIONALITIES = ['WNI', 'WNA'] as const;
export type Nationality = (typeof NATIONALITIES)[number];

export const NATIONALITY_LABELS: Record<Nationality, Bilingual> = {
  WNI: { id: 'WNI (Warga Negara Indonesia)', en: 'Indonesian citizen' },
  WNA: { id: 'WNA (Warga Negara Asing)', en: 'Foreign national' },
};

/** Minimum age for a KTP-el; anyone married or once married qualifies younger (UU 24/2013 art. 63). */
export const KTP_MIN_AGE = 17;
