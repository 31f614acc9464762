import { randomUUID } from 'node:crypto';
import {
  DomainError,
  checkRecording,
  formatRegistrationNumber,
  invalidInput,
  packSet,
  type BiometricCaptureInput,
  type BiometricSet,
  type FieldIssue,
  zonedDayKey,
} from '@tangguh/domain';
import { type RecordingRequest } from '@tangguh/protocol';
import { seal } from '@tangguh/protocol/node';
import type { OfficeContext } from '../context.ts';
import type { OfficeUser } from '../repositories/users.ts';
import { activeRecordForNik, appendStatusEvents, findSummary, insertRecord, recordIdForClientRequest, type RecordSummary } from '../repositories/records.ts';
import { nextDailySerial } from '../repositories/counters.ts';
import { enqueueRecording, lockOutbox, takeOutboxSeq } from '../repositories/outbox.ts';
import { addRecordingToGallery, sealForGallery } from './provisional-dedup.ts';

export interface Receipt {
  registrationNumber: string;
  recordedAt: string;
  siteName: string;
  officeName: string;
}

export interface RecordResidentProps {
  request: RecordingRequest;
  operator: OfficeUser;
}

function decodeBase64(field: string, data: string, issues: FieldIssue[]): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
    issues.push({ field, code: 'BASE64_INVALID', messages: { id: 'Data berkas rusak (bukan base64).', en: 'File data is corrupt (not base64).' } });
    return new Uint8Array();
  }
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/**
 * Perekaman: checks the recording, seals the templates to the centre's key, and commits the record, its
 * first status and its outbox entry in one local transaction. Never waits on the centre.
 */
export async function recordResident(ctx: OfficeContext, { request, operator }: RecordResidentProps): Promise<{ record: RecordSummary; receipt: Receipt; replayed: boolean }> {
  if (request.clientRequestId) {
    const earlier = await recordIdForClientRequest(ctx.db, request.clientRequestId);
    if (earlier) return { ...(await receiptFor(ctx, earlier)), replayed: true };
  }

  const issues: FieldIssue[] = [];
  const photo = decodeBase64('photo', request.photo.data, issues);
  const signature = decodeBase64('signature', request.signature.data, issues);
  const biometrics: BiometricCaptureInput[] = request.biometrics.map((b) => ({
    position: b.position,
    exception: b.exception,
    template: b.template === undefined ? undefined : decodeBase64(`biometrics.${b.position}`, b.template, issues),
  }));
  if (issues.length > 0) throw invalidInput(issues);
  const now = ctx.now();
  const found = checkRecording({ biodata: request.biodata, photo: { mime: request.photo.mime, bytes: photo }, signature: { mime: request.signature.mime, bytes: signature }, biometrics }, ctx.regions, now, ctx.office.timeZone);
  if (found.length > 0) throw invalidInput(found);

  const set: BiometricSet = {};
  for (const b of biometrics) if (b.template && !b.exception) set[b.position] = b.template;
  const sealed = seal(ctx.centralSealingPublicKey, packSet(set));
  // The office's own readable copy, for its provisional search before a Suket (services/provisional-dedup.ts).
  const forGallery = await sealForGallery(ctx, set);
  const exceptions = biometrics.filter((b) => b.exception).map((b) => ({ position: b.position, exception: b.exception }));

  const at = now.toISOString();
  // Both checks run inside the write transaction, after the outbox counter row is locked: writers take
  // turns there (SQLite's single writer, PostgreSQL's row lock), so each check sees every earlier commit
  // and a double-clicked submit or two counters recording one NIK cannot both succeed.
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    await lockOutbox(trx);
    if (request.clientRequestId) {
      const earlier = await recordIdForClientRequest(trx, request.clientRequestId);
      if (earlier) return { id: earlier, replayed: true };
    }
    const active = await activeRecordForNik(trx, request.biodata.nik);
    if (active) {
      throw new DomainError(
        'NIK_ALREADY_RECORDED',
        { id: `NIK ini sudah direkam (nomor ${active.registration_number}, status ${active.status}).`, en: `This NIK is already recorded (number ${active.registration_number}, status ${active.status}).` },
        'conflict',
      );
    }

    const id = randomUUID();
    // Registration numbers restart each day of the office's calendar.
    const serial = await nextDailySerial(trx, 'regno', zonedDayKey(now, ctx.office.timeZone));
    const b = request.biodata;
    await insertRecord(trx, {
      id,
      registration_number: formatRegistrationNumber(ctx.office.id, now, serial, ctx.office.timeZone),
      client_request_id: request.clientRequestId ?? null,
      site_id: operator.siteId,
      recorded_by: operator.username,
      nik: b.nik,
      full_name: b.fullName,
      birth_date: b.birthDate,
      sex: b.sex,
      village_code: b.address.villageCode,
      biodata: JSON.stringify(b),
      photo,
      photo_mime: request.photo.mime,
      signature,
      signature_mime: request.signature.mime,
      sealed_biometrics: sealed,
      exceptions: JSON.stringify(exceptions),
      status: 'BIO_CAPTURED',
      status_at: at,
      recorded_at: at,
    });
    await addRecordingToGallery(trx, { recordId: id, nik: b.nik, fullName: b.fullName, sealed: forGallery, at });
    await appendStatusEvents(trx, [{ record_id: id, status: 'BIO_CAPTURED', at, source: 'office', note: `Direkam oleh / recorded by ${operator.username}` }]);
    await enqueueRecording(trx, { seq: await takeOutboxSeq(trx), recordId: id, at });
    return { id, replayed: false };
  });
  return { ...(await receiptFor(ctx, outcome.id)), replayed: outcome.replayed };
}

async function receiptFor(ctx: OfficeContext, id: string): Promise<{ record: RecordSummary; receipt: Receipt }> {
  const record = (await findSummary(ctx.db, id))!;
  return {
    record,
    receipt: { registrationNumber: record.registrationNumber, recordedAt: record.recordedAt, siteName: record.siteName, officeName: ctx.office.name },
  };
}
