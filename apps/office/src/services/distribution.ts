import { randomUUID } from 'node:crypto';
import { DomainError, zonedDayKey, type Bilingual } from '@tangguh/domain';
import type { CardManifest, MissingCard, PrintedCard } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  checkManifestItems,
  dinasSite,
  findManifest,
  findSite,
  insertManifest,
  insertMissingSettlement,
  lastPrintedFirstJob,
  listManifests,
  lowestPrintJobSeq,
  manifestItems,
  markManifestDispatched,
  markManifestReceived,
  missingCards,
  nextManifestNumber,
  printedCardsAwaitingDistribution,
  printSitesOf,
  recordStatuses,
  recordsOnManifests,
  reprintedLostCards,
  settleMissingItem,
  type CardCustodyRow,
  type ManifestRow,
  type MissingCardRow,
  type SiteRow,
} from '../repositories/distribution.ts';
import { appendBlankLedger, lockBlankLedger } from '../repositories/blank-stock.ts';
import { firstPackageOf, insertPrintJob, lockPrintJobs, type PrintJobRow } from '../repositories/print-jobs.ts';
import { composerFor } from '../notify/composer.ts';
import { queueCardLostNotice } from '../notify/card-notices.ts';
import { listSites } from '../repositories/sites.ts';
import { lockOutbox } from '../repositories/outbox.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { recordCardStatus } from './card-status.ts';
import { baseJob } from './print-jobs.ts';

/**
 * Printed cards on their way to the pickup points. A manifest is packed at the Dinas (where cards are
 * printed), dispatched — each card CARD_SHIPPED, through the outbox, in the same transaction — and received
 * at its kecamatan or kelurahan site, where the cards in the box are checked off and the rest flagged
 * missing. All of it is local: it works while the centre is down, and the centre hears of it afterwards.
 */

export const PICKUP_POINT_KINDS = ['KECAMATAN', 'KELURAHAN', 'DESA'];

const refuse = (code: string, messages: Bilingual, kind: 'conflict' | 'not_found' | 'forbidden' | 'invalid' = 'conflict') => new DomainError(code, messages, kind);

export const manifestNotFound = () => refuse('MANIFEST_NOT_FOUND', { id: 'Manifes tidak ditemukan.', en: 'Manifest not found.' }, 'not_found');

/**
 * Where a printed card is. Cards are printed at the Dinas; a card on a manifest is packed there, under way,
 * at its pickup point once received, or missing when the point did not find it in the box.
 */
export type Whereabouts =
  | { kind: 'AT_SITE'; siteId: string; since: string; manifestNumber: string | null }
  | { kind: 'PACKED'; siteId: string; manifestNumber: string }
  | { kind: 'IN_TRANSIT'; siteId: string; manifestNumber: string; since: string }
  | { kind: 'MISSING'; siteId: string; manifestNumber: string }
  | { kind: 'REPRINTING'; siteId: string; manifestNumber: string };

/** The card printed again after the shipped one was declared lost in transit (repositories/distribution.ts reprintsOf). */
export interface Reprint {
  state: string;
  site_id: string;
  printed_at: string | null;
}

export function whereaboutsOf(record: { status: string; status_at: string }, manifest: CardCustodyRow | undefined, printSiteId: string, reprint?: Reprint): Whereabouts {
  if (manifest?.item_state === 'LOST') {
    // Lost on the way: the card that exists is its reprint, once printed, where it was printed.
    if (reprint?.state !== 'printed') return { kind: 'REPRINTING', siteId: reprint?.site_id ?? printSiteId, manifestNumber: manifest.number };
    return { kind: 'AT_SITE', siteId: reprint.site_id, since: reprint.printed_at ?? record.status_at, manifestNumber: null };
  }
  if (!manifest) return { kind: 'AT_SITE', siteId: printSiteId, since: record.status_at, manifestNumber: null };
  if (manifest.manifest_status === 'OPEN') return { kind: 'PACKED', siteId: manifest.from_site_id, manifestNumber: manifest.number };
  if (manifest.manifest_status === 'DISPATCHED') return { kind: 'IN_TRANSIT', siteId: manifest.to_site_id, manifestNumber: manifest.number, since: manifest.dispatched_at ?? record.status_at };
  if (manifest.item_state === 'MISSING') return { kind: 'MISSING', siteId: manifest.to_site_id, manifestNumber: manifest.number };
  return { kind: 'AT_SITE', siteId: manifest.to_site_id, since: manifest.item_checked_at ?? manifest.received_at ?? record.status_at, manifestNumber: manifest.number };
}

