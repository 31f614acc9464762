import {
  OFFICE_SCOPE,
  SERVICE_DEPENDENCIES,
  SERVICE_NAMES,
  SERVICES,
  deriveSite,
  trackKey,
  zonedIsoDate,
  type Bilingual,
  type CapabilityState,
  type DerivedService,
  type ServiceId,
} from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { listSites } from '../repositories/sites.ts';
import { cancelPendingMessages, hasMark, insertMark, recipientsToldOf } from '../repositories/notifications.ts';
import {
  activeOverrides,
  addIncidentAffected,
  bumpStatusVersion,
  currentMaintenance,
  listCapabilityTracks,
  listIncidents,
  printerStatesBySite,
  type IncidentRow,
} from '../repositories/service-status.ts';
import { composerFor } from './composer.ts';
import { loadNotifyConfig } from './config.ts';
import { statusSnapshot } from '../services/service-status.ts';
import { audienceOf, prepareAudiences, recipientId, type Recipient } from './audience.ts';
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

/**
 * Queues the opening's messages in the caller's transaction and writes its mark: everyone affected, once,
 * except those told of the same outage a moment ago (an incident it continues) and not yet told it was over —
 * whose recovery, held for the settling time, is called off here, since the outage goes on.
 */
async function queueOpened(trx: OfficeDbOrTx, t: TriggerContext, incident: IncidentRow, names: SiteNames, affected: Affected[], earlier: IncidentRow[], day: string): Promise<number> {
  const { composer } = t;
  const mark = `incident:${incident.id}:opened`;
  const at = composer.now().toISOString();
  const alreadyTold = new Set<string>();
  for (const p of earlier) {
    for (const person of await recipientsToldOf(trx, `incident:${p.id}`, ['outage', 'morning'])) alreadyTold.add(recipientId(person.recipient));
    await cancelPendingMessages(trx, `incident:${p.id}`, 'recovery', at, `continued by incident ${incident.id}`);
  }
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
  if (!(await insertMark(trx, mark, at, told))) return 0;
  if (told > 0) {
    await addIncidentAffected(trx, incident.id, told, at);
    await bumpStatusVersion(trx);
  }
  return told;
}

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
  return ctx.db.transaction().execute((trx) => queueOpened(trx, t, incident, names, affected, earlier, day));
}

/** Who hears an incident (and the incidents it continued) is over: everyone told of any of them, once, with all that touched them. */
async function queueResolved(trx: OfficeDbOrTx, t: TriggerContext, incident: IncidentRow, chain: IncidentRow[], names: SiteNames, notBefore?: Date): Promise<number> {
  const { composer } = t;
  const resolvedAt = incident.resolved_at!;
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
      notBefore,
    });
    if (queued) count += 1;
  }
  if (!(await insertMark(trx, `incident:${incident.id}:resolved`, composer.now().toISOString(), count))) return 0;
  return count;
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
  const chain = [incident, ...predecessors(incident, all, t.settleMs)];
  return ctx.db.transaction().execute((trx) => queueResolved(trx, t, incident, chain, names));
}

// ---------------------------------------------------------------------------------------------------
// In the incident's own transaction
// ---------------------------------------------------------------------------------------------------

/** How far back incidents are looked at for a chain of flaps (as the worker's fan-out does). */
const CHAIN_WINDOW_MS = 2 * 86_400_000;

