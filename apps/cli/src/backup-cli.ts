import { parseArgs } from 'node:util';
import { isDomainError } from '@tangguh/domain';
import { backupOffice, restoreOffice } from '@tangguh/office/services/backup';
import { CentralClient } from '@tangguh/office/services/central-client';

const DEFAULT_DB = process.env.TANGGUH_OFFICE_DB ?? 'data/office/office.db';
const DEFAULT_CENTRAL = process.env.TANGGUH_CENTRAL_URL ?? 'http://127.0.0.1:7100';

/**
 * `tangguh backup --out FILE [--db PATH|URL]`: a consistent copy of a running office (SQLite online backup, or pg_dump).
 * `tangguh restore --from FILE [--db PATH|URL] [--central URL]`: with the office stopped, puts a backup in place
 * and makes the office continue after the centre's applied seq. Refusals exit 1 with the reason in both
 * languages, usage errors 2; never a stack trace.
 */
export async function runBackupCli(command: 'backup' | 'restore', args: string[]): Promise<number> {
  try {
    return command === 'backup' ? await backup(args) : await restore(args);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    if (isDomainError(error)) {
      process.stderr.write(`${error.messages.id}\n${error.messages.en}\n`);
      return 1;
    }
    throw error;
  }
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, db: { type: 'string', default: DEFAULT_DB } } });
  if (!values.out) {
    process.stderr.write('tangguh backup --out FILE [--db PATH|URL]\n');
    return 2;
  }
  const summary = await backupOffice(values.db, values.out);
  console.log(`Cadangan kantor ${summary.officeId} tersimpan di ${values.out}: ${summary.records} rekaman, outbox sampai nomor ${summary.outboxSeq}, ${summary.bytes} bita.`);
  console.log(`Backup of office ${summary.officeId} written to ${values.out}: ${summary.records} records, outbox up to seq ${summary.outboxSeq}, ${summary.bytes} bytes.`);
  return 0;
}

async function restore(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' }, db: { type: 'string', default: DEFAULT_DB }, central: { type: 'string', default: DEFAULT_CENTRAL } } });
  if (!values.from) {
    process.stderr.write('tangguh restore --from FILE [--db PATH|URL] [--central URL]   (stop the office first)\n');
    return 2;
  }
  const central = values.central;
  const result = await restoreOffice({
    from: values.from,
    location: values.db,
    // Asked with the restored database's own office key (and the centre's certificate pinned there, if any).
    centralAppliedSeq: (ctx) => new CentralClient({ baseUrl: central, officeId: ctx.office.id, signingPrivateKey: ctx.signingPrivateKey, centralTlsCa: ctx.centralTlsCa }).appliedSeq(),
  });
  console.log(`Kantor ${result.officeId} dipulihkan dari ${values.from}: ${result.records} rekaman; pusat sudah menerima sampai nomor ${result.centralAppliedSeq}, rekaman berikutnya bernomor ${result.continuesAfter + 1}.`);
  console.log(`Office ${result.officeId} restored from ${values.from}: ${result.records} records; the centre has applied up to seq ${result.centralAppliedSeq}, the next entry is seq ${result.continuesAfter + 1}.`);
  if (result.previous) console.log(`Basis data sebelumnya disimpan / the replaced database was kept: ${result.previous}`);
  return 0;
}
