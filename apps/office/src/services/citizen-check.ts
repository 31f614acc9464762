import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, formatZonedDate, type Bilingual } from '@tangguh/domain';
import {
  CITIZEN_STATUS_WORDS,
  normaliseRegistrationNumber,
  type CitizenCheckRequest,
  type CitizenCheckResponse,
  type CitizenStage,
} from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { appendAccess } from '../repositories/access-log.ts';
import {
  blockKey,
  blockedUntil,
  citizenSukets,
  citizenTimeline,
  countFailure,
  findRecordByRegistrationNumber,
  sweepFailures,
  type CitizenRecordRow,
} from '../repositories/citizen-check.ts';
import { dinasSite, findSite, latestManifestOf } from '../repositories/distribution.ts';
import { citizenForecast } from './citizen-forecast.ts';

/**
 * A resident's own status check: registration number (from the receipt) + date of birth.
 *
 * Why these rules. The registration number is guessable (office code, the day, a serial), so the birth date
 * is the secret, and a birth date has only ~30,000 plausible values: failures are counted per number
 * (whether it exists or not) and per address, in the database so every API process shares them, and a
 * number that fails 5 times in an hour waits an hour. A wrong number and a wrong date give the same answer
 * after the same work (one lookup, one constant-time comparison, two counter updates), so the answer never
 * says that a number exists. A NIK is refused by name: it carries the birth date, so NIK + date is one secret.
 */
export const CITIZEN_THROTTLE = {
  windowMs: 60 * 60_000,
  perNumberFailures: 5,
  perNumberBlockMs: 60 * 60_000,
  perAddressFailures: 20,
  perAddressBlockMs: 60 * 60_000,
} as const;

export type CitizenCheckOutcome = { kind: 'found'; answer: CitizenCheckResponse } | { kind: 'no_match' } | { kind: 'blocked'; until: string };

export const nikRefused = () =>
  new DomainError(
    'CITIZEN_CHECK_NIK_REFUSED',
    {
      id: 'NIK tidak dapat dipakai di sini: NIK sudah memuat tanggal lahir. Masukkan nomor registrasi dari tanda terima perekaman.',
      en: 'A NIK cannot be used here: it already contains the date of birth. Enter the registration number from the recording receipt.',
    },
    'invalid',
    [{ field: 'registrationNumber', code: 'NIK_NOT_ACCEPTED', messages: { id: 'Ini NIK, bukan nomor registrasi.', en: 'This is a NIK, not a registration number.' } }],
  );

const numberInvalid = () =>
  new DomainError('CITIZEN_CHECK_NUMBER_INVALID', { id: 'Nomor registrasi tidak berbentuk benar (contoh: 3509-20260302-000042).', en: 'The registration number is not in the right form (for example 3509-20260302-000042).' }, 'invalid', [
    { field: 'registrationNumber', code: 'REGISTRATION_NUMBER_INVALID', messages: { id: 'Contoh: 3509-20260302-000042.', en: 'For example 3509-20260302-000042.' } },
  ]);

export const NO_MATCH: Bilingual = {
  id: 'Nomor registrasi dan tanggal lahir tidak cocok dengan data kami. Periksa tanda terima Anda, lalu coba lagi.',
  en: 'The registration number and date of birth do not match our records. Check your receipt, then try again.',
};

const digest = (text: string) => createHash('sha256').update(text).digest();
// Compared as hashes: equal length whatever was typed, so the comparison takes the same time.
const sameDate = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));
const ABSENT_BIRTH_DATE = '0000-00-00';

export interface CitizenCheckProps {
  request: CitizenCheckRequest;
  address: string;
  screen: string;
}

export async function checkOwnRecord(ctx: OfficeContext, { request, address, screen }: CitizenCheckProps): Promise<CitizenCheckOutcome> {
  const number = normaliseRegistrationNumber(request.registrationNumber);
  if (number === 'NIK') throw nikRefused();
  if (number === undefined) throw numberInvalid();
  const now = ctx.now();
  const at = now.toISOString();
  const keys = { number: `regno:${number}`, address: `address:${address}` };

  const waiting = await blockedUntil(ctx.db, [keys.number, keys.address], at);
  if (waiting) return { kind: 'blocked', until: waiting };

  const record = await findRecordByRegistrationNumber(ctx.db, number);
  const matches = sameDate(record?.birth_date ?? ABSENT_BIRTH_DATE, request.birthDate) && record !== undefined;
  if (!matches) {
    const windowStart = new Date(now.getTime() - CITIZEN_THROTTLE.windowMs).toISOString();
    const byNumber = await countFailure(ctx.db, keys.number, at, windowStart);
    const byAddress = await countFailure(ctx.db, keys.address, at, windowStart);
    if (byNumber >= CITIZEN_THROTTLE.perNumberFailures) await blockKey(ctx.db, keys.number, new Date(now.getTime() + CITIZEN_THROTTLE.perNumberBlockMs).toISOString());
    if (byAddress >= CITIZEN_THROTTLE.perAddressFailures) await blockKey(ctx.db, keys.address, new Date(now.getTime() + CITIZEN_THROTTLE.perAddressBlockMs).toISOString());
    return { kind: 'no_match' };
  }

  // The resident's data leaves the office only with a trace (UU PDP): written before the answer is built.
  await appendAccess(ctx.db, { at, username: 'warga', role: 'citizen', siteId: 'publik', action: 'citizen.check', recordId: record.id, nik: record.nik, subject: number, screen });
  return { kind: 'found', answer: await presentCheck(ctx, record, now) };
}

