import { randomUUID } from 'node:crypto';
import { DEFAULT_MATCH_POLICY, DomainError, TEMPLATE_BYTES, isDomainError, templateSimilarity, type Bilingual } from '@tangguh/domain';
import type { HandoverResponse, IdentityCheck, PickupAvailability, PickupCandidate } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import {
  findIdentityCheck,
  findPickupCandidates,
  findPickupRecord,
  handoversOf,
  identityChecksOf,
  insertHandover,
  insertIdentityCheck,
  latestManifestOf,
  reprintsOf,
  useIdentityCheck,
  type IdentityCheckRow,
  type PickupCandidateRow,
} from '../repositories/distribution.ts';
import { lockOutbox } from '../repositories/outbox.ts';
import { latestReadyPackage } from '../repositories/print-packages.ts';
import { listSites } from '../repositories/sites.ts';
import { activeSuketsOfRecord } from '../repositories/sukets.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { recordCardStatus } from './card-status.ts';
import { printSitesOfCards, whereaboutsOf, type Whereabouts } from './distribution.ts';
import { openPrintPackage } from './print-packages.ts';
import { printPlan } from './print-plan.ts';
import { revokeSuketsOfIssuedCards } from './suket.ts';

/**
 * The pickup counter. A card is handed over only where it is (printed, and received at that point), only
 * after the holder's identity is confirmed — a 1:1 match of the fingers scanned at the counter against the
 * two prints on the card's chip, with the matcher's similarity and threshold, or a supervisor's recorded
 * override — and the hand-over, CARD_ISSUED with its outbox event, and the revocation of the resident's
 * active Sukets commit in one transaction. Nothing here asks the centre: it works during an outage.
 */

/** A confirmed check is good for one hand-over within this time: the person must still be at the counter. */
export const CHECK_VALID_MINUTES = 15;
/** The matcher's threshold for "the same person" (DEFAULT_MATCH_POLICY.duplicateAt). */
export const PICKUP_MATCH_THRESHOLD = DEFAULT_MATCH_POLICY.duplicateAt;

type User = Pick<OfficeUser, 'username' | 'role' | 'siteId'>;

const conflict = (code: string, messages: Bilingual) => new DomainError(code, messages, 'conflict');
const cardNotFound = () => new DomainError('CARD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');

/** Why this card cannot be handed over at `siteId` now, or undefined when it can. */
export function handoverRefusal(status: string, where: Whereabouts | undefined, siteId: string, siteName: (id: string) => string): DomainError | undefined {
  if (status === 'CARD_ISSUED') return conflict('CARD_ALREADY_ISSUED', { id: 'Kartu ini sudah diserahkan kepada pemiliknya.', en: 'This card has already been handed over to its holder.' });
  if (status !== 'CARD_PRINTED' && status !== 'CARD_SHIPPED') {
    return conflict('CARD_NOT_PRINTED', { id: `Kartu belum tercetak (status ${status}); tidak ada yang dapat diserahkan.`, en: `The card has not been printed (status ${status}); there is nothing to hand over.` });
  }
  if (!where) return undefined;
  if (where.kind === 'PACKED') return conflict('CARD_PACKED', { id: `Kartu sudah dikemas di manifes ${where.manifestNumber}; kirim dan terima dulu di lokasi ambil.`, en: `The card is packed on manifest ${where.manifestNumber}; dispatch it and receive it at the pickup point first.` });
  if (where.kind === 'IN_TRANSIT') {
    return conflict('CARD_NOT_RECEIVED', {
      id: `Kartu masih dalam pengiriman ke ${siteName(where.siteId)} (manifes ${where.manifestNumber}) dan belum diterima di sana.`,
      en: `The card is on its way to ${siteName(where.siteId)} (manifest ${where.manifestNumber}) and has not been received there yet.`,
    });
  }
  if (where.kind === 'MISSING') return conflict('CARD_MISSING', { id: `Kartu tidak ditemukan saat manifes ${where.manifestNumber} diterima.`, en: `The card was not found when manifest ${where.manifestNumber} was received.` });
  if (where.kind === 'REPRINTING') {
    return conflict('CARD_BEING_REPRINTED', {
      id: `Kartu hilang dalam pengiriman (manifes ${where.manifestNumber}) dan sedang dicetak ulang.`,
      en: `The card was lost in transit (manifest ${where.manifestNumber}) and is being printed again.`,
    });
  }
  if (where.siteId !== siteId) {
    return conflict('CARD_AT_OTHER_SITE', { id: `Kartu ini ada di ${siteName(where.siteId)}, bukan di lokasi ini; serahkan di sana.`, en: `This card is at ${siteName(where.siteId)}, not here; it is handed over there.` });
  }
  return undefined;
}

