import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors } from './common.ts';
import { suketSerialSchema } from '../suket.ts';

/**
 * Notifications: citizens opt in per site and service by phone or e-mail (double opt-in, unsubscribe link
 * in every message); the head of office reads what was sent; admins register webhooks; operators record a
 * Suket holder's contact for the expiry reminder.
 */
export const NOTIFY_CHANNELS = ['email', 'sms', 'whatsapp', 'webhook'] as const;
export const notifyChannelSchema = z.enum(NOTIFY_CHANNELS);
export type NotifyChannel = z.infer<typeof notifyChannelSchema>;
export const NOTIFY_PERSON_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export const notifyPersonChannelSchema = z.enum(NOTIFY_PERSON_CHANNELS);
export const NOTIFY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead', 'unknown', 'cancelled'] as const;

const langSchema = z.enum(['id', 'en']).default('id');
/** A site id or '*' (every site); a service code or '*' (every service). */
const topicSchema = z.object({ siteId: z.string().trim().min(1).max(40), serviceCode: z.string().trim().min(1).max(40) });
const addressSchema = z.string().trim().min(3).max(254);

export const notifySubscribeRequestSchema = z.object({
  channel: notifyPersonChannelSchema,
  address: addressSchema,
  topics: z.array(topicSchema).min(1).max(40),
  lang: langSchema,
});
export type NotifySubscribeRequest = z.infer<typeof notifySubscribeRequestSchema>;

export const notifyConfirmRequestSchema = z.union([
  z.object({ token: z.string().trim().min(3).max(80) }),
  z.object({ channel: notifyPersonChannelSchema, address: addressSchema, code: z.string().trim().regex(/^\d{6}$/, '6 digits') }),
]);
export type NotifyConfirmRequest = z.infer<typeof notifyConfirmRequestSchema>;

export const notifyUnsubscribeRequestSchema = z.object({ token: z.string().trim().min(3).max(80) });
export type NotifyUnsubscribeRequest = z.infer<typeof notifyUnsubscribeRequestSchema>;

export const notifyAnswerSchema = z.object({ message: bilingualSchema });
export const notifyConfirmedSchema = z.object({ message: bilingualSchema, topics: z.array(z.object({ siteId: z.string(), serviceCode: z.string() })) });

/** What a citizen may subscribe to: the sites and the services (names in both languages). */
export const notifyOptionsSchema = z.object({
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
  services: z.array(z.object({ code: z.string(), name: bilingualSchema })),
  channels: z.array(notifyPersonChannelSchema),
});
export type NotifyOptions = z.infer<typeof notifyOptionsSchema>;

export const notifyAttemptSchema = z.object({
  attempt: z.number(),
  startedAt: isoTimestamp,
  finishedAt: isoTimestamp.nullable(),
  status: z.string(),
  providerId: z.string().nullable(),
  error: z.string().nullable(),
});

export const notifyDeliverySchema = z
  .object({
    id: z.number(),
    kind: z.string(),
    cause: z.string().nullable(),
    channel: notifyChannelSchema,
    /** Masked: enough to tell entries apart, not to read a citizen's number off the screen. */
    to: z.string(),
    lang: z.enum(['id', 'en']),
    subject: z.string(),
    status: z.enum(NOTIFY_STATUSES),
    attempts: z.number(),
    nextAttemptAt: isoTimestamp.nullable(),
    providerId: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: isoTimestamp,
    finishedAt: isoTimestamp.nullable(),
    log: z.array(notifyAttemptSchema),
  })
  .meta({ id: 'NotifyDelivery' });

export const notifyDeliveryLogSchema = z.object({
  counts: z.record(z.string(), z.number()),
  subscribers: z.array(z.object({ channel: z.string(), status: z.string(), count: z.number() })),
  items: z.array(notifyDeliverySchema),
});
export type NotifyDeliveryLog = z.infer<typeof notifyDeliveryLogSchema>;

const empty = z.literal('').transform(() => undefined);
export const notifyDeliveryQuerySchema = z.object({
  status: z.enum(NOTIFY_STATUSES).optional().or(empty),
  channel: notifyChannelSchema.optional().or(empty),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const notifySinkListSchema = z.object({
  items: z.array(z.object({ id: z.number(), outboxId: z.number(), channel: notifyChannelSchema, to: z.string(), subject: z.string(), body: z.string(), at: isoTimestamp })),
});
export type NotifySinkList = z.infer<typeof notifySinkListSchema>;
export const notifySinkQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const notifyWebhookCreateRequestSchema = z.object({
  url: z
    .url({ protocol: /^https?$/ })
    .max(500),
  topics: z.array(topicSchema).min(1).max(40),
  lang: langSchema,
});
export type NotifyWebhookCreateRequest = z.infer<typeof notifyWebhookCreateRequestSchema>;

export const notifyWebhookViewSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(['active', 'ended']),
    topics: z.array(z.object({ siteId: z.string(), serviceCode: z.string() })),
    createdAt: isoTimestamp,
    createdBy: z.string(),
  })
  .meta({ id: 'NotifyWebhook' });
export type NotifyWebhookView = z.infer<typeof notifyWebhookViewSchema>;
export const notifyWebhookCreatedSchema = z.object({
  webhook: notifyWebhookViewSchema,
  /** The HMAC-SHA256 signing secret, shown this once; every POST carries `x-tangguh-signature: sha256=…` over `timestamp.body`. */
  secret: z.string(),
});
export type NotifyWebhookCreated = z.infer<typeof notifyWebhookCreatedSchema>;
export const notifyWebhookListSchema = z.object({ items: z.array(notifyWebhookViewSchema) });

