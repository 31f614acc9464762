import { DEFAULT_MATCH_POLICY } from '@tangguh/domain';
import { generateSealingKeyPair } from '@tangguh/protocol/node';
import { hashPassword, openDatabase, openSecretText, sealSecret, type DataKey, type Db } from '@tangguh/platform';
import type { CentralDb } from '../db/schema.ts';
import { migrateCentral } from '../db/migrate.ts';
import type { CentralContext } from '../context.ts';
import { upsertOffice } from '../repositories/offices.ts';
import { upsertCentralUser, type CentralUser } from '../repositories/users.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { wireOfficeEventHandlers } from './event-wiring.ts';
import { setUpTrust } from './trust-setup.ts';
import { refuseWrongMasterKey, sealCentralSecrets } from './secrets-at-rest.ts';

/** Opens (and on first use creates) the centre's database and its sealing key pair. */
export async function openCentral(location: string): Promise<{ handle: Db<CentralDb>; ctx: CentralContext }> {
  const handle = openDatabase<CentralDb>(location);
  let galleryKey: DataKey;
  try {
    await refuseWrongMasterKey(handle.db);
    await migrateCentral(handle);
    // Before anything reads or makes a key: a wrong master key is refused with nothing written.
    galleryKey = await sealCentralSecrets(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  await setUpTrust(handle.db);
  wireOfficeEventHandlers();
  let privateKey = await readSetting(handle.db, 'sealing_private_key');
  let publicKey = await readSetting(handle.db, 'sealing_public_key');
  if (!privateKey || !publicKey) {
    const pair = generateSealingKeyPair();
    await insertSettingsIfAbsent(handle.db, [
      { key: 'sealing_private_key', value: sealSecret(pair.privateKey) },
      { key: 'sealing_public_key', value: pair.publicKey },
    ]);
    privateKey = (await readSetting(handle.db, 'sealing_private_key'))!;
    publicKey = (await readSetting(handle.db, 'sealing_public_key'))!;
  }
  const ctx: CentralContext = {
    db: handle.db,
    dialect: handle.dialect,
    policy: DEFAULT_MATCH_POLICY,
    sealingPrivateKey: openSecretText(privateKey),
    sealingPublicKey: publicKey,
    galleryKey,
    now: () => new Date(),
  };
  return { handle, ctx };
}

/** Registers (or re-keys) an office so its signed batches are accepted. */
export async function registerOffice(ctx: CentralContext, office: { officeId: string; name: string; regencyCode: string; publicKey: string }): Promise<void> {
  await upsertOffice(ctx.db, { office_id: office.officeId, name: office.name, regency_code: office.regencyCode, public_key: office.publicKey });
}

export async function addCentralUser(ctx: CentralContext, user: CentralUser & { password: string }): Promise<void> {
  await upsertCentralUser(ctx.db, { ...user, passwordHash: await hashPassword(user.password) });
}
