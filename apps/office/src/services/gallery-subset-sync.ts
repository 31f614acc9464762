import { createPrivateKey, createPublicKey } from 'node:crypto';
import { unpackSet } from '@tangguh/domain';
import { openSecretText, sealSecret } from '@tangguh/platform';
import { gallerySubsetEntriesSchema } from '@tangguh/protocol';
import { generateSealingKeyPair, unseal } from '@tangguh/protocol/node';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { lockOutbox } from '../repositories/outbox.ts';
import { addGalleryEntries, gallerySubsetCursor, setGallerySubsetCursor } from '../repositories/office-gallery.ts';
import type { CentralClient } from './central-client.ts';
import { feedSyncer, type FeedSyncer } from './feed-syncer.ts';
import { galleryDataKey, type NewGalleryEntry } from './provisional-dedup.ts';

const SEALING_KEY_SETTING = 'office_gallery_sealing_key';
const sealingKeys = new WeakMap<object, { publicRaw: string; privatePem: string }>();

/**
 * The office's X25519 key the centre seals gallery pages to: made once, its private half stored sealed by the
 * master key. The public half travels in each signed request, so no registration step is needed.
 */
export async function gallerySealingKey(db: OfficeDbOrTx): Promise<{ publicRaw: string; privatePem: string }> {
  const cached = sealingKeys.get(db);
  if (cached) return cached;
  if (!(await readSetting(db, SEALING_KEY_SETTING))) {
    const pair = generateSealingKeyPair();
    await insertSettingsIfAbsent(db, [{ key: SEALING_KEY_SETTING, value: sealSecret(pair.privateKey) }]);
  }
  // Read back: another process may have stored its key first, and that one is the key.
  const privatePem = openSecretText((await readSetting(db, SEALING_KEY_SETTING))!);
  const jwk = createPublicKey(createPrivateKey(privatePem)).export({ format: 'jwk' });
  const key = { publicRaw: jwk.x as string, privatePem };
  sealingKeys.set(db, key);
  return key;
}

const invalidPage = (why: string) => new Error(`galeri dari pusat tidak sah / the centre's gallery page is not valid: ${why}`);

/**
 * Fetches one page of the kabupaten's gallery, opens it with the office's key, checks every entry, and stores
 * the entries sealed with the gallery data key — with the cursor in the same transaction (a crash before the
 * commit fetches the page again; an entry already held is not stored twice). The outbox lock orders these
 * writes with recordings', so the gallery's seq follows commit order.
 */
export async function pullGallerySubset(ctx: OfficeContext, client: CentralClient, pageSize = 500): Promise<{ stored: number; hasMore: boolean }> {
  const key = await gallerySealingKey(ctx.db);
  const cursor = await gallerySubsetCursor(ctx.db);
  const page = await client.gallerySubset(cursor, pageSize, key.publicRaw);
  const dataKey = await galleryDataKey(ctx.db);
  let rows: NewGalleryEntry[] = [];
  if (page.sealed) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(unseal(key.privatePem, new Uint8Array(Buffer.from(page.sealed, 'base64url')))).toString('utf8'));
    } catch (error) {
      throw invalidPage((error as Error).message);
    }
    const entries = gallerySubsetEntriesSchema.safeParse(parsed);
    if (!entries.success || entries.data.length !== page.count) throw invalidPage('entries do not match their schema or count');
    const at = ctx.now().toISOString();
    rows = entries.data.map((e) => {
      const packed = new Uint8Array(Buffer.from(e.templates, 'base64'));
      unpackSet(packed); // throws on a truncated or malformed set: nothing of the page is stored
      return { record_id: e.recordId, nik: e.nik, full_name: e.fullName, source: 'centre' as const, templates: dataKey.seal(packed), added_at: at };
    });
  }
  if (rows.length === 0 && page.nextCursor === cursor) return { stored: 0, hasMore: false };
  const stored = await ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    const count = await addGalleryEntries(trx, rows);
    await setGallerySubsetCursor(trx, page.nextCursor);
    return count;
  });
  return { stored, hasMore: page.hasMore };
}

/**
 * The sync worker's gallery step. Only a centre that cannot be reached fails the cycle; a centre of an older
 * release (404) or a page that does not open is said once and slows nothing else.
 */
export function gallerySubsetSyncer(ctx: OfficeContext, client: CentralClient): FeedSyncer {
  // At most 20 pages a cycle: a kabupaten's first sync must not hold the outbox back for minutes.
  return feedSyncer(ctx, 'galeri kabupaten belum diterima / kabupaten gallery not taken', () => pullGallerySubset(ctx, client), 20);
}
