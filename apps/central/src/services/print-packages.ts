import type { Transaction } from 'kysely';
import { signCardPackage, toBase64Url, type CardPackageContent, type CardPackageKind } from '@tangguh/credential';
import { unpackSet, type Biodata, type RegionDirectory } from '@tangguh/domain';
import { unseal } from '@tangguh/protocol/node';
import { cardReplacementPayloadSchema, type OfficeEventEntryWire, type PrintPackagesResponse } from '@tangguh/protocol';
import { loadRegionDirectory } from '@tangguh/regions';
import type { CentralContext } from '../context.ts';
import type { CentralDb, CentralDbOrTx } from '../db/schema.ts';
import { findOffice } from '../repositories/offices.ts';
import {
  PRINTABLE_STATUSES,
  advancePackageBuilderCursor,
  galleryRecordsAfter,
  insertPrintPackage,
  packageBuilderCursor,
  latestPrintableByNik,
  printPackageExists,
  printPackagesAfter,
  takeFeedCursor,
  type PrintableEnrollment,
  type PrintPackageRow,
} from '../repositories/print-packages.ts';
import { cardSigningKey } from './card-key.ts';
import { cardFieldsOf, chipFingerprints } from './card-fields.ts';

/** The first package of a record is named after it, so a record can never get two. */
export const firstPackageId = (recordId: string) => `F-${recordId}`;
export const replacementPackageId = (officeId: string, requestId: string) => `R-${officeId}-${requestId}`;

/** Why the centre could not build a package; kept with the refusal and shown at the office. */
export class PackageRefusal extends Error {
  constructor(readonly reason: { id: string; en: string }) {
    super(`${reason.id} / ${reason.en}`);
  }
}

interface BuildProps {
  enrollment: PrintableEnrollment;
  kind: CardPackageKind;
  packageId: string;
  /** The office that will print: the recording office, or the one that asked for a replacement. */
  officeId: string;
  regencyCode: string;
  at: Date;
}

/** The signed package bytes of one record: fields, photo, signature image, two fingerprints, signed SOD. */
async function buildPackage(ctx: CentralContext, regions: RegionDirectory, props: BuildProps): Promise<Uint8Array> {
  const { enrollment } = props;
  const set = unpackSet(unseal(ctx.sealingPrivateKey, new Uint8Array(enrollment.sealed_biometrics)));
  const fingerprints = chipFingerprints(set);
  if (fingerprints.length < 2) {
    throw new PackageRefusal({ id: 'Rekaman tidak memiliki dua sidik jari untuk cip.', en: 'The record has fewer than two fingerprints for the chip.' });
  }
  const content: CardPackageContent = {
    packageId: props.packageId,
    kind: props.kind,
    recordId: enrollment.record_id,
    officeId: props.officeId,
    issuedAt: Math.floor(props.at.getTime() / 1000),
    fields: cardFieldsOf(JSON.parse(enrollment.biodata) as Biodata, regions, { regencyCode: props.regencyCode, at: props.at }),
    photo: { mime: enrollment.photo_mime, data: new Uint8Array(enrollment.photo) },
    signature: { mime: enrollment.signature_mime, data: new Uint8Array(enrollment.signature) },
    fingerprints,
  };
  return signCardPackage(content, await cardSigningKey(ctx.db));
}

/**
 * Stores a package (built or refused) under its office's next feed cursor; false when another worker stored it
 * first (checked after the cursor is taken: the counter's lock orders the writers of one office's feed).
 */
async function storeInFeed(trx: CentralDbOrTx, row: Omit<PrintPackageRow, 'cursor'>): Promise<boolean> {
  const cursor = await takeFeedCursor(trx, row.office_id);
  if (await printPackageExists(trx, row.package_id)) return false;
  await insertPrintPackage(trx, { ...row, cursor });
  return true;
}

/** Stores a built package in its office's feed. */
function storeReady(trx: CentralDbOrTx, ctx: CentralContext, props: BuildProps & { requestId: string | null }, signed: Uint8Array): Promise<boolean> {
  return storeInFeed(trx, {
    package_id: props.packageId,
    office_id: props.officeId,
    kind: props.kind,
    status: 'READY',
    record_id: props.enrollment.record_id,
    request_id: props.requestId,
    nik: props.enrollment.nik,
    reason: null,
    // Sealed at rest: the package carries two fingerprint templates.
    sealed_package: ctx.galleryKey.seal(signed),
    built_at: props.at.toISOString(),
  });
}

async function regencyOf(db: CentralDbOrTx, officeId: string): Promise<string> {
  const office = await findOffice(db, officeId);
  // An office id is its kabupaten/kota code without the dot (3509 → 35.09).
  return office?.regency_code ?? `${officeId.slice(0, 2)}.${officeId.slice(2, 4)}`;
}

/** Stores a refusal in the feed of the office that will not get its package, with the reason it can show. */
function storeRefusal(trx: CentralDbOrTx, props: { packageId: string; officeId: string; kind: CardPackageKind; recordId: string | null; requestId: string | null; nik: string; at: Date }, refusal: PackageRefusal): Promise<boolean> {
  return storeInFeed(trx, {
    package_id: props.packageId,
    office_id: props.officeId,
    kind: props.kind,
    status: 'REFUSED',
    record_id: props.recordId,
    request_id: props.requestId,
    nik: props.nik,
    reason: JSON.stringify(refusal.reason),
    sealed_package: null,
    built_at: props.at.toISOString(),
  });
}

