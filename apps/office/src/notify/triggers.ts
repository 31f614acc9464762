import { SERVICE_DEPENDENCIES, SERVICE_NAMES, SERVICES, type Bilingual, type DerivedService, type ServiceId } from '@tangguh/domain';
import { startOfZonedDay, zonedIsoDate } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { listSites } from '../repositories/sites.ts';
import { hasMark, insertMark, recipientsToldOf, expiringSuketsWithContact } from '../repositories/notifications.ts';
import { activeAnnouncements, addIncidentAffected, bumpStatusVersion, currentMaintenance, listIncidents, type IncidentRow, type MaintenanceRow } from '../repositories/service-status.ts';
import { allSubscribers, audienceOf, type AffectedScope, type Recipient } from './audience.ts';
import { queueMessage, type Composer } from './outbox.ts';
import { announcementTemplate, maintenanceTemplate, outageTemplate, recoveryTemplate, suketExpiryTemplate, type ServiceState } from './templates.ts';

/**
 * What makes messages: an incident opening or resolving, the morning run, a maintenance window announced,
 * the head's announcement, a Suket about to expire. Each cause is fanned out in ONE transaction that
 * queues every message and writes the cause's mark: a crash leaves all of it or none, and a second run
 * (another worker, the next tick) finds the mark and does nothing. Message keys are unique as well, so
 * even two fan-outs racing past the mark store each message once.
 *
 * Incidents are committed by the status checks (services/incidents.ts) before they are fanned out here:
 * the incident row is the durable cause, and the worker fans out every incident not yet marked, so a
 * crash between the two loses nothing and sends nothing twice.
 */

export interface TriggerContext {
  ctx: OfficeContext;
  composer: Composer;
  /** The status model's current view of each site's services (for "still open" and advice); optional. */
  derived?: () => Promise<Map<string, DerivedService[]> | undefined>;
}

type SiteNames = Map<string, Bilingual>;

async function siteNames(db: OfficeDbOrTx): Promise<SiteNames> {
  return new Map((await listSites(db)).map((s) => [s.id, { id: s.name, en: s.name }]));
}

const sitesOf = (scope: string, names: SiteNames) => (scope === '*' ? [...names.keys()] : names.has(scope) ? [scope] : []);
const parseServices = (json: string): ServiceId[] => {
  try {
    return (JSON.parse(json) as string[]).filter((s): s is ServiceId => (SERVICES as readonly string[]).includes(s));
  } catch {
    return [];
  }
};

interface Affected {
  siteId: string;
  service: ServiceId;
  state: ServiceState;
  advice?: Bilingual;
  stillOpen: Bilingual[];
}

/** The services an incident takes away at each site, and how badly (a capability down may leave a service normal). */
async function affectedBy(t: TriggerContext, incident: IncidentRow, names: SiteNames): Promise<Affected[]> {
  const derived = (await t.derived?.().catch(() => undefined)) ?? undefined;
  const out: Affected[] = [];
  for (const siteId of sitesOf(incident.scope, names)) {
    const atSite = derived?.get(siteId);
    for (const service of parseServices(incident.services)) {
      if (atSite && !atSite.some((d) => d.service === service)) continue; // not offered here
      const dependency = incident.capability ? SERVICE_DEPENDENCIES[service].find((d) => d.capability === incident.capability) : undefined;
      const now = atSite?.find((d) => d.service === service);
      const effect = dependency ? dependency.whenDown : now && now.state !== 'normal' ? now.state : 'terganggu';
      if (effect === 'normal') continue;
      out.push({
        siteId,
        service,
        state: effect,
        advice: dependency?.whatToDo ?? now?.whatToDo,
        stillOpen: (atSite ?? []).filter((d) => d.state === 'normal' && d.service !== service).map((d) => SERVICE_NAMES[d.service]),
      });
    }
  }
  return out;
}

