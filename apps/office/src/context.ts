import type { Kysely } from 'kysely';
import type { RegionDirectory } from '@tangguh/domain';
import type { CaptureDevice } from '@tangguh/capture';
import type { OfficeDb } from './db/schema.ts';

export interface OfficeIdentity {
  /** Kemendagri kabupaten/kota code without the dot, e.g. 3509 for Jember. */
  id: string;
  name: string;
  regencyCode: string;
}

export interface OfficeContext {
  db: Kysely<OfficeDb>;
  office: OfficeIdentity;
  signingPrivateKey: string;
  signingPublicKey: string;
  centralSealingPublicKey: string;
  regions: RegionDirectory;
  device: CaptureDevice;
  now: () => Date;
}
