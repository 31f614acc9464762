import type { OfficeContext } from '../context.ts';
import { linkSecret, loadNotifyConfig } from './config.ts';
import type { Composer } from './outbox.ts';

/** What every message of this office is composed with: its public address, link key, zone and name. */
export async function composerFor(ctx: Pick<OfficeContext, 'db' | 'office' | 'now'>): Promise<Composer> {
  const config = await loadNotifyConfig(ctx.db);
  return { publicUrl: config.publicUrl, linkSecret: await linkSecret(ctx.db), timeZone: ctx.office.timeZone, officeName: ctx.office.name, now: ctx.now };
}
