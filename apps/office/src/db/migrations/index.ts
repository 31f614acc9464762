import type { NodeMigration } from '@tangguh/platform';
import * as m0001 from './0001_baseline.ts';
import * as m0002 from './0002_outbox_seq_counter.ts';
import * as m0003 from './0003_access_log.ts';
import * as m0004 from './0004_api_keys.ts';
import * as m0005 from './0005_login_throttle.ts';
import * as m0006 from './0006_print_packages.ts';
import * as m0007 from './0007_print_plan.ts';
import * as m0008 from './0008_printer_drivers.ts';
import * as m0009 from './0009_print_jobs.ts';
import * as m0010 from './0010_distribution_pickup.ts';
import * as m0011 from './0011_blank_requests.ts';
import * as m0012 from './0012_service_status.ts';
import * as m0013 from './0013_notifications.ts';
import * as m0014 from './0014_citizen_check.ts';
import * as m0015 from './0015_queue.ts';
import * as m0016 from './0016_office_gallery.ts';
import * as m0018 from './0018_replacement_handover_missing_cards.ts';

/**
 * Every migration of the office, applied in name order by Kysely's Migrator (db/migrate.ts).
 *
 * To change the schema, never edit a migration that has shipped: add `NNNN_what_it_does.ts` in this
 * folder (the next free number) exporting `up(db, dialect)` and, where it can be undone, `down`; write it
 * with Kysely's schema builder so it runs on SQLite and PostgreSQL (use `dialect` where types differ);
 * then import it here and add it to the list below. A file not listed here is not run.
 */
export const OFFICE_MIGRATIONS: Record<string, NodeMigration> = {
  '0001_baseline': m0001,
  '0002_outbox_seq_counter': m0002,
  '0003_access_log': m0003,
  '0004_api_keys': m0004,
  '0005_login_throttle': m0005,
  '0006_print_packages': m0006,
  '0007_print_plan': m0007,
  '0008_printer_drivers': m0008,
  '0009_print_jobs': m0009,
  '0010_distribution_pickup': m0010,
  '0011_blank_requests': m0011,
  '0012_service_status': m0012,
  '0013_notifications': m0013,
  '0014_citizen_check': m0014,
  '0015_queue': m0015,
  '0016_office_gallery': m0016,
  '0018_replacement_handover_missing_cards': m0018,
};
