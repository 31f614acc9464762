import { DataKey, isSealedSecret, masterKeyCheck, refuseWrongMasterKeyBefore, sealSecret } from '@tangguh/platform';
import type { Kysely } from 'kysely';
import type { CentralDb } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting, readSettings, replaceSettingIfUnchanged } from '../repositories/settings.ts';
import { listSignerPrivateKeys, replaceSignerPrivateKeyIfUnchanged } from '../repositories/tte.ts';
import { galleryTemplatesAfter, replaceGalleryTemplates } from '../repositories/gallery.ts';

export const MASTER_KEY_CHECK_SETTING = 'master_key_check';

/** Run before the migrations: a missing or wrong master key is refused before the database changes at all. */
export const refuseWrongMasterKey = (db: Kysely<CentralDb>): Promise<void> => refuseWrongMasterKeyBefore(() => readSetting(db, MASTER_KEY_CHECK_SETTING));

const GALLERY_KEY_SETTING = 'gallery_data_key';
/** Set once every gallery row is sealed, so a start does not scan a million rows to find none plain. */
const GALLERY_SEALED_SETTING = 'gallery_sealed';
const PRIVATE_SETTINGS = ['trust_root_private_key', 'sealing_private_key'];
const PAGE = 2000;

/**
 * Brings the centre's database under the master key on open, and returns the gallery's data key. A wrong key
 * is refused before anything is written. Private keys an older release stored as plain text (the root key,
 * the X25519 key that opens every sealed template, the heads' TTE keys) are sealed, and so is a gallery of
 * plain templates — here and not in a numbered migration, which has no master key. Safe to repeat and to
 * run from several processes at once: each value is replaced only while it is still the plain one read.
 */
export async function sealCentralSecrets(db: Kysely<CentralDb>): Promise<DataKey> {
  const check = masterKeyCheck(await readSetting(db, MASTER_KEY_CHECK_SETTING));
  if (check) {
    await insertSettingsIfAbsent(db, [{ key: MASTER_KEY_CHECK_SETTING, value: check }]);
    // Another process may have stored its check first: ours must be the one that opens it.
    masterKeyCheck(await readSetting(db, MASTER_KEY_CHECK_SETTING));
  }
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of await readSettings(trx, PRIVATE_SETTINGS)) {
      if (!isSealedSecret(value)) await replaceSettingIfUnchanged(trx, key, value, sealSecret(value));
    }
    for (const row of await listSignerPrivateKeys(trx)) {
      if (!isSealedSecret(row.private_key)) await replaceSignerPrivateKeyIfUnchanged(trx, row.kid, row.private_key, sealSecret(row.private_key));
    }
  });
  if (!(await readSetting(db, GALLERY_KEY_SETTING))) {
    await insertSettingsIfAbsent(db, [{ key: GALLERY_KEY_SETTING, value: DataKey.generate().wrap() }]);
  }
  const galleryKey = DataKey.unwrap((await readSetting(db, GALLERY_KEY_SETTING))!);
  if (!(await readSetting(db, GALLERY_SEALED_SETTING))) await sealGallery(db, galleryKey);
  return galleryKey;
}

/** Seals the plain templates of an upgraded gallery in pages (each its own transaction), then marks it done. */
async function sealGallery(db: Kysely<CentralDb>, key: DataKey): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await galleryTemplatesAfter(db, after, PAGE);
    const plain = page.filter((row) => !DataKey.isSealed(new Uint8Array(row.templates)));
    if (plain.length > 0) {
      await db.transaction().execute(async (trx) => {
        for (const row of plain) {
          await replaceGalleryTemplates(trx, row.seq, key.seal(new Uint8Array(row.templates)));
        }
      });
    }
    if (page.length < PAGE) break;
    after = Number(page[page.length - 1]!.seq);
  }
  await insertSettingsIfAbsent(db, [{ key: GALLERY_SEALED_SETTING, value: new Date().toISOString() }]);
}
