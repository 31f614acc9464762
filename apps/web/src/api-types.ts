/**
 * The office API's shapes come from `@tangguh/protocol`, the schemas the server validates and serializes
 * with; the web parses every answer with them (see `contractApi` in api.ts). What stays here is the web's
 * own: the recording form's draft, which is allowed to be incomplete until the operator saves.
 */
export type {
  ApiErrorBody,
  ApiIssue,
  BilingualText as Bilingual,
  CaptureResult,
  EncodedFile,
  Receipt,
  RecordDetail,
  RecordDetailResponse,
  RecordingCreated,
  RecordingList as RecordingsList,
  RecordingsSummary,
  RecordSummary,
  Region,
  RegionList,
  SampleResident,
  SessionResponse,
  SessionUserView as SessionUser,
  SyncStatus,
  TimelineEntry,
} from '@tangguh/protocol';
import type { EncodedFile } from '@tangguh/protocol';

export type OfficeRole = 'operator' | 'supervisor' | 'head' | 'admin';
export type CentreRole = 'adjudicator' | 'admin';

export interface Address {
  street: string;
  rt: string;
  rw: string;
  villageCode: string;
}

/** Biodata as the form holds it: choices may still be empty; the server names what is missing. */
export interface Biodata {
  nik: string;
  kkNumber: string;
  fullName: string;
  birthPlace: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'L' | 'P' | '';
  bloodType: string;
  religion: string;
  maritalStatus: string;
  occupation: string;
  nationality: string;
  address: Address;
}

export interface BiometricSubmission {
  position: string;
  template?: string;
  exception?: string;
}

/** What the form sends; possibly incomplete (no scan yet), so the server's field messages say what to do. */
export interface NewRecording {
  /** One per filled-in form, kept across retries: a retry after a lost answer returns the first receipt. */
  clientRequestId: string;
  biodata: Biodata;
  photo?: EncodedFile;
  signature?: EncodedFile;
  biometrics: BiometricSubmission[];
}

// The centre's adjudication types come from `@tangguh/protocol` (api/central-adjudications.ts).
