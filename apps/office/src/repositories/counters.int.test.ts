import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../test/pg.ts';
import { migratedOfficeDatabase } from '../db/test-database.ts';
import { nextDailySerial } from './counters.ts';

describe.each(DIALECTS)('daily serials on %s', (dialect) => {
  const database = migratedOfficeDatabase(dialect, 'tangguh-counters-');

  it('counts each series from 1 within a day, and starts again at 1 on the next day', async () => {
    expect(await nextDailySerial(database().db, 'regno', '20261205')).toBe(1);
    expect(await nextDailySerial(database().db, 'regno', '20261205')).toBe(2);
    expect(await nextDailySerial(database().db, 'suket', '20261205')).toBe(1);
    expect(await nextDailySerial(database().db, 'regno', '20261206')).toBe(1);
    const rows = await database().db.selectFrom('counters').select(['name', 'value']).where('name', 'like', '%:2026120%').orderBy('name').execute();
    expect(rows.map((r) => [r.name, Number(r.value)])).toEqual([
      ['regno:20261205', 2],
      ['regno:20261206', 1],
      ['suket:20261205', 1],
    ]);
  });

  it('gives concurrent transactions different numbers, and a rolled-back one gives its number back', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, () => database().db.transaction().execute((trx) => nextDailySerial(trx, 'docser', '20261207'))));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expect(
      database().db.transaction().execute(async (trx) => {
        await nextDailySerial(trx, 'docser', '20261207');
        throw new Error('the document could not be stored');
      }),
    ).rejects.toThrow('could not be stored');
    expect(await nextDailySerial(database().db, 'docser', '20261207')).toBe(21);
  });

  it('refuses a day key that is not YYYYMMDD', async () => {
    await expect(nextDailySerial(database().db, 'regno', '2026-12-05')).rejects.toThrow(RangeError);
  });
});
