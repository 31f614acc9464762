import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError, type Bilingual } from '@tangguh/domain';
import { REPLACEMENT_REASON_LABELS, type IdentityCheck, type OldCardOutcome, type ReplacementCandidate, type ReplacementHandoverResponse } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { findPickupRecord, identityChecksOf } from '../repositories/distribution.ts';
import { lockOutbox } from '../repositories/outbox.ts';
import { findReplacementCards, heldRecord, insertReplacementHandover, replacementHandoversOf, type ReplacementCardRow } from '../repositories/replacement-pickup.ts';
import { listSites } from '../repositories/sites.ts';
import { activeSuketsOfRecord } from '../repositories/sukets.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { visibilityOf } from '../repositories/visibility.ts';
import { recordCardStatus } from './card-status.ts';
import { matchAgainstChip, presentCheck, recordOverride, stillValid, useConfirmedCheck } from './pickup.ts';
import { openPrintPackage } from './print-packages.ts';
import { revokeSuketsOfIssuedCards } from './suket.ts';

/**
 * Replacement cards at the pickup counter. A replacement (lost, damaged, data changed) is asked for at the
 * office, built by the centre and printed here like any card; it lies where it was printed and is handed
 * over there, after the same identity check as a first card, against the prints on the replacement's chip.
 *
 * The hand-over says what became of the old card: TAKEN_BACK (a damaged card, or one whose data changed, is
 * collected at the counter so that two valid cards never circulate) or DECLARED_LOST (a lost card). A fate
 * that differs from the request's reason — a damaged card lost since, a lost card found again and brought in
 * — needs a note. In one transaction under the outbox lock: the hand-over row, CARD_ISSUED for the
 * replacement (card REPLACEMENT, with the old card's fate in its detail) to the centre through the outbox, the
 * record's timeline when the office holds the record, and the resident's active Sukets revoked.
 */

type User = Pick<OfficeUser, 'username' | 'role' | 'siteId'>;

const refuse = (code: string, messages: Bilingual, kind: 'conflict' | 'not_found' | 'invalid' = 'conflict') => new DomainError(code, messages, kind);
const replacementNotFound = () => refuse('CARD_REPLACEMENT_NOT_FOUND', { id: 'Kartu pengganti tidak ditemukan (belum dijawab pusat atau ditolak).', en: 'Replacement card not found (not answered by the centre, or refused).' }, 'not_found');

/** The old card's fate the reason implies: a lost card is declared lost, any other is taken back. */
export const expectedOldCard = (reason: string): OldCardOutcome => (reason === 'LOST' ? 'DECLARED_LOST' : 'TAKEN_BACK');

const OLD_CARD_WORDS: Record<OldCardOutcome, Bilingual> = {
  TAKEN_BACK: { id: 'kartu lama ditarik', en: 'old card taken back' },
  DECLARED_LOST: { id: 'kartu lama dinyatakan hilang', en: 'old card declared lost' },
};

async function siteNameOf(db: OfficeDbOrTx): Promise<(id: string) => string> {
  const names = new Map((await listSites(db)).map((s) => [s.id, s.name]));
  return (id) => names.get(id) ?? id;
}

/** Why this replacement cannot be handed over at `siteId` now, or undefined when it can. */
export function replacementRefusal(card: ReplacementCardRow, handedOver: boolean, siteId: string, siteName: (id: string) => string): DomainError | undefined {
  if (handedOver) return refuse('REPLACEMENT_ALREADY_ISSUED', { id: 'Kartu pengganti ini sudah diserahkan.', en: 'This replacement card has already been handed over.' });
  if (!card.record_id || !card.print_site_id) return refuse('REPLACEMENT_NOT_PRINTED', { id: 'Kartu pengganti belum tercetak.', en: 'The replacement card has not been printed yet.' });
  if (card.print_site_id !== siteId) {
    return refuse('REPLACEMENT_AT_OTHER_SITE', {
      id: `Kartu pengganti ada di ${siteName(card.print_site_id)}, bukan di lokasi ini; serahkan di sana.`,
      en: `The replacement card is at ${siteName(card.print_site_id)}, not here; it is handed over there.`,
    });
  }
  return undefined;
}

async function chipFingersOf(ctx: OfficeContext, recordId: string): Promise<string[]> {
  try {
    return (await openPrintPackage(ctx, recordId)).fingerprints.map((f) => f.position);
  } catch (error) {
    if (isDomainError(error)) return [];
    throw error;
  }
}

/** The resident's name: from the record when the office holds it, else from the replacement's package. */
async function nameOf(ctx: OfficeContext, recordId: string): Promise<string> {
  const held = await heldRecord(ctx.db, recordId);
  if (held) return held.full_name;
  try {
    return (await openPrintPackage(ctx, recordId)).fields.nama;
  } catch (error) {
    if (isDomainError(error)) return '—';
    throw error;
  }
}

