import type { Kysely } from 'kysely';
import type { CentralDb } from '../db/schema.ts';
import { ensureTrustRoot } from './trust.ts';

/** On every start: the root key exists (made once). */
export async function setUpTrust(db: Kysely<CentralDb>): Promise<void> {
  await ensureTrustRoot(db);
}