const printable = new Set<string>(PRINTABLE_STATUSES);

/** Records looked at per round of the package builder (see buildPendingPrintPackages). */
export const PACKAGES_PER_ROUND = 200;

/**
 * Builds the first package of the next `limit` records admitted to the gallery (every Print Ready Record is,
 * whichever path made it print-ready), then stores them, each under its office's next feed cursor, and moves
 * the builder's cursor past them in one transaction: one durable commit a round rather than one a package,
 * which had a backlog's packages trail its deduplication by tens of minutes. The signing and sealing happen
 * before the transaction, so it holds the offices' feed counters only for the writes. A package already stored
 * (by another worker) is skipped; a crash before the commit builds the same records again. Returns how many
 * were looked at.
 */
export async function buildPendingPrintPackages(ctx: CentralContext, limit = PACKAGES_PER_ROUND): Promise<number> {
  const batch = await galleryRecordsAfter(ctx.db, await packageBuilderCursor(ctx.db), limit);
  if (batch.length === 0) return 0;
  const regions = await loadRegionDirectory();
  const regencies = new Map<string, string>();
  const stores: ((trx: CentralDbOrTx) => Promise<boolean>)[] = [];
  for (const { seq: _seq, status, ...enrollment } of batch) {
    const packageId = firstPackageId(enrollment.record_id);
    if (!printable.has(status) || (await printPackageExists(ctx.db, packageId))) continue;
    const at = ctx.now();
    const officeId = enrollment.office_id;
    const regencyCode = regencies.get(officeId) ?? regencies.set(officeId, await regencyOf(ctx.db, officeId)).get(officeId)!;
    const props: BuildProps = { enrollment, kind: 'FIRST', packageId, officeId, regencyCode, at };
    try {
      const signed = await buildPackage(ctx, regions, props);
      stores.push((trx) => storeReady(trx, ctx, { ...props, requestId: null }, signed));
    } catch (error) {
      if (!(error instanceof PackageRefusal)) throw error;
      // The office hears why this record has no package (it cannot be fixed by trying again).
      const refused = { packageId, officeId, kind: 'FIRST' as const, recordId: enrollment.record_id, requestId: null, nik: enrollment.nik, at };
      stores.push((trx) => storeRefusal(trx, refused, error));
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (const store of stores) await store(trx);
    await advancePackageBuilderCursor(trx, Number(batch[batch.length - 1]!.seq));
  });
  return batch.length;
}

const unknownResident = () => new PackageRefusal({ id: 'Pusat tidak memiliki rekaman siap cetak untuk NIK ini.', en: 'The centre holds no print-ready record for this NIK.' });

/**
 * `card.replacement_requested`, applied in the push batch's transaction: the centre builds a replacement
 * package from the resident's latest printable record — whichever office recorded it — for the office that
 * asked, or answers with a refusal. Either arrives through that office's package feed. A replayed event is
 * never applied twice (the inbox), and the package id is the request's, so neither is the package.
 */
export async function applyReplacementRequest(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const parsed = cardReplacementPayloadSchema.safeParse(event.payload);
  const requestId = parsed.success ? parsed.data.requestId : event.subjectId;
  const packageId = replacementPackageId(officeId, requestId);
  if (await printPackageExists(trx, packageId)) return;
  const at = ctx.now();
  const nik = parsed.success ? parsed.data.nik : '0000000000000000';
  const refuse = async (refusal: PackageRefusal) => {
    await storeRefusal(trx, { packageId, officeId, kind: 'REPLACEMENT', recordId: null, requestId, nik, at }, refusal);
  };
  if (!parsed.success) return refuse(new PackageRefusal({ id: 'Permintaan penggantian tidak terbaca.', en: 'The replacement request could not be read.' }));
  const enrollment = await latestPrintableByNik(trx, parsed.data.nik);
  if (!enrollment) return refuse(unknownResident());
  const props = { enrollment, kind: 'REPLACEMENT' as const, packageId, officeId, regencyCode: await regencyOf(trx, officeId), at, requestId };
  let signed: Uint8Array;
  try {
    signed = await buildPackage(ctx, await loadRegionDirectory(), props);
  } catch (error) {
    if (error instanceof PackageRefusal) return refuse(error);
    throw error;
  }
  await storeReady(trx, ctx, props, signed);
}

/** A page of the office's package feed: packages opened from their seal and sent as signed bytes. */
export async function printPackageFeed(ctx: CentralContext, officeId: string, after: number, limit: number): Promise<PrintPackagesResponse> {
  const rows = await printPackagesAfter(ctx.db, officeId, after, limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      cursor: Number(row.cursor),
      packageId: row.package_id,
      kind: row.kind,
      status: row.status,
      recordId: row.record_id,
      requestId: row.request_id,
      nik: row.nik,
      reason: row.reason ? (JSON.parse(row.reason) as { id: string; en: string }) : null,
      package: row.sealed_package ? toBase64Url(ctx.galleryKey.open(new Uint8Array(row.sealed_package))) : null,
      builtAt: row.built_at,
    })),
    nextCursor: page.length > 0 ? Number(page[page.length - 1]!.cursor) : after,
    hasMore: rows.length > limit,
  };
}
