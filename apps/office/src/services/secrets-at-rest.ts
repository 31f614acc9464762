import { isSealedSecret, masterKey, masterKeyCheck, sealSecret } from '@tangguh/platform';
import type { Kysely } from 'kysely';
import type { OfficeDb } from '../db/schema.ts';
import { withSuketTables as keys } from '../db/migrations-suket.ts';

export const MASTER_KEY_CHECK_SETTING = 'master_key_check';

/**
 * Run before the migrations: a missing or wrong master key is refused before anything in the database changes,
 * not even its schema. A new database has no settings table yet, and nothing to refuse.
 */
export async function refuseWrongMasterKey(db: Kysely<OfficeDb>): Promise<void> {
  masterKey();
  let stored: string | undefined;
  try {
    stored = (await db.selectFrom('settings').select('value').where('key', '=', MASTER_KEY_CHECK_SETTING).executeTakeFirst())?.value;
  } catch {
    return;
  }
  if (stored !== undefined) masterKeyCheck(stored);
}
const PRIVATE_SETTINGS = ['signing_private_key'];

/**
 * Brings an office database under the master key on open: refuses a wrong key before anything is written,
 * and seals every private key an older release stored as plain text (the office's request-signing key, its
 * document keys). This cannot be a numbered migration: a migration has no master key to seal with. Safe to
 * run again and from several processes at once (each row is sealed only while it is still plain).
 */
export async function sealOfficeSecrets(db: Kysely<OfficeDb>): Promise<void> {
  const stored = await db.selectFrom('settings').select('value').where('key', '=', MASTER_KEY_CHECK_SETTING).executeTakeFirst();
  const check = masterKeyCheck(stored?.value);
  await db.transaction().execute(async (trx) => {
    if (check) await trx.insertInto('settings').values({ key: MASTER_KEY_CHECK_SETTING, value: check }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const settings = await trx.selectFrom('settings').select(['key', 'value']).where('key', 'in', PRIVATE_SETTINGS).execute();
    for (const row of settings) {
      if (isSealedSecret(row.value)) continue;
      await trx.updateTable('settings').set({ value: sealSecret(row.value) }).where('key', '=', row.key).where('value', '=', row.value).execute();
    }
    const documentKeys = await keys(trx).selectFrom('document_signing_keys').select(['kid', 'private_key']).execute();
    for (const row of documentKeys) {
      if (isSealedSecret(row.private_key)) continue;
      await keys(trx).updateTable('document_signing_keys').set({ private_key: sealSecret(row.private_key) }).where('kid', '=', row.kid).where('private_key', '=', row.private_key).execute();
    }
  });
  // Another process may have stored its check first: ours must be the one that opens it.
  if (check) masterKeyCheck((await db.selectFrom('settings').select('value').where('key', '=', MASTER_KEY_CHECK_SETTING).executeTakeFirstOrThrow()).value);
}
