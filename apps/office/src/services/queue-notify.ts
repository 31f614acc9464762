import { SERVICE_NAMES, addCalendarDays, formatBookingCode, formatZonedDate, peopleAhead, type Bilingual, type ServiceId, type TicketLane } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { registerAudiencePreparer, registerAudienceProvider, type Recipient } from '../notify/audience.ts';
import { linkSecret, loadNotifyConfig } from '../notify/config.ts';
import { queueMessage, type Composer } from '../notify/outbox.ts';
import { registerTemplate, registeredTemplate, type TemplateParts } from '../notify/templates.ts';
import type { Lang } from '../notify/types.ts';
import { bookingsOn, bookingsToRemind, flagBookings, flagTickets, nearTurnsPending, queuedOf, ticketsOn, updateTicket } from '../repositories/queue.ts';
import { listSites } from '../repositories/sites.ts';
import { offerSlot, offerToken } from './booking.ts';
import { officeNow } from './queue-settings.ts';
import { statusSnapshot } from './service-status.ts';

/**
 * The queue's side of the notifications (issue 9's outbox, templates and audience seam):
 *   - booking and ticket holders are an audience: when an incident takes a service away at a site, whoever
 *     holds a live booking or a waiting ticket for it that day (and left a contact) is told once per
 *     incident with everyone else — the fan-out's idempotency keys do the "once". A booking holder's line
 *     offers the next free slot, taken with one tap through a signed link;
 *   - waiting tickets and bookings hit by an outage or maintenance are flagged from the status model, so
 *     the follower's page, the console and the booking show it;
 *   - "your turn is near" when the people ahead fall to the number the holder chose;
 *   - the reminder the day before a booking.
 */

// ---- templates (the queue/booking family, registered with notify/templates.ts) ----

const dayText = (day: string, timeZone: string, lang: Lang) => formatZonedDate(`${day}T05:00:00Z`, timeZone, lang);

registerTemplate('booking.reminder', (lang, d, timeZone): TemplateParts => {
  const service = (d.service as Bilingual)[lang];
  const when = `${dayText(String(d.day), timeZone, lang)} ${String(d.start)}–${String(d.end)}`;
  return {
    subject: lang === 'id' ? `Pengingat: ${service} besok` : `Reminder: ${service} tomorrow`,
    lead: lang === 'id' ? `Besok ${when}: ${service} di ${String(d.site)}, kode ${String(d.code)}.` : `Tomorrow ${when}: ${service} at ${String(d.site)}, code ${String(d.code)}.`,
    advice: lang === 'id' ? 'Tunjukkan kode atau QR di kios. Tidak bisa datang? Batalkan agar orang lain bisa memakai jadwalnya.' : 'Show the code or QR at the kiosk. Cannot come? Cancel so someone else can use the slot.',
  };
});

registerTemplate('queue.near', (lang, d): TemplateParts => ({
  subject: lang === 'id' ? `Giliran ${String(d.number)} segera tiba` : `${String(d.number)}: your turn is near`,
  lead:
    lang === 'id'
      ? `Nomor ${String(d.number)} (${(d.service as Bilingual).id}): ${Number(d.ahead) === 0 ? 'Anda berikutnya' : `${Number(d.ahead)} orang lagi di depan Anda`}.`
      : `Ticket ${String(d.number)} (${(d.service as Bilingual).en}): ${Number(d.ahead) === 0 ? 'you are next' : `${Number(d.ahead)} people ahead of you`}.`,
  advice: lang === 'id' ? `Segera kembali ke ruang tunggu ${String(d.site)}.` : `Please return to the waiting room at ${String(d.site)}.`,
}));

const template = (kind: string, lang: Lang, data: Record<string, unknown>, timeZone: string) => registeredTemplate(kind)!(lang, data, timeZone);

// ---- the composer (links and zone of messages made here) ----

const composers = new WeakMap<OfficeContext, Promise<Composer>>();
export function queueComposer(ctx: OfficeContext): Promise<Composer> {
  let c = composers.get(ctx);
  if (!c) {
    c = (async () => ({ publicUrl: (await loadNotifyConfig(ctx.db)).publicUrl, linkSecret: await linkSecret(ctx.db), timeZone: ctx.office.timeZone, officeName: ctx.office.name, now: ctx.now }))();
    c.catch(() => composers.delete(ctx));
    composers.set(ctx, c);
  }
  return c;
}

// ---- audiences ----

const asLang = (lang: string | null): Lang => (lang === 'en' ? 'en' : 'id');

/** Contexts need the office's zone and address; the provider gets only a database, so they are remembered here. */
const offices = new Set<OfficeContext>();
export function rememberQueueOffice(ctx: OfficeContext): void {
  offices.add(ctx);
}
export function forgetQueueOffice(ctx: OfficeContext): void {
  offices.delete(ctx);
}
/** The office whose database this is (a transaction of it counts); the latest one remembered otherwise. */
const officeOf = (db: OfficeDbOrTx) => [...offices].find((c) => c.db === db) ?? [...offices].at(-1);

