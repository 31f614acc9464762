import { createHmac } from 'node:crypto';
import { postBounded, statusFailure, type HttpLimits, DEFAULT_HTTP_LIMITS } from '../http.ts';
import { ChannelError, type Channel, type OutgoingMessage, type SendResult } from '../types.ts';

/**
 * Zenziva-style SMS gateway (the shape most Indonesian SMS gateways share): a form POST with the account's
 * userkey and passkey, the number and the text; the answer is JSON `{ messageId, to, status, text }` where
 * status "1" means accepted. Numbers go as 62… (no plus).
 */
export interface FormSmsSettings {
  url: string;
  userkey: string;
  passkey: string;
  /** The gateway honours the Idempotency-Key header (so an interrupted send may be repeated). */
  dedupByKey?: boolean;
}

export function formSmsChannel(settings: FormSmsSettings, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Channel {
  return {
    name: 'sms',
    idempotent: settings.dedupByKey ?? false,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const form = new URLSearchParams({ userkey: settings.userkey, passkey: settings.passkey, to: message.to, message: message.text });
      const answer = await postBounded(settings.url, { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': message.idempotencyKey }, form.toString(), limits);
      if (answer.status !== 200) throw statusFailure(answer.status, answer.text);
      const parsed = parseJson(answer.text) as { messageId?: unknown; status?: unknown; text?: unknown } | undefined;
      if (!parsed || String(parsed.status) !== '1') {
        // The gateway answered and refused this message (a bad number, no credit): not a network hiccup.
        throw new ChannelError(`gateway refused: ${String(parsed?.text ?? answer.text).slice(0, 200)}`, true);
      }
      return { providerId: String(parsed.messageId ?? '') };
    },
  };
}

/**
 * WhatsApp Business Cloud API–style gateway: JSON POST to `{url}/{phoneNumberId}/messages` with a bearer
 * token, `{ messaging_product: 'whatsapp', to, type: 'text', text: { body } }`; the answer carries
 * `messages[0].id`. (Outside a 24-hour conversation window the real API accepts approved templates only;
 * a BSP in front of it, as Indonesian offices use, takes the text as here.)
 */
export interface WhatsAppSettings {
  url: string;
  phoneNumberId: string;
  token: string;
  dedupByKey?: boolean;
}

export function whatsAppChannel(settings: WhatsAppSettings, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Channel {
  const endpoint = `${settings.url.replace(/\/$/, '')}/${encodeURIComponent(settings.phoneNumberId)}/messages`;
  return {
    name: 'whatsapp',
    idempotent: settings.dedupByKey ?? false,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to, type: 'text', text: { preview_url: false, body: message.text } });
      const answer = await postBounded(endpoint, { 'content-type': 'application/json', authorization: `Bearer ${settings.token}`, 'idempotency-key': message.idempotencyKey }, body, limits);
      if (answer.status < 200 || answer.status >= 300) throw statusFailure(answer.status, answer.text);
      const parsed = parseJson(answer.text) as { messages?: { id?: unknown }[] } | undefined;
      const id = parsed?.messages?.[0]?.id;
      if (typeof id !== 'string') throw new ChannelError(`answer without a message id: ${answer.text.slice(0, 200)}`, false);
      return { providerId: id };
    },
  };
}

export const WEBHOOK_SIGNATURE_HEADER = 'x-tangguh-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-tangguh-timestamp';
export const WEBHOOK_KEY_HEADER = 'x-tangguh-idempotency-key';

/** `sha256=` + hex HMAC-SHA256 over `timestamp.body`: the receiver recomputes it and refuses a stale timestamp. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Webhooks: the event as JSON, POSTed to the subscriber's URL, signed with their secret. Receivers are asked
 * to de-duplicate by the idempotency-key header, so an interrupted send is repeated with the same key.
 */
export function webhookChannel(now: () => Date, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Channel {
  return {
    name: 'webhook',
    idempotent: true,
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (!message.secret) throw new ChannelError('webhook without a signing secret', true);
      const body = JSON.stringify({ key: message.idempotencyKey, subject: message.subject, text: message.text, event: message.payload ?? null });
      const timestamp = String(Math.floor(now().getTime() / 1000));
      const answer = await postBounded(
        message.to,
        {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(message.secret, timestamp, body),
          [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
          [WEBHOOK_KEY_HEADER]: message.idempotencyKey,
        },
        body,
        limits,
      );
      if (answer.status < 200 || answer.status >= 300) throw statusFailure(answer.status, answer.text);
      return { providerId: `${answer.status}:${message.idempotencyKey.slice(-12)}` };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
