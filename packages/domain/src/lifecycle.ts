import type { Bilingual } from './errors.ts';

/** Record statuses as SIAK reports them (DOMAIN.md), in lifecycle order. */
export const RECORD_STATUSES = [
  'BIO_CAPTURED',
  'SENT_FOR_ENROLLMENT',
  'RECEIVED_AT_CENTRAL',
  'PROCESSING',
  'ENROLL_FAILURE_AT_REGIONAL',
  'ENROLL_FAILURE_AT_CENTRAL',
  'SEARCH_FAILURE_AT_CENTRAL',
  'ADJUDICATE_RECORD',
  'DUPLICATE_RECORD',
  'PRINT_READY_RECORD',
  'SENT_FOR_CARD_PRINTING',
  'CARD_PRINTED',
  'CARD_SHIPPED',
  'CARD_ISSUED',
] as const;

export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const FAILURE_STATUSES: readonly RecordStatus[] = [
  'ENROLL_FAILURE_AT_REGIONAL',
  'ENROLL_FAILURE_AT_CENTRAL',
  'SEARCH_FAILURE_AT_CENTRAL',
];

/** Which status may follow which. Failures may be retried from the start of central processing. */
const NEXT: Record<RecordStatus, readonly RecordStatus[]> = {
  BIO_CAPTURED: ['SENT_FOR_ENROLLMENT', 'ENROLL_FAILURE_AT_REGIONAL'],
  SENT_FOR_ENROLLMENT: ['RECEIVED_AT_CENTRAL', 'ENROLL_FAILURE_AT_CENTRAL'],
  RECEIVED_AT_CENTRAL: ['PROCESSING', 'ENROLL_FAILURE_AT_CENTRAL'],
  PROCESSING: ['PRINT_READY_RECORD', 'DUPLICATE_RECORD', 'ADJUDICATE_RECORD', 'SEARCH_FAILURE_AT_CENTRAL', 'ENROLL_FAILURE_AT_CENTRAL'],
  ENROLL_FAILURE_AT_REGIONAL: ['SENT_FOR_ENROLLMENT'],
  ENROLL_FAILURE_AT_CENTRAL: ['RECEIVED_AT_CENTRAL'],
  SEARCH_FAILURE_AT_CENTRAL: ['PROCESSING'],
  ADJUDICATE_RECORD: ['PRINT_READY_RECORD', 'DUPLICATE_RECORD'],
  DUPLICATE_RECORD: [],
  PRINT_READY_RECORD: ['SENT_FOR_CARD_PRINTING'],
  SENT_FOR_CARD_PRINTING: ['CARD_PRINTED'],
  CARD_PRINTED: ['CARD_SHIPPED', 'CARD_ISSUED'],
  CARD_SHIPPED: ['CARD_ISSUED'],
  CARD_ISSUED: [],
};

export function canTransition(from: RecordStatus, to: RecordStatus): boolean {
  return NEXT[from].includes(to);
}

export function isRecordStatus(value: string): value is RecordStatus {
  return (RECORD_STATUSES as readonly string[]).includes(value);
}

/** Position in the lifecycle; a status update that would move a record backwards is stale. */
export function lifecycleRank(status: RecordStatus): number {
  return RECORD_STATUSES.indexOf(status);
}

export const STATUS_LABELS: Record<RecordStatus, Bilingual> = {
  BIO_CAPTURED: { id: 'Biodata terekam', en: 'Biodata captured' },
  SENT_FOR_ENROLLMENT: { id: 'Dikirim ke pusat', en: 'Sent for enrollment' },
  RECEIVED_AT_CENTRAL: { id: 'Diterima di pusat', en: 'Received at the centre' },
  PROCESSING: { id: 'Proses penunggalan', en: 'Deduplication in progress' },
  ENROLL_FAILURE_AT_REGIONAL: { id: 'Gagal kirim dari daerah', en: 'Enrollment failed at the regional office' },
  ENROLL_FAILURE_AT_CENTRAL: { id: 'Gagal diterima di pusat', en: 'Enrollment failed at the centre' },
  SEARCH_FAILURE_AT_CENTRAL: { id: 'Gagal penunggalan di pusat', en: 'Deduplication search failed at the centre' },
  ADJUDICATE_RECORD: { id: 'Menunggu adjudikasi', en: 'Awaiting adjudication' },
  DUPLICATE_RECORD: { id: 'Data ganda', en: 'Duplicate record' },
  PRINT_READY_RECORD: { id: 'Siap cetak (PRR)', en: 'Print ready (PRR)' },
  SENT_FOR_CARD_PRINTING: { id: 'Dalam antrean cetak', en: 'Sent for card printing' },
  CARD_PRINTED: { id: 'Kartu tercetak', en: 'Card printed' },
  CARD_SHIPPED: { id: 'Kartu dikirim ke lokasi ambil', en: 'Card shipped to pickup point' },
  CARD_ISSUED: { id: 'Kartu diserahkan', en: 'Card issued' },
};
