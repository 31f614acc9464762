import type { Kysely, Transaction } from 'kysely';

export interface OfficesTable {
  office_id: string;
  name: string;
  regency_code: string;
  public_key: string;
  /** Highest outbox seq applied from this office; entries arrive strictly in order. */
  applied_seq: number;
  /** Last cursor handed out in this office's change feed. */
  change_seq: number;
  registered_at: string;
}

/** The permanent record of every (office, seq) ever applied: a replay is acknowledged, never applied twice. */
export interface AppliedEntriesTable {
  office_id: string;
  seq: number;
  record_id: string;
  applied_at: string;
}

/** Every non-recording event an office sent (Suket issued or revoked, documents …), kept as sent. */
export interface OfficeEventsTable {
  office_id: string;
  seq: number;
  kind: string;
  subject_id: string;
  payload: string;
  occurred_at: string;
  applied_at: string;
}

export interface EnrollmentsTable {
  record_id: string;
  office_id: string;
  registration_number: string;
  site_id: string;
  nik: string;
  full_name: string;
  birth_date: string;
  sex: string;
  biodata: string;
  photo: Uint8Array;
  photo_mime: string;
  signature: Uint8Array;
  signature_mime: string;
  sealed_biometrics: Uint8Array;
  exceptions: string;
  status: string;
  status_at: string;
  recorded_at: string;
  received_at: string;
}

export interface StatusChangesTable {
  office_id: string;
  cursor: number;
  record_id: string;
  status: string;
  at: string;
  note: string | null;
}

export interface GalleryTable {
  record_id: string;
  templates: Uint8Array;
  added_at: string;
  /** In commit order, from the `gallery_seq` counter: the cursor a dedup worker follows the table by. */
  seq: number;
}

/** Named counters whose row lock orders the writers that take from them (see repositories/gallery.ts). */
export interface CountersTable {
  name: string;
  value: number;
}

export interface AdjudicationsTable {
  case_id: string;
  record_id: string;
  candidate_record_id: string;
  score: number;
  opened_at: string;
  decided_at: string | null;
  decision: string | null;
  decided_by: string | null;
  note: string | null;
}

export interface UsersTable {
  username: string;
  full_name: string;
  role: string;
  password_hash: string;
}

export interface SessionsTable {
  token_hash: string;
  username: string;
  expires_at: string;
}

/** Request ids of signed office requests within the signature window: a second use is a replay. */
export interface OfficeRequestIdsTable {
  office_id: string;
  request_id: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CentralDb {
  offices: OfficesTable;
  applied_entries: AppliedEntriesTable;
  enrollments: EnrollmentsTable;
  office_events: OfficeEventsTable;
  status_changes: StatusChangesTable;
  gallery: GalleryTable;
  adjudications: AdjudicationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  counters: CountersTable;
  office_request_ids: OfficeRequestIdsTable;
}

export type CentralDbOrTx = Kysely<CentralDb> | Transaction<CentralDb>;
