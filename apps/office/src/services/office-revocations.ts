import { signOfficeRevocationList, type RevocationList } from '@tangguh/credential';
import type { OfficeContext } from '../context.ts';
import { currentSigningKey } from './document-keys.ts';
import { cachedRevocationList, ownRevocations } from './trust-store.ts';

export interface SignedOfficeRevocations {
  officeId: string;
  /** COSE_Sign1 by the office's current Suket key; verifiers open it against the trust list. */
  signed: string;
  sequence: number;
  issuedAt: string;
}

/** The last list signed, per office and key: signing again is needed only when its content changes. */
let last: { key: string; answer: SignedOfficeRevocations } | undefined;

/**
 * The office's own revocations, signed now, for verifiers to apply beside the centre's list: a Suket
 * revoked or superseded here reads so at once, also while the centre is down. Entries the centre's list
 * (as this office last fetched it) already carries are left out, so the list stays small.
 *
 * Its sequence is the number of serials this office has ever withdrawn: revocations are final, so it
 * never goes back, and a verifier can refuse an older list replayed to it.
 */
export async function signedOfficeRevocations(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>): Promise<SignedOfficeRevocations> {
  const key = await currentSigningKey(ctx, 'SUKET');
  const [own, central] = await Promise.all([ownRevocations(ctx.db), cachedRevocationList(ctx.db)]);
  const listed = new Set(central?.entries.map((e) => e.ser));
  const entries = own.filter((e) => !listed.has(e.ser));
  const sequence = own.length;
  const cacheKey = JSON.stringify([ctx.office.id, key.kid, sequence, entries]);
  if (last?.key === cacheKey) return last.answer;
  const issuedAt = Math.floor(ctx.now().getTime() / 1000);
  const list: RevocationList = { issuer: ctx.office.id, issuedAt, sequence, entries };
  const answer = { officeId: ctx.office.id, signed: signOfficeRevocationList(list, key), sequence, issuedAt: new Date(issuedAt * 1000).toISOString() };
  last = { key: cacheKey, answer };
  return answer;
}
