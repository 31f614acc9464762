/**
 * A crash between send and record: a notifier process is killed (SIGKILL) after its message reached the
 * provider and before it could write that down. The next notifier finds the message interrupted and never
 * makes a second delivery: to the SMTP server (which cannot tell a repeat) it is not sent again and shows
 * as "unknown"; to a webhook (whose receivers de-duplicate by the idempotency key) it is sent again with the
 * same key, and the receiver takes it once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, setupOrFail } from '../../../../test/pg.ts';
import { provisionStack } from '../../../cli/src/stack.ts';
import { openOffice } from '../runtime.ts';
import type { OfficeContext } from '../context.ts';
import { listSites } from '../repositories/sites.ts';
import { addPendingTopics, insertSubscriber, listOutbox, deliveriesOf, setTopicsStatus } from '../repositories/notifications.ts';
import { announce } from '../services/status-admin.ts';
import { createWebhook } from '../services/notification-admin.ts';
import { saveNotifyConfig } from './config.ts';
import { fanOutPending } from './triggers.ts';
import { createNotifier } from './worker.ts';
import { startFakeGateway, startMailServer, type FakeGateway, type MailServer } from './test-servers.ts';

const CHILD = join(import.meta.dirname, 'test-crash-child.ts');

/** Starts a notifier process; `killed` resolves once it has been killed and has exited. */
function notifierProcess(location: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, location], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    exited,
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe.each(DIALECTS)('a notifier killed between send and record on %s', (dialect) => {
  let ctx: OfficeContext;
  let location = '';
  let mail: MailServer;
  let gateway: FakeGateway;
  let close = async () => {};

  setupOrFail(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tangguh-notify-crash-'));
    const store = await freshLocation(dialect, dir, 'office');
    const paths = await provisionStack(dir, { officeDb: store.location });
    location = paths.officeDb;
    const office = await openOffice(location);
    ctx = office.ctx;
    mail = await startMailServer();
    gateway = await startFakeGateway({ userkey: 'u', passkey: 'p', waToken: 't' });
    await saveNotifyConfig(ctx.db, { publicUrl: 'http://kantor.test', email: { host: '127.0.0.1', port: mail.port, secure: false, from: 'Tangguh <n@kantor.test>' } });
    // An e-mail subscriber following the Dinas, confirmed (set up directly: the opt-in has its own test).
    const at = ctx.now().toISOString();
    const id = randomUUID();
    await insertSubscriber(ctx.db, { id, public_id: 'crashtest01', channel: 'email', address: 'warga@example.org', lang: 'id', status: 'active', created_at: at, confirmed_at: at, unsubscribed_at: null, confirm_code_hash: null, confirm_expires_at: null, confirm_attempts: 0, confirm_window: null, confirm_sent: 0, secret_sealed: null, created_by: null });
    await addPendingTopics(ctx.db, id, [{ siteId: 'dinas', serviceCode: '*' }], at);
    await setTopicsStatus(ctx.db, id, ['pending'], 'active');
    const other = (await listSites(ctx.db)).find((s) => s.id !== 'dinas')!;
    const hook = await createWebhook(ctx, { url: `${gateway.url}/hook`, topics: [{ siteId: other.id, serviceCode: '*' }], lang: 'en' }, 'admin');
    gateway.webhookSecret = hook.secret;
    close = async () => {
      await mail.close();
      await gateway.close();
      await office.handle.close();
      await store.drop();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  const later = () => {
    // The killed process held its message for two minutes; the next notifier looks after that.
    ctx.now = () => new Date(Date.now() + 10 * 60_000);
  };

  it('does not e-mail twice: the interrupted message is left "unknown", its attempt on record', async () => {
    await announce(ctx, { siteId: 'dinas', text: { id: 'Layanan tutup pukul 12.00 hari ini.', en: 'Services close at 12:00 today.' }, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, 'kepala');
    const notifier = await createNotifier(ctx);
    expect(await fanOutPending(notifier.triggers)).toBe(1);
    const child = notifierProcess(location);
    mail.beforeAccept = () => child.kill();
    const { signal } = await child.exited;
    mail.beforeAccept = undefined;
    expect(signal).toBe('SIGKILL');
    expect(child.output()).not.toContain('finished');
    expect(mail.mails).toHaveLength(1);

    later();
    const again = await createNotifier(ctx);
    const result = await again.dispatcher.runOnce();
    expect(result.interrupted).toBe(1);
    await again.dispatcher.runOnce();
    expect(mail.mails).toHaveLength(1);
    const [row] = await listOutbox(ctx.db, { channel: 'email', limit: 10 });
    expect(row!.status).toBe('unknown');
    expect((await deliveriesOf(ctx.db, [row!.id])).map((d) => d.status)).toEqual(['unknown']);
    await again.stop();
    await notifier.stop();
  });

  it('sends a webhook again with the same key, and the receiver takes it once', async () => {
    ctx.now = () => new Date();
    const siteId = (await listSites(ctx.db)).find((s) => s.id !== 'dinas')!.id;
    await announce(ctx, { siteId, text: { id: 'Loket tutup sementara.', en: 'Counter closed for now.' }, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, 'kepala');
    const notifier = await createNotifier(ctx);
    expect(await fanOutPending(notifier.triggers)).toBe(1);
    const child = notifierProcess(location);
    gateway.beforeAnswer = () => child.kill();
    await child.exited;
    gateway.beforeAnswer = undefined;
    expect(gateway.delivered).toHaveLength(1);

    later();
    const again = await createNotifier(ctx);
    expect((await again.dispatcher.runOnce()).interrupted).toBe(1);
    await again.dispatcher.runOnce();
    expect(gateway.requests).toBe(2);
    expect(gateway.delivered).toHaveLength(1);
    const [row] = await listOutbox(ctx.db, { channel: 'webhook', limit: 10 });
    expect(row!.status).toBe('sent');
    expect((await deliveriesOf(ctx.db, [row!.id])).map((d) => d.status)).toEqual(['unknown', 'sent']);
    await again.stop();
    await notifier.stop();
  });
});
