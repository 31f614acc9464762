import type { Kysely, Transaction } from 'kysely';
import type { CentralDb } from './schema.ts';

/** The card print packages' table (created by migrations/0006_print_packages.ts). */
export type PrintPackageTables = {
  print_packages: {
    package_id: string;
    office_id: string;
    cursor: number;
    kind: 'FIRST' | 'REPLACEMENT';
    status: 'READY' | 'REFUSED';
    record_id: string | null;
    request_id: string | null;
    nik: string;
    /** JSON {id, en}: why a replacement was refused. */
    reason: string | null;
    /** The signed package, sealed with the centre's data key. */
    sealed_package: Uint8Array | null;
    built_at: string;
  };
};

export type PrintPackageDb = CentralDb & PrintPackageTables;

/** The centre's database (or the caller's transaction) seen with the print package table. */
export const printPackageDb = (db: Kysely<CentralDb> | Transaction<CentralDb>): Kysely<PrintPackageDb> => (db as Kysely<CentralDb>).withTables<PrintPackageTables>();
