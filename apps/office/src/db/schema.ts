import type { Generated, Kysely, Transaction } from 'kysely';

export interface OfficeDb {
  settings: { key: string; value: string };
  sites: { id: string; name: string; kind: string; district_code: string | null };
  users: { username: string; full_name: string; role: string; site_id: string; password_hash: string };
  sessions: { token_hash: string; username: string; expires_at: string };
  records: {
    id: string;
    registration_number: string;
    client_request_id: string | null;
    site_id: string;
    recorded_by: string;
    nik: string;
    full_name: string;
    birth_date: string;
    sex: string;
    village_code: string;
    biodata: string;
    photo: Uint8Array;
    photo_mime: string;
    signature: Uint8Array;
    signature_mime: string;
    /** Templates sealed to the centre's key: never stored readable in the office. */
    sealed_biometrics: Uint8Array;
    exceptions: string;
    status: string;
    status_at: string;
    recorded_at: string;
  };
  status_events: { id: Generated<number>; record_id: string; status: string; at: string; source: string; note: string | null };
  /** Numbered per office; `seq` is what the centre uses to apply each entry exactly once. */
  /** recording.created entries point at their (immutable) record; other events carry their payload. */
  outbox: { seq: Generated<number>; kind: string; record_id: string | null; subject_id: string | null; payload: string | null; created_at: string };
  /** acked_seq, pull_cursor, last_success_at: updated in the same transaction as what they describe. */
  sync_state: { key: string; value: string };
  counters: { name: string; value: number };
}

export type OfficeDbOrTx = Kysely<OfficeDb> | Transaction<OfficeDb>;
