import { SERVICE_DEPENDENCIES, SERVICE_NAMES, SERVICES, type Bilingual, type ServiceId } from '@tangguh/domain';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { listSites } from '../repositories/sites.ts';
import { hasMark, insertMark, recipientsToldOf } from '../repositories/notifications.ts';
import { addIncidentAffected, bumpStatusVersion, type IncidentRow } from '../repositories/service-status.ts';
import { audienceOf, recipientId, type Recipient } from './audience.ts';
import { queueMessage } from './outbox.ts';
import { outageTemplate, recoveryTemplate, type ServiceState, type TemplateParts } from './templates.ts';
import type { TriggerContext } from './triggers.ts';
import type { Lang } from './types.ts';

/**
 * Incidents told to people: once when one opens, once when it is over — one message per person per incident,
 * however many services and sites it touches.
 *
 * Flaps: the status model's hysteresis makes one incident of one outage, but a link that comes back for a
 * few minutes and fails again is two incidents there. The recovery is therefore held for a settling time
 * (`recoverySettleMs`, 10 minutes by default): an incident of the same capability and place opening within
 * it continues the first — nobody hears "back" and "down" again — and the recovery, once the link has stayed
 * up, goes to everyone told of any incident in that chain.
 */

export type SiteNames = Map<string, Bilingual>;

export async function siteNames(db: OfficeDbOrTx): Promise<SiteNames> {
  return new Map((await listSites(db)).map((s) => [s.id, { id: s.name, en: s.name }]));
}

export const sitesOf = (scope: string, names: SiteNames) => (scope === '*' ? [...names.keys()] : names.has(scope) ? [scope] : []);

const parseServices = (json: string): ServiceId[] => {
  try {
    return (JSON.parse(json) as string[]).filter((s): s is ServiceId => (SERVICES as readonly string[]).includes(s));
  } catch {
    return [];
  }
};

export interface Affected {
  siteId: string;
  service: ServiceId;
  state: ServiceState;
  advice?: Bilingual;
  stillOpen: ServiceId[];
}

/** The services an incident takes away at each site, and how badly (a capability down may leave a service normal). */
export async function affectedBy(t: TriggerContext, incident: IncidentRow, names: SiteNames): Promise<Affected[]> {
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
      out.push({ siteId, service, state: effect, advice: dependency?.whatToDo ?? now?.whatToDo, stillOpen: (atSite ?? []).filter((d) => d.state === 'normal').map((d) => d.service) });
    }
  }
  return out;
}

/** Each person affected, with everything that affects them (a subscriber to every service hears of all of it at once). */
export async function affectedPeople(db: OfficeDbOrTx, affected: Affected[], day: string): Promise<Map<string, { recipient: Recipient; entries: Affected[] }>> {
  const people = new Map<string, { recipient: Recipient; entries: Affected[] }>();
  for (const a of affected) {
    for (const recipient of await audienceOf(db, { siteId: a.siteId, serviceCode: a.service, day })) {
      const id = recipientId(recipient);
      const known = people.get(id);
      if (known) known.entries.push(a);
      else people.set(id, { recipient, entries: [a] });
    }
  }
  return people;
}

