import type { CentralDbOrTx } from '../db/schema.ts';

/** The centre's key/value settings: keys, switches and one-time marks shared by every process. */

export async function readSetting(db: CentralDbOrTx, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function readSettings(db: CentralDbOrTx, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Stores values only where the key is still absent: of two processes starting at once, the first wins. */
export async function insertSettingsIfAbsent(db: CentralDbOrTx, rows: { key: string; value: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('settings').values(rows).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function writeSetting(db: CentralDbOrTx, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** Replaces a value only while it is still `from`, so a concurrent rewrite by another process is not undone. */
export async function replaceSettingIfUnchanged(db: CentralDbOrTx, key: string, from: string, to: string): Promise<void> {
  await db.updateTable('settings').set({ value: to }).where('key', '=', key).where('value', '=', from).execute();
}
