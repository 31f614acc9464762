import { randomUUID } from 'node:crypto';
import type { CentralDbOrTx } from '../db/schema.ts';

/** Opens a case for a match the policy cannot decide alone (a person at the centre decides it); returns its id. */
export async function openAdjudicationCase(trx: CentralDbOrTx, props: { recordId: string; candidateRecordId: string; score: number; openedAt: string }): Promise<string> {
  const caseId = randomUUID();
  await trx
    .insertInto('adjudications')
    .values({ case_id: caseId, record_id: props.recordId, candidate_record_id: props.candidateRecordId, score: props.score, opened_at: props.openedAt, decided_at: null, decision: null, decided_by: null, note: null })
    .execute();
  return caseId;
}

/** Undecided cases, oldest first, each with the new record and its candidate side by side. */
export function listOpenCaseRows(db: CentralDbOrTx) {
  return db
    .selectFrom('adjudications as a')
    .innerJoin('enrollments as p', 'p.record_id', 'a.record_id')
    .innerJoin('enrollments as c', 'c.record_id', 'a.candidate_record_id')
    .select([
      'a.case_id', 'a.record_id', 'a.score', 'a.opened_at', 'p.registration_number', 'p.office_id',
      'p.full_name as p_name', 'p.nik as p_nik', 'p.birth_date as p_birth', 'p.sex as p_sex',
      'c.record_id as c_id', 'c.registration_number as c_regno', 'c.full_name as c_name', 'c.nik as c_nik', 'c.birth_date as c_birth', 'c.sex as c_sex',
    ])
    .where('a.decision', 'is', null)
    .orderBy('a.opened_at')
    .execute();
}

export function findAdjudicationCase(db: CentralDbOrTx, caseId: string) {
  return db.selectFrom('adjudications').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Records the decision only if the case is still undecided; false when someone else decided it first. */
export async function recordCaseDecision(
  trx: CentralDbOrTx,
  caseId: string,
  decision: { decision: string; decidedAt: string; decidedBy: string; note: string | null },
): Promise<boolean> {
  const claimed = await trx
    .updateTable('adjudications')
    .set({ decision: decision.decision, decided_at: decision.decidedAt, decided_by: decision.decidedBy, note: decision.note })
    .where('case_id', '=', caseId)
    .where('decision', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}
