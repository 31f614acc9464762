import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp } from './common.ts';

/**
 * A resident's own status check (`/warga`): the registration number printed on the recording receipt plus the
 * date of birth. Not the NIK: a NIK carries the birth date in its middle digits, so NIK + birth date is one
 * secret, not two, and is refused by name. What comes back is only what that resident needs: no full NIK
 * (masked), no address, no photo, no other person's anything.
 */

/** As printed on the receipt: office code, the office's day (yyyymmdd) and the day's serial, e.g. 3509-20260302-000042. */
export const REGISTRATION_NUMBER_PATTERN = /^\d{4}-\d{8}-\d{6}$/;

/**
 * The number as a person types it: spaces, dots or missing dashes are forgiven (18 digits in all). A 16-digit
 * entry is a NIK and is refused before anything is looked up.
 */
export function normaliseRegistrationNumber(typed: string): string | 'NIK' | undefined {
  const digits = typed.replace(/[\s.\-/]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (digits.length === 16) return 'NIK';
  if (digits.length !== 18) return undefined;
  return `${digits.slice(0, 4)}-${digits.slice(4, 12)}-${digits.slice(12)}`;
}

export const citizenCheckRequestSchema = z.strictObject({
  registrationNumber: z.string().trim().min(1).max(40),
  birthDate: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
});
export type CitizenCheckRequest = z.infer<typeof citizenCheckRequestSchema>;

/** Where a record stands, in the few steps a resident cares about. */
export const CITIZEN_STAGES = ['RECORDED', 'AT_CENTRE', 'NEEDS_ATTENTION', 'PRINT_READY', 'PRINTING', 'PRINTED', 'SHIPPED', 'COLLECTED'] as const;
export type CitizenStage = (typeof CITIZEN_STAGES)[number];

export const citizenTimelineEntrySchema = z.object({
  status: z.string(),
  at: isoTimestamp,
  words: bilingualSchema,
});

export const CITIZEN_SUKET_STATES = ['NONE', 'ACTIVE', 'EXPIRING', 'EXPIRED', 'REVOKED_CARD_ISSUED', 'REVOKED'] as const;
export type CitizenSuketState = (typeof CITIZEN_SUKET_STATES)[number];

export const citizenSuketSchema = z.object({
  state: z.enum(CITIZEN_SUKET_STATES),
  serial: z.string().nullable(),
  issuedAt: isoTimestamp.nullable(),
  expiresAt: isoTimestamp.nullable(),
  words: bilingualSchema,
});

/**
 * The print forecast as a range of working days, never one promised date: `AVAILABLE` with earliest–latest,
 * `PRINTED` once the card exists, `NOT_YET` before the record is print-ready, `UNAVAILABLE` when no forecast
 * can be made (no blanks or printers known, or the planner is not running).
 */
export const citizenForecastSchema = z.object({
  kind: z.enum(['NOT_YET', 'AVAILABLE', 'PRINTED', 'UNAVAILABLE']),
  earliest: z.string().nullable(),
  latest: z.string().nullable(),
  words: bilingualSchema,
});

export const citizenPickupSchema = z.object({
  /** Where the card is (or will be) handed over. */
  place: z.string().nullable(),
  /** Whether that place is confirmed (a card shipped there) or only where the record was made. */
  confirmed: z.boolean(),
  words: bilingualSchema,
});

export const citizenCheckResponseSchema = z
  .object({
    registrationNumber: z.string(),
    /** e.g. 350901••••••0001: enough to recognise, not enough to use. */
    maskedNik: z.string(),
    /** First letter of each name, the rest hidden: "B••• S••••••". */
    maskedName: z.string(),
    recordedAt: isoTimestamp,
    recordedAtSite: z.string(),
    stage: z.enum(CITIZEN_STAGES),
    /** What this means and what to do now, in plain words. */
    now: bilingualSchema,
    timeline: z.array(citizenTimelineEntrySchema),
    suket: citizenSuketSchema,
    forecast: citizenForecastSchema,
    pickup: citizenPickupSchema,
    checkedAt: isoTimestamp,
  })
  .meta({ id: 'CitizenCheck' });
export type CitizenCheckResponse = z.infer<typeof citizenCheckResponseSchema>;

export const citizenRoutes = {
  check: {
    tags: ['citizen'],
    summary: 'A resident checks their own record: registration number from the receipt + date of birth (public, rate-limited; NIK refused)',
    body: citizenCheckRequestSchema,
    response: { 200: citizenCheckResponseSchema, ...errors(400, 404, 415, 429, 503) },
  },
};

/** Plain words for each status a resident may see on their timeline (Indonesian first). */
export const CITIZEN_STATUS_WORDS: Record<string, { id: string; en: string }> = {
  BIO_CAPTURED: { id: 'Data Anda sudah direkam di kantor.', en: 'Your data was recorded at the office.' },
  SENT_FOR_ENROLLMENT: { id: 'Data Anda dikirim ke pusat.', en: 'Your data was sent to the centre.' },
  RECEIVED_AT_CENTRAL: { id: 'Data Anda sudah diterima pusat.', en: 'The centre received your data.' },
  PROCESSING: { id: 'Pusat sedang memeriksa keunikan data Anda.', en: 'The centre is checking that your data is unique.' },
  ADJUDICATE_RECORD: { id: 'Petugas pusat memeriksa data Anda secara manual.', en: 'A centre officer is checking your data by hand.' },
  DUPLICATE_RECORD: { id: 'Pusat menemukan data ganda. Datanglah ke kantor Disdukcapil dengan KK Anda.', en: 'The centre found a duplicate. Please come to the Disdukcapil office with your family card (KK).' },
  ENROLL_FAILURE_AT_REGIONAL: { id: 'Perekaman perlu diulang. Datanglah ke kantor untuk rekam ulang.', en: 'The recording must be redone. Please come to the office to record again.' },
  ENROLL_FAILURE_AT_CENTRAL: { id: 'Pusat tidak dapat memproses rekaman. Datanglah ke kantor untuk rekam ulang.', en: 'The centre could not process the recording. Please come to the office to record again.' },
  SEARCH_FAILURE_AT_CENTRAL: { id: 'Pemeriksaan di pusat gagal dan akan diulang; Anda tidak perlu datang.', en: 'The check at the centre failed and will be repeated; you need not come.' },
  PRINT_READY_RECORD: { id: 'Data Anda siap cetak (PRR). KTP-el menunggu giliran cetak.', en: 'Your data is ready to print (PRR). The card is waiting its turn to be printed.' },
  SENT_FOR_CARD_PRINTING: { id: 'KTP-el Anda sedang dicetak.', en: 'Your card is being printed.' },
  CARD_PRINTED: { id: 'KTP-el Anda sudah dicetak.', en: 'Your card has been printed.' },
  CARD_SHIPPED: { id: 'KTP-el Anda dikirim ke tempat pengambilan.', en: 'Your card was sent to the pickup point.' },
  CARD_ISSUED: { id: 'KTP-el Anda sudah diserahkan.', en: 'Your card has been handed over.' },
};