async function siteNames(db: OfficeDbOrTx): Promise<(id: string) => string> {
  const names = new Map((await listSites(db)).map((s) => [s.id, s.name]));
  return (id) => names.get(id) ?? id;
}

async function whereaboutsOfRecords(db: OfficeDbOrTx, rows: readonly PickupCandidateRow[]): Promise<Map<string, Whereabouts>> {
  const printed = rows.filter((r) => r.status === 'CARD_PRINTED' || r.status === 'CARD_SHIPPED');
  if (printed.length === 0) return new Map();
  const ids = printed.map((r) => r.id);
  const [manifests, printSites] = await Promise.all([latestManifestOf(db, ids), printSitesOfCards(db, ids)]);
  const lost = ids.filter((id) => manifests.get(id)?.item_state === 'LOST');
  const reprints = await reprintsOf(db, lost);
  return new Map(printed.map((r) => [r.id, whereaboutsOf(r, manifests.get(r.id), printSites.get(r.id)!, reprints.get(r.id))]));
}

export function presentCheck(row: IdentityCheckRow): IdentityCheck {
  return {
    id: row.id,
    method: row.method,
    matched: Number(row.matched) === 1,
    score: row.score === null ? null : Number(row.score),
    threshold: row.threshold === null ? null : Number(row.threshold),
    positions: row.positions ? (JSON.parse(row.positions) as string[]) : [],
    checkedBy: row.checked_by,
    checkedAt: row.checked_at,
    reason: row.reason,
    validUntil: new Date(Date.parse(row.checked_at) + CHECK_VALID_MINUTES * 60_000).toISOString(),
  };
}

export const stillValid = (row: IdentityCheckRow, now: Date) => Date.parse(row.checked_at) + CHECK_VALID_MINUTES * 60_000 >= now.getTime();

function availability(row: PickupCandidateRow, where: Whereabouts | undefined, userSite: string, siteName: (id: string) => string, forecast: Map<string, { earliest: string | null; latest: string | null; flag: string | null }>): PickupAvailability {
  const base = { siteId: null, siteName: null, pickupFrom: null, forecast: null, manifestNumber: null };
  if (row.status === 'CARD_ISSUED') return { ...base, kind: 'ISSUED', messages: { id: 'Kartu sudah diserahkan.', en: 'The card has been handed over.' } };
  if (where) {
    const site = { siteId: where.siteId, siteName: siteName(where.siteId), manifestNumber: where.manifestNumber };
    if (where.kind === 'AT_SITE' && where.siteId === userSite) {
      return { ...base, ...site, kind: 'READY_HERE', pickupFrom: where.since, messages: { id: 'Kartu ada di lokasi ini dan dapat diambil sekarang.', en: 'The card is here and can be collected now.' } };
    }
    if (where.kind === 'AT_SITE') {
      return { ...base, ...site, kind: 'READY_ELSEWHERE', pickupFrom: where.since, messages: { id: `Kartu dapat diambil di ${site.siteName}.`, en: `The card can be collected at ${site.siteName}.` } };
    }
    if (where.kind === 'PACKED') return { ...base, ...site, kind: 'PACKED', messages: { id: `Kartu tercetak dan dikemas untuk dikirim (manifes ${where.manifestNumber}); tanggal ambil diberikan setelah diterima di lokasi ambil.`, en: `The card is printed and packed for shipping (manifest ${where.manifestNumber}); a pickup date is given once it is received at the pickup point.` } };
    if (where.kind === 'IN_TRANSIT') {
      return { ...base, ...site, kind: 'IN_TRANSIT', messages: { id: `Kartu dalam pengiriman ke ${site.siteName}; dapat diambil setelah diterima di sana.`, en: `The card is on its way to ${site.siteName}; it can be collected once received there.` } };
    }
    if (where.kind === 'REPRINTING') {
      return {
        ...base,
        ...site,
        kind: 'REPRINTING',
        messages: {
          id: `Kartu hilang dalam pengiriman (manifes ${where.manifestNumber}) dan dicetak ulang dengan prioritas; tanggal ambil diberikan setelah tercetak.`,
          en: `The card was lost in transit (manifest ${where.manifestNumber}) and is being printed again with priority; a pickup date is given once it is printed.`,
        },
      };
    }
    return { ...base, ...site, kind: 'MISSING', messages: { id: `Kartu tidak ditemukan saat manifes ${where.manifestNumber} diterima; hubungi penyelia.`, en: `The card was not found when manifest ${where.manifestNumber} was received; ask a supervisor.` } };
  }
  const planned = forecast.get(row.id);
  if (planned && (planned.earliest || planned.latest)) {
    return {
      ...base,
      kind: 'PRINT_FORECAST',
      forecast: planned,
      messages: {
        id: `Kartu belum tercetak. Perkiraan cetak ${planned.earliest ?? '?'} s.d. ${planned.latest ?? '?'} (perkiraan, bukan janji); tanggal ambil diberikan setelah kartu tercetak.`,
        en: `The card is not printed yet. Expected printing ${planned.earliest ?? '?'} to ${planned.latest ?? '?'} (a forecast, not a promise); a pickup date is given once the card is printed.`,
      },
    };
  }
  return { ...base, kind: 'NO_DATE_YET', messages: { id: 'Kartu belum tercetak dan belum ada perkiraan tanggal cetak.', en: 'The card is not printed and there is no print forecast yet.' } };
}

