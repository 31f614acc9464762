import type { Kysely } from 'kysely';
import type { CentralDb } from '../db/schema.ts';
import { ensureCardSigningKey } from './card-key.ts';
import { ensureTrustRoot } from './trust.ts';

/** On every start: the root key exists (made once), and the card-signing key it certifies for CARD. */
export async function setUpTrust(db: Kysely<CentralDb>): Promise<void> {
  await ensureTrustRoot(db);
  await ensureCardSigningKey(db);
}