/** Old counts, swept now and then by the route's timer. */
export async function forgetOldCitizenFailures(ctx: OfficeContext): Promise<void> {
  const now = ctx.now();
  await sweepFailures(ctx.db, new Date(now.getTime() - CITIZEN_THROTTLE.windowMs).toISOString(), now.toISOString());
}

// ----- what the resident is shown -----

const STAGES: Record<string, CitizenStage> = {
  BIO_CAPTURED: 'RECORDED',
  SENT_FOR_ENROLLMENT: 'AT_CENTRE',
  RECEIVED_AT_CENTRAL: 'AT_CENTRE',
  PROCESSING: 'AT_CENTRE',
  ADJUDICATE_RECORD: 'AT_CENTRE',
  SEARCH_FAILURE_AT_CENTRAL: 'AT_CENTRE',
  DUPLICATE_RECORD: 'NEEDS_ATTENTION',
  ENROLL_FAILURE_AT_REGIONAL: 'NEEDS_ATTENTION',
  ENROLL_FAILURE_AT_CENTRAL: 'NEEDS_ATTENTION',
  PRINT_READY_RECORD: 'PRINT_READY',
  SENT_FOR_CARD_PRINTING: 'PRINTING',
  CARD_PRINTED: 'PRINTED',
  CARD_SHIPPED: 'SHIPPED',
  CARD_ISSUED: 'COLLECTED',
};

const WHAT_NOW: Record<CitizenStage, Bilingual> = {
  RECORDED: { id: 'Data Anda tersimpan di kantor dan akan dikirim ke pusat secara otomatis. Anda tidak perlu datang.', en: 'Your data is kept at the office and will be sent to the centre automatically. You need not come.' },
  AT_CENTRE: { id: 'Pusat sedang memproses data Anda. Anda tidak perlu datang; periksa lagi beberapa hari lagi.', en: 'The centre is processing your data. You need not come; check again in a few days.' },
  NEEDS_ATTENTION: { id: 'Ada yang perlu diselesaikan. Datanglah ke kantor Disdukcapil dengan tanda terima dan KK Anda.', en: 'Something needs to be settled. Please come to the Disdukcapil office with your receipt and family card (KK).' },
  PRINT_READY: { id: 'Data Anda siap cetak. KTP-el menunggu giliran cetak; perkiraan di bawah.', en: 'Your data is ready to print. The card is waiting its turn; see the estimate below.' },
  PRINTING: { id: 'KTP-el Anda sedang dicetak. Tunggu kabar tempat pengambilan.', en: 'Your card is being printed. Wait for word of where to collect it.' },
  PRINTED: { id: 'KTP-el Anda sudah dicetak dan akan dikirim ke tempat pengambilan.', en: 'Your card is printed and will be sent to the pickup point.' },
  SHIPPED: { id: 'KTP-el Anda dapat diambil. Bawa tanda terima dan Suket (jika ada).', en: 'Your card can be collected. Bring your receipt and Suket (if you have one).' },
  COLLECTED: { id: 'KTP-el Anda sudah diserahkan. Tidak ada lagi yang perlu dilakukan.', en: 'Your card has been handed over. Nothing more to do.' },
};

const DOT = '•';

/** 350901••••••0001: the region and serial, not the birth date in the middle. */
export const maskNik = (nik: string) => (nik.length === 16 ? `${nik.slice(0, 6)}${DOT.repeat(6)}${nik.slice(12)}` : DOT.repeat(nik.length));
/** "B••• S••••••": the first letter of each name. */
export const maskName = (name: string) =>
  name
    .trim()
    .split(/\s+/)
    .map((part) => [...part][0] + DOT.repeat(Math.max(0, [...part].length - 1)))
    .join(' ');

const EXPIRING_DAYS = 14;

