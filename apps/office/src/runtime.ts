import { openSqlite, type Db } from '@tangguh/platform';
import { loadRegionDirectory } from '@tangguh/regions';
import { SyntheticCaptureDevice } from '@tangguh/capture';
import type { OfficeDb } from './db/schema.ts';
import { migrateOffice } from './db/migrations.ts';
import { loadOfficeIdentity } from './services/provision.ts';
import type { OfficeContext } from './context.ts';

/** Opens a provisioned office database and assembles what the office's services need. */
export async function openOffice(path: string): Promise<{ ctx: OfficeContext; handle: Db<OfficeDb> }> {
  const handle = openSqlite<OfficeDb>(path);
  await migrateOffice(handle.db);
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
