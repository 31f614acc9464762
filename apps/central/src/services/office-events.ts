import type { Transaction } from 'kysely';
import type { OfficeEventEntryWire } from '@tangguh/protocol';
import type { CentralContext } from '../context.ts';
import type { CentralDb } from '../db/schema.ts';
import { logOfficeEvents } from '../repositories/office-events.ts';

/** Projects one kind of office event into the centre's own tables, inside the batch's transaction. */
export type OfficeEventHandler = (trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, event: OfficeEventEntryWire) => Promise<void>;

const handlers = new Map<string, OfficeEventHandler>();

/** event-wiring.ts registers the kinds the centre projects, at start-up; unknown kinds are still logged, never lost. */
export function registerOfficeEventHandler(kind: string, handler: OfficeEventHandler): void {
  handlers.set(kind, handler);
}

export async function applyOfficeEvents(trx: Transaction<CentralDb>, ctx: CentralContext, officeId: string, events: OfficeEventEntryWire[], appliedAt: string): Promise<void> {
  if (events.length === 0) return;
  await logOfficeEvents(trx, officeId, events, appliedAt);
  for (const event of events) await handlers.get(event.kind)?.(trx, ctx, officeId, event);
}
