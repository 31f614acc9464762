import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PersonChannel } from './types.ts';

/**
 * An Indonesian mobile number as gateways want it: 62 followed by the number without its leading 0
 * ("0812-3456-7890", "+62 812 3456 7890" and "6281234567890" are one number). Mobile numbers start 8 after
 * the country code and have 9 to 13 digits after it. Undefined when it is not such a number.
 */
export function normalizePhone(input: string): string | undefined {
  const digits = input.replace(/[\s().-]/g, '');
  if (!/^\+?\d+$/.test(digits)) return undefined;
  let national = digits.replace(/^\+/, '');
  if (national.startsWith('62')) national = national.slice(2);
  else if (national.startsWith('0')) national = national.slice(1);
  else return undefined;
  if (!/^8\d{8,12}$/.test(national)) return undefined;
  return `62${national}`;
}

/** A plain e-mail address, lower-cased; undefined when it does not look like one. */
export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(email)) return undefined;
  return email;
}

export function normalizeAddress(channel: PersonChannel, input: string): string | undefined {
  return channel === 'email' ? normalizeEmail(input) : normalizePhone(input);
}

/** "62812****7890", "b***@example.org": enough for an officer to tell entries apart in the delivery log. */
export function maskAddress(channel: string, address: string): string {
  if (channel === 'webhook') {
    try {
      return new URL(address).host;
    } catch {
      return '…';
    }
  }
  if (channel === 'email') {
    const [local = '', domain = ''] = address.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${address.slice(0, 5)}****${address.slice(-4)}`;
}

/**
 * Unsubscribe links: the subscriber's short public id and a MAC over it with the office's link secret, so
 * no token is stored per person, a link cannot be forged from the id, and checking one reveals nothing
 * about anyone else. 10 + 1 + 12 characters (72 bits of MAC; guessing is also rate-limited): short, for SMS.
 */
export function unsubscribeToken(secret: Buffer, publicId: string): string {
  return `${publicId}.${createHmac('sha256', secret).update(`unsubscribe:${publicId}`).digest('base64url').slice(0, 12)}`;
}

/** The public id a genuine token names, else undefined. */
export function checkUnsubscribeToken(secret: Buffer, token: string): string | undefined {
  const [publicId, mac] = token.split('.');
  if (!publicId || !mac || !/^[A-Za-z0-9_-]{6,32}$/.test(publicId)) return undefined;
  const expected = Buffer.from(unsubscribeToken(secret, publicId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? publicId : undefined;
}
