import type { Bilingual } from '@tangguh/domain';
import type { OfficeDbOrTx } from '../db/schema.ts';
import { residentContact } from '../repositories/notifications.ts';
import type { Recipient } from './audience.ts';
import { queueMessage, type Composer } from './outbox.ts';
import { cardLostTemplate } from './templates.ts';

/**
 * Tells a resident that their printed card was lost in transit and is being printed again — when they left a
 * contact (with their Suket). Queued in the caller's transaction, so the message exists exactly when the loss
 * was recorded; its key (cause, kind, recipient) stores it once. Returns how many messages were queued (0 or 1).
 */
export async function queueCardLostNotice(trx: OfficeDbOrTx, composer: Composer, props: { recordId: string; manifestId: string; site: Bilingual }): Promise<number> {
  const contact = await residentContact(trx, props.recordId);
  if (!contact) return 0;
  const recipient: Recipient = { channel: contact.channel as Recipient['channel'], address: contact.address, lang: contact.lang === 'en' ? 'en' : 'id' };
  const queued = await queueMessage(trx, composer, {
    cause: `card-lost:${props.manifestId}:${props.recordId}`,
    kind: 'card-lost',
    recipient,
    parts: (lang) => cardLostTemplate(lang, { office: composer.officeName, site: props.site }),
    payload: { type: 'card.lost_in_transit', recordId: props.recordId, manifestId: props.manifestId },
  });
  return queued ? 1 : 0;
}