/**
 * Where each printed card came out of the printer: the site of its print job, else the Dinas (a card printed
 * before the print room kept jobs, or reported printed by another path).
 */
export async function printSitesOfCards(db: OfficeDbOrTx, recordIds: readonly string[]): Promise<Map<string, string>> {
  const [jobs, dinas] = await Promise.all([printSitesOf(db, recordIds), dinasSite(db)]);
  if (!dinas) throw new Error('the office has no Dinas site: it is not provisioned');
  return new Map(recordIds.map((id) => [id, jobs.get(id) ?? dinas.id]));
}

/** Printed cards on no manifest that the person may see, with the pickup point suggested for each: the site where the resident recorded. */
export async function printedCardsForDistribution(ctx: OfficeContext, user: Pick<OfficeUser, 'role' | 'siteId'>, limit = 500): Promise<{ items: PrintedCard[]; pickupPoints: { id: string; name: string; kind: string }[] }> {
  const [rows, sites] = await Promise.all([printedCardsAwaitingDistribution(ctx.db, await visibilityOf(ctx.db, user), limit), listSites(ctx.db)]);
  const byId = new Map(sites.map((s) => [s.id, s]));
  const items = rows.map((r): PrintedCard => {
    const site = byId.get(r.site_id);
    const suggested = site && PICKUP_POINT_KINDS.includes(site.kind) ? site : undefined;
    return { recordId: r.id, registrationNumber: r.registration_number, nik: r.nik, fullName: r.full_name, printedAt: r.status_at, suggestedSiteId: suggested?.id ?? null, suggestedSiteName: suggested?.name ?? null };
  });
  return { items, pickupPoints: sites.filter((s) => PICKUP_POINT_KINDS.includes(s.kind)) };
}

async function present(db: OfficeDbOrTx, rows: ManifestRow[]): Promise<CardManifest[]> {
  const [items, sites] = await Promise.all([manifestItems(db, rows.map((r) => r.id)), listSites(db)]);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  return rows.map((row) => {
    const mine = items.filter((i) => i.manifest_id === row.id);
    return {
      id: row.id,
      number: row.number,
      fromSiteId: row.from_site_id,
      fromSiteName: siteName.get(row.from_site_id) ?? row.from_site_id,
      toSiteId: row.to_site_id,
      toSiteName: siteName.get(row.to_site_id) ?? row.to_site_id,
      status: row.status,
      createdBy: row.created_by,
      createdAt: row.created_at,
      dispatchedBy: row.dispatched_by,
      dispatchedAt: row.dispatched_at,
      receivedBy: row.received_by,
      receivedAt: row.received_at,
      items: mine.map((i) => ({
        recordId: i.record_id,
        registrationNumber: i.registration_number,
        nik: i.nik,
        fullName: i.full_name,
        recordStatus: i.status,
        state: i.state,
        checkedBy: i.checked_by,
        checkedAt: i.checked_at,
      })),
      counts: { total: mine.length, received: mine.filter((i) => i.state === 'RECEIVED').length, missing: mine.filter((i) => i.state === 'MISSING').length },
    };
  });
}

