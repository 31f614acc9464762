import type { NodeMigration } from '@tangguh/platform';
import * as m0001 from './0001_baseline.ts';
import * as m0002 from './0002_gallery_cursor.ts';
import * as m0003 from './0003_office_request_ids.ts';
import * as m0004 from './0004_tte_heads.ts';
import * as m0005 from './0005_login_throttle.ts';
import * as m0006 from './0006_print_packages.ts';
import * as m0007 from './0007_blank_requests.ts';

/**
 * Every migration of the centre, applied in name order by Kysely's Migrator (db/migrate.ts).
 *
 * To change the schema, never edit a migration that has shipped: add `NNNN_what_it_does.ts` in this
 * folder (the next free number) exporting `up(db, dialect)` and, where it can be undone, `down`; write it
 * with Kysely's schema builder so it runs on SQLite and PostgreSQL (use `dialect` where types differ);
 * then import it here and add it to the list below. A file not listed here is not run.
 */
export const CENTRAL_MIGRATIONS: Record<string, NodeMigration> = {
  '0001_baseline': m0001,
  '0002_gallery_cursor': m0002,
  '0003_office_request_ids': m0003,
  '0004_tte_heads': m0004,
  '0005_login_throttle': m0005,
  '0006_print_packages': m0006,
  '0007_blank_requests': m0007,
};