/**
 * Whether `user` may see this replacement: a record this office holds only within what they may see of it (as
 * for a first card); another office's resident, asked for here, at any counter of the office.
 */
async function maySee(db: OfficeDbOrTx, user: User, recordId: string): Promise<boolean> {
  if (!(await heldRecord(db, recordId))) return true;
  return (await findPickupRecord(db, recordId, await visibilityOf(db, user))) !== undefined;
}

/** Replacement cards of the resident with this NIK, as the counter sees them. */
export async function searchReplacementsForPickup(ctx: OfficeContext, user: User, nik: string): Promise<ReplacementCandidate[]> {
  const cards: ReplacementCardRow[] = [];
  for (const card of await findReplacementCards(ctx.db, { nik })) if (card.record_id !== null && (await maySee(ctx.db, user, card.record_id))) cards.push(card);
  if (cards.length === 0) return [];
  const [handovers, siteName] = await Promise.all([replacementHandoversOf(ctx.db, cards.map((c) => c.request_id)), siteNameOf(ctx.db)]);
  const now = ctx.now();
  const out: ReplacementCandidate[] = [];
  for (const card of cards) {
    const recordId = card.record_id!;
    const handover = handovers.get(card.request_id);
    const printed = card.print_site_id !== null;
    const [fullName, fingers, sukets, checks] = await Promise.all([
      nameOf(ctx, recordId),
      printed && !handover ? chipFingersOf(ctx, recordId) : Promise.resolve([]),
      activeSuketsOfRecord(ctx.db, recordId),
      printed && !handover ? identityChecksOf(ctx.db, recordId) : Promise.resolve([]),
    ]);
    const confirmed = checks.filter((c) => Number(c.matched) === 1 && c.used_by === null && c.site_id === user.siteId && stillValid(c, now)).at(-1);
    const reason = card.reason as ReplacementCandidate['reason'];
    const label = REPLACEMENT_REASON_LABELS[reason];
    const state: ReplacementCandidate['state'] = handover ? 'ISSUED' : !printed ? 'NOT_PRINTED' : card.print_site_id === user.siteId ? 'READY_HERE' : 'READY_ELSEWHERE';
    const at = card.print_site_id ? siteName(card.print_site_id) : null;
    const messages: Bilingual =
      state === 'ISSUED'
        ? { id: `Kartu pengganti (${label.id}) sudah diserahkan; ${OLD_CARD_WORDS[handover!.old_card].id}.`, en: `The replacement card (${label.en}) has been handed over; ${OLD_CARD_WORDS[handover!.old_card].en}.` }
        : state === 'NOT_PRINTED'
          ? { id: `Kartu pengganti (${label.id}) belum tercetak.`, en: `The replacement card (${label.en}) is not printed yet.` }
          : state === 'READY_HERE'
            ? {
                id: `Kartu pengganti (${label.id}) ada di lokasi ini. Saat diserahkan: ${OLD_CARD_WORDS[expectedOldCard(reason)].id}.`,
                en: `The replacement card (${label.en}) is here. On hand-over: ${OLD_CARD_WORDS[expectedOldCard(reason)].en}.`,
              }
            : { id: `Kartu pengganti (${label.id}) dapat diambil di ${at}.`, en: `The replacement card (${label.en}) can be collected at ${at}.` };
    out.push({
      requestId: card.request_id,
      recordId,
      nik: card.nik,
      fullName,
      reason,
      requestedAt: card.requested_at,
      state,
      siteId: card.print_site_id,
      siteName: at,
      printedAt: card.printed_at,
      oldCardExpected: expectedOldCard(reason),
      chipFingers: fingers,
      activeSukets: sukets.map((s) => s.serial),
      confirmedCheck: confirmed ? presentCheck(confirmed) : null,
      handover: handover
        ? {
            id: handover.id,
            handedBy: handover.handed_by,
            handedAt: handover.handed_at,
            siteId: handover.site_id,
            oldCard: handover.old_card,
            oldCardNote: handover.old_card_note,
            revokedSukets: JSON.parse(handover.revoked_sukets) as string[],
          }
        : null,
      messages,
    });
  }
  return out;
}

/** The replacement and whether it can be handed over at `siteId` (throws the refusal if not). */
async function replacementHandoverable(db: OfficeDbOrTx, user: User, requestId: string, siteId: string | 'where-it-is'): Promise<{ card: ReplacementCardRow & { record_id: string; print_site_id: string }; siteId: string }> {
  const [card] = await findReplacementCards(db, { requestId });
  if (!card || (card.record_id !== null && !(await maySee(db, user, card.record_id)))) throw replacementNotFound();
  const handedOver = (await replacementHandoversOf(db, [requestId])).has(requestId);
  const at = siteId === 'where-it-is' ? (card.print_site_id ?? '') : siteId;
  const refused = replacementRefusal(card, handedOver, at, await siteNameOf(db));
  if (refused) throw refused;
  return { card: card as ReplacementCardRow & { record_id: string; print_site_id: string }, siteId: at };
}

