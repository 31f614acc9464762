/** The kinds of channel a message can go out on. */
export const CHANNELS = ['email', 'sms', 'whatsapp', 'webhook'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** People's channels: what a citizen can subscribe with (a webhook is registered by an admin). */
export const PERSON_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type PersonChannel = (typeof PERSON_CHANNELS)[number];

export type Lang = 'id' | 'en';

/** One message as a channel sends it. */
export interface OutgoingMessage {
  /** The message's row in the outbox. */
  outboxId: number;
  /** Names (cause, recipient, kind); sent to providers that de-duplicate by it, so a retry is not a second message. */
  idempotencyKey: string;
  channel: ChannelName;
  /** E-mail address, phone number as 62…, or a webhook URL. */
  to: string;
  subject: string;
  text: string;
  /** The event as data, for webhooks. */
  payload?: unknown;
  /** Webhooks: the subscriber's signing secret. */
  secret?: string;
  /** The recipient's unsubscribe link (also in the text); e-mail sends it as List-Unsubscribe. */
  unsubscribeUrl?: string;
}

export interface SendResult {
  /** The provider's id of the message (SMTP Message-ID, gateway message id, webhook answer id). */
  providerId: string;
}

/**
 * A failure a channel reports. `permanent`: sending again cannot help (a number the gateway refuses, an
 * address the mail server rejects for good); otherwise the dispatcher retries with backoff.
 */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface Channel {
  readonly name: ChannelName;
  /** Whether the provider de-duplicates by the idempotency key, so a message interrupted mid-send may be sent again. */
  readonly idempotent: boolean;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}