/** Staff at the Dinas (and the head, admins) see every manifest; a kecamatan sees those to or from its site. */
async function siteFilter(db: OfficeDbOrTx, user: Pick<OfficeUser, 'role' | 'siteId'>): Promise<string | undefined> {
  if (user.role === 'head' || user.role === 'admin') return undefined;
  const site = await findSite(db, user.siteId);
  return site?.kind === 'DINAS' ? undefined : user.siteId;
}

export async function listManifestViews(ctx: OfficeContext, user: Pick<OfficeUser, 'role' | 'siteId'>, limit: number): Promise<CardManifest[]> {
  return present(ctx.db, await listManifests(ctx.db, { siteId: await siteFilter(ctx.db, user), limit }));
}

export async function manifestView(ctx: OfficeContext, user: Pick<OfficeUser, 'role' | 'siteId'>, id: string): Promise<CardManifest> {
  const row = await findManifest(ctx.db, id);
  const only = await siteFilter(ctx.db, user);
  if (!row || (only && row.to_site_id !== only && row.from_site_id !== only)) throw manifestNotFound();
  return (await present(ctx.db, [row]))[0]!;
}

function pickupPointRefused(site: SiteRow | undefined, siteId: string): DomainError | undefined {
  if (!site) return refuse('PICKUP_POINT_NOT_FOUND', { id: `Lokasi ambil ${siteId} tidak ada.`, en: `There is no pickup point ${siteId}.` }, 'not_found');
  if (!PICKUP_POINT_KINDS.includes(site.kind)) {
    return refuse('PICKUP_POINT_INVALID', {
      id: `${site.name} bukan lokasi ambil kecamatan/kelurahan; kartu yang diambil di Dinas tidak memerlukan manifes.`,
      en: `${site.name} is not a kecamatan/kelurahan pickup point; a card collected at the Dinas needs no manifest.`,
    });
  }
  return undefined;
}

/** Packs printed cards on a new manifest from the Dinas to a pickup point. Every card must be printed and on no other manifest. */
export async function createManifest(ctx: OfficeContext, props: { toSiteId: string; recordIds: readonly string[]; by: Pick<OfficeUser, 'username'> }): Promise<CardManifest> {
  const site = await findSite(ctx.db, props.toSiteId);
  const refused = pickupPointRefused(site, props.toSiteId);
  if (refused) throw refused;
  const id = await ctx.db.transaction().execute(async (trx) => {
    // Manifests take turns with every other card movement: a card cannot be packed twice, or handed over while packed.
    await lockOutbox(trx);
    const statuses = new Map((await recordStatuses(trx, props.recordIds)).map((r) => [r.id, r.status]));
    const unknown = props.recordIds.filter((r) => !statuses.has(r));
    if (unknown.length > 0) throw refuse('CARD_NOT_FOUND', { id: `Kartu tidak ditemukan: ${unknown.join(', ')}.`, en: `Cards not found: ${unknown.join(', ')}.` }, 'not_found');
    // A card declared lost in transit and printed again goes out again (its record stays CARD_SHIPPED).
    const reprinted = await reprintedLostCards(trx, props.recordIds);
    const notPrinted = props.recordIds.filter((r) => statuses.get(r) !== 'CARD_PRINTED' && !reprinted.has(r));
    if (notPrinted.length > 0) {
      throw refuse('CARD_NOT_PRINTED', {
        id: `Hanya kartu yang sudah tercetak dan belum dikirim yang dapat dimasukkan ke manifes: ${notPrinted.join(', ')}.`,
        en: `Only cards printed and not yet shipped can be put on a manifest: ${notPrinted.join(', ')}.`,
      });
    }
    const packed = [...(await recordsOnManifests(trx, props.recordIds))];
    if (packed.length > 0) throw refuse('CARD_ALREADY_ON_MANIFEST', { id: `Kartu sudah ada di manifes lain: ${packed.join(', ')}.`, en: `Cards already on another manifest: ${packed.join(', ')}.` });
    // One box leaves one site: the cards must all lie where they were printed, and not already at the destination.
    const origins = new Set((await printSitesOfCards(trx, props.recordIds)).values());
    const from = [...origins][0]!;
    if (origins.size > 1) throw refuse('CARDS_AT_DIFFERENT_SITES', { id: 'Kartu-kartu ini tercetak di lokasi yang berbeda; buat satu manifes per lokasi asal.', en: 'These cards were printed at different sites; make one manifest per site they leave from.' });
    if (from === props.toSiteId) throw refuse('CARDS_ALREADY_THERE', { id: `Kartu-kartu ini sudah ada di ${site!.name}; tidak perlu manifes.`, en: `These cards are already at ${site!.name}; no manifest is needed.` });
    const now = ctx.now();
    const day = zonedDayKey(now, ctx.office.timeZone);
    const manifestId = randomUUID();
    const number = `MNF-${ctx.office.id}-${day}-${String(await nextManifestNumber(trx, day)).padStart(4, '0')}`;
    await insertManifest(
      trx,
      { id: manifestId, number, from_site_id: from, to_site_id: props.toSiteId, status: 'OPEN', created_by: props.by.username, created_at: now.toISOString(), dispatched_by: null, dispatched_at: null, received_by: null, received_at: null },
      props.recordIds,
    );
    return manifestId;
  });
  return (await present(ctx.db, [(await findManifest(ctx.db, id))!]))[0]!;
}

