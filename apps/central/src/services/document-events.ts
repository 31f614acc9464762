import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { OfficeEventEntryWire } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { revokeSerial } from './trust.ts';

const supersededPayload = z.object({ ser: z.string().min(1).max(64), supersededBy: z.string().min(1).max(64) });

/** Document serials are `<office>-DOK-<yyyymmdd>-<n>`: an office may only revoke its own. */
const ownSerial = (officeId: string, serial: string) => serial.startsWith(`${officeId}-DOK-`);

/**
 * document.superseded → the old serial goes on the revocation list with reason SUPERSEDED, so a verifier
 * scanning the old paper is told it has been replaced, and by which. A payload the centre cannot use stays
 * in office_events and is otherwise ignored: throwing would stall the office's whole queue behind it.
 * (document.signed, document.wet_signed and policy.wet_signature need no projection: the office_events
 * log is their record, and the TTE service keeps its own log of every signature it made.)
 */
export async function applyDocumentSuperseded(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire): Promise<void> {
  const parsed = supersededPayload.safeParse(event.payload);
  if (!parsed.success || !ownSerial(officeId, parsed.data.ser)) {
    console.warn(`[pusat] ${event.kind} ${officeId}#${event.seq} ignored (payload unusable or another office’s serial); kept in office_events`);
    return;
  }
  const { ser, supersededBy } = parsed.data;
  await revokeSerial(trx, ctx, { officeId, serial: ser, reason: 'SUPERSEDED', supersededBy, at: event.occurredAt });
}
