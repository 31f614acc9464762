import { DomainError } from '@tangguh/domain';
import type { ProvisionalMatchState, ProvisionalMatchView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { findMatch, gallerySize, listMatches, partiesOf, updateMatch, type ProvisionalMatchRow } from '../repositories/office-gallery.ts';
import { settleProvisionalMatches } from './provisional-dedup.ts';

/**
 * The supervisor's side of provisional deduplication: the held Sukets with both records side by side, a
 * release with a reason (the two are different people: twins, a family member's finger), or a note that keeps
 * the hold until the centre decides. The centre's verdict settles every case, released or not.
 */

const matchNotFound = () => new DomainError('PROVISIONAL_MATCH_NOT_FOUND', { id: 'Kasus kemiripan tidak ditemukan.', en: 'Match case not found.' }, 'not_found');
const notHeld = (state: string) =>
  new DomainError(
    'PROVISIONAL_MATCH_NOT_HELD',
    state === 'RELEASED'
      ? { id: 'Kasus ini sudah dilepas oleh penyelia.', en: 'This case has already been released by a supervisor.' }
      : { id: `Pusat sudah memutuskan kasus ini (${state}); keputusan pusat bersifat final.`, en: `The centre has already decided this case (${state}); its decision is final.` },
    'conflict',
  );

async function present(db: OfficeDbOrTx, rows: ProvisionalMatchRow[]): Promise<ProvisionalMatchView[]> {
  const ids = [...new Set(rows.flatMap((r) => [r.record_id, r.candidate_record_id]))];
  const { records, entries } = await partiesOf(db, ids);
  const recordOf = new Map(records.map((r) => [r.id, r]));
  const entryOf = new Map(entries.map((e) => [e.record_id, e]));
  const party = (id: string): ProvisionalMatchView['record'] => {
    const record = recordOf.get(id);
    if (record) return { recordId: id, nik: record.nik, fullName: record.full_name, registrationNumber: record.registration_number, status: record.status, hasPhoto: true };
    const entry = entryOf.get(id);
    return { recordId: id, nik: entry?.nik ?? '0000000000000000', fullName: entry?.full_name ?? '', registrationNumber: null, status: null, hasPhoto: false };
  };
  return rows.map((r) => ({
    id: r.id,
    record: party(r.record_id),
    candidate: party(r.candidate_record_id),
    score: Number(r.score),
    state: r.state as ProvisionalMatchState,
    foundAt: r.found_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
    reviewedBy: r.reviewed_by,
    reviewNote: r.review_note,
  }));
}

export async function provisionalMatches(ctx: OfficeContext, state: ProvisionalMatchState | 'all'): Promise<{ items: ProvisionalMatchView[]; gallerySize: number }> {
  // The worker settles after each pull; settling here too shows the centre's verdict as soon as it is held.
  await settleProvisionalMatches(ctx);
  return { items: await present(ctx.db, await listMatches(ctx.db, state)), gallerySize: await gallerySize(ctx.db) };
}

/** Releases (the Suket may be issued) or keeps a hold with a note; either way who and why are kept. */
export async function decideProvisionalMatch(ctx: OfficeContext, props: { id: string; decision: 'release' | 'keep'; by: string; reason: string }): Promise<ProvisionalMatchView> {
  await settleProvisionalMatches(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findMatch(trx, props.id);
    if (!row) throw matchNotFound();
    if (row.state !== 'HELD') throw notHeld(row.state);
    const at = ctx.now().toISOString();
    await updateMatch(
      trx,
      row.id,
      props.decision === 'release' ? { state: 'RELEASED', decided_by: props.by, decided_at: at, reason: props.reason } : { reviewed_by: props.by, review_note: props.reason },
    );
    const [view] = await present(trx, [(await findMatch(trx, props.id))!]);
    return view!;
  });
}
