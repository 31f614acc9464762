import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '@tangguh/domain';
import { sealSecret } from '@tangguh/platform';
import type { NotifyChannelSettings, NotifyChannelSettingsUpdate, NotifySuketContactRequest, NotifyWebhookCreateRequest, NotifyWebhookCreated, NotifyWebhookView } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { addPendingTopics, findSubscriberByAddress, insertSubscriber, listWebhooks, setTopicsStatus, suketExists, topicsOf, upsertSuketContact, type SubscriberRow } from '../repositories/notifications.ts';
import { maskAddress, normalizeAddress } from '../notify/addresses.ts';
import { environmentParts, saveNotifyConfig, storedNotifyConfig, type NotifyConfig } from '../notify/config.ts';
import type { PersonChannel } from '../notify/types.ts';
import { checkTopics, invalidAddress } from './notifications.ts';

/**
 * The office's side of notifications: webhooks an admin registers, where messages go (providers, the
 * morning run, retries), and the Suket holder's contact an operator records.
 */

// ---- webhooks ----

const presentWebhook = (row: SubscriberRow, topics: { site_id: string; service_code: string }[]): NotifyWebhookView => ({
  id: row.id,
  url: row.address,
  status: row.status === 'active' ? 'active' : 'ended',
  topics: topics.map((t) => ({ siteId: t.site_id, serviceCode: t.service_code })),
  createdAt: row.created_at,
  createdBy: row.created_by ?? '',
});

/** An admin registers a system to be told by webhook; the signing secret is shown once and stored sealed. */
export async function createWebhook(ctx: OfficeContext, request: NotifyWebhookCreateRequest, admin: string): Promise<NotifyWebhookCreated> {
  await checkTopics(ctx, request.topics);
  const url = new URL(request.url).toString();
  if (await findSubscriberByAddress(ctx.db, 'webhook', url)) {
    throw new DomainError('NOTIFY_WEBHOOK_EXISTS', { id: 'Webhook dengan URL ini sudah terdaftar.', en: 'A webhook with this URL is already registered.' }, 'conflict');
  }
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const at = ctx.now().toISOString();
  const row: SubscriberRow = {
    id: randomUUID(),
    public_id: randomBytes(8).toString('base64url').slice(0, 10),
    channel: 'webhook',
    address: url,
    lang: request.lang,
    status: 'active',
    created_at: at,
    confirmed_at: at,
    unsubscribed_at: null,
    confirm_code_hash: null,
    confirm_expires_at: null,
    confirm_attempts: 0,
    confirm_window: null,
    confirm_sent: 0,
    secret_sealed: sealSecret(secret),
    created_by: admin,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertSubscriber(trx, row);
    await addPendingTopics(trx, row.id, request.topics, at);
    await setTopicsStatus(trx, row.id, ['pending'], 'active');
  });
  return { webhook: presentWebhook(row, request.topics.map((t) => ({ site_id: t.siteId, service_code: t.serviceCode }))), secret };
}

export async function webhooks(ctx: Pick<OfficeContext, 'db'>): Promise<NotifyWebhookView[]> {
  const rows = await listWebhooks(ctx.db);
  return Promise.all(rows.map(async (row) => presentWebhook(row, (await topicsOf(ctx.db, row.id)).filter((t) => t.status === 'active'))));
}

// ---- channel settings (admin) ----

function presentSettings(config: NotifyConfig): NotifyChannelSettings {
  return {
    publicUrl: config.publicUrl,
    morningAt: config.morningAt,
    recoverySettleMs: config.recoverySettleMs,
    email: config.email ? { host: config.email.host, port: config.email.port, secure: config.email.secure, user: config.email.user ?? null, from: config.email.from, passwordSet: Boolean(config.email.password) } : null,
    sms: config.sms ? { url: config.sms.url, userkey: config.sms.userkey, passkeySet: Boolean(config.sms.passkey) } : null,
    whatsapp: config.whatsapp ? { url: config.whatsapp.url, phoneNumberId: config.whatsapp.phoneNumberId, tokenSet: Boolean(config.whatsapp.token) } : null,
    retry: config.retry,
    fromEnvironment: environmentParts(),
  };
}

/** The stored settings as an admin sees them: no password, passkey or token, only whether one is set. */
export async function channelSettings(ctx: Pick<OfficeContext, 'db'>): Promise<NotifyChannelSettings> {
  return presentSettings(await storedNotifyConfig(ctx.db));
}

/**
 * Changes the stored settings. A part left out stays; null removes a provider (its messages go to the
 * sink); an empty or absent secret keeps the stored one, so an admin can change a URL without retyping
 * a token. The worker picks the change up at its next pass.
 */
export async function updateChannelSettings(ctx: Pick<OfficeContext, 'db'>, update: NotifyChannelSettingsUpdate): Promise<NotifyChannelSettings> {
  const current = await storedNotifyConfig(ctx.db);
  const keep = <T>(given: T | undefined, stored: T | undefined) => (given === undefined || given === '' ? stored : given);
  const next: NotifyConfig = {
    ...current,
    publicUrl: update.publicUrl?.replace(/\/$/, '') ?? current.publicUrl,
    morningAt: update.morningAt ?? current.morningAt,
    recoverySettleMs: update.recoverySettleMs ?? current.recoverySettleMs,
    retry: update.retry ?? current.retry,
    email:
      update.email === undefined
        ? current.email
        : update.email === null
          ? undefined
          : { host: update.email.host, port: update.email.port, secure: update.email.secure, user: update.email.user || undefined, password: keep(update.email.password, current.email?.password), from: update.email.from },
    sms: update.sms === undefined ? current.sms : update.sms === null ? undefined : { url: update.sms.url, userkey: update.sms.userkey, passkey: keep(update.sms.passkey, current.sms?.passkey) ?? '' },
    whatsapp:
      update.whatsapp === undefined ? current.whatsapp : update.whatsapp === null ? undefined : { url: update.whatsapp.url, phoneNumberId: update.whatsapp.phoneNumberId, token: keep(update.whatsapp.token, current.whatsapp?.token) ?? '' },
  };
  if (next.retry.capMs < next.retry.baseMs) {
    throw new DomainError('NOTIFY_RETRY_INVALID', { id: 'Batas jeda coba ulang harus ≥ jeda awal.', en: 'The retry cap must be at least the first delay.' }, 'invalid', [
      { field: 'retry.capMs', code: 'NOTIFY_RETRY_INVALID', messages: { id: 'Harus ≥ jeda awal.', en: 'Must be at least the first delay.' } },
    ]);
  }
  await saveNotifyConfig(ctx.db, next);
  return presentSettings(next);
}

// ---- Suket holders ----

/**
 * Records no phone or e-mail, so the holder's contact for the expiry reminder is given (with their consent)
 * when the Suket is issued, on the Suket's panel: one contact per Suket, replaced if given again.
 */
export async function setSuketContact(ctx: OfficeContext, serial: string, request: NotifySuketContactRequest, operator: string): Promise<{ serial: string; channel: PersonChannel; to: string }> {
  const address = normalizeAddress(request.channel, request.address);
  if (!address) throw invalidAddress(request.channel);
  if (!(await suketExists(ctx.db, serial))) throw new DomainError('SUKET_NOT_FOUND', { id: `Suket ${serial} tidak ditemukan.`, en: `Suket ${serial} not found.` }, 'not_found');
  await upsertSuketContact(ctx.db, { serial, channel: request.channel, address, lang: request.lang, recorded_by: operator, recorded_at: ctx.now().toISOString() });
  return { serial, channel: request.channel, to: maskAddress(request.channel, address) };
}
