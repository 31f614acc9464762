import type { Kysely, Transaction } from 'kysely';
import type { OfficeDb } from './schema.ts';

/** The print package and replacement tables (created by migrations/0006_print_packages.ts). */
export type PrintPackageTables = {
  print_packages: {
    package_id: string;
    cursor: number;
    kind: 'FIRST' | 'REPLACEMENT';
    status: 'READY' | 'REFUSED';
    record_id: string | null;
    request_id: string | null;
    /** The centre's signed package, sealed with the office's data key. */
    sealed_package: Uint8Array | null;
    reason: string | null;
    received_at: string;
  };
  card_replacements: {
    request_id: string;
    nik: string;
    reason: string;
    note: string | null;
    status: 'REQUESTED' | 'READY' | 'REFUSED';
    requested_by: string;
    requested_at: string;
    answered_at: string | null;
    record_id: string | null;
    /** JSON {id, en}. */
    refusal: string | null;
  };
};

/** The office's database (or the caller's transaction) seen with the print package tables. */
export const printPackageDb = (db: Kysely<OfficeDb> | Transaction<OfficeDb>): Kysely<OfficeDb & PrintPackageTables> =>
  (db as Kysely<OfficeDb>).withTables<PrintPackageTables>();
