import type { Kysely, Transaction } from 'kysely';
import type { DialectName } from '@tangguh/platform';
import type { CentralDb } from './schema.ts';

// A type alias, not an interface: Kysely's withTables needs an indexable shape.
/** The e-signature (TTE) service's own tables, beside the centre's schema. */
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
};

export type TteDb = CentralDb & TteTables;

/** The centre's database (or the caller's transaction: withTables keeps it) seen with the TTE tables. */
export const tteDb = (db: Kysely<CentralDb> | Transaction<CentralDb>): Kysely<TteDb> => (db as Kysely<CentralDb>).withTables<TteTables>();

/** Dialect-neutral: the schema builder only, so it runs on SQLite and PostgreSQL alike. */
export async function migrateTte(db: Kysely<CentralDb>, _dialect: DialectName): Promise<void> {
  const s = db.schema;
  await s
    .createTable('tte_signers')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull().unique())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('certified_at', 'text')
    .addPrimaryKeyConstraint('tte_signers_pk', ['office_id', 'username'])
    .execute();
  await s
    .createTable('tte_signatures')
    .ifNotExists()
    .addColumn('office_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('typ', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('signer_username', 'text', (c) => c.notNull())
    .addColumn('qr_text', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tte_signatures_pk', ['office_id', 'document_id'])
    .execute();
  await s.createIndex('tte_signatures_serial').ifNotExists().on('tte_signatures').columns(['office_id', 'serial']).execute();
}
