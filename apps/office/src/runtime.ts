import { openDatabase, type Db } from '@tangguh/platform';
import { loadRegionDirectory } from '@tangguh/regions';
import { SyntheticCaptureDevice } from '@tangguh/capture';
import type { OfficeDb } from './db/schema.ts';
import { migrateOffice } from './db/migrate.ts';
import { loadOfficeIdentity } from './services/provision.ts';
import { refuseWrongMasterKey, sealOfficeSecrets } from './services/secrets-at-rest.ts';
import type { OfficeContext } from './context.ts';

/**
 * Opens a provisioned office database — a SQLite file path or a postgres:// URL — brings its schema up to
 * date, and assembles what the office's services need.
 */
export async function openOffice(location: string): Promise<{ ctx: OfficeContext; handle: Db<OfficeDb> }> {
  const handle = openDatabase<OfficeDb>(location);
  try {
    await refuseWrongMasterKey(handle.db);
    await migrateOffice(handle);
    await sealOfficeSecrets(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const { office, keys } = await loadOfficeIdentity(handle.db);
  const ctx: OfficeContext = {
    db: handle.db,
    office,
    ...keys,
    regions: await loadRegionDirectory(),
    device: new SyntheticCaptureDevice(),
    now: () => new Date(),
  };
  return { ctx, handle };
}
