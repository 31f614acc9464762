import type { Transaction } from 'kysely';
import type { RecordStatus } from '@tangguh/domain';
import type { CentralDb, CentralDbOrTx } from '../db/schema.ts';
import { reserveCursors } from './offices.ts';

export interface NewStatusChange {
  officeId: string;
  recordId: string;
  status: RecordStatus;
  at: string;
  note: string | null;
}

/**
 * Appends status changes to each office's feed, in the caller's transaction. Cursors are reserved under
 * the office row's lock, so they become visible in commit order and a reader never skips one. Returns the
 * cursor each change got, in the order given.
 */
export async function appendChanges(trx: Transaction<CentralDb>, changes: NewStatusChange[]): Promise<number[]> {
  const byOffice = new Map<string, number[]>();
  changes.forEach((change, i) => {
    const list = byOffice.get(change.officeId) ?? [];
    list.push(i);
    byOffice.set(change.officeId, list);
  });
  const cursors = new Array<number>(changes.length);
  for (const [officeId, list] of byOffice) {
    const first = await reserveCursors(trx, officeId, list.length);
    list.forEach((index, i) => (cursors[index] = first + i));
    for (let i = 0; i < list.length; i += CHUNK) {
      await trx
        .insertInto('status_changes')
        .values(list.slice(i, i + CHUNK).map((index) => {
          const c = changes[index]!;
          return { office_id: officeId, cursor: cursors[index]!, record_id: c.recordId, status: c.status, at: c.at, note: c.note };
        }))
        .execute();
    }
  }
  return cursors;
}

// Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits with 6 columns.
const CHUNK = 1000;

/** Moves enrollments to a new status and tells their offices, in one transaction. */
export async function recordStatusChanges(trx: Transaction<CentralDb>, changes: NewStatusChange[]): Promise<void> {
  await appendChanges(trx, changes);
  for (const change of changes) {
    await trx
      .updateTable('enrollments')
      .set({ status: change.status, status_at: change.at })
      .where('record_id', '=', change.recordId)
      .execute();
  }
}

export function listChanges(db: CentralDbOrTx, officeId: string, after: number, limit: number) {
  return db
    .selectFrom('status_changes')
    .select(['cursor', 'record_id', 'status', 'at', 'note'])
    .where('office_id', '=', officeId)
    .where('cursor', '>', after)
    .orderBy('cursor')
    .limit(limit)
    .execute();
}