/** Dispatches a packed manifest: it and every card's CARD_SHIPPED (with its outbox event) commit together. */
export async function dispatchManifest(ctx: OfficeContext, props: { id: string; by: Pick<OfficeUser, 'username'> }): Promise<CardManifest> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    const row = await findManifest(trx, props.id);
    if (!row) throw manifestNotFound();
    const at = ctx.now().toISOString();
    if (!(await markManifestDispatched(trx, row.id, props.by.username, at))) {
      throw refuse('MANIFEST_NOT_OPEN', { id: `Manifes ${row.number} sudah dikirim.`, en: `Manifest ${row.number} has already been dispatched.` });
    }
    for (const item of await manifestItems(trx, [row.id])) {
      await recordCardStatus(trx, { recordId: item.record_id, status: 'CARD_SHIPPED', at, by: props.by.username, detail: { manifest: row.number, pickupPoint: row.to_site_id } });
    }
  });
  return (await present(ctx.db, [(await findManifest(ctx.db, props.id))!]))[0]!;
}

/**
 * Receives a manifest at its pickup point: the cards found are checked off, every other card is flagged
 * missing, with who and when. Only someone posted at that point (or an admin) can say what arrived there.
 */
export async function receiveManifest(ctx: OfficeContext, props: { id: string; receivedRecordIds: readonly string[]; user: Pick<OfficeUser, 'username' | 'role' | 'siteId'> }): Promise<CardManifest> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    const row = await findManifest(trx, props.id);
    const only = await siteFilter(trx, props.user);
    if (!row || (only && row.to_site_id !== only && row.from_site_id !== only)) throw manifestNotFound();
    if (props.user.role !== 'admin' && props.user.siteId !== row.to_site_id) {
      throw refuse(
        'MANIFEST_WRONG_SITE',
        { id: `Manifes ${row.number} hanya dapat diterima oleh petugas di lokasi tujuannya.`, en: `Manifest ${row.number} can only be received by staff posted at its destination.` },
        'forbidden',
      );
    }
    const items = await manifestItems(trx, [row.id]);
    const onIt = new Set(items.map((i) => i.record_id));
    const strangers = props.receivedRecordIds.filter((r) => !onIt.has(r));
    if (strangers.length > 0) throw refuse('CARD_NOT_ON_MANIFEST', { id: `Kartu ini tidak ada di manifes ${row.number}: ${strangers.join(', ')}.`, en: `These cards are not on manifest ${row.number}: ${strangers.join(', ')}.` }, 'invalid');
    const at = ctx.now().toISOString();
    if (!(await markManifestReceived(trx, row.id, props.user.username, at))) {
      const why = row.status === 'OPEN' ? { id: 'belum dikirim', en: 'has not been dispatched yet' } : { id: 'sudah diterima', en: 'has already been received' };
      throw refuse('MANIFEST_NOT_IN_TRANSIT', { id: `Manifes ${row.number} ${why.id}.`, en: `Manifest ${row.number} ${why.en}.` });
    }
    const found = new Set(props.receivedRecordIds);
    await checkManifestItems(trx, row.id, [...found], 'RECEIVED', props.user.username, at);
    await checkManifestItems(trx, row.id, items.filter((i) => !found.has(i.record_id)).map((i) => i.record_id), 'MISSING', props.user.username, at);
  });
  return (await present(ctx.db, [(await findManifest(ctx.db, props.id))!]))[0]!;
}

