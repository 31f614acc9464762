import { DomainError, unpackSet } from '@tangguh/domain';
import type { CentralContext } from '../context.ts';
import { unseal } from '@tangguh/protocol/node';
import { addToGallery, lockGallery } from '../repositories/gallery.ts';
import { recordStatusChanges } from '../repositories/changes.ts';
import { findAdjudicationCase, listOpenCaseRows, recordCaseDecision } from '../repositories/adjudications.ts';
import { enrollmentBiometrics } from '../repositories/enrollments.ts';

export type AdjudicationDecision = 'SAME_PERSON' | 'DIFFERENT_PERSON';

export async function listOpenCases(ctx: CentralContext) {
  const rows = await listOpenCaseRows(ctx.db);
  return rows.map((r) => ({
    caseId: r.case_id,
    recordId: r.record_id,
    registrationNumber: r.registration_number,
    officeId: r.office_id,
    score: Number(r.score),
    openedAt: r.opened_at,
    probe: { fullName: r.p_name, nik: r.p_nik, birthDate: r.p_birth, sex: r.p_sex, photoUrl: `/api/enrollments/${r.record_id}/photo` },
    candidate: { recordId: r.c_id, registrationNumber: r.c_regno, fullName: r.c_name, nik: r.c_nik, birthDate: r.c_birth, sex: r.c_sex, photoUrl: `/api/enrollments/${r.c_id}/photo` },
  }));
}

/**
 * Records a human decision on an undecidable match. "Same person" makes the new record a duplicate;
 * "different person" admits it to the gallery as a print-ready record. Either way the office hears of it.
 * Only the database changes: the dedup worker (in whichever process it runs) reads the new gallery entry
 * before its next search.
 */
export async function decideCase(ctx: CentralContext, props: { caseId: string; decision: AdjudicationDecision; decidedBy: string; note?: string }) {
  const now = ctx.now().toISOString();
  const result = await ctx.db.transaction().execute(async (trx) => {
    // First, before any read: a decision may add to the gallery, and gallery writers take turns (on SQLite
    // this also starts the write at once, so the reads below see what another process committed last).
    await lockGallery(trx);
    const found = await findAdjudicationCase(trx, props.caseId);
    if (!found) throw new DomainError('CASE_NOT_FOUND', { id: 'Kasus adjudikasi tidak ditemukan.', en: 'Adjudication case not found.' }, 'not_found');
    if (found.decision) throw new DomainError('CASE_ALREADY_DECIDED', { id: 'Kasus ini sudah diputuskan.', en: 'This case has already been decided.' }, 'conflict');
    const enrollment = await enrollmentBiometrics(trx, found.record_id);
    const claimed = await recordCaseDecision(trx, props.caseId, { decision: props.decision, decidedAt: now, decidedBy: props.decidedBy, note: props.note ?? null });
    if (!claimed) throw new DomainError('CASE_ALREADY_DECIDED', { id: 'Kasus ini sudah diputuskan.', en: 'This case has already been decided.' }, 'conflict');

    const base = { officeId: enrollment.office_id, recordId: found.record_id, at: now };
    if (props.decision === 'SAME_PERSON') {
      await recordStatusChanges(trx, [{ ...base, status: 'DUPLICATE_RECORD', note: `Adjudikasi: orang yang sama / adjudicated: same person (${props.decidedBy})` }]);
      return 'DUPLICATE_RECORD' as const;
    }
    const set = unpackSet(unseal(ctx.sealingPrivateKey, new Uint8Array(enrollment.sealed_biometrics)));
    await addToGallery(trx, [{ recordId: found.record_id, set, at: now }], ctx.galleryKey);
    await recordStatusChanges(trx, [{ ...base, status: 'PRINT_READY_RECORD', note: `Adjudikasi: orang berbeda / adjudicated: different person (${props.decidedBy})` }]);
    return 'PRINT_READY_RECORD' as const;
  });
  return { caseId: props.caseId, decision: props.decision, resultingStatus: result };
}