/** A 1:1 check of the fingers scanned at the counter against the replacement card's chip, recorded. */
export async function checkReplacementFingerprints(ctx: OfficeContext, user: User, requestId: string, fingerprints: readonly { position: string; template: string }[]): Promise<IdentityCheck> {
  const { card } = await replacementHandoverable(ctx.db, user, requestId, user.siteId);
  return matchAgainstChip(ctx, user, card.record_id, fingerprints);
}

/** A supervisor vouches for the holder of a replacement card, with a reason, recorded. */
export async function approveReplacementOverride(ctx: OfficeContext, supervisor: User, requestId: string, reason: string): Promise<IdentityCheck> {
  const { card, siteId } = await replacementHandoverable(ctx.db, supervisor, requestId, 'where-it-is');
  return recordOverride(ctx, supervisor, card.record_id, siteId, reason);
}

/** Hands a replacement card over and records the old card's fate, in one transaction (see the file's comment). */
export async function handOverReplacement(
  ctx: OfficeContext,
  user: User,
  requestId: string,
  input: { checkId: string; oldCard: OldCardOutcome; note?: string },
): Promise<ReplacementHandoverResponse['handover']> {
  const note = input.note?.trim() || null;
  return ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    const { card } = await replacementHandoverable(trx, user, requestId, user.siteId);
    const expected = expectedOldCard(card.reason);
    if (input.oldCard !== expected && (note ?? '').length < 10) {
      const label = REPLACEMENT_REASON_LABELS[card.reason as keyof typeof REPLACEMENT_REASON_LABELS];
      throw refuse(
        'OLD_CARD_NOTE_REQUIRED',
        {
          id: `Penggantian ini karena "${label.id}": yang diharapkan ${OLD_CARD_WORDS[expected].id}. Jika berbeda, tulis alasannya (minimal 10 huruf).`,
          en: `This replacement is for "${label.en}": expected is ${OLD_CARD_WORDS[expected].en}. If it differs, write why (at least 10 characters).`,
        },
        'invalid',
      );
    }
    const now = ctx.now();
    const at = now.toISOString();
    const handoverId = randomUUID();
    const check = await useConfirmedCheck(trx, { checkId: input.checkId, recordId: card.record_id, siteId: user.siteId, now, handoverId });
    const held = await heldRecord(trx, card.record_id);
    const fate = OLD_CARD_WORDS[input.oldCard];
    await recordCardStatus(trx, {
      recordId: card.record_id,
      status: 'CARD_ISSUED',
      at,
      by: user.username,
      card: 'REPLACEMENT',
      packageId: card.package_id,
      detail: {
        site: user.siteId,
        requestId,
        reason: card.reason,
        oldCard: input.oldCard,
        identity: check.method,
        score: check.score === null ? null : Number(check.score),
        approvedBy: check.method === 'OVERRIDE' ? check.checked_by : null,
      },
      note: `Kartu pengganti diserahkan; ${fate.id} / Replacement card handed over; ${fate.en}`,
    });
    const revoked = held ? await revokeSuketsOfIssuedCards(trx, [{ recordId: card.record_id, status: 'CARD_ISSUED', at }], user.username) : [];
    await insertReplacementHandover(trx, {
      id: handoverId,
      request_id: requestId,
      record_id: card.record_id,
      site_id: user.siteId,
      check_id: check.id,
      old_card: input.oldCard,
      old_card_note: note,
      handed_by: user.username,
      handed_at: at,
      revoked_sukets: JSON.stringify(revoked),
    });
    return { id: handoverId, requestId, recordId: card.record_id, siteId: user.siteId, handedBy: user.username, handedAt: at, method: check.method, oldCard: input.oldCard, oldCardNote: note, revokedSukets: revoked };
  });
}

export function replacementHandoverMessage(handover: ReplacementHandoverResponse['handover']): Bilingual {
  const fate = OLD_CARD_WORDS[handover.oldCard];
  const n = handover.revokedSukets.length;
  return {
    id: `KTP-el pengganti diserahkan; ${fate.id}.${n > 0 ? ` Suket ${handover.revokedSukets.join(', ')} dicabut.` : ''}`,
    en: `Replacement e-KTP handed over; ${fate.en}.${n > 0 ? ` Suket ${handover.revokedSukets.join(', ')} revoked.` : ''}`,
  };
}