export function manifestMessage(manifest: CardManifest, action: 'created' | 'dispatched' | 'received'): Bilingual {
  const n = manifest.counts.total;
  if (action === 'created') return { id: `Manifes ${manifest.number} ke ${manifest.toSiteName} dibuat dengan ${n} kartu.`, en: `Manifest ${manifest.number} to ${manifest.toSiteName} created with ${n} card${n === 1 ? '' : 's'}.` };
  if (action === 'dispatched') return { id: `Manifes ${manifest.number} dikirim: ${n} kartu berstatus dikirim ke lokasi ambil.`, en: `Manifest ${manifest.number} dispatched: ${n} card${n === 1 ? '' : 's'} shipped to the pickup point.` };
  const { received, missing } = manifest.counts;
  return {
    id: `Manifes ${manifest.number} diterima: ${received} kartu ada${missing > 0 ? `, ${missing} kartu HILANG/tidak ada di kotak` : ''}.`,
    en: `Manifest ${manifest.number} received: ${received} card${received === 1 ? '' : 's'} found${missing > 0 ? `, ${missing} MISSING from the box` : ''}.`,
  };
}

const missingCardNotFound = () => refuse('MISSING_CARD_NOT_FOUND', { id: 'Kartu hilang tidak ditemukan pada manifes ini.', en: 'No missing card of this manifest matches.' }, 'not_found');
const alreadySettled = (row: MissingCardRow) =>
  refuse('MISSING_CARD_SETTLED', {
    id: `Kartu ${row.full_name} pada manifes ${row.number} sudah diselesaikan (${row.outcome === 'FOUND' ? 'ditemukan' : row.outcome === 'LOST_IN_TRANSIT' ? 'dinyatakan hilang' : 'tidak hilang'}).`,
    en: `The card of ${row.full_name} on manifest ${row.number} has already been settled (${row.outcome === 'FOUND' ? 'found' : row.outcome === 'LOST_IN_TRANSIT' ? 'declared lost' : 'not missing'}).`,
  });

function presentMissing(row: MissingCardRow, siteName: (id: string) => string): MissingCard {
  const state: MissingCard['state'] = row.outcome ?? 'OPEN';
  return {
    manifestId: row.manifest_id,
    manifestNumber: row.number,
    fromSiteId: row.from_site_id,
    toSiteId: row.to_site_id,
    toSiteName: siteName(row.to_site_id),
    recordId: row.record_id,
    registrationNumber: row.registration_number,
    nik: row.nik,
    fullName: row.full_name,
    state,
    // Open: the receipt's check is the flag; settled: the flag kept before the item changed.
    flaggedBy: state === 'OPEN' ? row.checked_by : row.flagged_by,
    flaggedAt: state === 'OPEN' ? row.checked_at : row.flagged_at,
    settledBy: row.settled_by,
    settledAt: row.settled_at,
    reason: row.reason,
    blankSerial: row.blank_serial,
    reprintJobId: row.reprint_job_id,
    reprintState: row.reprint_state,
    notified: row.notified,
  };
}

