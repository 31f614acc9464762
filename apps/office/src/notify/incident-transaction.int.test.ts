/**
 * An incident and the messages about it commit together (SQLite and PostgreSQL). The status checks open an
 * incident when the centre stops answering and resolve it when it is back; the messages to the people it
 * affects are queued in that same transaction — no notifier has to run for them to exist. A failure anywhere
 * in the transaction (the database refusing a message, or the fan-out's mark written after the messages)
 * leaves neither the incident nor its messages, and the next round makes both. A recovery is held for the
 * settling time; when the same outage comes back within it, the opening of the second incident calls the
 * held recovery off in its own transaction, and only the final recovery goes out. A booking holder is told in
 * the same transaction through the queue's audience provider, whose composer is loaded before it (on SQLite a
 * read around the transaction would wait for it forever).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack } from '../../../cli/src/stack.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { addPendingTopics, hasMark, insertSubscriber, listOutbox, listSink, setTopicsStatus } from '../repositories/notifications.ts';
import { listCapabilityTracks, listIncidents } from '../repositories/service-status.ts';
import { recordSyncFailure, recordSyncSuccess } from '../services/sync-monitor.ts';
import { runStatusChecks } from '../services/status-probes.ts';
import { addIncidentUpdate } from '../services/incidents.ts';
import { makeBooking } from '../services/booking.ts';
import { forgetQueueOffice, rememberQueueOffice } from '../services/queue-notify.ts';
import { statusSnapshot, stopServiceStatus } from '../services/service-status.ts';
import { fanOutPending } from './triggers.ts';
import { createNotifier, type Notifier } from './worker.ts';

const HYSTERESIS = { failAfter: 3, recoverAfter: 2 };
const SETTLE_MS = 10 * 60_000;
const EMAIL = 'warga.tx@example.org';
const BOOKER = '6281280001234';

describe.each(DIALECTS)('incident messages in the incident’s transaction on %s', (dialect) => {
  let ctx: OfficeContext;
  let notifier: Notifier;
  let close = async () => {};
  let clock = new Date('2026-12-01T01:00:00Z');

  setupOrFail(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-incident-tx-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    ctx.now = () => clock;
    // No provider configured: whatever is sent goes to the development sink.
    notifier = await createNotifier(ctx);
    const at = clock.toISOString();
    const id = randomUUID();
    await insertSubscriber(ctx.db, { id, public_id: 'incidenttx1', channel: 'email', address: EMAIL, lang: 'id', status: 'active', created_at: at, confirmed_at: at, unsubscribed_at: null, confirm_code_hash: null, confirm_expires_at: null, confirm_attempts: 0, confirm_window: null, confirm_sent: 0, secret_sealed: null, created_by: null });
    await addPendingTopics(ctx.db, id, [{ siteId: 'dinas', serviceCode: 'cetak' }], at);
    await setTopicsStatus(ctx.db, id, ['pending'], 'active');
    // A booking for printing at the Dinas this afternoon, with a phone number: the queue's provider tells its holder.
    rememberQueueOffice(ctx);
    // (Booking reads the status snapshot inside its own transaction: it is built first, as a running office has it.
    // The queue's composer is left cold: the incident's transaction must not need it from outside.)
    await statusSnapshot(ctx);
    await makeBooking(ctx, { siteId: 'dinas', service: 'cetak', day: '2026-12-01', windowStart: '13:00', nik: '3509000000000077', contact: { channel: 'sms', address: '0812 8000 1234' }, lang: 'id' });
    close = async () => {
      forgetQueueOffice(ctx);
      stopServiceStatus(ctx);
      await notifier.stop();
      await office.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const centreDown = () => recordSyncFailure(ctx.db, ctx.now(), 'connect ECONNREFUSED 127.0.0.1:7100', new Date(ctx.now().getTime() + 1000));
  const centreUp = () => recordSyncSuccess(ctx.db, ctx.now(), ctx.now());
  const check = () => runStatusChecks(ctx, { hysteresis: HYSTERESIS });
  const round = async (up: boolean) => {
    await (up ? centreUp() : centreDown());
    const result = await check();
    advance(5_000);
    return result;
  };
  const centralIncidents = async () => (await listIncidents(ctx.db, new Date(clock.getTime() - 86_400_000).toISOString(), 200)).filter((i) => i.capability === 'central_sync');
  const messages = async () => (await listOutbox(ctx.db, { limit: 500 })).filter((m) => m.address === EMAIL);
  const centreTrack = async () => (await listCapabilityTracks(ctx.db)).find((t) => t.capability === 'central_sync');

  /** Makes the database refuse every insert into `table` until the returned function is called. */
  async function refuseInserts(table: string): Promise<() => Promise<void>> {
    const name = `refuse_${table}`;
    if (dialect === 'sqlite') {
      await sql`create trigger ${sql.raw(name)} before insert on ${sql.raw(table)} begin select raise(abort, ${sql.lit(`${table} refused`)}); end`.execute(ctx.db);
      return async () => void (await sql`drop trigger ${sql.raw(name)}`.execute(ctx.db));
    }
    await sql`create function ${sql.raw(name)}() returns trigger language plpgsql as ${sql.raw(`$$ begin raise exception '${table} refused'; end $$`)}`.execute(ctx.db);
    await sql`create trigger ${sql.raw(name)} before insert on ${sql.raw(table)} for each row execute function ${sql.raw(name)}()`.execute(ctx.db);
    return async () => {
      await sql`drop trigger ${sql.raw(name)} on ${sql.raw(table)}`.execute(ctx.db);
      await sql`drop function ${sql.raw(name)}()`.execute(ctx.db);
    };
  }

  it('opens no incident when its messages cannot be stored, and opens it with its messages in the next round', async () => {
    await round(false);
    await round(false);
    const allow = await refuseInserts('notify_outbox');
    await centreDown();
    await expect(check()).rejects.toThrow(/notify_outbox refused/);
    await allow();
    // Nothing of that round stays: no incident, no message, the capability not marked down.
    expect(await centralIncidents()).toEqual([]);
    expect(await messages()).toEqual([]);
    expect((await listOutbox(ctx.db, { limit: 500 })).filter((m) => m.address === BOOKER)).toEqual([]);
    expect((await centreTrack())?.state).not.toBe('down');

    const { events } = await round(false);
    expect(events.map((e) => e.kind)).toEqual(['opened']);
    const [incident] = await centralIncidents();
    expect(incident).toMatchObject({ resolved_at: null, affected_count: 2 });
    // Committed with the incident, before any notifier ran.
    const queued = await messages();
    expect(queued.map((m) => [m.kind, m.cause, m.status])).toEqual([['outage', `incident:${incident!.id}`, 'pending']]);
    const toBooker = (await listOutbox(ctx.db, { limit: 500 })).filter((m) => m.address === BOOKER);
    expect(toBooker.map((m) => [m.kind, m.cause])).toEqual([['outage', `incident:${incident!.id}`]]);
    expect(toBooker[0]!.body).toContain('13:00');
    expect(await hasMark(ctx.db, `incident:${incident!.id}:opened`)).toBe(true);
    // The worker's fan-out finds nothing left to do; the notifier only sends.
    expect(await fanOutPending(notifier.triggers)).toBe(0);
    await notifier.tick();
    expect((await listSink(ctx.db, 50)).filter((m) => m.address === EMAIL)).toHaveLength(1);
  });

  it('does not resolve the incident when the recovery cannot be marked after its messages, and resolves it with them next round', async () => {
    await round(true);
    const allow = await refuseInserts('notify_marks');
    await centreUp();
    await expect(check()).rejects.toThrow(/notify_marks refused/);
    await allow();
    expect((await centralIncidents()).filter((i) => i.resolved_at === null)).toHaveLength(1);
    expect((await messages()).filter((m) => m.kind === 'recovery')).toEqual([]);

    const { events } = await round(true);
    expect(events.map((e) => e.kind)).toEqual(['resolved']);
    const [incident] = await centralIncidents();
    const recovery = (await messages()).filter((m) => m.kind === 'recovery');
    expect(recovery).toHaveLength(1);
    // Held for the settling time: queued now, not sent before.
    expect(recovery[0]).toMatchObject({ status: 'pending', cause: `incident:${incident!.id}` });
    expect(Date.parse(recovery[0]!.next_attempt_at)).toBe(Date.parse(incident!.resolved_at!) + SETTLE_MS);
    await notifier.tick();
    expect((await listSink(ctx.db, 50)).filter((m) => m.address === EMAIL)).toHaveLength(1);
  });

  it('calls a held recovery off in the transaction of the incident that continues the outage, and sends one recovery for both', async () => {
    advance(2 * 60_000);
    for (let i = 0; i < 3; i += 1) await round(false);
    const [second, first] = await centralIncidents();
    expect(second!.resolved_at).toBeNull();
    expect(first!.resolved_at).not.toBeNull();
    const all = await messages();
    // Told of this outage a moment ago: no second "down"; the first's recovery is cancelled.
    expect(all.filter((m) => m.cause === `incident:${second!.id}`)).toEqual([]);
    expect(all.filter((m) => m.kind === 'recovery').map((m) => m.status)).toEqual(['cancelled']);

    for (let i = 0; i < 2; i += 1) await round(true);
    const held = (await messages()).filter((m) => m.kind === 'recovery' && m.status === 'pending');
    expect(held.map((m) => m.cause)).toEqual([`incident:${second!.id}`]);
    await notifier.tick();
    expect((await listSink(ctx.db, 50)).filter((m) => m.address === EMAIL)).toHaveLength(1);
    advance(SETTLE_MS + 1_000);
    await notifier.tick();
    const sent = (await listSink(ctx.db, 50)).filter((m) => m.address === EMAIL);
    expect(sent).toHaveLength(2);
    expect(sent.filter((m) => /normal kembali/.test(m.body))).toHaveLength(1);
  });

  it('queues the recovery with an officer’s resolving update, in its transaction', async () => {
    advance(SETTLE_MS * 2);
    for (let i = 0; i < 3; i += 1) await round(false);
    const [third] = await centralIncidents();
    expect((await messages()).filter((m) => m.cause === `incident:${third!.id}`).map((m) => m.kind)).toEqual(['outage']);
    const allow = await refuseInserts('notify_outbox');
    await expect(addIncidentUpdate(ctx, { incidentId: third!.id, status: 'resolved', message: { id: 'Jaringan pulih, dipantau.', en: 'Network restored, watched.' }, author: 'kepala' })).rejects.toThrow(/notify_outbox refused/);
    await allow();
    expect((await centralIncidents())[0]!.resolved_at).toBeNull();
    await addIncidentUpdate(ctx, { incidentId: third!.id, status: 'resolved', message: { id: 'Jaringan pulih, dipantau.', en: 'Network restored, watched.' }, author: 'kepala' });
    expect((await centralIncidents())[0]!.resolved_at).not.toBeNull();
    expect((await messages()).filter((m) => m.cause === `incident:${third!.id}`).map((m) => [m.kind, m.status]).sort()).toEqual([
      ['outage', 'pending'],
      ['recovery', 'pending'],
    ]);
  });
});
