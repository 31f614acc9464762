import type { Kysely, Transaction } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from './schema.ts';

export const SUKET_STATUSES = ['ACTIVE', 'REVOKED'] as const;
export type SuketStatus = (typeof SUKET_STATUSES)[number];

/** PENDING: made, not yet certified · CERTIFIED: the centre answered, not yet in our signed trust list · CURRENT: signs · RETIRED: kept for the record. */
export const DOCUMENT_KEY_STATES = ['PENDING', 'CERTIFIED', 'CURRENT', 'RETIRED'] as const;
export type DocumentKeyState = (typeof DOCUMENT_KEY_STATES)[number];

export type TrustListName = 'TRUST_LIST' | 'REVOCATION_LIST';

/** The office's Suket and trust tables, beside the office's schema (created by migrations/0001_baseline.ts). */
export type SuketTables = {
  sukets: {
    serial: string;
    record_id: string;
    issued_at: string;
    expires_at: string;
    issued_by: string;
    /** The document key that signed it. */
    kid: string;
    /** The credential text carried by the QR ('TGH1:…'). */
    qr_text: string;
    status: SuketStatus;
    revoked_at: string | null;
    revoke_reason: string | null;
    revoked_by: string | null;
    superseded_by: string | null;
  };
  /** The office's document-signing keys (their private halves never leave the office). */
  document_signing_keys: {
    kid: string;
    purpose: string;
    /** Ed25519 seed, base64url. */
    private_key: string;
    public_key: string;
    state: DocumentKeyState;
    /** The certificate's validity, from the centre's answer. */
    not_before: string | null;
    not_after: string | null;
    created_at: string;
    certified_at: string | null;
  };
  /** The centre's signed lists as last fetched, exactly as the centre serves them, verified against the pinned root. */
  trust_cache: {
    name: TrustListName;
    signed: string;
    sequence: number;
    issued_at: string;
    fetched_at: string;
  };
};

export type SuketDb = OfficeDb & SuketTables;
export type SuketDbOrTx = Kysely<SuketDb> | Transaction<SuketDb>;

/** The office's database seen with the Suket and trust tables. */
export function suketDb(db: Kysely<OfficeDb>): Kysely<SuketDb>;
export function suketDb(db: Transaction<OfficeDb>): Transaction<SuketDb>;
export function suketDb(db: Kysely<OfficeDb> | Transaction<OfficeDb>): Kysely<SuketDb> | Transaction<SuketDb> {
  return db.withTables<SuketTables>();
}

/** The same, for code that takes either the database or a transaction. */
export function withSuketTables(db: OfficeDbOrTx): Kysely<SuketDb> {
  return (db as Kysely<OfficeDb>).withTables<SuketTables>();
}