async function siteNameOf(db: OfficeDbOrTx): Promise<(id: string) => string> {
  const names = new Map((await listSites(db)).map((s) => [s.id, s.name]));
  return (id) => names.get(id) ?? id;
}

/** Cards flagged missing on receipt, open and settled; a kecamatan sees those of its own manifests. */
export async function missingCardViews(ctx: OfficeContext, user: Pick<OfficeUser, 'role' | 'siteId'>, limit = 200): Promise<MissingCard[]> {
  const [rows, siteName] = await Promise.all([missingCards(ctx.db, { siteId: await siteFilter(ctx.db, user), limit }), siteNameOf(ctx.db)]);
  return rows.map((r) => presentMissing(r, siteName));
}

async function missingCase(db: OfficeDbOrTx, user: Pick<OfficeUser, 'role' | 'siteId'>, manifestId: string, recordId: string): Promise<MissingCardRow> {
  const [row] = await missingCards(db, { manifestId, recordId, siteId: await siteFilter(db, user), limit: 1 });
  if (!row) throw missingCardNotFound();
  if (row.outcome !== null || row.item_state !== 'MISSING') throw alreadySettled(row);
  return row;
}

async function missingView(ctx: OfficeContext, manifestId: string, recordId: string): Promise<MissingCard> {
  const [row] = await missingCards(ctx.db, { manifestId, recordId, limit: 1 });
  return presentMissing(row!, await siteNameOf(ctx.db));
}

/**
 * A card flagged missing turned up at its pickup point (under another box's lid, in the wrong tray): it is
 * received late — checked off now, by someone posted there — and can be handed over there from now on.
 */
export async function settleMissingFound(ctx: OfficeContext, props: { manifestId: string; recordId: string; note?: string; user: Pick<OfficeUser, 'username' | 'role' | 'siteId'> }): Promise<MissingCard> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await missingCase(trx, props.user, props.manifestId, props.recordId);
    if (props.user.role !== 'admin' && props.user.siteId !== row.to_site_id) {
      throw refuse(
        'MANIFEST_WRONG_SITE',
        { id: `Kartu ini hanya dapat dinyatakan ditemukan oleh petugas di lokasi tujuan manifes ${row.number}.`, en: `This card can only be reported found by staff posted at the destination of manifest ${row.number}.` },
        'forbidden',
      );
    }
    const at = ctx.now().toISOString();
    if (!(await settleMissingItem(trx, row.manifest_id, row.record_id, 'RECEIVED', props.user.username, at))) throw alreadySettled(row);
    await insertMissingSettlement(trx, {
      manifest_id: row.manifest_id,
      record_id: row.record_id,
      outcome: 'FOUND',
      reason: props.note?.trim() || 'Ditemukan di lokasi ambil / Found at the pickup point',
      flagged_by: row.checked_by,
      flagged_at: row.checked_at,
      settled_by: props.user.username,
      settled_at: at,
      blank_serial: null,
      reprint_job_id: null,
      notified: 0,
    });
  });
  return missingView(ctx, props.manifestId, props.recordId);
}

/**
 * A missing card declared lost in transit, in one transaction: the manifest item becomes LOST; the blank it
 * was printed on is written off in the stock ledger as spoiled with the reason (a row of quantity 0 — the
 * blank left the stock when the card was printed, and the ledger keeps one row per serial, so the serial is
 * named in the reason); the card goes back to the print queue ahead of every other job (a job numbered below
 * the lowest), at the site and on the printer of the lost one; and the resident is told if they left a
 * contact. The record stays CARD_SHIPPED (the lifecycle does not go back); the reprint is then shipped anew.
 */
