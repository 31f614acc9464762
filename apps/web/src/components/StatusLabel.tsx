import { RECORD_STATUSES } from '@tangguh/domain';
import { isMessageKey, useI18n, type Translate } from '../i18n/index.tsx';

/** Record statuses in lifecycle order (DOMAIN.md), from the domain package the servers use too. */
export const STATUS_ORDER = RECORD_STATUSES;

const FAILURES = new Set(['ENROLL_FAILURE_AT_REGIONAL', 'ENROLL_FAILURE_AT_CENTRAL', 'SEARCH_FAILURE_AT_CENTRAL']);
const DONE = new Set(['PRINT_READY_RECORD', 'SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED']);

export type StatusTone = 'progress' | 'attention' | 'danger' | 'success';

export function statusTone(status: string): StatusTone {
  if (FAILURES.has(status) || status === 'DUPLICATE_RECORD') return 'danger';
  if (status === 'ADJUDICATE_RECORD') return 'attention';
  if (DONE.has(status)) return 'success';
  return 'progress';
}

/** No more automatic changes are expected: stop polling. */
export function isFinalStatus(status: string): boolean {
  return status === 'DUPLICATE_RECORD' || DONE.has(status) || FAILURES.has(status);
}

export function statusText(t: Translate, status: string): string {
  const key = `status.${status}`;
  return isMessageKey(key) ? t(key) : status;
}

/** Every status order we know, followed by any the server adds later. */
export function orderedStatuses(codes: Iterable<string>): string[] {
  const known: string[] = [...STATUS_ORDER];
  const extra = [...codes].filter((code) => !known.includes(code)).sort();
  return [...known, ...extra];
}

interface Props {
  status: string;
  size?: 'small' | 'large';
}

/** A human label in the current language with the SIAK code in small type beside it. */
export function StatusLabel({ status, size = 'small' }: Props) {
  const { t } = useI18n();
  return (
    <span className={`status status--${statusTone(status)} status--${size}`} data-status={status}>
      <span className="status__dot" aria-hidden="true" />
      <span className="status__label">{statusText(t, status)}</span> <code className="status__code">{status}</code>
    </span>
  );
}