export interface PickupQuery {
  q: string;
  birthDate?: string;
}

/** Finds cards at the counter: NIK (16 digits), a registration number, or a name with the date of birth. */
export async function searchForPickup(ctx: OfficeContext, user: User, query: PickupQuery): Promise<PickupCandidate[]> {
  const q = query.q.trim();
  const visibility = await visibilityOf(ctx.db, user);
  const filter = /^\d{16}$/.test(q) ? { nik: q } : query.birthDate ? { name: q, birthDate: query.birthDate } : { registrationNumber: q };
  const rows = await findPickupCandidates(ctx.db, filter, visibility, 20);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [where, handovers, siteName] = await Promise.all([whereaboutsOfRecords(ctx.db, rows), handoversOf(ctx.db, ids), siteNames(ctx.db)]);
  const waiting = rows.some((r) => r.status === 'PRINT_READY_RECORD' || r.status === 'SENT_FOR_CARD_PRINTING');
  // The plan reads the whole queue: only when someone found is still waiting for the printer.
  const forecast = new Map<string, { earliest: string | null; latest: string | null; flag: string | null }>();
  if (waiting) for (const f of (await printPlan(ctx)).forecast) if (ids.includes(f.recordId)) forecast.set(f.recordId, { earliest: f.earliest, latest: f.latest, flag: f.flag });
  const now = ctx.now();
  return Promise.all(
    rows.map(async (row): Promise<PickupCandidate> => {
      const printed = row.status === 'CARD_PRINTED' || row.status === 'CARD_SHIPPED';
      const [sukets, checks, chipFingers] = await Promise.all([
        activeSuketsOfRecord(ctx.db, row.id),
        printed ? identityChecksOf(ctx.db, row.id) : Promise.resolve([]),
        printed ? chipFingersOf(ctx, row.id) : Promise.resolve([]),
      ]);
      const confirmed = checks.filter((c) => Number(c.matched) === 1 && c.used_by === null && c.site_id === user.siteId && stillValid(c, now)).at(-1);
      const handover = handovers.get(row.id);
      return {
        recordId: row.id,
        registrationNumber: row.registration_number,
        nik: row.nik,
        fullName: row.full_name,
        birthDate: row.birth_date,
        status: row.status,
        availability: availability(row, where.get(row.id), user.siteId, siteName, forecast),
        chipFingers,
        activeSukets: sukets.map((s) => s.serial),
        confirmedCheck: confirmed ? presentCheck(confirmed) : null,
        handover: handover
          ? { id: handover.id, handedBy: handover.handed_by, handedAt: handover.handed_at, siteId: handover.site_id, revokedSukets: JSON.parse(handover.revoked_sukets) as string[] }
          : null,
      };
    }),
  );
}