export async function settleMissingLost(ctx: OfficeContext, props: { manifestId: string; recordId: string; reason: string; user: Pick<OfficeUser, 'username' | 'role' | 'siteId'> }): Promise<MissingCard> {
  // Outside the transaction: on SQLite the transaction holds the one connection.
  const composer = await composerFor(ctx);
  const siteName = await siteNameOf(ctx.db);
  const reason = props.reason.trim();
  await ctx.db.transaction().execute(async (trx) => {
    // The print room's lock first: the reprint's number is taken below the lowest, and no job is made meanwhile.
    await lockPrintJobs(trx);
    const row = await missingCase(trx, props.user, props.manifestId, props.recordId);
    const at = ctx.now().toISOString();
    const by = props.user.username;
    if (!(await settleMissingItem(trx, row.manifest_id, row.record_id, 'LOST', by, at))) throw alreadySettled(row);
    const lost = await lastPrintedFirstJob(trx, row.record_id);
    const siteId = lost?.site_id ?? row.from_site_id;
    await lockBlankLedger(trx);
    await appendBlankLedger(trx, [
      {
        at,
        kind: 'spoilage',
        site_id: siteId,
        quantity: 0,
        movement_id: randomUUID(),
        counterpart: row.to_site_id,
        tranche: null,
        serial_from: null,
        serial_to: null,
        serial: null,
        record_id: row.record_id,
        reason: `lost_in_transit: ${lost?.blank_serial !== null && lost?.blank_serial !== undefined ? `blanko/blank ${lost.blank_serial}, ` : ''}${row.number}: ${reason}`.slice(0, 500),
        recorded_by: by,
        approved_by: null,
      },
    ]);
    const packageId = lost?.package_id ?? (await firstPackageOf(trx, row.record_id))?.package_id ?? null;
    const reprint: PrintJobRow = {
      ...baseJob({ siteId, printerId: lost?.printer_id ?? null, by, at }, (await lowestPrintJobSeq(trx)) - 1),
      card: 'FIRST',
      record_id: row.record_id,
      request_id: null,
      package_id: packageId,
      state: packageId ? 'queued' : 'waiting_package',
      active_key: `F:${row.record_id}`,
      reprint_of: lost?.id ?? null,
    };
    await insertPrintJob(trx, reprint);
    const reprintId = reprint.id;
    const notified = await queueCardLostNotice(trx, composer, { recordId: row.record_id, manifestId: row.manifest_id, site: { id: siteName(row.to_site_id), en: siteName(row.to_site_id) } });
    await insertMissingSettlement(trx, {
      manifest_id: row.manifest_id,
      record_id: row.record_id,
      outcome: 'LOST_IN_TRANSIT',
      reason,
      flagged_by: row.checked_by,
      flagged_at: row.checked_at,
      settled_by: by,
      settled_at: at,
      blank_serial: lost?.blank_serial ?? null,
      reprint_job_id: reprintId,
      notified,
    });
  });
  return missingView(ctx, props.manifestId, props.recordId);
}

export function missingCardMessage(item: MissingCard): Bilingual {
  if (item.state === 'FOUND') return { id: `Kartu ${item.fullName} ditemukan di ${item.toSiteName} dan dapat diserahkan di sana.`, en: `The card of ${item.fullName} was found at ${item.toSiteName} and can be handed over there.` };
  const told = item.notified ? { id: ' Pemohon diberi tahu.', en: ' The resident has been told.' } : { id: ' Pemohon tidak meninggalkan kontak.', en: ' The resident left no contact.' };
  return {
    id: `Kartu ${item.fullName} dinyatakan hilang dalam pengiriman: blanko${item.blankSerial !== null ? ` ${item.blankSerial}` : ''} dihapusbukukan, kartu dicetak ulang di urutan pertama.${told.id}`,
    en: `The card of ${item.fullName} was declared lost in transit: blank${item.blankSerial !== null ? ` ${item.blankSerial}` : ''} written off, the card is printed again first in the queue.${told.en}`,
  };
}
