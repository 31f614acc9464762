import type { CentralDbOrTx } from '../db/schema.ts';

/**
 * The centre's view of one office's window, for the office's reconciliation report: the recordings it holds
 * whose recording time lies in [from, to], and the events that office sent that happened in it. Times are
 * ISO strings in UTC on both sides, so they compare as text.
 */
export function enrollmentsInWindow(db: CentralDbOrTx, officeId: string, from: string, to: string, limit: number) {
  return db
    .selectFrom('enrollments')
    .select(['record_id', 'registration_number', 'status', 'status_at', 'recorded_at', 'received_at'])
    .where('office_id', '=', officeId)
    .where('recorded_at', '>=', from)
    .where('recorded_at', '<=', to)
    .orderBy('recorded_at')
    .orderBy('record_id')
    .limit(limit)
    .execute();
}

export function officeEventsInWindow(db: CentralDbOrTx, officeId: string, from: string, to: string, limit: number) {
  return db
    .selectFrom('office_events')
    .select(['seq', 'kind', 'subject_id', 'occurred_at', 'applied_at'])
    .where('office_id', '=', officeId)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<=', to)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
