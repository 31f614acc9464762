import { DomainError, PRIORITY_REASONS, PRIORITY_REASON_NAMES, SERVICE_LETTERS, SERVICE_NAMES, bookingWindows, waitRange } from '@tangguh/domain';
import type { QueueBoard, QueueFollow, QueueNearTurnRequest, QueueOptions } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { normalizeAddress } from '../notify/addresses.ts';
import { findTicket, openCounters, recentCalls, recentServiceSeconds, updateTicket, waitingCounts } from '../repositories/queue.ts';
import { listSites } from '../repositories/sites.ts';
import { callEvent, followView, ticketWithKey } from './queue.ts';
import { notifyNearTurns } from './queue-notify.ts';
import { instantOf, loadQueueSettings, officeNow } from './queue-settings.ts';
import { voiceAvailable, VOICE_UNAVAILABLE } from './queue-voice.ts';
import { statusSnapshot } from './service-status.ts';

/** What the public screens read: the options of /warga and the kiosk, the TV board, a follower's near-turn request. */

const siteNotFound = () => new DomainError('QUEUE_SITE_NOT_FOUND', { id: 'Lokasi layanan tidak dikenal.', en: 'Unknown service site.' }, 'not_found');

export async function queueOptions(ctx: OfficeContext): Promise<QueueOptions> {
  const settings = await loadQueueSettings(ctx.db);
  const snap = await statusSnapshot(ctx);
  const sites = await listSites(ctx.db);
  return {
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      services: (snap.derived.get(s.id) ?? []).map((d) => ({ service: d.service, letter: SERVICE_LETTERS[d.service], name: SERVICE_NAMES[d.service], state: d.state, whatToDo: d.whatToDo })),
    })),
    windows: bookingWindows(settings),
    opensAt: settings.opensAt,
    closesAt: settings.closesAt,
    bookingDaysAhead: settings.bookingDaysAhead,
    priorityReasons: PRIORITY_REASONS.map((reason) => ({ reason, name: PRIORITY_REASON_NAMES[reason] })),
    today: officeNow(ctx).day,
  };
}

/** The TV board of a site: the latest call of each open counter, the day's last calls, what waits, states, the announcement. */
export async function queueBoard(ctx: OfficeContext, siteId: string): Promise<QueueBoard> {
  const now = officeNow(ctx);
  const snap = await statusSnapshot(ctx);
  const derived = snap.derived.get(siteId);
  if (!derived) throw siteNotFound();
  const site = (await listSites(ctx.db)).find((s) => s.id === siteId)!;
  const settings = await loadQueueSettings(ctx.db);
  const counters = await openCounters(ctx.db, siteId);
  const calls = await recentCalls(ctx.db, siteId, instantOf(now.day, '00:00', ctx.office.timeZone).toISOString(), 200);
  const events = new Map<string, Awaited<ReturnType<typeof callEvent>>>();
  for (const c of calls) events.set(c.id, await callEvent(c));
  const counts = await waitingCounts(ctx.db, siteId, now.day);
  const announcement = snap.status.announcements.find((a) => a.siteId === siteId) ?? snap.status.announcements.find((a) => a.siteId === null);
  const voice = await voiceAvailable();
  const waiting = [];
  for (const d of derived) {
    const n = counts.filter((c) => c.service === d.service).reduce((sum, c) => sum + c.n, 0);
    const serving = counters.filter((c) => (JSON.parse(c.services) as string[]).includes(d.service)).length;
    const wait = waitRange({ ahead: n, counters: serving, recentServiceSeconds: await recentServiceSeconds(ctx.db, siteId, d.service), defaultMinutes: settings.defaultServiceMinutes }) ?? null;
    waiting.push({ service: d.service, name: SERVICE_NAMES[d.service], letter: SERVICE_LETTERS[d.service], waiting: n, state: d.state, explanation: d.explanation, whatToDo: d.whatToDo, wait });
  }
  return {
    siteId,
    siteName: site.name,
    at: now.iso,
    counters: counters.map((c) => {
      const last = calls.find((call) => call.counter_id === c.id && call.ticket_id === c.current_ticket_id);
      return { number: c.number, services: JSON.parse(c.services) as QueueBoard['counters'][number]['services'], current: last ? events.get(last.id)! : null };
    }),
    recentCalls: calls.slice(0, 10).map((c) => events.get(c.id)!),
    waiting,
    announcement: announcement?.text ?? null,
    voice: { available: voice, note: voice ? null : VOICE_UNAVAILABLE },
  };
}

/** A follower asks to be told when the people ahead fall to `position`; told at once if they already have. */
export async function askNearTurn(ctx: OfficeContext, id: string, request: QueueNearTurnRequest): Promise<QueueFollow> {
  const row = await ticketWithKey(ctx, id, request.k);
  if (row.status !== 'waiting') throw new DomainError('QUEUE_TICKET_NOT_WAITING', { id: 'Nomor ini tidak lagi menunggu.', en: 'This ticket is no longer waiting.' }, 'conflict');
  const address = normalizeAddress(request.contact.channel, request.contact.address);
  if (!address) throw new DomainError('QUEUE_CONTACT_INVALID', { id: 'Nomor telepon atau e-mail tidak valid.', en: 'The phone number or e-mail is not valid.' });
  const changed = await updateTicket(ctx.db, row.id, 'waiting', { near_position: request.position, near_channel: request.contact.channel, near_address: address, near_lang: request.lang, near_sent_at: null });
  if (!changed) throw new DomainError('QUEUE_TICKET_NOT_WAITING', { id: 'Nomor ini tidak lagi menunggu.', en: 'This ticket is no longer waiting.' }, 'conflict');
  await notifyNearTurns(ctx, row.site_id);
  return followView(ctx, (await findTicket(ctx.db, row.id))!);
}
