import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../../test/pg.ts';
import { migratedOfficeDatabase } from '../db/test-database.ts';
import {
  findCurrentKey, findWaitingKey, insertKey, keysInState, listKeyPrivateHalves, listKeyRows, makeKeyCurrent, markKeyCertified, replaceKeyPrivateHalfIfUnchanged,
  retireCurrentKeys, upsertCurrentKey, type DocumentKeyRow,
} from './document-keys.ts';
import { insertSettingsIfAbsent, readAllSettings, readSetting, readSettings, replaceSettingIfUnchanged, writeSetting } from './settings.ts';
import { existingRecordIds, setRecordsStatus } from './records.ts';

const key = (kid: string, purpose: string, state: DocumentKeyRow['state'], createdAt: string): DocumentKeyRow => ({
  kid,
  purpose,
  private_key: `plain-${kid}`,
  public_key: `pub-${kid}`,
  state,
  not_before: null,
  not_after: null,
  created_at: createdAt,
  certified_at: null,
});

describe.each(DIALECTS)('the office repositories that services now go through, on %s', (dialect) => {
  const database = migratedOfficeDatabase(dialect, 'tangguh-repos-');

  it('takes a document key from PENDING through CERTIFIED to CURRENT, retiring the key it replaces', async () => {
    const db = database().db;
    await upsertCurrentKey(db, { ...key('old', 'SUKET', 'CURRENT', '2026-01-01T00:00:00.000Z'), certified_at: '2026-01-01T00:00:00.000Z' });
    await insertKey(db, key('new', 'SUKET', 'PENDING', '2026-06-01T00:00:00.000Z'));
    expect((await findWaitingKey(db, 'SUKET'))?.kid).toBe('new');
    expect(await findWaitingKey(db, 'TTE')).toBeUndefined();

    await markKeyCertified(db, 'new', { notBefore: '2026-06-01T00:00:00.000Z', notAfter: '2028-06-01T00:00:00.000Z', at: '2026-06-02T00:00:00.000Z' });
    // Only a PENDING key takes a certificate: a second one for the same kid changes nothing.
    await markKeyCertified(db, 'new', { notBefore: '2030-01-01T00:00:00.000Z', notAfter: '2031-01-01T00:00:00.000Z', at: '2030-01-01T00:00:00.000Z' });
    expect((await keysInState(db, 'CERTIFIED')).map((k) => [k.kid, k.not_after])).toEqual([['new', '2028-06-01T00:00:00.000Z']]);

    await retireCurrentKeys(db, 'SUKET');
    await makeKeyCurrent(db, 'new');
    expect((await findCurrentKey(db, 'SUKET'))?.kid).toBe('new');
    expect((await listKeyRows(db)).map((k) => [k.kid, k.state])).toEqual([['old', 'RETIRED'], ['new', 'CURRENT']]);
  });

  it('installs the same key again as current without retiring it, refreshing its validity', async () => {
    const db = database().db;
    const row = { ...key('installed', 'TTE', 'CURRENT', '2026-02-01T00:00:00.000Z'), not_after: '2027-02-01T00:00:00.000Z', certified_at: '2026-02-01T00:00:00.000Z' };
    await upsertCurrentKey(db, row);
    await retireCurrentKeys(db, 'TTE', 'installed');
    await upsertCurrentKey(db, { ...row, not_after: '2028-02-01T00:00:00.000Z', certified_at: '2026-03-01T00:00:00.000Z' });
    const current = await findCurrentKey(db, 'TTE');
    expect([current?.kid, current?.not_after, current?.certified_at]).toEqual(['installed', '2028-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
  });

  it('rewrites a private half or a setting only while it is still the value read', async () => {
    const db = database().db;
    await replaceKeyPrivateHalfIfUnchanged(db, 'installed', 'plain-installed', 'sealed-installed');
    await replaceKeyPrivateHalfIfUnchanged(db, 'installed', 'plain-installed', 'sealed-by-a-slower-process');
    expect((await listKeyPrivateHalves(db)).find((k) => k.kid === 'installed')?.private_key).toBe('sealed-installed');

    await writeSetting(db, 'probe', 'plain');
    await replaceSettingIfUnchanged(db, 'probe', 'plain', 'sealed');
    await replaceSettingIfUnchanged(db, 'probe', 'plain', 'sealed-by-a-slower-process');
    expect(await readSetting(db, 'probe')).toBe('sealed');
  });

  it('keeps the first value of a setting stored only-if-absent, and overwrites on a plain write', async () => {
    const db = database().db;
    await insertSettingsIfAbsent(db, [{ key: 'first_wins', value: 'one' }]);
    await insertSettingsIfAbsent(db, [{ key: 'first_wins', value: 'two' }]);
    expect(await readSetting(db, 'first_wins')).toBe('one');
    await writeSetting(db, 'first_wins', 'three');
    expect(await readSettings(db, ['first_wins', 'absent'])).toEqual(new Map([['first_wins', 'three']]));
    expect((await readAllSettings(db)).get('first_wins')).toBe('three');
  });

  it('answers an empty list of record ids with nothing, on PostgreSQL too, instead of an SQL error', async () => {
    expect(await existingRecordIds(database().db, [])).toEqual(new Set());
    expect(await existingRecordIds(database().db, ['no-such-record'], 'BIO_CAPTURED')).toEqual(new Set());
    await expect(setRecordsStatus(database().db, [], 'SENT_FOR_ENROLLMENT', '2026-01-01T00:00:00.000Z')).resolves.toBeUndefined();
    expect(await readSettings(database().db, [])).toEqual(new Map());
  });
});