/** The finger positions on the card's chip; none when the package cannot be opened (the screen says so). */
async function chipFingersOf(ctx: OfficeContext, recordId: string): Promise<string[]> {
  try {
    return (await openPrintPackage(ctx, recordId)).fingerprints.map((f) => f.position);
  } catch (error) {
    if (isDomainError(error)) return [];
    throw error;
  }
}

/** The record, where it is, and whether it can be handed over at `siteId` (throws the refusal if not). */
async function handoverable(db: OfficeDbOrTx, user: User, recordId: string, siteId: string | 'where-it-is'): Promise<{ row: PickupCandidateRow; siteId: string }> {
  const row = await findPickupRecord(db, recordId, await visibilityOf(db, user));
  if (!row) throw cardNotFound();
  const where = (await whereaboutsOfRecords(db, [row])).get(row.id);
  const at = siteId === 'where-it-is' ? (where?.kind === 'AT_SITE' ? where.siteId : user.siteId) : siteId;
  const refused = handoverRefusal(row.status, where, at, await siteNames(db));
  if (refused) throw refused;
  return { row, siteId: at };
}

function decodeTemplate(text: string, position: string): Uint8Array {
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (bytes.length !== TEMPLATE_BYTES) {
    throw new DomainError('FINGERPRINT_TEMPLATE_INVALID', { id: `Template sidik jari ${position} tidak sah (harus ${TEMPLATE_BYTES} byte base64).`, en: `The ${position} fingerprint template is invalid (must be ${TEMPLATE_BYTES} bytes of base64).` });
  }
  return new Uint8Array(bytes);
}

/**
 * A 1:1 fingerprint check at the counter: the fingers scanned now against the two prints on the card's chip
 * (from the verified print package), scored with the matcher's similarity, matched at its threshold. Passed
 * or failed, the check is recorded; only a passed one can be used for the hand-over.
 */
export async function checkFingerprints(ctx: OfficeContext, user: User, recordId: string, fingerprints: readonly { position: string; template: string }[]): Promise<IdentityCheck> {
  const { row } = await handoverable(ctx.db, user, recordId, user.siteId);
  return matchAgainstChip(ctx, user, row.id, fingerprints);
}

/**
 * Scores the fingers scanned at the counter against the prints on the chip of the record's newest ready
 * package (a replacement card's, when there is one) and records the check, passed or failed.
 */
export async function matchAgainstChip(ctx: OfficeContext, user: User, recordId: string, fingerprints: readonly { position: string; template: string }[]): Promise<IdentityCheck> {
  const probe = fingerprints.map((f) => ({ position: f.position, template: decodeTemplate(f.template, f.position) }));
  const chip = new Map((await openPrintPackage(ctx, recordId)).fingerprints.map((f) => [f.position, f.template]));
  const compared = probe.filter((p) => chip.has(p.position));
  if (compared.length === 0) {
    throw new DomainError('FINGER_NOT_ON_CHIP', {
      id: `Jari yang dipindai tidak ada di cip kartu; pindai ${[...chip.keys()].join(' dan ')}.`,
      en: `The fingers scanned are not on the card's chip; scan ${[...chip.keys()].join(' and ')}.`,
    });
  }
  const score = compared.reduce((sum, p) => sum + templateSimilarity(p.template, chip.get(p.position)!), 0) / compared.length;
  const check: IdentityCheckRow = {
    id: randomUUID(),
    record_id: recordId,
    site_id: user.siteId,
    method: 'FINGERPRINT',
    matched: score >= PICKUP_MATCH_THRESHOLD ? 1 : 0,
    score,
    threshold: PICKUP_MATCH_THRESHOLD,
    positions: JSON.stringify(compared.map((p) => p.position)),
    checked_by: user.username,
    checked_at: ctx.now().toISOString(),
    reason: null,
    used_by: null,
  };
  await insertIdentityCheck(ctx.db, check);
  return presentCheck(check);
}

/** A supervisor's recorded override for the holder of the card of `recordId` at `siteId`. */
export async function recordOverride(ctx: OfficeContext, supervisor: User, recordId: string, siteId: string, reason: string): Promise<IdentityCheck> {
  const check: IdentityCheckRow = {
    id: randomUUID(),
    record_id: recordId,
    site_id: siteId,
    method: 'OVERRIDE',
    matched: 1,
    score: null,
    threshold: null,
    positions: null,
    checked_by: supervisor.username,
    checked_at: ctx.now().toISOString(),
    reason: reason.trim(),
    used_by: null,
  };
  await insertIdentityCheck(ctx.db, check);
  return presentCheck(check);
}

