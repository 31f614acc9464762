import type { Kysely } from 'kysely';
import type { MatchPolicy } from '@tangguh/domain';
import type { DataKey, DialectName } from '@tangguh/platform';
import type { CentralDb } from './db/schema.ts';
import type { GalleryMirror } from './matcher/gallery-mirror.ts';

/** What the centre's services share: the database, the keys and, in a process that deduplicates, the matcher. */
export interface CentralContext {
  db: Kysely<CentralDb>;
  dialect: DialectName;
  /**
   * Made by the first deduplication run in this process (services/dedup.ts loadMatcher) and kept up to date
   * from the gallery table; absent in an API-only process, which reads the gallery from the database.
   */
  matcher?: GalleryMirror;
  /**
   * How widely the index looks (see SearchOptions.probeRadius): 1 (the default) also finds poor captures in
   * the adjudication band, at several times the cost; 0 is the fast search, exact at the duplicate threshold.
   */
  matcherProbeRadius?: 0 | 1;
  /** With radius 1, how many key bits a search flips per table (SearchOptions.probeFlips); all when unset, 2 from the command line by default. */
  matcherProbeFlips?: number;
  policy: MatchPolicy;
  /** Private key that opens the biometric templates offices seal to the centre. */
  sealingPrivateKey: string;
  sealingPublicKey: string;
  /** Seals the gallery's templates at rest; opened once at start (services/secrets-at-rest.ts), never per record. */
  galleryKey: DataKey;
  now: () => Date;
}