export const notifySuketContactRequestSchema = z.object({ channel: notifyPersonChannelSchema, address: addressSchema, lang: langSchema });
export type NotifySuketContactRequest = z.infer<typeof notifySuketContactRequestSchema>;
export const notifySuketContactSchema = z.object({ serial: z.string(), channel: notifyPersonChannelSchema, to: z.string() });
export const notifySuketParamsSchema = z.object({ serial: suketSerialSchema });

/** The providers the office sends through; secrets are written, never read back (only whether one is set). */
const httpsUrl = z.url({ protocol: /^https?$/ }).max(500);
export const notifyChannelSettingsSchema = z
  .object({
    publicUrl: z.string(),
    morningAt: z.string(),
    recoverySettleMs: z.number(),
    email: z.object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string().nullable(), from: z.string(), passwordSet: z.boolean() }).nullable(),
    sms: z.object({ url: z.string(), userkey: z.string(), passkeySet: z.boolean() }).nullable(),
    whatsapp: z.object({ url: z.string(), phoneNumberId: z.string(), tokenSet: z.boolean() }).nullable(),
    retry: z.object({ baseMs: z.number(), capMs: z.number(), maxAttempts: z.number() }),
    /** Parts the environment sets (TANGGUH_SMTP_URL, TANGGUH_SMS_*, TANGGUH_WA_*, TANGGUH_PUBLIC_URL …): they win over these settings. */
    fromEnvironment: z.array(z.string()),
  })
  .meta({ id: 'NotifyChannelSettings' });
export type NotifyChannelSettings = z.infer<typeof notifyChannelSettingsSchema>;

/** Each part optional: absent keeps what is stored, null removes the provider (its messages go to the sink). An empty secret keeps the stored one. */
export const notifyChannelSettingsUpdateSchema = z.object({
  publicUrl: httpsUrl.optional(),
  morningAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').optional(),
  /** How long "it is back" waits in case the same outage returns (0 to 6 hours). */
  recoverySettleMs: z.number().int().min(0).max(6 * 3_600_000).optional(),
  email: z
    .object({
      host: z.string().trim().min(1).max(253),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean(),
      user: z.string().max(254).optional(),
      password: z.string().max(500).optional(),
      from: z.string().trim().min(3).max(254),
    })
    .nullable()
    .optional(),
  sms: z.object({ url: httpsUrl, userkey: z.string().min(1).max(200), passkey: z.string().max(500).optional() }).nullable().optional(),
  whatsapp: z.object({ url: httpsUrl, phoneNumberId: z.string().regex(/^[\w-]{1,64}$/), token: z.string().max(2000).optional() }).nullable().optional(),
  retry: z.object({ baseMs: z.number().int().min(1_000).max(3_600_000), capMs: z.number().int().min(1_000).max(86_400_000), maxAttempts: z.number().int().min(1).max(50) }).optional(),
});
export type NotifyChannelSettingsUpdate = z.infer<typeof notifyChannelSettingsUpdateSchema>;

const tags = ['notifications'];
const publicErrors = errors(400, 403, 415, 429);

export const notifyRoutes = {
  options: { tags, summary: 'Sites, services and channels a citizen may subscribe to (public)', response: { 200: notifyOptionsSchema, ...errors(429) } },
  subscribe: {
    tags,
    summary: 'Ask for service news by phone or e-mail; a confirmation code is sent (the answer is the same for every address)',
    body: notifySubscribeRequestSchema,
    response: { 202: notifyAnswerSchema, ...publicErrors },
  },
  confirm: { tags, summary: 'Confirm a subscription with the code (or the link’s token)', body: notifyConfirmRequestSchema, response: { 200: notifyConfirmedSchema, ...publicErrors } },
  unsubscribe: { tags, summary: 'Stop every message to the address the link names', body: notifyUnsubscribeRequestSchema, response: { 200: notifyAnswerSchema, ...publicErrors } },
  deliveries: { tags, summary: 'Messages sent and their every attempt (head of office, admin)', querystring: notifyDeliveryQuerySchema, response: { 200: notifyDeliveryLogSchema, ...sessionErrors } },
  sink: { tags, summary: 'The development sink: messages kept instead of sent (head of office, admin)', querystring: notifySinkQuerySchema, response: { 200: notifySinkListSchema, ...sessionErrors } },
  webhookCreate: { tags, summary: 'Register a webhook (admin); the signing secret is shown once', body: notifyWebhookCreateRequestSchema, response: { 201: notifyWebhookCreatedSchema, ...sessionErrors, ...errors(409) } },
  webhookList: { tags, summary: 'Registered webhooks (admin)', response: { 200: notifyWebhookListSchema, ...sessionErrors } },
  channelSettings: { tags, summary: 'Where messages go: SMTP, the SMS and WhatsApp gateways, the morning run’s time, retries (admin; secrets never shown)', response: { 200: notifyChannelSettingsSchema, ...sessionErrors } },
  channelSettingsUpdate: { tags, summary: 'Change the providers, the morning run’s time or retries (admin); secrets are stored sealed', body: notifyChannelSettingsUpdateSchema, response: { 200: notifyChannelSettingsSchema, ...sessionErrors } },
  suketContact: {
    tags,
    summary: 'The Suket holder’s phone or e-mail for the expiry reminder (operators, with the holder’s consent)',
    params: notifySuketParamsSchema,
    body: notifySuketContactRequestSchema,
    response: { 200: notifySuketContactSchema, ...sessionErrors, ...errors(404) },
  },
};

