import type { OfficeDbOrTx } from '../db/schema.ts';

/** The numbered things that restart at 1 every day in the office's zone. */
export type DailySerialName = 'regno' | 'suket' | 'docser';

/**
 * The next number of a daily series: registration numbers, Suket serials, document serials. One row per
 * series and day in `counters` (named `<name>:<YYYYMMDD>`), so yesterday's rows stay as a record of how
 * many were issued. `dayKey` is the office's calendar day (zonedDayKey), never the server's.
 *
 * Call it inside the transaction that stores the numbered thing: a rollback then gives the number back,
 * and the row lock the upsert takes (PostgreSQL) or the single writer (SQLite) makes two concurrent
 * callers get different numbers. INSERT … ON CONFLICT DO UPDATE … RETURNING reads the same on both.
 */
export async function nextDailySerial(tx: OfficeDbOrTx, name: DailySerialName, dayKey: string): Promise<number> {
  if (!/^\d{8}$/.test(dayKey)) throw new RangeError(`a day key is YYYYMMDD, got ${dayKey}`);
  const row = await tx
    .insertInto('counters')
    .values({ name: `${name}:${dayKey}`, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  // PostgreSQL returns a bigint column as a string.
  return Number(row.value);
}
