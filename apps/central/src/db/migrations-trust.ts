import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '@tangguh/platform';
import type { CentralDb } from './schema.ts';

/** The root of trust's tables: certified document keys, revoked serials, the Suket log, the published lists. */
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

/** Dialect-neutral (schema builder only): runs on SQLite and PostgreSQL, again and again. */
export async function migrateTrust(db: Kysely<CentralDb>, _dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('document_keys')
    .ifNotExists()
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('office_name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('certified_at', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await s.createIndex('document_keys_office').ifNotExists().on('document_keys').columns(['office_id', 'purpose']).execute();
  await s
    .createTable('revoked_serials')
    .ifNotExists()
    .addColumn('ser', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('superseded_by', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('sukets')
    .ifNotExists()
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('logged_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoke_reason', 'text')
    .execute();
  await s.createIndex('sukets_nik').ifNotExists().on('sukets').column('nik').execute();
  await s.createIndex('sukets_record').ifNotExists().on('sukets').column('record_id').execute();
  await s
    .createTable('trust_publications')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('built_version', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('sequence', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('issued_at', 'text')
    .addColumn('signed', 'text')
    .execute();
  await db
    .withTables<TrustTables>()
    .insertInto('trust_publications')
    .values([
      { name: 'TRUST_LIST', version: 0, built_version: -1, sequence: 0, issued_at: null, signed: null },
      { name: 'REVOCATION_LIST', version: 0, built_version: -1, sequence: 0, issued_at: null, signed: null },
    ])
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}
