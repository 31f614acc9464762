import type { Kysely } from 'kysely';
import type { MatchPolicy } from '@tangguh/domain';
import type { DialectName } from '@tangguh/platform';
import type { CentralDb } from './db/schema.ts';
import type { Matcher } from './matcher/matcher.ts';

/** What the centre's services share: the database, the matcher and the keys. */
export interface CentralContext {
  db: Kysely<CentralDb>;
  dialect: DialectName;
  matcher: Matcher;
  policy: MatchPolicy;
  /** Private key that opens the biometric templates offices seal to the centre. */
  sealingPrivateKey: string;
  sealingPublicKey: string;
  now: () => Date;
}
