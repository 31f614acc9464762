import type { Kysely, Transaction } from 'kysely';
import type { CentralDb } from './schema.ts';

/** The root of trust's tables: certified document keys, revoked serials, the Suket log, the published lists (created by migrations/0001_baseline.ts). */
export type TrustTables = {
  /** An office's document-signing key as the centre certified it: this row, in the signed trust list, is the certificate. */
  document_keys: {
    kid: string;
    office_id: string;
    office_name: string;
    /** 'SUKET' | 'TTE' */
    purpose: string;
    /** Ed25519 public key, base64url. */
    public_key: string;
    not_before: string;
    not_after: string;
    certified_at: string;
    /** The person holding the key when it is a person's (a head of office's TTE key). */
    holder: string | null;
    revoked_at: string | null;
    revoke_reason: string | null;
  };
  /** Document serials that must no longer verify; grows from the offices' suket.revoked events. */
  revoked_serials: {
    ser: string;
    office_id: string;
    revoked_at: string;
    reason: string;
    superseded_by: string | null;
    note: string | null;
    recorded_at: string;
  };
  /** The national log of every Suket an office issued (suket.issued), with its later revocation. */
  sukets: {
    serial: string;
    office_id: string;
    record_id: string;
    nik: string;
    issued_at: string;
    expires_at: string;
    kid: string;
    issued_by: string;
    logged_at: string;
    revoked_at: string | null;
    revoke_reason: string | null;
  };
  /**
   * One row per published list ('TRUST_LIST', 'REVOCATION_LIST'). `version` moves with every change to the
   * content, in the changing transaction; the signed copy is rebuilt (and `sequence` moves) only when
   * `built_version` is behind it, so a verifier's poll costs one small read.
   */
  trust_publications: {
    name: string;
    version: number;
    built_version: number;
    sequence: number;
    issued_at: string | null;
    signed: string | null;
  };
};

export type TrustDb = CentralDb & TrustTables;

/** The centre's database seen with the trust tables. */
export function trustDb(db: Kysely<CentralDb>): Kysely<TrustDb>;
export function trustDb(db: Transaction<CentralDb>): Transaction<TrustDb>;
export function trustDb(db: Kysely<CentralDb> | Transaction<CentralDb>): Kysely<TrustDb> | Transaction<TrustDb> {
  return db.withTables<TrustTables>();
}
