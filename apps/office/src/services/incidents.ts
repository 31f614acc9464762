import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DomainError, OFFICE_SCOPE, canMoveIncident, incidentTexts, servicesUsing, type Bilingual, type CapabilityId, type IncidentStatus } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { prepareIncidentNotices, queueIncidentOpenedIn, queueIncidentResolvedIn } from '../notify/incident-notices.ts';
import {
  addIncidentAffected,
  bumpStatusVersion,
  findIncident,
  insertIncident,
  insertIncidentUpdate,
  openIncidentFor,
  updateIncident,
  type IncidentRow,
} from '../repositories/service-status.ts';

/**
 * Incidents: one per outage of one capability (and site), opened by the checks when the capability goes
 * down, resolved by them when it is back. Officers add updates in between and may add a final note.
 *
 * The messages to the people affected are queued in the same transaction that opens or resolves the
 * incident (notify/incident-notices.ts): the incident and its messages commit together or not at all, so no
 * crash leaves an outage nobody is told of, nor messages about an incident that never was. The notifier only
 * sends them (a recovery once the settling time has passed).
 *
 * `incidentEvents(ctx)` tells listeners in this process (the notifier) after the transaction committed:
 * 'opened' and 'resolved' with the incident — a wake-up to send now. They fire in the process that runs the checks (the worker).
 */
export interface IncidentEvent {
  kind: 'opened' | 'resolved' | 'updated';
  incident: IncidentRow;
}

const emitters = new WeakMap<OfficeContext, EventEmitter>();
export function incidentEvents(ctx: OfficeContext): EventEmitter<{ incident: [IncidentEvent] }> {
  let e = emitters.get(ctx);
  if (!e) {
    e = new EventEmitter();
    e.setMaxListeners(100);
    emitters.set(ctx, e);
  }
  return e as EventEmitter<{ incident: [IncidentEvent] }>;
}

const emit = (ctx: OfficeContext, event: IncidentEvent) => {
  // A listener's failure is its own: it must not undo or break the status change that was committed.
  try {
    incidentEvents(ctx).emit('incident', event);
  } catch (error) {
    console.error(`[kantor ${ctx.office.id}] incident listener failed: ${(error as Error).message}`);
  }
};

/**
 * Opens the incident of a capability that went down, with its messages; a second call for the same outage
 * finds the open one. Call `prepareIncidentNotices(ctx)` before the transaction.
 */
export async function openCapabilityIncident(ctx: OfficeContext, tx: OfficeDbOrTx, capability: CapabilityId, scope: string, scopeName: string | null, at: string): Promise<IncidentEvent | undefined> {
  if (await openIncidentFor(tx, capability, scope)) return undefined;
  const texts = incidentTexts(capability, scope === OFFICE_SCOPE ? null : scopeName);
  const row: IncidentRow = {
    id: randomUUID(),
    capability,
    scope,
    title_id: texts.title.id,
    title_en: texts.title.en,
    status: 'investigating',
    services: JSON.stringify(servicesUsing(capability)),
    opened_at: at,
    resolved_at: null,
    affected_count: 0,
    updated_at: at,
  };
  await insertIncident(tx, row);
  await insertIncidentUpdate(tx, { incident_id: row.id, at, status: 'investigating', message_id: texts.opened.id, message_en: texts.opened.en, author: null });
  const told = await queueIncidentOpenedIn(ctx, tx, row);
  return { kind: 'opened', incident: { ...row, affected_count: told } };
}

/** Resolves the open incident of a capability that came back, with the automatic closing words; its recovery messages are queued with it. */
export async function resolveCapabilityIncident(ctx: OfficeContext, tx: OfficeDbOrTx, capability: CapabilityId, scope: string, scopeName: string | null, at: string): Promise<IncidentEvent | undefined> {
  const open = await openIncidentFor(tx, capability, scope);
  if (!open) return undefined;
  const texts = incidentTexts(capability, scope === OFFICE_SCOPE ? null : scopeName);
  await updateIncident(tx, open.id, { status: 'resolved', resolved_at: at, updated_at: at });
  await insertIncidentUpdate(tx, { incident_id: open.id, at, status: 'resolved', message_id: texts.resolved.id, message_en: texts.resolved.en, author: null });
  const resolved: IncidentRow = { ...open, status: 'resolved', resolved_at: at, updated_at: at };
  await queueIncidentResolvedIn(ctx, tx, resolved);
  return { kind: 'resolved', incident: resolved };
}

/** Tells this process's listeners about incidents after their transaction committed. */
export function announceIncidentEvents(ctx: OfficeContext, events: (IncidentEvent | undefined)[]): void {
  for (const e of events) if (e) emit(ctx, e);
}

/** An officer's update on an incident's timeline. Resolving by hand closes it; after that only final notes. */
export async function addIncidentUpdate(ctx: OfficeContext, input: { incidentId: string; status: IncidentStatus; message: Bilingual; author: string }): Promise<void> {
  const at = ctx.now().toISOString();
  if (input.status === 'resolved') await prepareIncidentNotices(ctx);
  const event = await ctx.db.transaction().execute(async (tx) => {
    const incident = await findIncident(tx, input.incidentId);
    if (!incident) throw new DomainError('INCIDENT_NOT_FOUND', { id: 'Insiden tidak ditemukan.', en: 'Incident not found.' }, 'not_found');
    if (!canMoveIncident(incident.status, input.status))
      throw new DomainError('INCIDENT_RESOLVED', { id: 'Insiden sudah selesai: hanya catatan penutup (status selesai) yang dapat ditambahkan.', en: 'The incident is resolved: only a final note (status resolved) can be added.' }, 'conflict');
    const resolvedAt = incident.resolved_at ?? (input.status === 'resolved' ? at : null);
    await updateIncident(tx, incident.id, { status: input.status, resolved_at: resolvedAt, updated_at: at });
    await insertIncidentUpdate(tx, { incident_id: incident.id, at, status: input.status, message_id: input.message.id, message_en: input.message.en, author: input.author });
    await bumpStatusVersion(tx);
    const kind = input.status === 'resolved' && !incident.resolved_at ? ('resolved' as const) : ('updated' as const);
    const changed: IncidentRow = { ...incident, status: input.status, resolved_at: resolvedAt, updated_at: at };
    // Resolved by hand: the people told of it hear it is over (after the settling time), queued with the update.
    // Other updates are written on the timeline and the status page; nobody is messaged once per update.
    if (kind === 'resolved') await queueIncidentResolvedIn(ctx, tx, changed);
    return { kind, incident: changed };
  });
  emit(ctx, event);
}

/**
 * For the notifications: adds to the number of people told about an incident. It shows on the status
 * page and the officers' page.
 */
export async function recordIncidentAffected(ctx: OfficeContext, incidentId: string, count: number): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const ok = await addIncidentAffected(tx, incidentId, count, ctx.now().toISOString());
    if (ok) await bumpStatusVersion(tx);
    return ok;
  });
}
