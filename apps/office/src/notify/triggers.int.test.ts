/**
 * The notifier's other causes and its seam, on an office with no provider configured (every channel goes
 * to the development sink, which the head reads over HTTP): a Suket holder's contact recorded over HTTP and
 * the reminder two weeks before expiry; the audience-provider seam the queue issue will use (a booking
 * holder who is also a subscriber is told once, with their booking's line); maintenance announced ahead;
 * the head's announcement; a message whose recipient unsubscribed before it was sent.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { notifyChannelSettingsSchema, notifySinkListSchema } from '@tangguh/protocol';
import { DIALECTS, setupOrFail } from '../../../../test/pg.ts';
import { startTestOffice, type TestOfficeApi } from '../api/test-office.ts';
import { addPendingTopics, insertSubscriber, listOutbox, setTopicsStatus, updateSubscriber } from '../repositories/notifications.ts';
import { recordSyncFailure } from '../services/sync-monitor.ts';
import { runStatusChecks } from '../services/status-probes.ts';
import { announce, scheduleMaintenance } from '../services/status-admin.ts';
import { registerAudienceProvider, unregisterAudienceProvider } from './audience.ts';
import { fanOutPending } from './triggers.ts';
import { storedNotifyConfig } from './config.ts';
import { readSetting } from '../repositories/settings.ts';
import { createNotifier, type Notifier } from './worker.ts';

async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe.each(DIALECTS)('notification causes on %s', (dialect) => {
  let office: TestOfficeApi;
  let notifier: Notifier;
  let head = '';
  let clock = new Date();

  setupOrFail(async () => {
    office = await startTestOffice(dialect);
    office.ctx.now = () => clock;
    notifier = await createNotifier(office.ctx);
    head = await login(office.url, 'kepala', 'kepala-jember');
  });
  afterAll(async () => {
    unregisterAudienceProvider('test-bookings');
    await notifier?.stop();
    await office?.close();
  });

  const sink = async () => {
    const response = await fetch(`${office.url}/api/notifikasi/sink?limit=500`, { headers: { cookie: head } });
    expect(response.status).toBe(200);
    return notifySinkListSchema.parse(await response.json()).items;
  };
  const subscriber = async (channel: string, address: string, siteId: string, serviceCode: string) => {
    const at = clock.toISOString();
    const id = randomUUID();
    await insertSubscriber(office.ctx.db, { id, public_id: id.slice(0, 10), channel, address, lang: 'id', status: 'active', created_at: at, confirmed_at: at, unsubscribed_at: null, confirm_code_hash: null, confirm_expires_at: null, confirm_attempts: 0, confirm_window: null, confirm_sent: 0, secret_sealed: null, created_by: null });
    await addPendingTopics(office.ctx.db, id, [{ siteId, serviceCode }], at);
    await setTopicsStatus(office.ctx.db, id, ['pending'], 'active');
    return id;
  };

  it('reminds a Suket holder two weeks before expiry, once, at the contact an operator recorded', async () => {
    const { suketSerial, recordId } = office.residents.elsewhere;
    const put = (cookie: string, body: unknown) =>
      fetch(`${office.url}/api/sukets/${suketSerial}/kontak`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // An operator at Kaliwates cannot see this resident: the Suket does not exist for them.
    const kaliwates = await login(office.url, 'operator.kaliwates', 'operator-jember');
    expect((await put(kaliwates, { channel: 'sms', address: '0812 1111 2222', lang: 'id' })).status).toBe(404);
    const operator = await login(office.url, 'operator', 'operator-jember');
    expect((await put(operator, { channel: 'sms', address: 'bukan nomor', lang: 'id' })).status).toBe(400);
    const saved = await put(operator, { channel: 'sms', address: '0812 1111 2222', lang: 'id' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ serial: suketSerial, channel: 'sms', to: '62812****2222' });

    const suket = await fetch(`${office.url}/api/recordings/${recordId}/sukets`, { headers: { cookie: operator } });
    const expiresAt = new Date(((await suket.json()) as { items: { serial: string; expiresAt: string }[] }).items.find((s) => s.serial === suketSerial)!.expiresAt);
    // Fifteen days before: nothing yet. Thirteen days before, at 09:00 office time: the reminder.
    clock = new Date(expiresAt.getTime() - 15 * 86_400_000);
    await notifier.tick();
    expect((await sink()).filter((m) => m.to === '6281211112222')).toHaveLength(0);
    clock = new Date(expiresAt.getTime() - 13 * 86_400_000);
    clock = new Date(`${clock.toISOString().slice(0, 10)}T02:00:00Z`);
    await notifier.tick();
    await notifier.tick();
    const reminders = (await sink()).filter((m) => m.to === '6281211112222');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.body).toMatch(new RegExp(`^Suket ${suketSerial} berlaku s\\.d\\. .+\\. Perpanjang di .+ sebelum tanggal itu; bawa Suket lama\\.$`));
    expect(reminders[0]!.body.length).toBeLessThanOrEqual(160);
    // The next day the reminder does not come again.
    clock = new Date(clock.getTime() + 86_400_000);
    await notifier.tick();
    expect((await sink()).filter((m) => m.to === '6281211112222')).toHaveLength(1);
  });

  it('tells booking holders through a registered audience provider, and a person who is both only once', async () => {
    clock = new Date();
    await subscriber('email', 'dua.peran@example.org', 'dinas', 'cetak');
    await subscriber('sms', '6281999900001', 'dinas', '*');
    registerAudienceProvider('test-bookings', async (_db, scope) =>
      scope.siteId === 'dinas' && scope.serviceCode === 'cetak'
        ? [
            { channel: 'email', address: 'dua.peran@example.org', lang: 'id', context: { id: 'Booking Anda: A-012, 09.00.', en: 'Your booking: A-012, 09:00.' } },
            { channel: 'sms', address: '6281333344445', lang: 'en', context: { id: 'Booking Anda: A-013, 09.15.', en: 'Your booking: A-013, 09:15.' } },
          ]
        : [],
    );
    for (let i = 0; i < 3; i += 1) {
      await recordSyncFailure(office.ctx.db, clock, 'connect ECONNREFUSED', new Date(clock.getTime() + 1000));
      await runStatusChecks(office.ctx, { hysteresis: { failAfter: 3, recoverAfter: 2 } });
      clock = new Date(clock.getTime() + 5_000);
    }
    await notifier.tick();
    const messages = await sink();
    const both = messages.filter((m) => m.to === 'dua.peran@example.org');
    expect(both).toHaveLength(1);
    expect(both[0]!.body).toContain('Booking Anda: A-012, 09.00.');
    expect(both[0]!.body).toContain('/l/');
    const holder = messages.filter((m) => m.to === '6281333344445');
    expect(holder).toHaveLength(1);
    expect(holder[0]!.body).toMatch(/^KTP-el printing at .+ disrupted since \d\d:\d\d\. .*Your booking: A-013, 09:15\./);
    // A booking holder who never subscribed gets no unsubscribe link: there is nothing to leave.
    expect(holder[0]!.body).not.toContain('/l/');
    // Following every service at the Dinas: one message for the whole incident, naming each service it touches.
    const everything = messages.filter((m) => m.to === '6281999900001');
    expect(everything).toHaveLength(1);
    expect(everything[0]!.body).toMatch(/^Cetak KTP-el, Tanda tangan elektronik \(dokumen\), Kartu Keluarga \(KK\) dan Akta .+ tidak tersedia sejak /);
  });

  it('announces maintenance ahead and the head’s announcement to the subscribers of the site', async () => {
    await subscriber('sms', '6281555566667', 'dinas', 'akta');
    const starts = new Date(clock.getTime() + 2 * 86_400_000);
    await scheduleMaintenance(office.ctx, { service: 'akta', siteId: 'dinas', startsAt: starts.toISOString(), endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(), note: { id: 'Pembaruan server akta.', en: 'Certificate server upgrade.' } }, 'kepala');
    await announce(office.ctx, { siteId: null, text: { id: 'Kantor buka Sabtu ini pukul 08.00–12.00.', en: 'The office opens this Saturday 08:00–12:00.' }, expiresAt: new Date(clock.getTime() + 86_400_000).toISOString() }, 'kepala');
    await notifier.tick();
    await notifier.tick();
    const toHim = (await sink()).filter((m) => m.to === '6281555566667');
    expect(toHim.map((m) => m.body.split(':')[0])).toEqual(expect.arrayContaining(['Pemeliharaan', expect.stringMatching(/^Pengumuman /)]));
    expect(toHim).toHaveLength(2);
    expect(toHim.find((m) => m.body.startsWith('Pemeliharaan'))!.body).toContain('Pembaruan server akta.');
  });

  it('does not send what was queued for someone who unsubscribed before it went out', async () => {
    const id = await subscriber('whatsapp', '6281777788889', '*', '*');
    await announce(office.ctx, { siteId: null, text: { id: 'Layanan malam dibuka.', en: 'Evening service opens.' }, expiresAt: new Date(clock.getTime() + 86_400_000).toISOString() }, 'kepala');
    await fanOutPending(notifier.triggers);
    await updateSubscriber(office.ctx.db, id, { status: 'unsubscribed', unsubscribed_at: clock.toISOString() });
    await notifier.tick();
    expect((await sink()).filter((m) => m.to === '6281777788889')).toHaveLength(0);
    const [row] = (await listOutbox(office.ctx.db, { channel: 'whatsapp', limit: 50 })).filter((r) => r.address === '6281777788889');
    expect(row!.status).toBe('cancelled');
  });

  it('lets an admin set the providers: secrets stored sealed, never shown, kept when not retyped', async () => {
    const admin = await login(office.url, 'admin', 'admin-jember');
    const put = (body: unknown, cookie = admin) => fetch(`${office.url}/api/notifikasi/saluran`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put({ morningAt: '04:30' }, head)).status).toBe(403);
    expect((await put({ morningAt: '25:00' })).status).toBe(400);
    const saved = await put({ morningAt: '04:30', sms: { url: 'https://sms.example.id/api/sendsms', userkey: 'uk-1', passkey: 'rahasia-sekali-123' } });
    expect(saved.status).toBe(200);
    const settings = notifyChannelSettingsSchema.parse(await saved.json());
    expect(settings).toMatchObject({ morningAt: '04:30', sms: { url: 'https://sms.example.id/api/sendsms', userkey: 'uk-1', passkeySet: true }, email: null });
    expect(JSON.stringify(settings)).not.toContain('rahasia-sekali-123');
    const stored = await readSetting(office.ctx.db, 'notify.config');
    expect(stored).not.toContain('rahasia-sekali-123');
    expect(stored).toContain('tgh-sealed:v1:');
    // A new URL without the passkey keeps the stored passkey; null takes the provider away (back to the sink).
    await put({ sms: { url: 'https://sms2.example.id/api/sendsms', userkey: 'uk-1' } });
    expect((await storedNotifyConfig(office.ctx.db)).sms).toEqual({ url: 'https://sms2.example.id/api/sendsms', userkey: 'uk-1', passkey: 'rahasia-sekali-123' });
    const removed = notifyChannelSettingsSchema.parse(await (await put({ sms: null })).json());
    expect(removed.sms).toBeNull();
    const read = await fetch(`${office.url}/api/notifikasi/saluran`, { headers: { cookie: admin } });
    expect(notifyChannelSettingsSchema.parse(await read.json()).morningAt).toBe('04:30');
  });
});
