import { SERVICE_NAMES, SERVICES, startOfZonedDay, zonedIsoDate, type Bilingual, type DerivedService } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { expiringSuketsWithContact, hasMark, insertMark, recipientsToldOf } from '../repositories/notifications.ts';
import { activeAnnouncements, currentMaintenance, listIncidents, type MaintenanceRow } from '../repositories/service-status.ts';
import { allSubscribers, audienceOf, recipientId, type AffectedScope, type Recipient } from './audience.ts';
import { affectedBy, affectedPeople, fanOutIncidentOpened, fanOutIncidentResolved, outageParts, predecessors, siteNames, sitesOf, type SiteNames } from './incident-notices.ts';
import { queueMessage, type Composer } from './outbox.ts';
import { announcementTemplate, maintenanceTemplate, suketExpiryTemplate } from './templates.ts';

/**
 * What makes messages: an incident opening or resolving, the morning run, a maintenance window announced,
 * the head's announcement, a Suket about to expire. Each cause is fanned out in ONE transaction that
 * queues every message and writes the cause's mark: a crash leaves all of it or none, and a second run
 * (another worker, the next tick) finds the mark and does nothing. Message keys are unique as well, so
 * even two fan-outs racing past the mark store each message once.
 *
 * Incidents are told in the transaction that opens or resolves them (services/incidents.ts with
 * incident-notices.ts): the incident, its messages and its mark commit together. The fan-out here finds
 * them marked and does nothing; it still tells any incident left unmarked (one made before that was so).
 */

export interface TriggerContext {
  ctx: OfficeContext;
  composer: Composer;
  /** The status model's current view of each site's services (for "still open" and advice); optional. */
  derived?: () => Promise<Map<string, DerivedService[]> | undefined>;
  /** How long a recovery is held in case the same outage comes back (incident-notices.ts). */
  settleMs: number;
}

/** Everyone following a service a maintenance window closes, once each, and how to name the window. */
async function maintenanceAudience(db: OfficeDbOrTx, window: MaintenanceRow, names: SiteNames, day: string): Promise<{ people: Recipient[]; service: Bilingual; site: Bilingual }> {
  const services = window.service === '*' ? [...SERVICES] : [window.service];
  const people = new Map<string, Recipient>();
  for (const siteId of sitesOf(window.site_id, names)) {
    for (const service of services) {
      for (const recipient of await audienceOf(db, { siteId, serviceCode: service, day } satisfies AffectedScope)) if (!people.has(recipientId(recipient))) people.set(recipientId(recipient), recipient);
    }
  }
  return {
    people: [...people.values()],
    service: window.service === '*' ? { id: 'semua layanan', en: 'every service' } : SERVICE_NAMES[window.service],
    site: window.site_id === '*' ? { id: 'semua lokasi layanan', en: 'every service point' } : (names.get(window.site_id) ?? { id: window.site_id, en: window.site_id }),
  };
}

/** A maintenance window announced ahead: its subscribers are told once when it is scheduled. */
export async function fanOutMaintenance(t: TriggerContext, window: MaintenanceRow, day: string): Promise<number> {
  const { ctx, composer } = t;
  const mark = `maintenance:${window.id}:announced`;
  if (await hasMark(ctx.db, mark)) return 0;
  const names = await siteNames(ctx.db);
  return ctx.db.transaction().execute(async (trx) => {
    const { people, service, site } = await maintenanceAudience(trx, window, names, day);
    let count = 0;
    for (const recipient of people) {
      const queued = await queueMessage(trx, composer, {
        cause: `maintenance:${window.id}`,
        kind: 'maintenance',
        recipient,
        parts: (lang) => maintenanceTemplate(lang, { service, site, from: window.starts_at, to: window.ends_at, advice: { id: window.note_id, en: window.note_en } }, composer.timeZone),
        payload: { type: 'maintenance.scheduled', maintenanceId: window.id, siteId: window.site_id, service: window.service, startsAt: window.starts_at, endsAt: window.ends_at },
      });
      if (queued) count += 1;
    }
    await insertMark(trx, mark, composer.now().toISOString(), count);
    return count;
  });
}

/** The head's announcement reaches every subscriber of its site (or of any site, office-wide) at once. */
export async function fanOutAnnouncement(t: TriggerContext, announcement: { id: string; site_id: string; text_id: string; text_en: string }): Promise<number> {
  const { ctx, composer } = t;
  const mark = `announcement:${announcement.id}`;
  if (await hasMark(ctx.db, mark)) return 0;
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const recipient of await allSubscribers(trx, announcement.site_id === '*' ? undefined : announcement.site_id)) {
      const queued = await queueMessage(trx, composer, {
        cause: `announcement:${announcement.id}`,
        kind: 'announcement',
        recipient,
        parts: (lang) => announcementTemplate(lang, { office: composer.officeName, text: { id: announcement.text_id, en: announcement.text_en } }),
        payload: { type: 'announcement', announcementId: announcement.id, siteId: announcement.site_id, text: { id: announcement.text_id, en: announcement.text_en } },
      });
      if (queued) count += 1;
    }
    await insertMark(trx, mark, composer.now().toISOString(), count);
    return count;
  });
}

/**
 * The morning run: before people set out, everyone affected today by an incident still open or by a
 * maintenance window that falls on today is told — one message per person per incident or window —
 * except those told of the same outage earlier today. One run per office day (its mark), whenever the
 * worker first sees the configured time has passed.
 */
