import { randomUUID } from 'node:crypto';
import { CAPABILITY_NAMES, DomainError, OFFICE_SCOPE, type Bilingual, type ServiceId, type ServiceState } from '@tangguh/domain';
import type { StatusAdmin } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import {
  activeAnnouncements,
  activeOverrides,
  bumpStatusVersion,
  cancelMaintenance as cancelMaintenanceRow,
  clearAnnouncement as clearAnnouncementRow,
  clearOverride as clearOverrideRow,
  currentMaintenance,
  insertMaintenance,
  insertOverride,
  listCapabilityTracks,
  listIncidents,
  replaceAnnouncement,
} from '../repositories/service-status.ts';
import { listSites } from '../repositories/sites.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { presentAnnouncement, presentIncident, presentMaintenance } from './status-present.ts';
import { statusChanged } from './service-status.ts';

/**
 * What officers do with the status: overrides with a reason, planned maintenance, the head's announcement
 * (incident updates are in incidents.ts). Every change is stored with who and when, raises the status
 * version in the same transaction, and is in this process's snapshot before the answer goes out.
 */

const ADMIN_INCIDENT_DAYS = 30;
type OfficerText = { id: string; en?: string };
const both = (t: OfficerText): Bilingual => ({ id: t.id, en: t.en ?? t.id });
const iso = (t: string) => new Date(t).toISOString();

const siteNotFound = (siteId: string) => new DomainError('SITE_NOT_FOUND', { id: `Lokasi ${siteId} tidak ditemukan.`, en: `Site ${siteId} not found.` }, 'not_found');
const notFound = (what: Bilingual) => new DomainError('STATUS_ITEM_NOT_FOUND', { id: `${what.id} tidak ditemukan atau sudah berakhir.`, en: `${what.en} not found or already ended.` }, 'not_found');
const inPast = (field: string) =>
  new DomainError('STATUS_TIME_INVALID', { id: 'Waktu berakhir harus di masa depan dan setelah waktu mulai.', en: 'The end must lie in the future and after the start.' }, 'invalid', [
    { field, code: 'in_past', messages: { id: 'Waktu harus di masa depan dan setelah waktu mulai.', en: 'The time must lie in the future and after the start.' } },
  ]);

async function siteScope(db: OfficeDbOrTx, siteId: string | null): Promise<string> {
  if (siteId === null) return OFFICE_SCOPE;
  if (!(await listSites(db)).some((s) => s.id === siteId)) throw siteNotFound(siteId);
  return siteId;
}

/** Everything the officers' page shows. */
export async function statusAdminView(ctx: OfficeContext): Promise<StatusAdmin> {
  const now = ctx.now();
  const at = now.toISOString();
  const sites = await listSites(ctx.db);
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const tracks = await listCapabilityTracks(ctx.db);
  const incidents = await listIncidents(ctx.db, new Date(now.getTime() - ADMIN_INCIDENT_DAYS * 86_400_000).toISOString(), 100);
  return {
    capabilities: tracks
      .sort((a, b) => a.capability.localeCompare(b.capability) || a.scope.localeCompare(b.scope))
      .map((t) => ({ capability: t.capability, name: CAPABILITY_NAMES[t.capability], scope: t.scope, siteName: t.scope === OFFICE_SCOPE ? null : (names.get(t.scope) ?? t.scope), state: t.state, since: t.since, detail: t.detail, latencyMs: t.latencyMs })),
    incidents: incidents.map((i) => {
      const view = presentIncident(i, names);
      return { ...view, updates: view.updates.map((u, n) => ({ ...u, author: i.updates[n]?.author ?? null })) };
    }),
    overrides: (await activeOverrides(ctx.db, at)).map((o) => ({
      id: o.id,
      service: o.service,
      siteId: o.site_id === OFFICE_SCOPE ? null : o.site_id,
      state: o.state,
      note: { id: o.note_id, en: o.note_en },
      setBy: o.set_by,
      setAt: o.set_at,
      expiresAt: o.expires_at,
    })),
    maintenance: (await currentMaintenance(ctx.db, at)).map((m) => ({ ...presentMaintenance(m, names, at), createdBy: m.created_by })),
    announcements: (await activeAnnouncements(ctx.db, at)).map((a) => ({ ...presentAnnouncement(a, names), setBy: a.set_by })),
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
  };
}

async function change(ctx: OfficeContext, write: (tx: OfficeDbOrTx, at: string) => Promise<void>): Promise<StatusAdmin> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (tx) => {
    await write(tx, at);
    await bumpStatusVersion(tx);
  });
  await statusChanged(ctx);
  return statusAdminView(ctx);
}

/** An officer decides a service's state (or only adds an explanation, state null), with a reason. */
export function setOverride(ctx: OfficeContext, input: { service: ServiceId; siteId: string | null; state: ServiceState | null; reason: OfficerText; expiresAt: string | null }, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    const site_id = await siteScope(tx, input.siteId);
    const expires = input.expiresAt === null ? null : iso(input.expiresAt);
    if (expires !== null && expires <= at) throw inPast('expiresAt');
    const note = both(input.reason);
    await insertOverride(tx, { id: randomUUID(), service: input.service, site_id, state: input.state, note_id: note.id, note_en: note.en, set_by: by, set_at: at, expires_at: expires, cleared_by: null, cleared_at: null });
  });
}

export function clearOverride(ctx: OfficeContext, id: string, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    if (!(await clearOverrideRow(tx, id, by, at))) throw notFound({ id: 'Penetapan status', en: 'Override' });
  });
}

export function scheduleMaintenance(ctx: OfficeContext, input: { service: ServiceId | null; siteId: string | null; startsAt: string; endsAt: string; note: OfficerText }, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    const site_id = await siteScope(tx, input.siteId);
    const startsAt = iso(input.startsAt);
    const endsAt = iso(input.endsAt);
    if (endsAt <= startsAt || endsAt <= at) throw inPast('endsAt');
    const note = both(input.note);
    await insertMaintenance(tx, { id: randomUUID(), service: input.service ?? '*', site_id, starts_at: startsAt, ends_at: endsAt, note_id: note.id, note_en: note.en, created_by: by, created_at: at, cancelled_by: null, cancelled_at: null });
  });
}

export function cancelMaintenance(ctx: OfficeContext, id: string, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    if (!(await cancelMaintenanceRow(tx, id, by, at))) throw notFound({ id: 'Pemeliharaan', en: 'Maintenance' });
  });
}

/** The head's announcement: one current per site, or one for the whole office (siteId null). */
export function announce(ctx: OfficeContext, input: { siteId: string | null; text: OfficerText; expiresAt: string }, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    const site_id = await siteScope(tx, input.siteId);
    const expires = iso(input.expiresAt);
    if (expires <= at) throw inPast('expiresAt');
    const text = both(input.text);
    await replaceAnnouncement(tx, { id: randomUUID(), site_id, text_id: text.id, text_en: text.en, set_by: by, set_at: at, expires_at: expires, cleared_by: null, cleared_at: null });
  });
}

export function clearAnnouncement(ctx: OfficeContext, siteId: string | null, by: string): Promise<StatusAdmin> {
  return change(ctx, async (tx, at) => {
    await clearAnnouncementRow(tx, siteId ?? OFFICE_SCOPE, by, at);
  });
}
