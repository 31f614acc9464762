import type { Kysely } from 'kysely';
import type { CentralDb } from '../db/schema.ts';
import { registerSuketEventHandlers } from './suket-log.ts';
import { ensureTrustRoot } from './trust.ts';

/** On every start: the root key exists (made once), and the Suket events are projected into the trust tables. */
export async function setUpTrust(db: Kysely<CentralDb>): Promise<void> {
  await ensureTrustRoot(db);
  registerSuketEventHandlers();
}