/** The status model's services per site, derived from what the caller's transaction sees (its own writes included). */
async function derivedIn(trx: OfficeDbOrTx, now: string): Promise<Map<string, DerivedService[]>> {
  const [sites, printers, trackRows, overrideRows, maintenanceRows] = await Promise.all([
    listSites(trx),
    printerStatesBySite(trx),
    listCapabilityTracks(trx),
    activeOverrides(trx, now),
    currentMaintenance(trx, now),
  ]);
  const tracks = new Map<string, CapabilityState>(trackRows.map((t) => [trackKey(t.capability, t.scope), t.state]));
  const overrides = overrideRows.map((o) => ({ service: o.service, siteId: o.site_id === OFFICE_SCOPE ? null : o.site_id, state: o.state, note: { id: o.note_id, en: o.note_en } }));
  const maintenance = maintenanceRows.map((m) => ({ service: m.service === '*' ? null : m.service, siteId: m.site_id === OFFICE_SCOPE ? null : m.site_id, startsAt: m.starts_at, endsAt: m.ends_at, note: { id: m.note_id, en: m.note_en } }));
  return new Map(sites.map((site) => [site.id, deriveSite({ id: site.id, kind: site.kind, hasPrinters: printers.has(site.id) }, tracks, now, maintenance, overrides)]));
}

/**
 * What telling people needs, read inside the transaction that changes the incident (on SQLite it holds the
 * one connection: nothing here may go around it).
 */
async function triggersIn(ctx: OfficeContext, trx: OfficeDbOrTx): Promise<TriggerContext> {
  const [config, composer] = await Promise.all([loadNotifyConfig(trx), composerFor({ db: trx, office: ctx.office, now: ctx.now })]);
  let derived: Promise<Map<string, DerivedService[]>> | undefined;
  return { ctx: { ...ctx, db: trx as OfficeContext['db'] }, composer, derived: () => (derived ??= derivedIn(trx, ctx.now().toISOString())), settleMs: config.recoverySettleMs };
}

/**
 * Loads, before a transaction that may open or resolve an incident, what telling people reads from outside
 * it: the status snapshot (a booking's offer of another slot reads it) and what the audience providers keep.
 * On SQLite the transaction holds the only connection: a read around it there would wait for it forever.
 */
export async function prepareIncidentNotices(ctx: OfficeContext): Promise<void> {
  await Promise.all([statusSnapshot(ctx), prepareAudiences(ctx)]);
}

/**
 * The messages of an incident that has just opened, queued in the transaction that opens it, with the mark:
 * the incident and its messages commit together or not at all, so a crash between the two cannot leave an
 * outage nobody hears of. Returns how many people were told.
 */
export async function queueIncidentOpenedIn(ctx: OfficeContext, trx: OfficeDbOrTx, incident: IncidentRow): Promise<number> {
  const t = await triggersIn(ctx, trx);
  if (await hasMark(trx, `incident:${incident.id}:opened`)) return 0;
  const now = ctx.now();
  const names = await siteNames(trx);
  const all = await listIncidents(trx, new Date(now.getTime() - CHAIN_WINDOW_MS).toISOString(), 200);
  const affected = await affectedBy(t, incident, names);
  return queueOpened(trx, t, incident, names, affected, predecessors(incident, all, t.settleMs), zonedIsoDate(now, ctx.office.timeZone));
}

/**
 * The recovery of an incident that has just been resolved, queued in the transaction that resolves it and
 * held until the settling time has passed (the messages' not-before): should the same outage come back
 * meanwhile, the incident that continues it calls them off in its own transaction (queueOpened). Nothing
 * when the opening was never told (an incident older than this code: the worker's fan-out handles it).
 */
export async function queueIncidentResolvedIn(ctx: OfficeContext, trx: OfficeDbOrTx, incident: IncidentRow): Promise<number> {
  if (!incident.resolved_at) return 0;
  if (await hasMark(trx, `incident:${incident.id}:resolved`)) return 0;
  if (!(await hasMark(trx, `incident:${incident.id}:opened`))) return 0;
  const t = await triggersIn(ctx, trx);
  const all = await listIncidents(trx, new Date(ctx.now().getTime() - CHAIN_WINDOW_MS).toISOString(), 200);
  const chain = [incident, ...predecessors(incident, all, t.settleMs)];
  return queueResolved(trx, t, incident, chain, await siteNames(trx), new Date(Date.parse(incident.resolved_at) + t.settleMs));
}
