import type { OfficeDbOrTx } from '../db/schema.ts';

/** The office's key/value settings: its identity, keys, pins and switches. */

export async function readSetting(db: OfficeDbOrTx, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function readAllSettings(db: OfficeDbOrTx): Promise<Map<string, string>> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function readSettings(db: OfficeDbOrTx, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Stores new settings; a key already present is an error (first provisioning, first pin). */
export async function insertSettings(db: OfficeDbOrTx, rows: { key: string; value: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('settings').values(rows).execute();
}

/** Stores values only where the key is still absent: of two processes starting at once, the first wins. */
export async function insertSettingsIfAbsent(db: OfficeDbOrTx, rows: { key: string; value: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('settings').values(rows).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function writeSetting(db: OfficeDbOrTx, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** Replaces a value only while it is still `from`, so a concurrent rewrite by another process is not undone. */
export async function replaceSettingIfUnchanged(db: OfficeDbOrTx, key: string, from: string, to: string): Promise<void> {
  await db.updateTable('settings').set({ value: to }).where('key', '=', key).where('value', '=', from).execute();
}
