import { randomBytes } from 'node:crypto';
import { isSealedSecret, openSecretText, sealSecret } from '@tangguh/platform';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { insertSettingsIfAbsent, readSetting, writeSetting } from '../repositories/settings.ts';
import type { SmtpSettings } from './channels/email.ts';
import type { FormSmsSettings, WhatsAppSettings } from './channels/gateways.ts';

/**
 * Where notifications go and how hard the worker tries. Kept in the `notify.config` setting (JSON; the
 * passwords and tokens in it sealed with the master key, as every other secret at rest), and each part can
 * come from the environment instead (TANGGUH_SMTP_URL, TANGGUH_SMS_*, TANGGUH_WA_*), which wins. A channel
 * with no provider goes to the development sink.
 */
export interface NotifyConfig {
  /** The office's public address, for links in messages (unsubscribe, confirm): https://kantor.example.go.id */
  publicUrl: string;
  email?: SmtpSettings;
  sms?: FormSmsSettings;
  whatsapp?: WhatsAppSettings;
  /** Office time of the morning run, HH:MM. */
  morningAt: string;
  /** How long a recovery is held in case the same outage comes back (a flap is one outage, not two). */
  recoverySettleMs: number;
  retry: { baseMs: number; capMs: number; maxAttempts: number };
  http: { timeoutMs: number; maxResponseBytes: number };
}

export const DEFAULT_NOTIFY_CONFIG: NotifyConfig = {
  publicUrl: 'http://127.0.0.1:7200',
  morningAt: '05:00',
  recoverySettleMs: 10 * 60_000,
  retry: { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 8 },
  http: { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 },
};

const CONFIG_KEY = 'notify.config';
const LINK_SECRET_KEY = 'notify.link_secret';
const SECRET_FIELDS = ['password', 'passkey', 'token'] as const;

type Stored = Partial<NotifyConfig>;

function sealFields<T extends object | undefined>(part: T, seal: (v: string) => string): T {
  if (!part) return part;
  const copy: Record<string, unknown> = { ...part };
  for (const field of SECRET_FIELDS) if (typeof copy[field] === 'string' && copy[field] !== '') copy[field] = seal(copy[field] as string);
  return copy as T;
}

/** Stores the configuration with its secrets sealed. */
export async function saveNotifyConfig(db: OfficeDbOrTx, config: Partial<NotifyConfig>): Promise<void> {
  const seal = (v: string) => (isSealedSecret(v) ? v : sealSecret(v));
  const stored: Stored = { ...config, email: sealFields(config.email, seal), sms: sealFields(config.sms, seal), whatsapp: sealFields(config.whatsapp, seal) };
  await writeSetting(db, CONFIG_KEY, JSON.stringify(stored));
}

/** The configuration in force: defaults, then the stored setting (secrets opened), then the environment. */
export async function loadNotifyConfig(db: OfficeDbOrTx, env: NodeJS.ProcessEnv = process.env): Promise<NotifyConfig> {
  return applyEnvironment(await storedNotifyConfig(db, env), env);
}

/** Which parts the environment decides (they win over the stored setting). */
export function environmentParts(env: NodeJS.ProcessEnv = process.env): string[] {
  const parts: string[] = [];
  if (env.TANGGUH_PUBLIC_URL) parts.push('publicUrl');
  if (env.TANGGUH_NOTIFY_MORNING_AT) parts.push('morningAt');
  if (env.TANGGUH_SMTP_URL) parts.push('email');
  if (env.TANGGUH_SMS_URL && env.TANGGUH_SMS_USERKEY && env.TANGGUH_SMS_PASSKEY) parts.push('sms');
  if (env.TANGGUH_WA_URL && env.TANGGUH_WA_PHONE_ID && env.TANGGUH_WA_TOKEN) parts.push('whatsapp');
  return parts;
}

/**
 * Defaults and the stored setting, secrets opened, without the environment. With no public address
 * stored, links point at the address this node listens on (TANGGUH_LISTEN_URL, set by the node at start).
 */
export async function storedNotifyConfig(db: OfficeDbOrTx, env: NodeJS.ProcessEnv = process.env): Promise<NotifyConfig> {
  const raw = await readSetting(db, CONFIG_KEY);
  const stored = raw ? (JSON.parse(raw) as Stored) : {};
  const open = (v: string) => (isSealedSecret(v) ? openSecretText(v) : v);
  const config: NotifyConfig = {
    ...DEFAULT_NOTIFY_CONFIG,
    publicUrl: env.TANGGUH_LISTEN_URL ?? DEFAULT_NOTIFY_CONFIG.publicUrl,
    ...stored,
    retry: { ...DEFAULT_NOTIFY_CONFIG.retry, ...stored.retry },
    http: { ...DEFAULT_NOTIFY_CONFIG.http, ...stored.http },
    email: sealFields(stored.email, open),
    sms: sealFields(stored.sms, open),
    whatsapp: sealFields(stored.whatsapp, open),
  };
  return config;
}

function applyEnvironment(config: NotifyConfig, env: NodeJS.ProcessEnv): NotifyConfig {
  const next = { ...config };
  if (env.TANGGUH_PUBLIC_URL) next.publicUrl = env.TANGGUH_PUBLIC_URL.replace(/\/$/, '');
  if (env.TANGGUH_NOTIFY_MORNING_AT) next.morningAt = env.TANGGUH_NOTIFY_MORNING_AT;
  if (env.TANGGUH_NOTIFY_SETTLE_MS) next.recoverySettleMs = Number(env.TANGGUH_NOTIFY_SETTLE_MS);
  if (env.TANGGUH_SMTP_URL) {
    // smtp://user:pass@host:587 or smtps://…:465
    const url = new URL(env.TANGGUH_SMTP_URL);
    next.email = {
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      user: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      from: env.TANGGUH_SMTP_FROM ?? config.email?.from ?? `Tangguh <notifikasi@${url.hostname}>`,
    };
  }
  if (env.TANGGUH_SMS_URL && env.TANGGUH_SMS_USERKEY && env.TANGGUH_SMS_PASSKEY) {
    next.sms = { url: env.TANGGUH_SMS_URL, userkey: env.TANGGUH_SMS_USERKEY, passkey: env.TANGGUH_SMS_PASSKEY };
  }
  if (env.TANGGUH_WA_URL && env.TANGGUH_WA_PHONE_ID && env.TANGGUH_WA_TOKEN) {
    next.whatsapp = { url: env.TANGGUH_WA_URL, phoneNumberId: env.TANGGUH_WA_PHONE_ID, token: env.TANGGUH_WA_TOKEN };
  }
  return next;
}

/**
 * The key that signs unsubscribe links (so none is stored per person and a link cannot be guessed):
 * made once, stored sealed. Of two processes starting at once, the first one's key is kept.
 */
export async function linkSecret(db: OfficeDbOrTx): Promise<Buffer> {
  let stored = await readSetting(db, LINK_SECRET_KEY);
  if (!stored) {
    await insertSettingsIfAbsent(db, [{ key: LINK_SECRET_KEY, value: sealSecret(randomBytes(32).toString('base64url')) }]);
    stored = (await readSetting(db, LINK_SECRET_KEY))!;
  }
  return Buffer.from(openSecretText(stored), 'base64url');
}

/** Which channels have a real provider (the rest go to the sink). */
export function configuredProviders(config: NotifyConfig): Record<'email' | 'sms' | 'whatsapp', boolean> {
  return { email: config.email !== undefined, sms: config.sms !== undefined, whatsapp: config.whatsapp !== undefined };
}
