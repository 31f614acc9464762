import { encodeCredential } from '@tangguh/credential';
import { DomainError, STATUS_LABELS, isRecordStatus, zonedDayKey, type Biodata, type RecordStatus } from '@tangguh/domain';
import type { RevocationReason, SuketIssuedPayload, SuketRevokedPayload } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { activeSuketsOfRecord, findSuketRow, insertSuket, markSuketRevoked, suketRowsOfRecord, type SuketRow } from '../repositories/sukets.ts';
import { findRecordForSuket } from '../repositories/records.ts';
import { nextDailySerial } from '../repositories/counters.ts';
import { enqueueOfficeEvent } from '../repositories/outbox.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { currentSigningKey } from './document-keys.ts';
import { addMonths, suketValidityMonths } from './suket-settings.ts';
import { suketSubject, type SuketSubject } from './suket-subject.ts';
import { checkBeforeSuket, refuseIfHeld } from './provisional-dedup.ts';

/** A Suket as the API shows it. */
export interface SuketView {
  serial: string;
  recordId: string;
  status: SuketRow['status'];
  issuedAt: string;
  expiresAt: string;
  issuedBy: string;
  kid: string;
  qrText: string;
  revokedAt: string | null;
  revokeReason: string | null;
  revokedBy: string | null;
  supersededBy: string | null;
}

export const presentSuket = (row: SuketRow): SuketView => ({
  serial: row.serial,
  recordId: row.record_id,
  status: row.status,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  issuedBy: row.issued_by,
  kid: row.kid,
  qrText: row.qr_text,
  revokedAt: row.revoked_at,
  revokeReason: row.revoke_reason,
  revokedBy: row.revoked_by,
  supersededBy: row.superseded_by,
});

/** A Suket stands in for a card that is on its way: refused once the record cannot lead to one (or already did). */
const REFUSED: Partial<Record<RecordStatus, { id: string; en: string }>> = {
  DUPLICATE_RECORD: { id: 'rekaman ini data ganda; hanya pusat yang dapat menyelesaikannya', en: 'the record is a duplicate; only the centre can resolve it' },
  ENROLL_FAILURE_AT_REGIONAL: { id: 'pengiriman rekaman gagal; rekam ulang terlebih dahulu', en: 'the recording failed to be sent; record again first' },
  ENROLL_FAILURE_AT_CENTRAL: { id: 'rekaman gagal diterima pusat; rekam ulang terlebih dahulu', en: 'the centre could not take the recording; record again first' },
  SEARCH_FAILURE_AT_CENTRAL: { id: 'penunggalan di pusat gagal dan sedang diulang', en: 'deduplication failed at the centre and is being retried' },
  CARD_ISSUED: { id: 'KTP-el sudah diserahkan kepada pemiliknya', en: 'the e-KTP card has already been issued to its holder' },
};

export const recordNotFound = () => new DomainError('RECORD_NOT_FOUND', { id: 'Rekaman tidak ditemukan.', en: 'Record not found.' }, 'not_found');
export const suketNotFound = (serial: string) => new DomainError('SUKET_NOT_FOUND', { id: `Suket ${serial} tidak ditemukan.`, en: `Suket ${serial} not found.` }, 'not_found');

function refusal(status: string): DomainError {
  const label = isRecordStatus(status) ? STATUS_LABELS[status] : { id: status, en: status };
  const why = (isRecordStatus(status) && REFUSED[status]) || { id: 'status rekaman tidak memungkinkan', en: 'the record status does not allow it' };
  return new DomainError(
    'SUKET_NOT_ALLOWED',
    {
      id: `Suket tidak dapat diterbitkan untuk rekaman berstatus ${status} (${label.id}): ${why.id}.`,
      en: `A Suket cannot be issued for a record in status ${status} (${label.en}): ${why.en}.`,
    },
    'conflict',
  );
}

const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/** SKT-<office>-<YYYYMMDD>-<n>: the day is the office's calendar day, and the number restarts with it. */
async function nextSerial(trx: OfficeDbOrTx, office: OfficeContext['office'], at: Date): Promise<string> {
  const day = zonedDayKey(at, office.timeZone);
  return `SKT-${office.id}-${day}-${String(await nextDailySerial(trx, 'suket', day)).padStart(6, '0')}`;
}

/** Revokes Sukets in the caller's transaction and queues a `suket.revoked` event for each. */
async function revokeRows(trx: OfficeDbOrTx, rows: SuketRow[], change: { at: string; reason: RevocationReason; by: string; supersededBy?: string }): Promise<void> {
  for (const row of rows) {
    await markSuketRevoked(trx, row.serial, { at: change.at, reason: change.reason, by: change.by, supersededBy: change.supersededBy ?? null });
    const payload: SuketRevokedPayload = {
      serial: row.serial,
      recordId: row.record_id,
      revokedAt: change.at,
      reason: change.reason,
      revokedBy: change.by,
      ...(change.supersededBy ? { supersededBy: change.supersededBy } : {}),
    };
    await enqueueOfficeEvent(trx, { kind: 'suket.revoked', subjectId: row.serial, payload, at: change.at });
  }
}

