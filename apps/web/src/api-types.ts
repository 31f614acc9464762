/**
 * Shapes of the office and centre HTTP API as the web UI uses them.
 * Self-contained for now; to be replaced by imports from @tangguh/protocol once it exists.
 */

export interface Bilingual {
  id: string;
  en: string;
}

export interface ApiIssue {
  field: string;
  code: string;
  messages: Bilingual;
}

export interface ApiErrorBody {
  error: { code: string; message: string; messages: Bilingual; issues?: ApiIssue[] };
}

export type OfficeRole = 'operator' | 'supervisor' | 'head' | 'admin';
export type CentreRole = 'adjudicator' | 'admin';

export interface SessionUser {
  username: string;
  fullName: string;
  role: OfficeRole | CentreRole | (string & {});
  siteId?: string | null;
  siteName?: string | null;
  officeName?: string | null;
  /** The office's IANA zone; times are shown in it. */
  timeZone?: string | null;
}

export interface SessionResponse {
  user: SessionUser;
}

export interface SyncStatus {
  central: {
    /** null: no attempt yet since the office node started. */
    reachable: boolean | null;
    lastSuccessAt: string | null;
    lastAttemptAt: string | null;
    lastError: string | null;
    nextAttemptAt: string | null;
  };
  outbox: { pending: number; oldestPendingAt: string | null };
  lastPushAt: string | null;
  lastPullAt: string | null;
}

export interface RecordSummary {
  id: string;
  registrationNumber: string;
  nik: string;
  fullName: string;
  status: string;
  recordedAt: string;
  updatedAt: string;
  siteName: string;
}

export interface Address {
  street: string;
  rt: string;
  rw: string;
  villageCode: string;
}

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

export interface RecordingsSummary {
  byStatus: Record<string, number>;
  total: number;
}

export interface RecordingsList {
  items: RecordSummary[];
}

export interface Region {
  code: string;
  name: string;
}

export interface RegionList {
  items: Region[];
}

export interface SampleResident {
  biodata: Biodata;
}

export interface EncodedFile {
  mime: string;
  /** base64 */
  data: string;
}

export interface CapturedBiometric {
  position: string;
  /** base64 */
  template: string;
  quality: number;
}

export interface CaptureResult {
  device: string;
  photo: EncodedFile;
  signature: EncodedFile;
  biometrics: CapturedBiometric[];
}

export interface BiometricSubmission {
  position: string;
  template?: string;
  exception?: string;
}

export interface NewRecording {
  biodata: Biodata;
  photo?: EncodedFile;
  signature?: EncodedFile;
  biometrics: BiometricSubmission[];
}

export interface Receipt {
  registrationNumber: string;
  recordedAt: string;
  siteName: string;
  officeName: string;
}

export interface RecordingCreated {
  record: RecordSummary;
  receipt: Receipt;
}

export interface TimelineEntry {
  status: string;
  at: string;
  source: 'office' | 'central';
  note: string | null;
}

export interface RecordDetail extends RecordSummary {
  biodata: Biodata;
  villageName?: string | null;
  districtName?: string | null;
}

export interface RecordDetailResponse {
  record: RecordDetail;
  timeline: TimelineEntry[];
}

// The centre's adjudication types come from `@tangguh/protocol` (api/central-adjudications.ts).
