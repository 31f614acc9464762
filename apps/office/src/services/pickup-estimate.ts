import { formatZoned, zonedParts, type Bilingual } from '@tangguh/domain';
import type { DocumentStatus } from '../db/migrations-documents.ts';
import type { TteState } from './tte-status.ts';

/**
 * When the citizen can collect a document, told honestly: a day only when the signature can actually
 * happen; during a TTE outage no date at all, just since when it is down and how long that has been.
 */
export type PickupKind = 'READY' | 'AFTER_SIGNATURE' | 'AFTER_TTE_RECOVERY' | 'TTE_UNKNOWN' | 'SUPERSEDED';

export interface PickupEstimate {
  kind: PickupKind;
  /** For AFTER_SIGNATURE: today, or the next working day when today's signing window has passed. */
  day?: 'TODAY' | 'NEXT_WORKING_DAY';
  messages: Bilingual;
  tte: { available: boolean | null; since: string | null; reason: TteState['reason']; checkedAt: string | null; outageMinutes: number | null };
}

/** Documents created after this hour (office time) or on a weekend are signed on the next working day. */
export const SIGNING_CUTOFF_HOUR = 15;

/** "2 hari 3 jam" / "2 days 3 hours"; the two largest units are enough for a person. */
export function formatDuration(minutes: number): Bilingual {
  if (minutes < 1) return { id: 'kurang dari 1 menit', en: 'less than a minute' };
  const units: [number, string, string, string][] = [
    [1440, 'hari', 'day', 'days'],
    [60, 'jam', 'hour', 'hours'],
    [1, 'menit', 'minute', 'minutes'],
  ];
  const id: string[] = [];
  const en: string[] = [];
  let rest = Math.floor(minutes);
  for (const [size, idName, enOne, enMany] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n === 0 || id.length === 2) continue;
    id.push(`${n} ${idName}`);
    en.push(`${n} ${n === 1 ? enOne : enMany}`);
  }
  return { id: id.join(' '), en: en.join(' ') };
}

/** The head of office signs on the office's working days and hours, so the office's wall clock decides. */
function signingDay(now: Date, timeZone: string): 'TODAY' | 'NEXT_WORKING_DAY' {
  const { weekday, hour } = zonedParts(now, timeZone);
  return weekday >= 1 && weekday <= 5 && hour < SIGNING_CUTOFF_HOUR ? 'TODAY' : 'NEXT_WORKING_DAY';
}

/** `timeZone` is the office's: it sets the signing window and how times in the messages read. */
export function pickupEstimate(document: { status: DocumentStatus; supersededBy: string | null }, tte: TteState, now: Date, timeZone: string): PickupEstimate {
  const formatWhen = (iso: string, lang: 'id' | 'en') => formatZoned(iso, timeZone, lang);
  const outageMinutes = tte.available === false && tte.since ? Math.max(0, Math.floor((now.getTime() - Date.parse(tte.since)) / 60_000)) : null;
  const base = { tte: { available: tte.available, since: tte.since, reason: tte.reason, checkedAt: tte.checkedAt, outageMinutes } };

  if (document.status === 'SIGNED') {
    return { ...base, kind: 'READY', messages: { id: 'Sudah ditandatangani secara elektronik; dapat dicetak dan diambil sekarang.', en: 'Signed electronically; it can be printed and collected now.' } };
  }
  if (document.status === 'WET_SIGNED') {
    return { ...base, kind: 'READY', messages: { id: 'Sudah ditandatangani basah (tanpa TTE); dapat diambil sekarang.', en: 'Wet-signed (without TTE); it can be collected now.' } };
  }
  if (document.status === 'SUPERSEDED') {
    const by = document.supersededBy ?? '—';
    return { ...base, kind: 'SUPERSEDED', messages: { id: `Sudah diganti oleh dokumen yang lebih baru (${by}); tidak untuk diambil.`, en: `Replaced by a newer document (${by}); not for collection.` } };
  }
  if (tte.available === true) {
    const day = signingDay(now, timeZone);
    return {
      ...base,
      kind: 'AFTER_SIGNATURE',
      day,
      messages:
        day === 'TODAY'
          ? { id: 'Perkiraan: hari ini, setelah ditandatangani kepala dinas (layanan TTE pusat berjalan normal).', en: 'Estimate: today, once the head of office has signed it (the centre’s TTE service is working).' }
          : { id: 'Perkiraan: hari kerja berikutnya, setelah ditandatangani kepala dinas (layanan TTE pusat berjalan normal).', en: 'Estimate: the next working day, once the head of office has signed it (the centre’s TTE service is working).' },
    };
  }
  if (tte.available === false) {
    const since = tte.since ?? tte.checkedAt ?? now.toISOString();
    const lasted = formatDuration(outageMinutes ?? 0);
    const cause =
      tte.reason === 'CENTRE_UNREACHABLE'
        ? { id: `Kantor tidak dapat menghubungi pusat sejak ${formatWhen(since, 'id')} (sudah ${lasted.id}), sehingga tanda tangan elektronik (TTE) tidak dapat dilakukan.`, en: `The office cannot reach the centre since ${formatWhen(since, 'en')} (${lasted.en} so far), so electronic signing (TTE) is not possible.` }
        : { id: `Layanan TTE pusat gangguan sejak ${formatWhen(since, 'id')} (sudah ${lasted.id}).`, en: `The centre’s TTE service has been down since ${formatWhen(since, 'en')} (${lasted.en} so far).` };
    return {
      ...base,
      kind: 'AFTER_TTE_RECOVERY',
      messages: {
        id: `${cause.id} Dokumen siap diambil setelah layanan TTE pulih dan kepala dinas menandatanganinya; Anda akan diberi tahu. Belum ada tanggal pasti.`,
        en: `${cause.en} The document will be ready once the TTE service has recovered and the head of office has signed it; you will be notified. There is no firm date yet.`,
      },
    };
  }
  return {
    ...base,
    kind: 'TTE_UNKNOWN',
    messages: { id: 'Status layanan TTE pusat belum diketahui; perkiraan waktu ambil menyusul setelah kantor memeriksanya.', en: 'The state of the centre’s TTE service is not known yet; a pickup estimate follows once the office has checked it.' },
  };
}
