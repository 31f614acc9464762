import { zonedIsoDate, zonedParts } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { hasMark } from '../repositories/notifications.ts';
import { incidentEvents } from '../services/incidents.ts';
import { onServiceStatusChange, statusSnapshot } from '../services/service-status.ts';
import { queueHousekeeping } from '../services/queue-day.ts';
import { buildChannels } from './channels/index.ts';
import { linkSecret, loadNotifyConfig, type NotifyConfig } from './config.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import type { Composer } from './outbox.ts';
import { fanOutPending, morningRun, suketReminders, type TriggerContext } from './triggers.ts';
import type { Channel, ChannelName } from './types.ts';

export interface NotifierOptions {
  /** How often to look for causes and due messages when nothing wakes the notifier sooner. */
  tickMs?: number;
  /** Replaces channels (tests: a channel that fails on purpose); the rest come from the configuration. */
  channels?: Partial<Record<ChannelName, Channel>>;
  config?: Partial<NotifyConfig>;
  random?: () => number;
}

/** Has office time reached HH:MM today? */
export function morningDue(now: Date, timeZone: string, at: string): boolean {
  const [h = 5, m = 0] = at.split(':').map(Number);
  const p = zonedParts(now, timeZone);
  return p.hour * 60 + p.minute >= h * 60 + m;
}

/** Suket reminders go out in daytime, not with the 05:00 run. */
const REMINDERS_AT = '08:00';

/**
 * One pass of the notifier: fan out every cause not yet told, the morning run once its time has come, the
 * Suket reminders, then send what is due. The clock is the context's (`ctx.now`), so a test chooses the time.
 */
export async function notifyTick(t: TriggerContext, dispatcher: Dispatcher, config: Pick<NotifyConfig, 'morningAt'>): Promise<{ queued: number; sent: number }> {
  const now = t.composer.now();
  const zone = t.composer.timeZone;
  const day = zonedIsoDate(now, zone);
  // The queue first: its flags and day closing, and its offices known to the booking audience before fan-out.
  // A failure there must not hold back the messages: it is logged and tried again next pass.
  await queueHousekeeping(t.ctx).catch((error: Error) => console.error(`[kantor ${t.ctx.office.id}] queue: ${error.message}`));
  let queued = await fanOutPending(t);
  if (morningDue(now, zone, config.morningAt)) queued += await morningRun(t, day);
  if (morningDue(now, zone, REMINDERS_AT) && !(await hasMark(t.ctx.db, `reminders:${day}`))) queued += await suketReminders(t, day);
  const { sent } = await dispatcher.runOnce();
  return { queued, sent };
}

export interface Notifier {
  /** Runs one pass now (tests, and a wake-up on an incident). */
  tick(): Promise<{ queued: number; sent: number }>;
  dispatcher: Dispatcher;
  triggers: TriggerContext;
  stop(): Promise<void>;
}

/** Builds the notifier of an office: channels from its configuration, triggers, dispatcher. Not started. */
export async function createNotifier(ctx: OfficeContext, options: NotifierOptions = {}): Promise<Notifier> {
  const secret = await linkSecret(ctx.db);
  const build = (config: NotifyConfig) => {
    const composer: Composer = { publicUrl: config.publicUrl, linkSecret: secret, timeZone: ctx.office.timeZone, officeName: ctx.office.name, now: ctx.now };
    const channels = { ...buildChannels(ctx.db, config, ctx.now, `tangguh.${ctx.office.id}`), ...options.channels };
    const dispatcher = createDispatcher({ db: ctx.db, channels, retry: config.retry, composer, random: options.random });
    const triggers: TriggerContext = { ctx, composer, derived: async () => (await statusSnapshot(ctx)).derived, settleMs: config.recoverySettleMs };
    return { config, dispatcher, triggers, fingerprint: JSON.stringify(config) };
  };
  const load = async () => ({ ...(await loadNotifyConfig(ctx.db)), ...options.config });
  let current = build(await load());
  let running: Promise<{ queued: number; sent: number }> | undefined;
  const pass = async () => {
    // An admin's change of providers (PUT /api/notifikasi/saluran, maybe in another process) applies here.
    const config = await load();
    if (JSON.stringify(config) !== current.fingerprint) {
      await current.dispatcher.close();
      current = build(config);
    }
    return notifyTick(current.triggers, current.dispatcher, current.config);
  };
  const tick = async () => {
    // One pass at a time in this process; a wake-up during a pass waits for it and runs again.
    while (running) await running.catch(() => undefined);
    running = pass();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  return {
    tick,
    get dispatcher() {
      return current.dispatcher;
    },
    get triggers() {
      return current.triggers;
    },
    stop: () => current.dispatcher.close(),
  };
}

/**
 * The notifier in the worker process: a pass every `tickMs`, at once when an incident opens or resolves in
 * this process, and when the status changes (an announcement, maintenance) wherever it was changed. A failing pass (database busy, disk full) is logged and tried again next tick.
 */
export async function startNotifier(ctx: OfficeContext, options: NotifierOptions = {}): Promise<{ stop(): Promise<void> }> {
  const notifier = await createNotifier(ctx, options);
  const tickMs = options.tickMs ?? 5_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    if (stopped) return;
    try {
      await notifier.tick();
    } catch (error) {
      console.error(`[kantor ${ctx.office.id}] notifier: ${(error as Error).message}`);
    }
  };
  const loop = async () => {
    await pass();
    if (!stopped) timer = setTimeout(() => void loop(), tickMs);
  };
  const onIncident = () => void pass();
  incidentEvents(ctx).on('incident', onIncident);
  // An announcement or maintenance set in an API process raises the status version; this process's status
  // snapshot sees it within a second, and the notifier runs then rather than at its next tick.
  const offStatus = onServiceStatusChange(ctx, () => void pass());
  void loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      offStatus();
      incidentEvents(ctx).off('incident', onIncident);
      await notifier.stop();
    },
  };
}