const RANK: Record<ServiceState, number> = { pemeliharaan: 1, terganggu: 2, gangguan: 3 };
const unique = <T>(values: T[]) => [...new Set(values)];
const joined = (names: string[], lang: Lang) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${lang === 'id' ? 'dan' : 'and'} ${names.at(-1)}`);

/** "Cetak KTP-el dan KK" at "Kec. Ambulu" (or "every service point", or "Kec. Ambulu and 3 other service points"). */
function subjectOf(entries: { siteId: string; service: string }[], names: SiteNames): { service: Bilingual; site: Bilingual } {
  const services = unique(entries.map((e) => e.service)).map((s) => SERVICE_NAMES[s as ServiceId] ?? { id: s, en: s });
  const sites = unique(entries.map((e) => e.siteId));
  const first = names.get(sites[0] ?? '') ?? { id: sites[0] ?? '', en: sites[0] ?? '' };
  const site =
    sites.length <= 1
      ? first
      : sites.length === names.size
        ? { id: 'semua lokasi layanan', en: 'every service point' }
        : { id: `${first.id} dan ${sites.length - 1} lokasi lain`, en: `${first.en} and ${sites.length - 1} other service points` };
  return { service: { id: joined(services.map((s) => s.id), 'id'), en: joined(services.map((s) => s.en), 'en') }, site };
}

export function outageParts(lang: Lang, entries: Affected[], names: SiteNames, since: string, timeZone: string): TemplateParts {
  const worst = [...entries].sort((a, b) => RANK[b.state] - RANK[a.state]);
  const { service, site } = subjectOf(entries, names);
  const oneSite = unique(entries.map((e) => e.siteId)).length === 1;
  const touched = new Set(entries.map((e) => e.service));
  const stillOpen = oneSite ? (entries[0]?.stillOpen ?? []).filter((s) => !touched.has(s)).map((s) => SERVICE_NAMES[s]) : [];
  return outageTemplate(lang, { service, site, state: worst[0]?.state ?? 'terganggu', since, stillOpen, advice: worst[0]?.advice }, timeZone);
}

const RECOVERY_ADVICE: Partial<Record<ServiceId, Bilingual>> = {
  cetak: { id: 'Silakan datang untuk cetak; bawa tanda terima perekaman atau Suket.', en: 'You can come for printing; bring your recording receipt or Suket.' },
  tte_dokumen: { id: 'Dokumen yang menunggu sedang ditandatangani; ambil setelah ada kabar siap.', en: 'Waiting documents are being signed; collect them once told they are ready.' },
};

function recoveryParts(lang: Lang, entries: { siteId: string; service: string }[], names: SiteNames, at: string, timeZone: string): TemplateParts {
  const { service, site } = subjectOf(entries, names);
  const advice = entries.map((e) => RECOVERY_ADVICE[e.service as ServiceId]).find(Boolean);
  return recoveryTemplate(lang, { service, site, at, advice }, timeZone);
}

const sameOutage = (a: IncidentRow, b: IncidentRow) => a.capability !== null && a.capability === b.capability && a.scope === b.scope;

/** The incidents this one continues: same capability and place, each resolved at most `settleMs` before the next opened. */
export function predecessors(incident: IncidentRow, all: IncidentRow[], settleMs: number): IncidentRow[] {
  const chain: IncidentRow[] = [];
  let current = incident;
  for (;;) {
    const previous = all
      .filter((i) => i.id !== current.id && sameOutage(i, current) && i.resolved_at !== null && i.resolved_at <= current.opened_at && Date.parse(current.opened_at) - Date.parse(i.resolved_at) <= settleMs)
      .sort((a, b) => (b.resolved_at! < a.resolved_at! ? -1 : 1))[0];
    if (!previous || chain.some((c) => c.id === previous.id)) return chain;
    chain.push(previous);
    current = previous;
  }
}

const continuedBy = (incident: IncidentRow, all: IncidentRow[], settleMs: number) =>
  incident.resolved_at !== null && all.some((i) => i.id !== incident.id && sameOutage(i, incident) && i.opened_at >= incident.resolved_at! && Date.parse(i.opened_at) - Date.parse(incident.resolved_at!) <= settleMs);

/** Tells everyone affected by a newly opened incident, once; returns how many people were told. */
export async function fanOutIncidentOpened(t: TriggerContext, incident: IncidentRow, all: IncidentRow[], day: string): Promise<number> {
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
  const earlier = predecessors(incident, all, t.settleMs);
  return ctx.db.transaction().execute(async (trx) => {
    // Told of the same outage a moment ago and not yet told it was over: nothing new to say.
    const alreadyTold = new Set<string>();
    for (const p of earlier) for (const person of await recipientsToldOf(trx, `incident:${p.id}`, ['outage', 'morning'])) alreadyTold.add(recipientId(person.recipient));
    let told = 0;
    for (const [id, { recipient, entries }] of await affectedPeople(trx, affected, day)) {
      if (alreadyTold.has(id)) continue;
      const queued = await queueMessage(trx, composer, {
        cause: `incident:${incident.id}`,
        kind: 'outage',
        recipient,
        parts: (lang) => outageParts(lang, entries, names, incident.opened_at, composer.timeZone),
        payload: { type: 'incident.opened', incidentId: incident.id, since: incident.opened_at, entries: entries.map((e) => ({ siteId: e.siteId, service: e.service, state: e.state })) },
      });
      if (queued) told += 1;
    }
    if (!(await insertMark(trx, mark, composer.now().toISOString(), told))) return 0;
    if (told > 0) {
      await addIncidentAffected(trx, incident.id, told, composer.now().toISOString());
      await bumpStatusVersion(trx);
    }
    return told;
  });
}

/**
 * Once an incident has stayed resolved for the settling time and nothing continued it: everyone told of it
 * (or of the incidents it continued) hears it is over, with what to do now — one message each.
 */
export async function fanOutIncidentResolved(t: TriggerContext, incident: IncidentRow, all: IncidentRow[]): Promise<number> {
  const { ctx, composer } = t;
  if (!incident.resolved_at) return 0;
  const mark = `incident:${incident.id}:resolved`;
  if (await hasMark(ctx.db, mark)) return 0;
  // Not before the opening was fanned out: the recovery goes to those who heard of the outage.
  if (!(await hasMark(ctx.db, `incident:${incident.id}:opened`))) return 0;
  if (continuedBy(incident, all, t.settleMs)) {
    await insertMark(ctx.db, mark, composer.now().toISOString(), 0);
    return 0;
  }
  if (composer.now().getTime() < Date.parse(incident.resolved_at) + t.settleMs) return 0;
  const names = await siteNames(ctx.db);
  const resolvedAt = incident.resolved_at;
  const chain = [incident, ...predecessors(incident, all, t.settleMs)];
  return ctx.db.transaction().execute(async (trx) => {
    const people = new Map<string, { recipient: Recipient; entries: { siteId: string; service: string }[] }>();
    for (const i of chain) {
      for (const person of await recipientsToldOf(trx, `incident:${i.id}`, ['outage', 'morning'])) {
        const id = recipientId(person.recipient);
        const known = people.get(id);
        if (known) known.entries.push(...person.entries.filter((e) => !known.entries.some((k) => k.siteId === e.siteId && k.service === e.service)));
        else people.set(id, { recipient: person.recipient, entries: [...person.entries] });
      }
    }
    let count = 0;
    for (const { recipient, entries } of people.values()) {
      const queued = await queueMessage(trx, composer, {
        cause: `incident:${incident.id}`,
        kind: 'recovery',
        recipient,
        parts: (lang) => recoveryParts(lang, entries, names, resolvedAt, composer.timeZone),
        payload: { type: 'incident.resolved', incidentId: incident.id, continues: chain.slice(1).map((i) => i.id), at: resolvedAt, entries },
      });
      if (queued) count += 1;
    }
    if (!(await insertMark(trx, mark, composer.now().toISOString(), count))) return 0;
    return count;
  });
}
