import type { Kysely } from 'kysely';
import type { RegionDirectory } from '@tangguh/domain';
import type { CaptureDevice } from '@tangguh/capture';
import type { OfficeDb } from './db/schema.ts';

export interface OfficeIdentity {
  /** Kemendagri kabupaten/kota code without the dot, e.g. 3509 for Jember. */
  id: string;
  name: string;
  regencyCode: string;
  /**
   * IANA zone of the office (Asia/Jakarta, Asia/Makassar or Asia/Jayapura): its calendar days, serials,
   * pickup estimates and printed dates. The `time_zone` setting, else the zone of its province.
   */
  timeZone: string;
}

export interface OfficeContext {
  db: Kysely<OfficeDb>;
  office: OfficeIdentity;
  signingPrivateKey: string;
  signingPublicKey: string;
  centralSealingPublicKey: string;
  /** PEM pinned at provisioning that the centre's TLS certificate must chain to (see services/central-tls.ts). */
  centralTlsCa?: string;
  regions: RegionDirectory;
  device: CaptureDevice;
  now: () => Date;
}
