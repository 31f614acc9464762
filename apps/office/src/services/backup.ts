import { chmodSync, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DomainError } from '@tangguh/domain';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import { advanceOutboxSeq, highestOutboxSeq } from '../repositories/outbox.ts';
import { openOffice } from '../runtime.ts';
import type { Kysely } from 'kysely';
import type { OfficeContext } from '../context.ts';
import type { OfficeDb } from '../db/schema.ts';
import { backupPostgresOffice, restorePostgresOffice } from './backup-postgres.ts';

/**
 * Backups of a SQLite office: SQLite's online backup API (through better-sqlite3) copies the database page by
 * page from its own read transaction, so the copy is one consistent moment even while operators record and
 * the sync worker writes; a plain file copy of a WAL database is not. An office on PostgreSQL is dumped with
 * pg_dump, which reads one snapshot too (backup-postgres.ts).
 */

const isPostgres = (location: string) => /^postgres(ql)?:\/\//.test(location);

const notAnOfficeBackup = (path: string, why: string) =>
  new DomainError('BACKUP_INVALID', { id: `${path} bukan cadangan kantor yang utuh (${why}).`, en: `${path} is not an intact office backup (${why}).` });

export interface BackupSummary {
  officeId: string;
  bytes: number;
  /** Counted in the copy (SQLite) or in the database the dump was taken from, just after (PostgreSQL). */
  records: number;
  /** The highest outbox seq the copy holds: where the restored office would continue. */
  outboxSeq: number;
}

/** What a backup file holds, after checking it page by page; throws BACKUP_INVALID when it is not intact. */
export function inspectBackup(path: string): BackupSummary {
  if (!existsSync(path)) throw notAnOfficeBackup(path, 'not found');
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw notAnOfficeBackup(path, `integrity_check: ${String(integrity)}`);
    const officeId = (db.prepare(`select value from settings where key = 'office_id'`).get() as { value: string } | undefined)?.value;
    if (!officeId) throw notAnOfficeBackup(path, 'no office identity');
    const records = (db.prepare('select count(*) as n from records').get() as { n: number }).n;
    const outboxSeq = (db.prepare('select coalesce(max(seq), 0) as seq from outbox').get() as { seq: number }).seq;
    return { officeId, bytes: statSync(path).size, records, outboxSeq };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw notAnOfficeBackup(path, error instanceof Error ? error.message : String(error));
  } finally {
    db.close();
  }
}

/** Copies a running office's SQLite database to `out` (written beside it first, then renamed: never half a file). */
export async function backupOffice(location: string, out: string): Promise<BackupSummary> {
  if (isPostgres(location)) return backupPostgresOffice(location, out);
  const source = new Database(location, { fileMustExist: true });
  const partial = `${out}.partial`;
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(partial);
  } finally {
    source.close();
  }
  // The copy holds biodata, photos and keys: owner only, like the data folder.
  chmodSync(partial, 0o600);
  const summary = inspectBackup(partial);
  renameSync(partial, out);
  return summary;
}

/**
 * Makes a restored office number its next outbox entry after `centralApplied`, the centre's applied seq for it;
 * returns the seq it continues after. Entries of the backup the centre already has count as acknowledged.
 */
export function continueAfterCentre(db: Kysely<OfficeDb>, centralApplied: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const highest = await highestOutboxSeq(trx);
    // A centre behind the backup (itself restored) is the case the sync worker already handles (OUT_OF_ORDER).
    if (centralApplied <= highest) return highest;
    await advanceOutboxSeq(trx, centralApplied);
    await setSyncValue(trx, 'acked_seq', Math.max(centralApplied, await getSyncNumber(trx, 'acked_seq')));
    return centralApplied;
  });
}

/**
 * A running office (API or worker) keeps its database open, even when idle; SQLite then refuses another
 * connection the exclusive lock. Replacing the file under a running office would leave it writing to the old one.
 */
function refuseWhileInUse(location: string): void {
  const probe = new Database(location, { fileMustExist: true, timeout: 500 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('ROLLBACK');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new DomainError('OFFICE_RUNNING', {
      id: `Basis data ${location} masih dipakai kantor yang berjalan: hentikan kantor (API dan worker) dulu, lalu pulihkan.`,
      en: `The database ${location} is still in use by a running office: stop the office (API and worker) first, then restore.`,
    });
  } finally {
    probe.close();
  }
}

export const centreUnreachable = (why: string) =>
  new DomainError('RESTORE_NEEDS_CENTRE', {
    id: `Pemulihan dibatalkan, basis data kantor tidak diubah: pusat tidak dapat ditanya nomor terakhir yang diterimanya (${why}). Pulihkan saat pusat dapat dihubungi.`,
    en: `Restore cancelled, the office database is unchanged: the centre could not be asked for the last seq it applied (${why}). Restore when the centre is reachable.`,
  });

export interface RestoreResult extends BackupSummary {
  /** The centre's applied seq for this office when restoring. */
  centralAppliedSeq: number;
  /** The outbox seq the restored office continues after. */
  continuesAfter: number;
  /** Where the database that was replaced was kept. */
  previous?: string;
}

/**
 * Puts a backup in place of a stopped office's database. The centre keeps every (office, seq) it applied and
 * acknowledges a seq it has seen as a replay without applying it; an office restored to an older state would
 * otherwise number its next recordings with seqs the centre already has — and they would be silently dropped.
 * So the restored office continues after the centre's applied seq (asked with the office's own signature
 * before anything is replaced): entries of the backup the centre already has count as acknowledged, and the
 * next recording is the centre's next seq. Restoring refuses when the centre cannot be asked.
 */
export async function restoreOffice(props: { from: string; location: string; centralAppliedSeq: (restored: OfficeContext) => Promise<number> }): Promise<RestoreResult> {
  const { from, location } = props;
  if (isPostgres(location)) return restorePostgresOffice({ from, url: location, centralAppliedSeq: props.centralAppliedSeq });
  const summary = inspectBackup(from);
  if (existsSync(location)) refuseWhileInUse(location);
  const staged = `${location}.restoring`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(staged + suffix, { force: true });
  copyFileSync(from, staged);
  chmodSync(staged, 0o600);
  let centralApplied: number;
  let continuesAfter: number;
  let staging = true;
  const office = await openOffice(staged);
  try {
    try {
      centralApplied = await props.centralAppliedSeq(office.ctx);
    } catch (error) {
      throw centreUnreachable(error instanceof Error ? error.message : String(error));
    }
    continuesAfter = await continueAfterCentre(office.ctx.db, centralApplied);
    staging = false;
  } finally {
    await office.handle.close();
    // A refused restore leaves nothing behind but the office database as it was.
    if (staging) for (const suffix of ['', '-wal', '-shm']) rmSync(staged + suffix, { force: true });
  }
  let previous: string | undefined;
  if (existsSync(location)) {
    previous = `${location}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(location, previous);
    for (const suffix of ['-wal', '-shm']) if (existsSync(location + suffix)) renameSync(location + suffix, previous + suffix);
  }
  renameSync(staged, location);
  return { ...summary, centralAppliedSeq: centralApplied, continuesAfter, previous };
}
