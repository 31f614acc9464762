import type { Kysely, Transaction } from 'kysely';
import type { CentralDb } from './schema.ts';

// A type alias, not an interface: Kysely's withTables needs an indexable shape.
/** The e-signature (TTE) service's own tables, beside the centre's schema (created by migrations/0001_baseline.ts). */
export type TteTables = {
  /** One signing key per head of office, made on first use and certified in the trust list (purpose TTE). */
  tte_signers: {
    office_id: string;
    username: string;
    full_name: string;
    kid: string;
    /** base64url; a real TTE keeps this in an HSM, the reference keeps it in the centre's database. */
    private_key: string;
    public_key: string;
    created_at: string;
    /** Null until the trust list holds the key: a key is never used before it is certified. */
    certified_at: string | null;
  };
  /** Every signature the service made; a retried request for the same document gets the same answer. */
  tte_signatures: {
    office_id: string;
    document_id: string;
    serial: string;
    typ: string;
    kid: string;
    signer_username: string;
    qr_text: string;
    signed_at: string;
  };
  /** Who the head of each office is, as the centre holds it (migrations/0004_tte_heads.ts). */
  tte_heads: { office_id: string; username: string; full_name: string; set_at: string; set_by: string };
  /** Personal keys heads enrolled from their browsers; only an APPROVED one proves a batch. */
  tte_head_keys: {
    id: string;
    office_id: string;
    username: string;
    full_name: string;
    /** Raw Ed25519, base64url. */
    public_key: string;
    fingerprint: string;
    status: 'PENDING' | 'APPROVED' | 'REPLACED' | 'REJECTED';
    requested_at: string;
    decided_at: string | null;
    decided_by: string | null;
  };
  /** Nonces of the heads' proofs already used, kept while the proof could still be accepted. */
  tte_proof_nonces: { office_id: string; nonce: string; expires_at: string };
};

export type TteDb = CentralDb & TteTables;

/** The centre's database (or the caller's transaction: withTables keeps it) seen with the TTE tables. */
export const tteDb = (db: Kysely<CentralDb> | Transaction<CentralDb>): Kysely<TteDb> => (db as Kysely<CentralDb>).withTables<TteTables>();