// The booking provider offers another slot with a link (the composer) and reads the status snapshot: both
// loaded before an incident's transaction, which the providers read in (notify/audience.ts).
registerAudiencePreparer('queue-bookings', (ctx) => Promise.all([queueComposer(ctx), statusSnapshot(ctx)]));
registerAudienceProvider('queue-bookings', async (db, scope) => {
  const rows = await bookingsOn(db, scope.siteId, scope.serviceCode, scope.day, ['active']);
  const ctx = officeOf(db);
  const out: Recipient[] = [];
  for (const row of rows) {
    if (!row.contact_channel || !row.contact_address) continue;
    let offer: Bilingual | undefined;
    if (ctx) {
      const slot = await offerSlot(ctx, db, row, row.day).catch(() => undefined);
      if (slot) {
        const url = `${(await queueComposer(ctx)).publicUrl}/warga/pindah/${await offerToken(db, row.code, slot.day, slot.window.start)}`;
        const tz = ctx.office.timeZone;
        offer = {
          id: `Pindah ke ${dayText(slot.day, tz, 'id')} ${slot.window.start}: ${url}`,
          en: `Move to ${dayText(slot.day, tz, 'en')} ${slot.window.start}: ${url}`,
        };
      }
    }
    const code = formatBookingCode(row.code);
    out.push({
      channel: row.contact_channel as Recipient['channel'],
      address: row.contact_address,
      lang: asLang(row.lang),
      context: { id: `Pemesanan ${code} ${row.window_start}–${row.window_end}.${offer ? ` ${offer.id}` : ''}`, en: `Booking ${code} ${row.window_start}–${row.window_end}.${offer ? ` ${offer.en}` : ''}` },
    });
  }
  return out;
});

registerAudienceProvider('queue-tickets', async (db, scope) => {
  const rows = await ticketsOn(db, scope.siteId, scope.serviceCode, scope.day, ['waiting']);
  return rows
    .filter((t) => t.near_channel && t.near_address)
    .map((t) => ({ channel: t.near_channel as Recipient['channel'], address: t.near_address!, lang: asLang(t.near_lang), context: { id: `Nomor antrean ${t.number}.`, en: `Ticket ${t.number}.` } }));
});

// ---- flags from the status model ----

/**
 * Flags today's waiting tickets and live bookings of every service that is not normal (degraded, down or under maintenance) at
 * its site, with the status model's words. Only unflagged rows change, so it is cheap to run on every
 * status change and every tick.
 */
export async function syncQueueFlags(ctx: OfficeContext): Promise<number> {
  const snap = await statusSnapshot(ctx);
  const now = officeNow(ctx);
  let flagged = 0;
  for (const [siteId, services] of snap.derived) {
    for (const s of services) {
      if (s.state === 'normal') continue;
      const json = JSON.stringify({ state: s.state, explanation: s.explanation, whatToDo: s.whatToDo, at: now.iso });
      await ctx.db.transaction().execute(async (tx) => {
        flagged += await flagTickets(tx, siteId, s.service, now.day, s.state, json, now.iso);
        flagged += await flagBookings(tx, siteId, s.service, now.day, s.state, json, now.iso);
      });
    }
  }
  return flagged;
}

// ---- your turn is near ----

/** Tells each waiting ticket holder who asked, once, when the people ahead fall to their chosen number. */
export async function notifyNearTurns(ctx: OfficeContext, siteId: string): Promise<number> {
  const now = officeNow(ctx);
  const asked = (await nearTurnsPending(ctx.db, siteId, now.day)).filter((t) => t.near_channel && t.near_address);
  if (asked.length === 0) return 0;
  const waiting = await queuedOf(ctx.db, siteId, now.day);
  const ahead = peopleAhead(
    waiting.map((t) => ({ id: t.id, service: t.service as ServiceId, lane: t.lane as TicketLane, serial: t.serial, queuedAt: t.queued_at, windowStart: t.window_start })),
    now.clock,
  );
  const composer = await queueComposer(ctx);
  const site = (await listSites(ctx.db)).find((s) => s.id === siteId)?.name ?? siteId;
  let told = 0;
  for (const t of asked) {
    const n = ahead.get(t.id) ?? 0;
    if (n > t.near_position!) continue;
    await ctx.db.transaction().execute(async (tx) => {
      // The mark first: of two processes noticing at once, one changes the row and only that one queues.
      if (!(await updateTicket(tx, t.id, 'waiting', { near_sent_at: now.iso }))) return;
      const data = { number: t.number, service: SERVICE_NAMES[t.service as ServiceId], ahead: n, site };
      if (await queueMessage(tx, composer, { cause: `ticket:${t.id}`, kind: 'queue-near', recipient: { channel: t.near_channel as Recipient['channel'], address: t.near_address!, lang: asLang(t.near_lang) }, parts: (lang) => template('queue.near', lang, data, composer.timeZone) })) told += 1;
    });
  }
  return told;
}

// ---- the reminder the day before ----

export async function bookingReminders(ctx: OfficeContext, db: OfficeDbOrTx = ctx.db): Promise<number> {
  const now = officeNow(ctx);
  const tomorrow = addCalendarDays(now.day, 1);
  const rows = await bookingsToRemind(db, tomorrow);
  if (rows.length === 0) return 0;
  const composer = await queueComposer(ctx);
  const sites = new Map((await listSites(db)).map((s) => [s.id, s.name]));
  let queued = 0;
  await ctx.db.transaction().execute(async (tx) => {
    for (const row of rows) {
      const data = { service: SERVICE_NAMES[row.service as ServiceId], day: row.day, start: row.window_start, end: row.window_end, site: sites.get(row.site_id) ?? row.site_id, code: formatBookingCode(row.code) };
      const recipient: Recipient = { channel: row.contact_channel as Recipient['channel'], address: row.contact_address!, lang: asLang(row.lang) };
      if (await queueMessage(tx, composer, { cause: `booking:${row.id}`, kind: 'booking-reminder', keyParts: [row.day], recipient, parts: (lang) => template('booking.reminder', lang, data, composer.timeZone) })) queued += 1;
    }
  });
  return queued;
}
