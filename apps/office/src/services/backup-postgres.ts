import { execFile } from 'node:child_process';
import { chmodSync, renameSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { DomainError } from '@tangguh/domain';
import { openOffice } from '../runtime.ts';
import { countRecords } from '../repositories/records.ts';
import type { OfficeContext } from '../context.ts';
import { centreUnreachable, continueAfterCentre, type BackupSummary, type RestoreResult } from './backup.ts';

/**
 * Backup and restore of an office on PostgreSQL with the server's own tools, pg_dump and pg_restore (custom
 * format). The dump reads a snapshot this module exports from a transaction it holds open, and counts the
 * records and outbox in that same snapshot, so the summary describes exactly what the file holds while
 * operators go on recording.
 */

const run = promisify(execFile);

/** libpq reads the password from the environment, so it never shows in the process list. */
function libpq(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

async function tool(name: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(name, args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { code, stderr } = error as { code?: string | number; stderr?: string };
    const why = code === 'ENOENT' ? `${name} is not installed` : (stderr ?? String(error)).trim().split('\n').slice(-3).join(' ');
    throw new DomainError('PG_TOOL_FAILED', { id: `${name} gagal: ${why}`, en: `${name} failed: ${why}` });
  }
}

export async function backupPostgresOffice(url: string, out: string): Promise<BackupSummary> {
  const { dbname, env } = libpq(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const partial = `${out}.partial`;
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const officeId = (await client.query<{ value: string }>(`select value from settings where key = 'office_id'`)).rows[0]?.value ?? '';
    const records = Number((await client.query<{ n: string }>('select count(*) as n from records')).rows[0]!.n);
    const outboxSeq = Number((await client.query<{ seq: string }>('select coalesce(max(seq), 0) as seq from outbox')).rows[0]!.seq);
    await tool('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${partial}`, `--dbname=${dbname}`], env);
    await client.query('commit');
    chmodSync(partial, 0o600);
    renameSync(partial, out);
    return { officeId, bytes: statSync(out).size, records, outboxSeq };
  } finally {
    await client.end();
  }
}

/**
 * pg_restore over the office's database (the office stopped), then the same rule as on SQLite: continue after
 * the centre's applied seq. When the database there still opens as an office, the centre is asked before
 * anything is replaced, so a refusal changes nothing; into an empty database the dump goes first.
 */
export async function restorePostgresOffice(props: { from: string; url: string; centralAppliedSeq: (restored: OfficeContext) => Promise<number> }): Promise<RestoreResult> {
  const ask = async (ctx: OfficeContext) => {
    try {
      return await props.centralAppliedSeq(ctx);
    } catch (error) {
      throw centreUnreachable(error instanceof Error ? error.message : String(error));
    }
  };
  let askedBefore: { officeId: string; applied: number } | undefined;
  const current = await openOffice(props.url).catch(() => undefined);
  if (current) {
    try {
      askedBefore = { officeId: current.ctx.office.id, applied: await ask(current.ctx) };
    } finally {
      await current.handle.close();
    }
  }
  const { dbname, env } = libpq(props.url);
  await tool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${dbname}`, props.from], env);
  const restored = await openOffice(props.url);
  try {
    const { ctx } = restored;
    if (askedBefore && askedBefore.officeId !== ctx.office.id) {
      throw new DomainError('BACKUP_OTHER_OFFICE', {
        id: `Cadangan ini milik kantor ${ctx.office.id}, bukan ${askedBefore.officeId}.`,
        en: `This backup belongs to office ${ctx.office.id}, not ${askedBefore.officeId}.`,
      });
    }
    const centralAppliedSeq = askedBefore?.applied ?? (await ask(ctx));
    const continuesAfter = await continueAfterCentre(ctx.db, centralAppliedSeq);
    const records = await countRecords(ctx.db);
    return { officeId: ctx.office.id, bytes: statSync(props.from).size, records, outboxSeq: continuesAfter, centralAppliedSeq, continuesAfter };
  } finally {
    await restored.handle.close();
  }
}
