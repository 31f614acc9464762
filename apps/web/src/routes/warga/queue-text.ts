import type { QueueWait } from '@tangguh/protocol';
import { interpolate, useI18n, type Lang, type Params } from '../../i18n/index.tsx';

/**
 * The queue's screens (booking, kiosk, counter, board, statistics) keep their messages next to them, one
 * file each, Bahasa Indonesia first; this makes the `q(key)` of each from its two dictionaries.
 */
export function makeText<K extends string>(id: Record<K, string>, en: Record<K, string>) {
  const dictionaries: Record<Lang, Record<K, string>> = { id, en };
  const text = (lang: Lang, key: K, params?: Params) => interpolate(dictionaries[lang][key], params);
  const useText = () => {
    const { lang } = useI18n();
    return { lang, q: (key: K, params?: Params) => text(lang, key, params) };
  };
  return { text, useText };
}

const common = makeText(
  {
    'state.normal': 'Normal',
    'state.terganggu': 'Terganggu',
    'state.gangguan': 'Gangguan',
    'state.pemeliharaan': 'Pemeliharaan',
    'wait.range': '{low}–{high} menit',
    'wait.default': 'perkiraan awal',
    'lane.priority': 'Prioritas',
    'lane.booking': 'Reservasi',
    'lane.walkin': 'Langsung',
    'status.waiting': 'Menunggu',
    'status.called': 'Dipanggil',
    'status.done': 'Selesai',
    'status.noshow': 'Tidak hadir',
    'status.closed': 'Ditutup',
    'booking.active': 'Aktif',
    'booking.checked_in': 'Sudah check-in',
    'booking.cancelled': 'Dibatalkan',
    'booking.expired': 'Kedaluwarsa',
  },
  {
    'state.normal': 'Normal',
    'state.terganggu': 'Degraded',
    'state.gangguan': 'Outage',
    'state.pemeliharaan': 'Maintenance',
    'wait.range': '{low}–{high} min',
    'wait.default': 'first estimate',
    'lane.priority': 'Priority',
    'lane.booking': 'Booked',
    'lane.walkin': 'Walk-in',
    'status.waiting': 'Waiting',
    'status.called': 'Called',
    'status.done': 'Done',
    'status.noshow': 'Did not come',
    'status.closed': 'Closed',
    'booking.active': 'Active',
    'booking.checked_in': 'Checked in',
    'booking.cancelled': 'Cancelled',
    'booking.expired': 'Expired',
  },
);

export type CommonKey = Parameters<typeof common.text>[1];
export const queueCommon = common.text;

/** A wait as the range the server computed, e.g. "10–25 menit". */
export function waitText(lang: Lang, wait: QueueWait | null | undefined): string {
  if (!wait) return '—';
  const range = queueCommon(lang, 'wait.range', { low: wait.lowMinutes, high: wait.highMinutes });
  return wait.basis === 'default' ? `${range} (${queueCommon(lang, 'wait.default')})` : range;
}

/** Services that cannot take anyone now: the screens say so and what to do instead. */
export const UNAVAILABLE_STATES = new Set(['gangguan', 'pemeliharaan']);

/** The screen's site: `?lokasi=` in the address, else the one chosen last on this device. */
export function rememberedSite(storageKey: string): string | null {
  const fromUrl = new URLSearchParams(location.search).get('lokasi');
  if (fromUrl) return fromUrl;
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function rememberSite(storageKey: string, siteId: string): void {
  try {
    localStorage.setItem(storageKey, siteId);
  } catch {
    // Not remembered; the choice still applies now.
  }
}
