/**
 * Notifications during a real central outage, with real processes: the office process (API and worker,
 * checking the centre every 300 ms, 3 failed checks to call it down, 2 good ones to call it back) sends
 * through a real SMTP server and an SMS/WhatsApp gateway on loopback, both started here. Residents subscribe
 * over HTTP and confirm with the codes they received; the centre is stopped: each is told once that printing
 * is disrupted, and nothing more while it stays down; the centre is started: each is told it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOffice } from '../apps/office/src/runtime.ts';
import { saveNotifyConfig } from '../apps/office/src/notify/config.ts';
import { startFakeGateway, startMailServer, type FakeGateway, type MailServer } from '../apps/office/src/notify/test-servers.ts';
import { TestStack, sleep, waitFor } from './helpers.ts';

const INTERVAL_MS = 300;
const CREDENTIALS = { userkey: 'uk-outage', passkey: 'pk-outage', waToken: 'wa-outage' };
let stack: TestStack;
let mail: MailServer;
let gateway: FakeGateway;

beforeAll(async () => {
  stack = await TestStack.create({
    officeArgs: ['--backoff-cap-ms', '500', '--idle-ms', '200', '--status-interval-ms', String(INTERVAL_MS), '--status-fail-after', '3', '--status-recover-after', '2'],
  });
  mail = await startMailServer();
  gateway = await startFakeGateway(CREDENTIALS);
  // The providers are the office's settings, written before it starts (as an admin would over the API).
  const office = await openOffice(stack.paths.officeDb);
  await saveNotifyConfig(office.ctx.db, {
    email: { host: '127.0.0.1', port: mail.port, secure: false, from: 'Disdukcapil Jember <notifikasi@jember.test>' },
    sms: { url: `${gateway.url}/sms`, userkey: CREDENTIALS.userkey, passkey: CREDENTIALS.passkey },
    whatsapp: { url: `${gateway.url}/wa`, phoneNumberId: '77', token: CREDENTIALS.waToken },
    // "Back" is held this long in case the link fails again (10 minutes in an office; short here).
    recoverySettleMs: 2_000,
  });
  await office.handle.close();
  await stack.startCentral();
  await stack.startOffice();
});

afterAll(async () => {
  await stack?.dispose();
  await mail?.close();
  await gateway?.close();
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${stack.officeUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.status;
};
const code = (text: string) => /: (\d{6})/.exec(text)![1]!;
const OUTAGE = /^Cetak KTP-el di .+ terganggu sejak \d\d\.\d\d\./;
const RECOVERY = /^Cetak KTP-el di .+ normal kembali sejak \d\d\.\d\d\./;

describe('residents told of a central outage', () => {
  it('one message per subscriber per channel when the centre stops, nothing more while it is down, and one when it is back', async () => {
    const topics = [{ siteId: 'dinas', serviceCode: 'cetak' }];
    expect(await post('/api/langganan', { channel: 'email', address: 'warga@example.org', topics, lang: 'id' })).toBe(202);
    expect(await post('/api/langganan', { channel: 'sms', address: '0812 7000 0001', topics, lang: 'id' })).toBe(202);
    expect(await post('/api/langganan', { channel: 'whatsapp', address: '0813 7000 0002', topics, lang: 'id' })).toBe(202);
    const mailCode = await waitFor(() => mail.mails.find((m) => m.to === 'warga@example.org'));
    const smsCode = await waitFor(() => gateway.delivered.find((m) => m.channel === 'sms' && m.to === '6281270000001'));
    const waCode = await waitFor(() => gateway.delivered.find((m) => m.channel === 'whatsapp' && m.to === '6281370000002'));
    expect(await post('/api/langganan/konfirmasi', { channel: 'email', address: 'warga@example.org', code: code(mailCode.text) })).toBe(200);
    expect(await post('/api/langganan/konfirmasi', { channel: 'sms', address: '0812 7000 0001', code: code(smsCode.text) })).toBe(200);
    expect(await post('/api/langganan/konfirmasi', { channel: 'whatsapp', address: '0813 7000 0002', code: code(waCode.text) })).toBe(200);

    const outages = () => ({
      email: mail.mails.filter((m) => OUTAGE.test(m.text)),
      sms: gateway.delivered.filter((m) => m.channel === 'sms' && OUTAGE.test(m.text)),
      whatsapp: gateway.delivered.filter((m) => m.channel === 'whatsapp' && OUTAGE.test(m.text)),
    });
    await stack.stopCentral('SIGTERM');
    await waitFor(() => Object.values(outages()).every((list) => list.length > 0), { timeoutMs: 60_000, message: 'outage messages' });
    // The centre stays down for many more checks: nobody is told again.
    await sleep(20 * INTERVAL_MS + 6_000);
    expect(outages().email.map((m) => m.to)).toEqual(['warga@example.org']);
    expect(outages().sms.map((m) => m.to)).toEqual(['6281270000001']);
    expect(outages().whatsapp.map((m) => m.to)).toEqual(['6281370000002']);
    expect(outages().sms[0]!.text).toContain(`${stack.officeUrl}/l/`);

    await stack.startCentral();
    const recoveries = () => [...mail.mails.filter((m) => RECOVERY.test(m.text)), ...gateway.delivered.filter((m) => RECOVERY.test(m.text))];
    await waitFor(() => recoveries().length >= 3, { timeoutMs: 90_000, message: 'recovery messages' });
    await sleep(6_000);
    expect(recoveries().map((m) => m.to).sort()).toEqual(['6281270000001', '6281370000002', 'warga@example.org']);
    expect(outages().email).toHaveLength(1);
  });
});
