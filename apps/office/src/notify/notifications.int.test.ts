/**
 * Notifications end to end in one office (SQLite and PostgreSQL), over real HTTP on loopback: citizens
 * subscribe through the public routes and confirm with the code they received; the office's status checks
 * see the centre stopped (the sync worker's record of the link, as a real outage leaves it) and open an
 * incident; the notifier tells every subscriber once — by e-mail to a real SMTP server started here, by SMS
 * and WhatsApp through a gateway on loopback, and by a signed webhook; a flapping link sends nothing more;
 * the centre back, each is told it is over. The morning run at 05:00 (the clock is the test's), a gateway
 * failing with 500 and the retry, the Suket reminder, and the delivery log as the head sees it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { notifyDeliveryLogSchema, notifySinkListSchema } from '@tangguh/protocol';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { freePort, provisionStack } from '../../../cli/src/stack.ts';
import { buildOfficeApp } from '../app.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { recordSyncFailure, recordSyncSuccess } from '../services/sync-monitor.ts';
import { runStatusChecks } from '../services/status-probes.ts';
import { listIncidents } from '../repositories/service-status.ts';
import { saveNotifyConfig } from './config.ts';
import { createNotifier, type Notifier } from './worker.ts';
import { subscribe } from '../services/notifications.ts';
import { startFakeGateway, startMailServer, type FakeGateway, type MailServer } from './test-servers.ts';

const HYSTERESIS = { failAfter: 3, recoverAfter: 2 };
const CREDENTIALS = { userkey: 'uk-jember', passkey: 'pk-rahasia', waToken: 'EAAG-test-token' };
const EMAIL = 'warga.ambulu@example.org';
const SMS = '0812-3456-7001';
const SMS_62 = '6281234567001';
const WA = '+62 813 0000 7002';
const WA_62 = '6281300007002';

async function post(url: string, path: string, body: unknown, cookie?: string) {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function login(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let ctx: OfficeContext;
  let app: FastifyInstance;
  let url = '';
  let mail: MailServer;
  let gateway: FakeGateway;
  let notifier: Notifier;
  // 07:10 WIB on Monday 30 November 2026: the office's clock is the test's.
  let clock = new Date('2026-11-30T00:10:00Z');
  let close = async () => {};

  setupOrFail(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-notify-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    const office = await openOffice(paths.officeDb);
    ctx = office.ctx;
    ctx.now = () => clock;
    mail = await startMailServer();
    gateway = await startFakeGateway(CREDENTIALS);
    app = await buildOfficeApp(ctx, { serveWeb: false });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    url = `http://127.0.0.1:${port}`;
    await saveNotifyConfig(ctx.db, {
      publicUrl: url,
      email: { host: '127.0.0.1', port: mail.port, secure: false, from: 'Disdukcapil Jember <notifikasi@jember.test>' },
      sms: { url: `${gateway.url}/sms`, userkey: CREDENTIALS.userkey, passkey: CREDENTIALS.passkey },
      whatsapp: { url: `${gateway.url}/wa`, phoneNumberId: '1055', token: CREDENTIALS.waToken },
      retry: { baseMs: 60_000, capMs: 600_000, maxAttempts: 3 },
    });
    notifier = await createNotifier(ctx);
    close = async () => {
      await notifier.stop();
      await app.close();
      await mail.close();
      await gateway.close();
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
  const mailsTo = (kind: RegExp) => mail.mails.filter((m) => m.to === EMAIL && kind.test(m.text));
  const gatewayTo = (channel: string, to: string, kind: RegExp) => gateway.delivered.filter((m) => m.channel === channel && m.to === to && kind.test(m.text));
  const OUTAGE = /terganggu sejak/;
  const RECOVERY = /normal kembali/;

  it('confirms a subscription only with the code that was sent, and answers the same for any address', async () => {
    const topics = [{ siteId: 'dinas', serviceCode: 'cetak' }];
    for (const [channel, address] of [
      ['email', EMAIL],
      ['sms', SMS],
      ['whatsapp', WA],
    ] as const) {
      const answer = await post(url, '/api/langganan', { channel, address, topics, lang: 'id' });
      expect(answer.status).toBe(202);
    }
    // A second request for a known address gets the very same answer: nothing tells a stranger who subscribed.
    const again = await post(url, '/api/langganan', { channel: 'email', address: EMAIL, topics, lang: 'id' });
    const stranger = await post(url, '/api/langganan', { channel: 'email', address: 'belum.pernah@example.org', topics, lang: 'id' });
    expect(again.body).toEqual(stranger.body);
    expect((await post(url, '/api/langganan', { channel: 'sms', address: '12345', topics, lang: 'id' })).body).toMatchObject({ error: { code: 'NOTIFY_ADDRESS_INVALID' } });
    expect((await post(url, '/api/langganan', { channel: 'sms', address: SMS, topics: [{ siteId: 'nowhere', serviceCode: 'cetak' }], lang: 'id' })).status).toBe(400);

    await notifier.tick();
    const codeMail = mail.mails.filter((m) => m.to === EMAIL).at(-1)!;
    const codeSms = gateway.delivered.find((m) => m.channel === 'sms' && m.to === SMS_62)!;
    const codeWa = gateway.delivered.find((m) => m.channel === 'whatsapp' && m.to === WA_62)!;
    expect(codeSms.text.length).toBeLessThanOrEqual(160);
    const code = (text: string) => /: (\d{6})/.exec(text)![1]!;
    // A wrong code is refused, in both languages, with the same answer as an unknown address.
    const wrong = await post(url, '/api/langganan/konfirmasi', { channel: 'sms', address: SMS, code: code(codeSms.text) === '000000' ? '111111' : '000000' });
    const unknown = await post(url, '/api/langganan/konfirmasi', { channel: 'sms', address: '0812 9999 0000', code: '123456' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual(unknown.body);
    expect((await post(url, '/api/langganan/konfirmasi', { channel: 'whatsapp', address: WA, code: code(codeWa.text) })).status).toBe(200);
    expect((await post(url, '/api/langganan/konfirmasi', { channel: 'sms', address: SMS, code: code(codeSms.text) })).status).toBe(200);
    // The link in the e-mail carries the same code.
    const token = /konfirmasi=([\w-]+\.\d{6})/.exec(codeMail.text)![1]!;
    expect(await post(url, '/api/langganan/konfirmasi', { token })).toMatchObject({ status: 200, body: { topics: [{ siteId: 'dinas', serviceCode: 'cetak' }] } });

    const admin = await login(url, 'admin', 'admin-jember');
    const hook = await post(url, '/api/notifikasi/webhooks', { url: `${gateway.url}/hook`, topics, lang: 'en' }, admin);
    expect(hook.status).toBe(201);
    gateway.webhookSecret = hook.body.secret as string;
  });

  it('tells each subscriber once, on each channel, when the centre stops; a flapping link sends nothing more', async () => {
    for (let i = 0; i < 3; i += 1) {
      await centreDown();
      await check();
      advance(5_000);
    }
    const [incident] = (await listIncidents(ctx.db, clock.toISOString())).filter((i) => i.resolved_at === null);
    expect(incident?.capability).toBe('central_sync');
    await notifier.tick();
    await notifier.tick();

    expect(mailsTo(OUTAGE)).toHaveLength(1);
    expect(gatewayTo('sms', SMS_62, OUTAGE)).toHaveLength(1);
    expect(gatewayTo('whatsapp', WA_62, OUTAGE)).toHaveLength(1);
    const hooks = gateway.delivered.filter((m) => m.channel === 'webhook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.signatureValid).toBe(true);
    expect(hooks[0]!.body).toMatchObject({ event: { type: 'incident.opened', entries: [{ siteId: 'dinas', service: 'cetak', state: 'terganggu' }] } });
    const sms = gatewayTo('sms', SMS_62, OUTAGE)[0]!.text;
    expect(sms).toMatch(/^Cetak KTP-el di .+ terganggu sejak 07\.10\. /);
    expect(sms).toContain(`${url}/l/`);
    const email = mailsTo(OUTAGE)[0]!;
    expect(email.subject).toMatch(/^Cetak KTP-el di .+ terganggu$/);
    expect(email.text).toMatch(/Perekaman KTP-el.* tetap buka\./);
    expect(email.listUnsubscribe).toContain('/l/');
    // The incident shows how many people were told.
    const [counted] = (await listIncidents(ctx.db, clock.toISOString())).filter((i) => i.id === incident!.id);
    expect(counted!.affected_count).toBe(4);

    // The link comes and goes under the hysteresis: still one incident, and nobody hears of it again.
    for (const up of [true, false, true, false]) {
      await (up ? centreUp() : centreDown());
      await check();
      advance(5_000);
      await notifier.tick();
    }
    expect((await listIncidents(ctx.db, clock.toISOString())).filter((i) => i.resolved_at === null)).toHaveLength(1);
    expect(mailsTo(OUTAGE)).toHaveLength(1);
    expect(gateway.delivered.filter((m) => OUTAGE.test(m.text) || m.channel === 'webhook')).toHaveLength(3);

    // Past the hysteresis: back for two checks (the incident resolves), down again two minutes later (a
    // second incident). Within the settling time that is the same outage: no "back", no second "down".
    for (let i = 0; i < 2; i += 1) {
      await centreUp();
      await check();
      advance(5_000);
    }
    await notifier.tick();
    advance(2 * 60_000);
    for (let i = 0; i < 3; i += 1) {
      await centreDown();
      await check();
      advance(5_000);
    }
    await notifier.tick();
    await notifier.tick();
    expect((await listIncidents(ctx.db, new Date(clock.getTime() - 3_600_000).toISOString())).filter((i) => i.capability === 'central_sync')).toHaveLength(2);
    expect(mailsTo(OUTAGE)).toHaveLength(1);
    expect(mailsTo(RECOVERY)).toHaveLength(0);
    expect(gateway.delivered.filter((m) => OUTAGE.test(m.text) || RECOVERY.test(m.text) || m.channel === 'webhook')).toHaveLength(3);
  });

  it('tells the same people once more when the centre is back, with what to do', async () => {
    for (let i = 0; i < 2; i += 1) {
      await centreUp();
      await check();
      advance(5_000);
    }
    expect((await listIncidents(ctx.db, clock.toISOString())).filter((i) => i.resolved_at === null)).toHaveLength(0);
    await notifier.tick();
    // Held while the link settles (ten minutes by default) …
    expect(mailsTo(RECOVERY)).toHaveLength(0);
    advance(10 * 60_000);
    await notifier.tick();
    await notifier.tick();
    // … then one message each, for the whole flapping outage.
    expect(mailsTo(RECOVERY)).toHaveLength(1);
    expect(mailsTo(RECOVERY)[0]!.text).toMatch(/Silakan datang untuk cetak/);
    expect(gatewayTo('sms', SMS_62, RECOVERY)).toHaveLength(1);
    expect(gatewayTo('whatsapp', WA_62, RECOVERY)).toHaveLength(1);
    expect(gateway.delivered.filter((m) => m.channel === 'webhook' && (m.body as { event: { type: string } }).event.type === 'incident.resolved')).toHaveLength(1);
  });

  it('stops every message to an address whose unsubscribe link was followed; a forged link is refused', async () => {
    const link = /\/l\/([\w-]+\.[\w-]+)/.exec(mailsTo(RECOVERY)[0]!.text)![1]!;
    const forged = `${link.split('.')[0]}.AAAAAAAAAAAA`;
    expect((await post(url, '/api/langganan/berhenti', { token: forged })).body).toMatchObject({ error: { code: 'NOTIFY_LINK_INVALID' } });
    expect((await post(url, '/api/langganan/berhenti', { token: link })).status).toBe(200);
    expect((await post(url, '/api/langganan/berhenti', { token: link })).status).toBe(200);

    // Coming back for another service: only that one is followed, not what was left.
    const count = mail.mails.length;
    expect((await post(url, '/api/langganan', { channel: 'email', address: EMAIL, topics: [{ siteId: 'dinas', serviceCode: 'kk' }], lang: 'id' })).status).toBe(202);
    await notifier.tick();
    const codeMail = mail.mails.slice(count).find((m) => m.to === EMAIL)!;
    const confirmed = await post(url, '/api/langganan/konfirmasi', { channel: 'email', address: EMAIL, code: /: (\d{6})/.exec(codeMail.text)![1]! });
    expect(confirmed.body.topics).toEqual([{ siteId: 'dinas', serviceCode: 'kk' }]);
    // And leaves again, so the rest of this story goes on without the e-mail address.
    const again = /\/l\/([\w-]+\.[\w-]+)/.exec(mailsTo(RECOVERY)[0]!.text)![1]!;
    expect((await post(url, '/api/langganan/berhenti', { token: again })).status).toBe(200);
  });

  it('runs the morning run at 05:00 office time: the day’s affected are told before they set out, once', async () => {
    // A new outage at 07:30 on Monday, told at once (the e-mail address has left).
    advance(20 * 60_000);
    for (let i = 0; i < 3; i += 1) {
      await centreDown();
      await check();
      advance(5_000);
    }
    await notifier.tick();
    const before = { mails: mail.mails.length, delivered: gateway.delivered.length };
    expect(gatewayTo('sms', SMS_62, OUTAGE)).toHaveLength(2);
    expect(mailsTo(OUTAGE)).toHaveLength(1);

    // Tuesday 04:59 WIB: not yet.
    clock = new Date('2026-11-30T21:59:00Z');
    await notifier.tick();
    expect(gateway.delivered.length).toBe(before.delivered);
    // 05:00: one message each (the gateway fails the first request with 500: it is retried, not lost).
    clock = new Date('2026-11-30T22:00:00Z');
    gateway.failNext = 1;
    await notifier.tick();
    expect(gateway.requests).toBeGreaterThan(0);
    advance(2 * 60_000);
    await notifier.tick();
    await notifier.tick();
    const morning = gateway.delivered.slice(before.delivered);
    expect(morning.filter((m) => m.channel === 'sms' && m.to === SMS_62)).toHaveLength(1);
    expect(morning.filter((m) => m.channel === 'whatsapp' && m.to === WA_62)).toHaveLength(1);
    expect(morning.filter((m) => m.channel === 'webhook')).toHaveLength(1);
    expect(mail.mails.length).toBe(before.mails);
    // Later that morning the run does not repeat.
    advance(60 * 60_000);
    await notifier.tick();
    expect(gateway.delivered.length).toBe(before.delivered + 3);

    // The head reads the delivery log: the retried message shows both attempts, addresses masked.
    const head = await login(url, 'kepala', 'kepala-jember');
    const response = await fetch(`${url}/api/notifikasi/pengiriman?limit=200`, { headers: { cookie: head } });
    expect(response.status).toBe(200);
    const log = notifyDeliveryLogSchema.parse(await response.json());
    const retried = log.items.filter((i) => i.log.length === 2);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.log.map((a) => a.status)).toEqual(['retry', 'sent']);
    expect(retried[0]!.log[0]!.error).toMatch(/HTTP 500/);
    expect(log.items.every((i) => !i.to.includes(SMS_62) && !i.to.includes(EMAIL))).toBe(true);
    expect(log.counts.sent).toBe(log.items.filter((i) => i.status === 'sent').length);
    // Nothing went to the sink: every channel has its provider here.
    const sink = await fetch(`${url}/api/notifikasi/sink`, { headers: { cookie: head } });
    expect(notifySinkListSchema.parse(await sink.json()).items).toHaveLength(0);
  });

  it('refuses a subscription posted from another site or as a form, and slows down one address that asks too often', async () => {
    const topics = [{ siteId: 'dinas', serviceCode: 'cetak' }];
    const body = JSON.stringify({ channel: 'sms', address: '0812 5555 0001', topics, lang: 'id' });
    const crossSite = await fetch(`${url}/api/langganan`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe('CROSS_SITE_REQUEST');
    const form = await fetch(`${url}/api/langganan`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'channel=sms&address=08125555' });
    expect(form.status).toBe(415);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await post(url, '/api/langganan', { channel: 'sms', address: '0812 5555 0001', topics, lang: 'id' })).status);
    expect(statuses).toContain(429);
    const limited = await post(url, '/api/langganan', { channel: 'sms', address: '0812 5555 0001', topics, lang: 'id' });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { messages: { id: expect.any(String), en: expect.any(String) } } });
    // However often it was asked, that phone got at most three codes this hour.
    await notifier.tick();
    const accepted = statuses.filter((status) => status === 202).length;
    expect(accepted).toBeGreaterThan(0);
    expect(gateway.delivered.filter((m) => m.to === '6281255550001')).toHaveLength(Math.min(3, accepted));
    // Past the per-address limit (many addresses behind one NAT), the office still sends one phone three codes an hour.
    for (let i = 0; i < 5; i += 1) await subscribe(ctx, { channel: 'sms', address: '0812 5555 0002', topics, lang: 'id' });
    await notifier.tick();
    expect(gateway.delivered.filter((m) => m.to === '6281255550002')).toHaveLength(3);
  });
});
