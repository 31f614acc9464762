import { DomainError } from '@tangguh/domain';

/**
 * A full disk, as each database reports it: SQLite's SQLITE_FULL (also when a page limit is reached) and
 * PostgreSQL's disk_full (53100). SQLite may roll the transaction back itself on SQLITE_FULL, so the
 * driver's own "no transaction is active" on the ROLLBACK that follows is the same condition.
 */
export function isDiskFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_FULL' || code === '53100';
}

export const diskFull = () =>
  new DomainError(
    'DISK_FULL',
    {
      id: 'Penyimpanan kantor penuh: data ini tidak disimpan. Data yang sudah tersimpan tetap utuh. Hubungi admin untuk mengosongkan ruang disk, lalu coba lagi.',
      en: 'The office storage is full: this was not saved. Everything stored before is intact. Ask the admin to free disk space, then try again.',
    },
    'unavailable',
  );

/** Runs a write; a full disk becomes DISK_FULL (503) with a message people can act on, anything else is rethrown. */
export async function refusingWhenFull<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isDiskFull(error) ? diskFull() : error;
  }
}
