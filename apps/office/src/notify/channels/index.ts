import type { Kysely } from 'kysely';
import type { OfficeDb } from '../../db/schema.ts';
import type { NotifyConfig } from '../config.ts';
import type { Channel, ChannelName } from '../types.ts';
import { emailChannel } from './email.ts';
import { formSmsChannel, webhookChannel, whatsAppChannel } from './gateways.ts';
import { sinkChannel } from './sink.ts';

/**
 * One channel per kind, chosen by configuration: a configured provider, else the development sink (a
 * demo office sends nothing out, and the head's Messages page shows what would have gone).
 */
export function buildChannels(db: Kysely<OfficeDb>, config: NotifyConfig, now: () => Date, mailDomain: string): Record<ChannelName, Channel> {
  return {
    email: config.email ? emailChannel({ timeoutMs: config.http.timeoutMs, ...config.email }, mailDomain) : sinkChannel(db, 'email', now),
    sms: config.sms ? formSmsChannel(config.sms, config.http) : sinkChannel(db, 'sms', now),
    whatsapp: config.whatsapp ? whatsAppChannel(config.whatsapp, config.http) : sinkChannel(db, 'whatsapp', now),
    webhook: webhookChannel(now, config.http),
  };
}