export async function morningRun(t: TriggerContext, day: string): Promise<number> {
  const { ctx, composer } = t;
  const mark = `morning:${day}`;
  if (await hasMark(ctx.db, mark)) return 0;
  const now = composer.now();
  const names = await siteNames(ctx.db);
  const incidents = await listIncidents(ctx.db, new Date(now.getTime() - 2 * 86_400_000).toISOString(), 200);
  const open = incidents.filter((i) => i.resolved_at === null);
  const windows = (await currentMaintenance(ctx.db, now.toISOString())).filter((w) => zonedIsoDate(new Date(w.starts_at), composer.timeZone) <= day && zonedIsoDate(new Date(w.ends_at), composer.timeZone) >= day);
  const from = startOfZonedDay(now, composer.timeZone);
  const today = { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
  const affected = await Promise.all(open.map(async (incident) => ({ incident, affected: await affectedBy(t, incident, names) })));
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const { incident, affected: list } of affected) {
      const toldToday = new Set<string>();
      for (const i of [incident, ...predecessors(incident, incidents, t.settleMs)]) {
        for (const person of await recipientsToldOf(trx, `incident:${i.id}`, ['outage'], today)) toldToday.add(recipientId(person.recipient));
      }
      for (const [id, { recipient, entries }] of await affectedPeople(trx, list, day)) {
        if (toldToday.has(id)) continue;
        const queued = await queueMessage(trx, composer, {
          cause: `incident:${incident.id}`,
          kind: 'morning',
          keyParts: [day],
          recipient,
          parts: (lang) => outageParts(lang, entries, names, incident.opened_at, composer.timeZone),
          payload: { type: 'morning.incident', day, incidentId: incident.id, entries: entries.map((e) => ({ siteId: e.siteId, service: e.service, state: e.state })) },
        });
        if (queued) count += 1;
      }
    }
    for (const window of windows) {
      const { people, service, site } = await maintenanceAudience(trx, window, names, day);
      for (const recipient of people) {
        const queued = await queueMessage(trx, composer, {
          cause: `maintenance:${window.id}`,
          kind: 'morning',
          keyParts: [day],
          recipient,
          parts: (lang) => maintenanceTemplate(lang, { service, site, from: window.starts_at, to: window.ends_at, advice: { id: window.note_id, en: window.note_en } }, composer.timeZone),
          payload: { type: 'morning.maintenance', day, maintenanceId: window.id, siteId: window.site_id, service: window.service },
        });
        if (queued) count += 1;
      }
    }
    if (!(await insertMark(trx, mark, now.toISOString(), count))) return 0;
    return count;
  });
}

const CARD_READY = new Set(['CARD_PRINTED', 'CARD_SHIPPED']);
const REMIND_AHEAD_MS = 14 * 86_400_000;

/**
 * Suket holders whose Suket expires within two weeks are reminded once, with what to do: collect the card
 * if it is printed (the record's status says so), else renew the Suket. Only holders who left a contact.
 */
export async function suketReminders(t: TriggerContext, day: string): Promise<number> {
  const { ctx, composer } = t;
  const now = composer.now();
  const due = await expiringSuketsWithContact(ctx.db, now.toISOString(), new Date(now.getTime() + REMIND_AHEAD_MS).toISOString());
  const names = await siteNames(ctx.db);
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const suket of due) {
      const recipient: Recipient = { channel: suket.channel as Recipient['channel'], address: suket.address, lang: suket.lang === 'en' ? 'en' : 'id' };
      const queued = await queueMessage(trx, composer, {
        cause: `suket:${suket.serial}`,
        kind: 'suket-expiry',
        recipient,
        parts: (lang) =>
          suketExpiryTemplate(lang, { serial: suket.serial, expiresAt: suket.expires_at, cardReady: CARD_READY.has(suket.record_status), site: names.get(suket.site_id) ?? { id: suket.site_id, en: suket.site_id } }, composer.timeZone),
      });
      if (queued) count += 1;
    }
    await insertMark(trx, `reminders:${day}`, now.toISOString(), count);
    return count;
  });
}

/** Every cause not yet fanned out: open and recently resolved incidents, maintenance ahead, announcements. */
export async function fanOutPending(t: TriggerContext): Promise<number> {
  const { ctx, composer } = t;
  const now = composer.now();
  const day = zonedIsoDate(now, composer.timeZone);
  let told = 0;
  const incidents = await listIncidents(ctx.db, new Date(now.getTime() - 2 * 86_400_000).toISOString(), 200);
  // Oldest first: an incident's opening before its resolution, an outage before the one that continues it.
  const oldestFirst = [...incidents].sort((a, b) => (a.opened_at < b.opened_at ? -1 : a.opened_at > b.opened_at ? 1 : 0));
  for (const incident of oldestFirst) told += await fanOutIncidentOpened(t, incident, incidents, day);
  for (const incident of oldestFirst) told += await fanOutIncidentResolved(t, incident, incidents);
  for (const window of await currentMaintenance(ctx.db, now.toISOString())) told += await fanOutMaintenance(t, window, day);
  for (const announcement of await activeAnnouncements(ctx.db, now.toISOString())) told += await fanOutAnnouncement(t, announcement);
  return told;
}