export interface IssueSuketProps {
  recordId: string;
  operator: Pick<OfficeUser, 'username'>;
}

/**
 * Issues a Suket from the office's own data and key, centre or no centre: the Suket, its `suket.issued`
 * event and the revocation of any earlier active Suket of the record (SUPERSEDED) commit together.
 */
export async function issueSuket(ctx: OfficeContext, { recordId, operator }: IssueSuketProps): Promise<{ suket: SuketView; subject: SuketSubject; superseded: string[] }> {
  const key = await currentSigningKey(ctx, 'SUKET');
  const months = await suketValidityMonths(ctx.db);
  // A recording the centre has not deduplicated is searched in the office's own gallery first.
  await checkBeforeSuket(ctx, recordId);
  return ctx.db.transaction().execute(async (trx) => {
    // Read inside the write transaction: a CARD_ISSUED pulled a moment ago must win.
    const record = await findRecordForSuket(trx, recordId);
    if (!record) throw recordNotFound();
    if (REFUSED[record.status as RecordStatus] || !isRecordStatus(record.status)) throw refusal(record.status);
    await refuseIfHeld(trx, record);
    const now = ctx.now();
    const at = now.toISOString();
    const expires = addMonths(now, months);
    const serial = await nextSerial(trx, ctx.office, now);
    const subject = suketSubject(JSON.parse(record.biodata) as Biodata, ctx.regions);
    const qrText = encodeCredential({ typ: 'SUKET', ser: serial, iss: ctx.office.id, iat: unix(now), exp: unix(expires), sub: subject }, key);

    const earlier = await activeSuketsOfRecord(trx, recordId);
    await insertSuket(trx, {
      serial,
      record_id: recordId,
      issued_at: at,
      expires_at: expires.toISOString(),
      issued_by: operator.username,
      kid: key.kid,
      qr_text: qrText,
      status: 'ACTIVE',
      revoked_at: null,
      revoke_reason: null,
      revoked_by: null,
      superseded_by: null,
    });
    const payload: SuketIssuedPayload = { serial, recordId, nik: record.nik, issuedAt: at, expiresAt: expires.toISOString(), kid: key.kid, issuedBy: operator.username };
    await enqueueOfficeEvent(trx, { kind: 'suket.issued', subjectId: serial, payload, at });
    await revokeRows(trx, earlier, { at, reason: 'SUPERSEDED', by: operator.username, supersededBy: serial });
    const row = (await findSuketRow(trx, serial))!;
    return { suket: presentSuket(row), subject, superseded: earlier.map((e) => e.serial) };
  });
}

export const OPERATOR_REVOCATION_REASONS = ['ISSUED_IN_ERROR', 'OTHER'] as const;

/** A supervisor withdraws a Suket (issued in error, or another reason); the centre lists it when the event arrives. */
export async function revokeSuket(ctx: OfficeContext, props: { serial: string; reason: (typeof OPERATOR_REVOCATION_REASONS)[number]; by: string }): Promise<SuketView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findSuketRow(trx, props.serial);
    if (!row) throw suketNotFound(props.serial);
    if (row.status === 'REVOKED') {
      throw new DomainError(
        'SUKET_ALREADY_REVOKED',
        { id: `Suket ${row.serial} sudah dicabut (${row.revoke_reason}).`, en: `Suket ${row.serial} is already revoked (${row.revoke_reason}).` },
        'conflict',
      );
    }
    await revokeRows(trx, [row], { at: ctx.now().toISOString(), reason: props.reason, by: props.by });
    return presentSuket((await findSuketRow(trx, props.serial))!);
  });
}

/**
 * Called by the pull, and by the pickup counter's hand-over, inside their transactions: a card handed over
 * makes every active Suket of the record void (CARD_ISSUED), so a bank scanning one learns the holder now
 * carries the card. `by` is who handed it over (the centre, for a change pulled from it).
 */
export async function revokeSuketsOfIssuedCards(trx: OfficeDbOrTx, changes: readonly { recordId: string; status: string; at: string }[], by = 'pusat'): Promise<string[]> {
  const revoked: string[] = [];
  for (const change of changes) {
    if (change.status !== 'CARD_ISSUED') continue;
    const rows = await activeSuketsOfRecord(trx, change.recordId);
    await revokeRows(trx, rows, { at: change.at, reason: 'CARD_ISSUED', by });
    revoked.push(...rows.map((r) => r.serial));
  }
  return revoked;
}

export async function suketsOfRecord(db: OfficeDbOrTx, recordId: string): Promise<SuketView[]> {
  const rows = await suketRowsOfRecord(db, recordId);
  return rows.map(presentSuket);
}

export async function findSuket(db: OfficeDbOrTx, serial: string): Promise<SuketView> {
  const row = await findSuketRow(db, serial);
  if (!row) throw suketNotFound(serial);
  return presentSuket(row);
}
