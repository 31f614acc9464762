import type { Kysely } from 'kysely';
import type { CentralDb, CentralDbOrTx } from '../db/schema.ts';
import { trustDb, type TrustTables } from '../db/migrations-trust.ts';

/** The national log of Sukets the offices issued, projected from their events. */

export type SuketLogRow = TrustTables['sukets'];

const tdb = (db: CentralDbOrTx) => trustDb(db as Kysely<CentralDb>);

/** Logs a Suket once per serial, whatever a replay does. */
export async function logSuket(db: CentralDbOrTx, row: SuketLogRow): Promise<void> {
  await tdb(db).insertInto('sukets').values(row).onConflict((oc) => oc.column('serial').doNothing()).execute();
}

/** Notes the first revocation of a logged Suket; a later one changes nothing. */
export async function markSuketRevoked(db: CentralDbOrTx, serial: string, at: string, reason: string): Promise<void> {
  await tdb(db).updateTable('sukets').set({ revoked_at: at, revoke_reason: reason }).where('serial', '=', serial).where('revoked_at', 'is', null).execute();
}
