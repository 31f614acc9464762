import type { Transaction } from 'kysely';
import type { z } from 'zod';
import { SUKET_SERIAL_PATTERN, suketIssuedPayloadSchema, suketRevokedPayloadSchema, type OfficeEventEntryWire } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { logSuket, markSuketRevoked } from '../repositories/sukets.ts';
import { revokeSerial } from './trust.ts';

/**
 * A payload the centre cannot use is kept as sent in office_events and otherwise ignored: throwing here
 * would roll back the batch and stall the office's whole queue behind one bad event.
 */
function readPayload<S extends z.ZodType>(schema: S, officeId: string, event: OfficeEventEntryWire): z.infer<S> | undefined {
  const parsed = schema.safeParse(event.payload);
  const serial = parsed.success ? (parsed.data as { serial: string }).serial : undefined;
  const owner = serial ? SUKET_SERIAL_PATTERN.exec(serial)?.[1] : undefined;
  if (parsed.success && owner === officeId) return parsed.data;
  const why = parsed.success ? `serial ${serial} does not belong to office ${officeId}` : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  console.warn(`[pusat] ${event.kind} ${officeId}#${event.seq} ignored (${why}); kept in office_events`);
  return undefined;
}

/** suket.issued → the national Suket log (once per serial, whatever a replay does). */
export async function logSuketIssued(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const payload = readPayload(suketIssuedPayloadSchema, officeId, event);
  if (!payload) return;
  await logSuket(trx, {
    serial: payload.serial,
    office_id: officeId,
    record_id: payload.recordId,
    nik: payload.nik,
    issued_at: payload.issuedAt,
    expires_at: payload.expiresAt,
    kid: payload.kid,
    issued_by: payload.issuedBy,
    logged_at: ctx.now().toISOString(),
    revoked_at: null,
    revoke_reason: null,
  });
}

/** suket.revoked → the serial goes on the revocation list (so the next signed list carries it) and the log notes it. */
export async function logSuketRevoked(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const payload = readPayload(suketRevokedPayloadSchema, officeId, event);
  if (!payload) return;
  await revokeSerial(trx, ctx, { serial: payload.serial, officeId, at: payload.revokedAt, reason: payload.reason, supersededBy: payload.supersededBy });
  await markSuketRevoked(trx, payload.serial, payload.revokedAt, payload.reason);
}
