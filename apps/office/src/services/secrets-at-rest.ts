import { isSealedSecret, masterKeyCheck, refuseWrongMasterKeyBefore, sealSecret } from '@tangguh/platform';
import type { Kysely } from 'kysely';
import type { OfficeDb } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting, readSettings, replaceSettingIfUnchanged } from '../repositories/settings.ts';
import { listKeyPrivateHalves, replaceKeyPrivateHalfIfUnchanged } from '../repositories/document-keys.ts';

export const MASTER_KEY_CHECK_SETTING = 'master_key_check';

/** Run before the migrations: a missing or wrong master key is refused before the database changes at all. */
export const refuseWrongMasterKey = (db: Kysely<OfficeDb>): Promise<void> => refuseWrongMasterKeyBefore(() => readSetting(db, MASTER_KEY_CHECK_SETTING));

const PRIVATE_SETTINGS = ['signing_private_key'];

/**
 * Brings an office database under the master key on open: refuses a wrong key before anything is written,
 * and seals every private key an older release stored as plain text (the office's request-signing key, its
 * document keys). This cannot be a numbered migration: a migration has no master key to seal with. Safe to
 * run again and from several processes at once (each row is sealed only while it is still plain).
 */
export async function sealOfficeSecrets(db: Kysely<OfficeDb>): Promise<void> {
  const check = masterKeyCheck(await readSetting(db, MASTER_KEY_CHECK_SETTING));
  await db.transaction().execute(async (trx) => {
    if (check) await insertSettingsIfAbsent(trx, [{ key: MASTER_KEY_CHECK_SETTING, value: check }]);
    for (const [key, value] of await readSettings(trx, PRIVATE_SETTINGS)) {
      if (isSealedSecret(value)) continue;
      await replaceSettingIfUnchanged(trx, key, value, sealSecret(value));
    }
    for (const row of await listKeyPrivateHalves(trx)) {
      if (isSealedSecret(row.private_key)) continue;
      await replaceKeyPrivateHalfIfUnchanged(trx, row.kid, row.private_key, sealSecret(row.private_key));
    }
  });
  // Another process may have stored its check first: ours must be the one that opens it.
  if (check) masterKeyCheck((await readSetting(db, MASTER_KEY_CHECK_SETTING))!);
}