function suketOf(rows: Awaited<ReturnType<typeof citizenSukets>>, now: Date, timeZone: string): CitizenCheckResponse['suket'] {
  const chosen = rows.find((r) => r.status === 'ACTIVE') ?? rows[0];
  if (!chosen) {
    return { state: 'NONE', serial: null, issuedAt: null, expiresAt: null, words: { id: 'Belum ada Suket. Jika Anda memerlukannya sebelum KTP-el jadi, mintalah di kantor.', en: 'No Suket yet. If you need one before the card is ready, ask at the office.' } };
  }
  const base = { serial: chosen.serial, issuedAt: chosen.issued_at, expiresAt: chosen.expires_at };
  const until = { id: formatZonedDate(chosen.expires_at, timeZone, 'id'), en: formatZonedDate(chosen.expires_at, timeZone, 'en') };
  if (chosen.status === 'REVOKED') {
    if (chosen.revoke_reason === 'CARD_ISSUED') return { ...base, state: 'REVOKED_CARD_ISSUED', words: { id: 'Suket tidak berlaku lagi karena KTP-el Anda sudah diserahkan.', en: 'The Suket is no longer valid because your card has been handed over.' } };
    return { ...base, state: 'REVOKED', words: { id: 'Suket Anda dicabut. Tanyakan di kantor bila Anda masih memerlukannya.', en: 'Your Suket was revoked. Ask at the office if you still need one.' } };
  }
  const left = Date.parse(chosen.expires_at) - now.getTime();
  if (left <= 0) return { ...base, state: 'EXPIRED', words: { id: `Suket habis berlaku pada ${until.id}. Perpanjang di kantor bila KTP-el belum jadi.`, en: `The Suket expired on ${until.en}. Renew it at the office if the card is not ready.` } };
  if (left <= EXPIRING_DAYS * 86_400_000) {
    return { ...base, state: 'EXPIRING', words: { id: `Suket berlaku sampai ${until.id} — segera habis. Perpanjang di kantor, atau ambil KTP-el bila sudah dicetak.`, en: `The Suket is valid until ${until.en} — soon to expire. Renew it at the office, or collect the card if it is printed.` } };
  }
  return { ...base, state: 'ACTIVE', words: { id: `Suket berlaku sampai ${until.id}.`, en: `The Suket is valid until ${until.en}.` } };
}

async function pickupOf(ctx: OfficeContext, record: CitizenRecordRow, stage: CitizenStage): Promise<CitizenCheckResponse['pickup']> {
  if (stage === 'COLLECTED') return { place: null, confirmed: true, words: { id: 'Sudah diambil.', en: 'Already collected.' } };
  const custody = (await latestManifestOf(ctx.db, [record.id])).get(record.id);
  const to = custody && (await findSite(ctx.db, custody.to_site_id))?.name;
  if (custody && to) {
    if (custody.item_state === 'LOST') {
      return { place: null, confirmed: false, words: { id: 'Kartu Anda hilang dalam pengiriman dan dicetak ulang dengan prioritas; tempat pengambilan tampil di sini setelah dikirim lagi.', en: 'Your card was lost in transit and is being printed again with priority; the pickup place shows here once it is sent again.' } };
    }
    if (custody.item_state === 'MISSING') {
      return { place: to, confirmed: false, words: { id: `Kartu Anda belum ditemukan di ${to}. Tanyakan ke kantor Disdukcapil dengan membawa tanda terima.`, en: `Your card has not been found at ${to}. Ask at the Disdukcapil office with your receipt.` } };
    }
    if (custody.manifest_status === 'RECEIVED') return { place: to, confirmed: true, words: { id: `Ambil di ${to}. Bawa tanda terima dan Suket (jika ada).`, en: `Collect it at ${to}. Bring your receipt and Suket (if you have one).` } };
    if (custody.manifest_status === 'DISPATCHED') return { place: to, confirmed: true, words: { id: `Kartu sedang dikirim ke ${to}. Tunggu sampai status berubah menjadi siap diambil.`, en: `The card is on its way to ${to}. Wait until it shows as ready to collect.` } };
    return { place: to, confirmed: true, words: { id: `Kartu akan dikirim ke ${to}.`, en: `The card will be sent to ${to}.` } };
  }
  if (stage === 'PRINTED' || stage === 'SHIPPED') {
    const dinas = (await dinasSite(ctx.db))?.name ?? record.site_name;
    return { place: dinas, confirmed: false, words: { id: `Kartu ada di ${dinas} dan akan dikirim ke tempat pengambilan; tempatnya tampil di sini setelah dikirim.`, en: `The card is at ${dinas} and will be sent to a pickup point; the place shows here once it is sent.` } };
  }
  return {
    place: record.site_name,
    confirmed: false,
    words: {
      id: `Belum ditentukan. Biasanya di tempat perekaman (${record.site_name}); tempat pasti tampil di sini setelah kartu dikirim.`,
      en: `Not decided yet. Usually where you were recorded (${record.site_name}); the exact place shows here once the card is sent.`,
    },
  };
}

async function presentCheck(ctx: OfficeContext, record: CitizenRecordRow, now: Date): Promise<CitizenCheckResponse> {
  const timeZone = ctx.office.timeZone;
  const [events, sukets] = await Promise.all([citizenTimeline(ctx.db, record.id), citizenSukets(ctx.db, record.id)]);
  const stage = STAGES[record.status] ?? 'AT_CENTRE';
  return {
    registrationNumber: record.registration_number,
    maskedNik: maskNik(record.nik),
    maskedName: maskName(record.full_name),
    recordedAt: record.recorded_at,
    recordedAtSite: record.site_name,
    stage,
    now: WHAT_NOW[stage],
    timeline: events.map((e) => ({ status: e.status, at: e.at, words: CITIZEN_STATUS_WORDS[e.status] ?? { id: e.status, en: e.status } })),
    suket: suketOf(sukets, now, timeZone),
    forecast: await citizenForecast(ctx, record.id, record.status),
    pickup: await pickupOf(ctx, record, stage),
    checkedAt: now.toISOString(),
  };
}
