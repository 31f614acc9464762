import { fromBase64Url, openCardPackage, type OpenedCardPackage } from '@tangguh/credential';
import { DomainError } from '@tangguh/domain';
import { DataKey } from '@tangguh/platform';
import type { PrintPackageItem } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { answerCardReplacement, insertPrintPackages, latestReadyPackage, type PrintPackageRow } from '../repositories/print-packages.ts';
import { insertSettingsIfAbsent, readSetting } from '../repositories/settings.ts';
import { getSyncNumber, setSyncValue } from '../repositories/sync-state.ts';
import type { CentralClient } from './central-client.ts';
import { feedSyncer, type FeedSyncer } from './feed-syncer.ts';
import { cachedTrustList } from './trust-store.ts';

const DATA_KEY_SETTING = 'print_package_data_key';
const dataKeys = new WeakMap<object, DataKey>();

/**
 * The office's data key for print packages: made once, stored wrapped by the master key, opened once per
 * process. One AES-GCM operation per package, where sealing each with the master key would run a KDF each time.
 */
async function packageKey(db: OfficeDbOrTx): Promise<DataKey> {
  const cached = dataKeys.get(db);
  if (cached) return cached;
  if (!(await readSetting(db, DATA_KEY_SETTING))) await insertSettingsIfAbsent(db, [{ key: DATA_KEY_SETTING, value: DataKey.generate().wrap() }]);
  // Read back: another process may have stored its key first, and that one is the key.
  const key = DataKey.unwrap((await readSetting(db, DATA_KEY_SETTING))!);
  dataKeys.set(db, key);
  return key;
}

const packageNotFound = () =>
  new DomainError('PRINT_PACKAGE_NOT_FOUND', { id: 'Paket cetak rekaman ini belum diterima dari pusat.', en: 'The print package of this record has not arrived from the centre yet.' }, 'not_found');
const packageInvalid = (detail: string) =>
  new DomainError('PRINT_PACKAGE_INVALID', { id: `Paket cetak tidak sah dan tidak boleh dicetak (${detail}).`, en: `The print package is not genuine and must not be printed (${detail}).` }, 'conflict');
const trustListMissing = () =>
  new DomainError('TRUST_LIST_MISSING', { id: 'Daftar kunci tepercaya belum diterima dari pusat.', en: 'The trust list has not arrived from the centre yet.' }, 'unavailable');

/** Proves a package from the feed or the store: signed by a CARD key of the trust list, and the one it claims to be. */
function verified(bytes: Uint8Array, trust: Awaited<ReturnType<typeof cachedTrustList>>, expect: { packageId: string; recordId: string | null; officeId: string }): OpenedCardPackage {
  if (!trust) throw trustListMissing();
  let opened: OpenedCardPackage;
  try {
    opened = openCardPackage(bytes, trust);
  } catch (error) {
    throw packageInvalid((error as Error).message);
  }
  // A genuine package filed under another record (or office) is as wrong as a forged one.
  if (opened.packageId !== expect.packageId || opened.recordId !== expect.recordId || opened.officeId !== expect.officeId) throw packageInvalid('package filed under another record');
  return opened;
}

/**
 * Fetches one page of the office's package feed, verifies every package against the cached trust list, and
 * stores them sealed — with the cursor, and the answers to the office's replacement requests, in the same
 * transaction. A crash before the commit leaves the cursor where it was: the page is fetched again, and a
 * package already held is not stored twice. A package that does not verify stops the page (nothing stored,
 * cursor unmoved): with a trust list not yet refreshed it passes on a later cycle; a forged one never does.
 */
export async function pullPrintPackages(ctx: OfficeContext, client: CentralClient, pageSize = 20): Promise<{ stored: number; hasMore: boolean }> {
  // Nothing could be verified yet (an office provisioned before trust lists existed): the packages wait.
  if (!(await cachedTrustList(ctx.db))) return { stored: 0, hasMore: false };
  const cursor = await getSyncNumber(ctx.db, 'print_package_cursor');
  const page = await client.printPackages(cursor, pageSize);
  if (page.items.length === 0) return { stored: 0, hasMore: false };
  const trust = await cachedTrustList(ctx.db);
  const key = await packageKey(ctx.db);
  const receivedAt = ctx.now().toISOString();
  const rows: PrintPackageRow[] = page.items.map((item: PrintPackageItem) => {
    let sealed: Uint8Array | null = null;
    if (item.status === 'READY') {
      if (!item.package) throw packageInvalid('no package bytes');
      const bytes = fromBase64Url(item.package);
      verified(bytes, trust, { packageId: item.packageId, recordId: item.recordId, officeId: ctx.office.id });
      sealed = key.seal(bytes);
    }
    return {
      package_id: item.packageId,
      cursor: item.cursor,
      kind: item.kind,
      status: item.status,
      record_id: item.recordId,
      request_id: item.requestId,
      sealed_package: sealed,
      reason: item.reason ? JSON.stringify(item.reason) : null,
      received_at: receivedAt,
    };
  });
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const count = await insertPrintPackages(trx, rows);
    for (const row of rows) {
      if (!row.request_id) continue;
      await answerCardReplacement(trx, row.request_id, { status: row.status, answeredAt: receivedAt, recordId: row.record_id, refusal: row.reason });
    }
    await setSyncValue(trx, 'print_package_cursor', page.nextCursor);
    return count;
  });
  return { stored, hasMore: page.hasMore };
}

/**
 * The sync worker's package step: drains the feed while the worker runs; returns how many packages it stored.
 * Only a centre that cannot be reached fails the cycle. A centre of an older release has no feed (404), and a
 * package that does not verify waits with its cursor unmoved: both are said once and slow nothing else.
 */
export function printPackageSyncer(ctx: OfficeContext, client: CentralClient): FeedSyncer {
  return feedSyncer(ctx, 'paket cetak belum diterima / print packages not taken', () => pullPrintPackages(ctx, client));
}

/**
 * The verified, opened print package of a record, for printing and writing the chip. Reads only this
 * office's database and its cached trust list: it works while the centre is down, and needs no paper file.
 * Refused when the stored package was altered (its seal or its signature) or belongs to another record.
 */
export async function openPrintPackage(ctx: Pick<OfficeContext, 'db' | 'office'>, recordId: string): Promise<OpenedCardPackage> {
  const row = await latestReadyPackage(ctx.db, recordId);
  if (!row?.sealed_package) throw packageNotFound();
  const key = await packageKey(ctx.db);
  let bytes: Uint8Array;
  try {
    bytes = key.open(new Uint8Array(row.sealed_package));
  } catch {
    throw packageInvalid('seal broken');
  }
  return verified(bytes, await cachedTrustList(ctx.db), { packageId: row.package_id, recordId, officeId: ctx.office.id });
}
