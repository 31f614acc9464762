import { randomUUID } from 'node:crypto';
import { DomainError, zonedDayKey, type Bilingual } from '@tangguh/domain';
import type { CardManifest, PrintedCard } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  checkManifestItems,
  dinasSite,
  findManifest,
  findSite,
  insertManifest,
  listManifests,
  manifestItems,
  markManifestDispatched,
  markManifestReceived,
  nextManifestNumber,
  printedCardsAwaitingDistribution,
  printSitesOf,
  recordStatuses,
  recordsOnManifests,
  type CardCustodyRow,
  type ManifestRow,
  type SiteRow,
} from '../repositories/distribution.ts';
import { listSites } from '../repositories/sites.ts';
import { lockOutbox } from '../repositories/outbox.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { recordCardStatus } from './card-status.ts';

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
  | { kind: 'MISSING'; siteId: string; manifestNumber: string };

export function whereaboutsOf(record: { status: string; status_at: string }, manifest: CardCustodyRow | undefined, printSiteId: string): Whereabouts {
  if (!manifest) return { kind: 'AT_SITE', siteId: printSiteId, since: record.status_at, manifestNumber: null };
  if (manifest.manifest_status === 'OPEN') return { kind: 'PACKED', siteId: manifest.from_site_id, manifestNumber: manifest.number };
  if (manifest.manifest_status === 'DISPATCHED') return { kind: 'IN_TRANSIT', siteId: manifest.to_site_id, manifestNumber: manifest.number, since: manifest.dispatched_at ?? record.status_at };
  if (manifest.item_state === 'MISSING') return { kind: 'MISSING', siteId: manifest.to_site_id, manifestNumber: manifest.number };
  return { kind: 'AT_SITE', siteId: manifest.to_site_id, since: manifest.received_at ?? record.status_at, manifestNumber: manifest.number };
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
    const notPrinted = props.recordIds.filter((r) => statuses.get(r) !== 'CARD_PRINTED');
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