/** Tells everyone affected by a newly opened incident, once; returns how many people were told. */
export async function fanOutIncidentOpened(t: TriggerContext, incident: IncidentRow, day: string): Promise<number> {
  const { ctx, composer } = t;
  const mark = `incident:${incident.id}:opened`;
  if (await hasMark(ctx.db, mark)) return 0;
  // Over before anyone was told (a short outage while no worker ran): telling now would only mislead.
  if (incident.resolved_at !== null) {
    await insertMark(ctx.db, mark, composer.now().toISOString(), 0);
    return 0;
  }
  const names = await siteNames(ctx.db);
  const affected = await affectedBy(t, incident, names);
  return ctx.db.transaction().execute(async (trx) => {
    const told = new Set<string>();
    for (const a of affected) {
      for (const recipient of await audienceOf(trx, { siteId: a.siteId, serviceCode: a.service, day })) {
        const queued = await queueMessage(trx, composer, {
          cause: `incident:${incident.id}`,
          kind: 'outage',
          keyParts: [a.siteId, a.service],
          recipient,
          parts: (lang) => outageTemplate(lang, { service: SERVICE_NAMES[a.service], site: names.get(a.siteId)!, state: a.state, since: incident.opened_at, stillOpen: a.stillOpen, advice: a.advice }, composer.timeZone),
          payload: { type: 'incident.opened', incidentId: incident.id, siteId: a.siteId, service: a.service, state: a.state, since: incident.opened_at },
        });
        if (queued) told.add(`${recipient.channel}:${recipient.address}`);
      }
    }
    if (!(await insertMark(trx, mark, composer.now().toISOString(), told.size))) return 0;
    if (told.size > 0) {
      await addIncidentAffected(trx, incident.id, told.size, composer.now().toISOString());
      await bumpStatusVersion(trx);
    }
    return told.size;
  });
}

/** Tells everyone who was told of the outage that it is over, with what to do now. */
export async function fanOutIncidentResolved(t: TriggerContext, incident: IncidentRow): Promise<number> {
  const { ctx, composer } = t;
  if (!incident.resolved_at) return 0;
  const mark = `incident:${incident.id}:resolved`;
  if (await hasMark(ctx.db, mark)) return 0;
  // Not before the opening was fanned out: the recovery goes to those who heard of the outage.
  if (!(await hasMark(ctx.db, `incident:${incident.id}:opened`))) return 0;
  const names = await siteNames(ctx.db);
  const resolvedAt = incident.resolved_at;
  return ctx.db.transaction().execute(async (trx) => {
    const told = await recipientsToldOf(trx, `incident:${incident.id}`, ['outage', 'morning']);
    let count = 0;
    for (const person of told) {
      const recipient: Recipient = person.recipient;
      const service = person.service as ServiceId;
      const dependency = incident.capability ? SERVICE_DEPENDENCIES[service]?.find((d) => d.capability === incident.capability) : undefined;
      const queued = await queueMessage(trx, composer, {
        cause: `incident:${incident.id}`,
        kind: 'recovery',
        keyParts: [person.siteId, person.service],
        recipient,
        parts: (lang) =>
          recoveryTemplate(lang, { service: SERVICE_NAMES[service] ?? { id: person.service, en: person.service }, site: names.get(person.siteId) ?? { id: person.siteId, en: person.siteId }, at: resolvedAt, advice: recoveryAdvice(service, dependency !== undefined) }, composer.timeZone),
        payload: { type: 'incident.resolved', incidentId: incident.id, siteId: person.siteId, service: person.service, at: resolvedAt },
      });
      if (queued) count += 1;
    }
    if (!(await insertMark(trx, mark, composer.now().toISOString(), count))) return 0;
    return count;
  });
}

const RECOVERY_ADVICE: Partial<Record<ServiceId, Bilingual>> = {
  cetak: { id: 'Silakan datang untuk cetak; bawa tanda terima perekaman atau Suket.', en: 'You can come for printing; bring your recording receipt or Suket.' },
  tte_dokumen: { id: 'Dokumen yang menunggu sedang ditandatangani; ambil setelah ada kabar siap.', en: 'Waiting documents are being signed; collect them once told they are ready.' },
};
const recoveryAdvice = (service: ServiceId, _known: boolean): Bilingual | undefined => RECOVERY_ADVICE[service];