/** A supervisor vouches for the holder when the fingers cannot be matched (worn ridges, an injury), with a reason, recorded. */
export async function approveOverride(ctx: OfficeContext, supervisor: User, recordId: string, reason: string): Promise<IdentityCheck> {
  const { row, siteId } = await handoverable(ctx.db, supervisor, recordId, 'where-it-is');
  return recordOverride(ctx, supervisor, row.id, siteId, reason);
}

export const checkRefused = (messages: Bilingual) => conflict('IDENTITY_NOT_CONFIRMED', messages);

/**
 * Uses up a confirmed identity check for one hand-over, in the caller's transaction: it must be for this
 * record, passed (or a supervisor's override), made for this site, unused and recent. Throws why not.
 */
export async function useConfirmedCheck(trx: OfficeDbOrTx, props: { checkId: string; recordId: string; siteId: string; now: Date; handoverId: string }): Promise<IdentityCheckRow> {
  const check = await findIdentityCheck(trx, props.checkId);
  if (!check || check.record_id !== props.recordId) throw checkRefused({ id: 'Pemeriksaan identitas ini bukan untuk kartu ini.', en: 'This identity check is not for this card.' });
  if (Number(check.matched) !== 1) throw checkRefused({ id: 'Sidik jari tidak cocok; kartu tidak boleh diserahkan tanpa persetujuan penyelia.', en: 'The fingerprints did not match; the card must not be handed over without a supervisor’s override.' });
  if (check.site_id !== props.siteId) throw checkRefused({ id: 'Pemeriksaan identitas dilakukan untuk lokasi lain.', en: 'The identity check was made for another site.' });
  if (check.used_by !== null) throw checkRefused({ id: 'Pemeriksaan identitas ini sudah dipakai.', en: 'This identity check has already been used.' });
  if (!stillValid(check, props.now)) throw checkRefused({ id: `Pemeriksaan identitas lebih dari ${CHECK_VALID_MINUTES} menit yang lalu; periksa ulang.`, en: `The identity check is more than ${CHECK_VALID_MINUTES} minutes old; check again.` });
  if (!(await useIdentityCheck(trx, check.id, props.handoverId))) throw checkRefused({ id: 'Pemeriksaan identitas ini sudah dipakai.', en: 'This identity check has already been used.' });
  return check;
}

/**
 * Hands the card over: under the outbox lock (so two counters cannot both hand it over, and a manifest cannot
 * pack it meanwhile), the record moves to CARD_ISSUED with its `card.status` event, the identity check is used
 * up, and every active Suket of the resident is revoked (CARD_ISSUED) with its `suket.revoked` event — one
 * transaction, so the office's own revocation list carries the Suket the moment the card is in the hand.
 */
export async function handOverCard(ctx: OfficeContext, user: User, recordId: string, checkId: string): Promise<HandoverResponse['handover']> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    const { row } = await handoverable(trx, user, recordId, user.siteId);
    const now = ctx.now();
    const handoverId = randomUUID();
    const at = now.toISOString();
    const check = await useConfirmedCheck(trx, { checkId, recordId: row.id, siteId: user.siteId, now, handoverId });
    const pkg = await latestReadyPackage(trx, row.id);
    await recordCardStatus(trx, {
      recordId: row.id,
      status: 'CARD_ISSUED',
      at,
      by: user.username,
      packageId: pkg?.package_id ?? null,
      detail: { site: user.siteId, identity: check.method, score: check.score === null ? null : Number(check.score), approvedBy: check.method === 'OVERRIDE' ? check.checked_by : null },
    });
    const revoked = await revokeSuketsOfIssuedCards(trx, [{ recordId: row.id, status: 'CARD_ISSUED', at }], user.username);
    await insertHandover(trx, { id: handoverId, record_id: row.id, site_id: user.siteId, check_id: check.id, handed_by: user.username, handed_at: at, revoked_sukets: JSON.stringify(revoked) });
    return { id: handoverId, recordId: row.id, siteId: user.siteId, handedBy: user.username, handedAt: at, method: check.method, revokedSukets: revoked };
  });
}
