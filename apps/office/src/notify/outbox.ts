import { DomainError } from '@tangguh/domain';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { enqueueMessage } from '../repositories/notifications.ts';
import { unsubscribeToken } from './addresses.ts';
import { recipientId, type Recipient } from './audience.ts';
import { render, type TemplateParts } from './templates.ts';

/** What composing a message needs from the office: its links and zone. */
export interface Composer {
  publicUrl: string;
  linkSecret: Buffer;
  timeZone: string;
  officeName: string;
  now: () => Date;
}

export const unsubscribeUrl = (composer: Pick<Composer, 'publicUrl' | 'linkSecret'>, publicId: string) => `${composer.publicUrl}/l/${unsubscribeToken(composer.linkSecret, publicId)}`;

export interface QueueProps {
  /** e.g. incident:<id> — the cause, shown in the delivery log and counted per incident. */
  cause: string;
  /** outage, recovery, morning, maintenance, announcement, suket-expiry, confirm … */
  kind: string;
  /** Makes the key: (cause, recipient, kind) unless a message kind needs more (the morning run adds the day). */
  keyParts?: string[];
  recipient: Recipient;
  parts: (lang: Recipient['lang']) => TemplateParts;
  payload?: unknown;
  /** Not before (a retry schedule starts here). */
  notBefore?: Date;
}

/**
 * Queues one message in the caller's transaction. Its key names cause, kind and recipient: queued twice
 * (a fan-out repeated after a crash, a flap, a second worker), it is stored once. Returns whether it is new.
 */
export async function queueMessage(db: OfficeDbOrTx, composer: Composer, props: QueueProps): Promise<boolean> {
  const { recipient } = props;
  const lang = recipient.lang;
  const parts = props.parts(lang);
  const withContext = recipient.context ? { ...parts, context: recipient.context[lang] } : parts;
  const link = recipient.subscriber && recipient.channel !== 'webhook' ? unsubscribeUrl(composer, recipient.subscriber.public_id) : undefined;
  const rendered = render(withContext, recipient.channel, lang, link);
  if (recipient.channel === 'webhook' && !recipient.subscriber) throw new DomainError('WEBHOOK_WITHOUT_SUBSCRIBER', { id: 'Webhook tanpa pelanggan.', en: 'A webhook without a subscriber.' });
  const key = [props.cause, props.kind, ...(props.keyParts ?? []), recipientId(recipient)].join('|');
  const at = composer.now().toISOString();
  return enqueueMessage(db, {
    idempotency_key: key,
    kind: props.kind,
    channel: recipient.channel,
    address: recipient.address,
    lang,
    subject: rendered.subject,
    body: rendered.text,
    payload: props.payload === undefined ? null : JSON.stringify(props.payload),
    subscriber_id: recipient.subscriber?.id ?? null,
    cause: props.cause,
    status: 'pending',
    next_attempt_at: (props.notBefore ?? composer.now()).toISOString(),
    created_at: at,
  });
}
