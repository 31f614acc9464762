import { makeText } from '../warga/queue-text.ts';

/** Messages of the TV board at /layar. */
const id = {
  title: 'Papan antrean',
  pickSite: 'Pilih lokasi layar ini',
  nowCalling: 'Dipanggil',
  toCounter: 'Loket {n}',
  counters: 'Loket',
  noCall: 'Belum ada panggilan',
  closedCounter: 'Tutup',
  waiting: 'Menunggu',
  waitingN: '{n} menunggu',
  waitRange: 'tunggu ± {range}',
  recent: 'Panggilan sebelumnya',
  live: 'Langsung',
  polling: 'Diperbarui berkala',
  offline: 'Tidak tersambung — menampilkan data terakhir',
  soundOn: 'Suara menyala',
  announcement: 'Pengumuman',
  noVoice: 'Suara kantor tidak tersedia; memakai suara peramban',
} as const;

type Key = keyof typeof id;

const en: Record<Key, string> = {
  title: 'Queue board',
  pickSite: 'Choose where this screen stands',
  nowCalling: 'Now calling',
  toCounter: 'Counter {n}',
  counters: 'Counters',
  noCall: 'No calls yet',
  closedCounter: 'Closed',
  waiting: 'Waiting',
  waitingN: '{n} waiting',
  waitRange: 'wait ± {range}',
  recent: 'Previous calls',
  live: 'Live',
  polling: 'Refreshed periodically',
  offline: 'Not connected — showing the last data',
  soundOn: 'Sound on',
  announcement: 'Announcement',
  noVoice: 'The office voice is unavailable; using the browser’s speech',
};

export const { useText: useBoardText } = makeText<Key>(id, en);

/** Shown in both languages at once: whoever stands at the TV may read either. */
export const TAP_FOR_SOUND = { id: 'Ketuk untuk menyalakan suara', en: 'Tap to enable sound' } as const;
