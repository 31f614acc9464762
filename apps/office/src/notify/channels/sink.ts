import type { OfficeDbOrTx } from '../../db/schema.ts';
import { insertSink } from '../../repositories/notifications.ts';
import type { Channel, ChannelName, OutgoingMessage, SendResult } from '../types.ts';

/**
 * The development sink: a channel with no provider configured stores what it would have sent, and the
 * head's "Pesan" page shows it. A demo or a test office needs no mail server or gateway account.
 */
export function sinkChannel(db: OfficeDbOrTx, name: ChannelName, now: () => Date): Channel {
  return {
    name,
    // Written in its own statement, not with the outbox row's update: treated like any provider that
    // cannot tell a repeat, so an interrupted send is left "unknown" rather than stored twice.
    idempotent: false,
    async send(message: OutgoingMessage): Promise<SendResult> {
      await insertSink(db, { outbox_id: message.outboxId, channel: name, address: message.to, subject: message.subject, body: message.text, at: now().toISOString() });
      return { providerId: `sink-${message.outboxId}` };
    },
  };
}
