import type { Generated, Kysely } from 'kysely';
import type { AccessAction, AccessLogEntry } from '@tangguh/protocol';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';

/** The access log table (migration 0003). Rows are only ever inserted: the database refuses the rest. */
export type AccessLogTables = {
  access_log: {
    id: Generated<number>;
    at: string;
    username: string;
    role: string;
    site_id: string;
    action: AccessAction;
    record_id: string | null;
    nik: string | null;
    subject: string | null;
    screen: string;
  };
};

const log = (db: OfficeDbOrTx): Kysely<OfficeDb & AccessLogTables> => (db as Kysely<OfficeDb>).withTables<AccessLogTables>();

export interface AccessEntry {
  at: string;
  username: string;
  role: string;
  siteId: string;
  action: AccessAction;
  recordId?: string | null;
  nik?: string | null;
  subject?: string | null;
  screen: string;
}

export async function appendAccess(db: OfficeDbOrTx, entry: AccessEntry): Promise<void> {
  await log(db)
    .insertInto('access_log')
    .values({
      at: entry.at,
      username: entry.username,
      role: entry.role,
      site_id: entry.siteId,
      action: entry.action,
      record_id: entry.recordId ?? null,
      nik: entry.nik ?? null,
      subject: entry.subject ?? null,
      screen: entry.screen,
    })
    .execute();
}

export interface AccessFilter {
  nik?: string;
  username?: string;
  /** [from, to) as ISO timestamps: one calendar day of the office. */
  between?: [string, string];
  limit: number;
}

/** Newest first. */
export async function listAccess(db: OfficeDbOrTx, filter: AccessFilter): Promise<AccessLogEntry[]> {
  let query = log(db).selectFrom('access_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.nik) query = query.where('nik', '=', filter.nik);
  if (filter.username) query = query.where('username', '=', filter.username);
  if (filter.between) query = query.where('at', '>=', filter.between[0]).where('at', '<', filter.between[1]);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    username: r.username,
    role: r.role,
    siteId: r.site_id,
    action: r.action,
    recordId: r.record_id,
    nik: r.nik,
    subject: r.subject,
    screen: r.screen,
  }));
}