/** A maintenance window announced ahead: its subscribers are told once when it is scheduled. */
export async function fanOutMaintenance(t: TriggerContext, window: MaintenanceRow, day: string): Promise<number> {
  const { ctx, composer } = t;
  const mark = `maintenance:${window.id}:announced`;
  if (await hasMark(ctx.db, mark)) return 0;
  const names = await siteNames(ctx.db);
  const services = window.service === '*' ? [...SERVICES] : [window.service];
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const siteId of sitesOf(window.site_id, names)) {
      for (const service of services) {
        for (const recipient of await audienceOf(trx, { siteId, serviceCode: service, day })) {
          const queued = await queueMessage(trx, composer, {
            cause: `maintenance:${window.id}`,
            kind: 'maintenance',
            keyParts: [siteId, service],
            recipient,
            parts: (lang) => maintenanceTemplate(lang, { service: SERVICE_NAMES[service], site: names.get(siteId)!, from: window.starts_at, to: window.ends_at, advice: { id: window.note_id, en: window.note_en } }, composer.timeZone),
            payload: { type: 'maintenance.scheduled', maintenanceId: window.id, siteId, service, startsAt: window.starts_at, endsAt: window.ends_at },
          });
          if (queued) count += 1;
        }
      }
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
 * maintenance window that falls on today is told — except those told of the same incident earlier today.
 * One run per office day (its mark), whenever the worker first sees the configured time has passed.
 */
export async function morningRun(t: TriggerContext, day: string): Promise<number> {
  const { ctx, composer } = t;
  const mark = `morning:${day}`;
  if (await hasMark(ctx.db, mark)) return 0;
  const now = composer.now();
  const names = await siteNames(ctx.db);
  const open = (await listIncidents(ctx.db, now.toISOString(), 200)).filter((i) => i.resolved_at === null);
  const windows = (await currentMaintenance(ctx.db, now.toISOString())).filter((w) => zonedIsoDate(new Date(w.starts_at), composer.timeZone) <= day && zonedIsoDate(new Date(w.ends_at), composer.timeZone) >= day);
  const from = startOfZonedDay(now, composer.timeZone);
  const todaySpan = { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
  const affected = await Promise.all(open.map(async (incident) => ({ incident, affected: await affectedBy(t, incident, names) })));
  return ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const { incident, affected: list } of affected) {
      const toldToday = new Set((await recipientsToldOf(trx, `incident:${incident.id}`, ['outage'], todaySpan)).map((p) => `${p.recipient.channel}:${p.recipient.address}|${p.siteId}|${p.service}`));
      for (const a of list) {
        for (const recipient of await audienceOf(trx, { siteId: a.siteId, serviceCode: a.service, day })) {
          if (toldToday.has(`${recipient.channel}:${recipient.address}|${a.siteId}|${a.service}`)) continue;
          const queued = await queueMessage(trx, composer, {
            cause: `incident:${incident.id}`,
            kind: 'morning',
            keyParts: [day, a.siteId, a.service],
            recipient,
            parts: (lang) => outageTemplate(lang, { service: SERVICE_NAMES[a.service], site: names.get(a.siteId)!, state: a.state, since: incident.opened_at, stillOpen: a.stillOpen, advice: a.advice }, composer.timeZone),
            payload: { type: 'morning.incident', day, incidentId: incident.id, siteId: a.siteId, service: a.service, state: a.state },
          });
          if (queued) count += 1;
        }
      }
    }
    for (const window of windows) {
      const services = window.service === '*' ? [...SERVICES] : [window.service];
      for (const siteId of sitesOf(window.site_id, names)) {
        for (const service of services) {
          for (const recipient of await audienceOf(trx, { siteId, serviceCode: service, day } satisfies AffectedScope)) {
            const queued = await queueMessage(trx, composer, {
              cause: `maintenance:${window.id}`,
              kind: 'morning',
              keyParts: [day, siteId, service],
              recipient,
              parts: (lang) => maintenanceTemplate(lang, { service: SERVICE_NAMES[service], site: names.get(siteId)!, from: window.starts_at, to: window.ends_at, advice: { id: window.note_id, en: window.note_en } }, composer.timeZone),
              payload: { type: 'morning.maintenance', day, maintenanceId: window.id, siteId, service },
            });
            if (queued) count += 1;
          }
        }
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
  // Oldest first: an incident's opening before its resolution.
  for (const incident of [...incidents].reverse()) {
    told += await fanOutIncidentOpened(t, incident, day);
    told += await fanOutIncidentResolved(t, incident);
  }
  for (const window of await currentMaintenance(ctx.db, now.toISOString())) told += await fanOutMaintenance(t, window, day);
  for (const announcement of await activeAnnouncements(ctx.db, now.toISOString())) told += await fanOutAnnouncement(t, announcement);
  return told;
}
