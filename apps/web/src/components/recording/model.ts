import { BIOMETRIC_EXCEPTIONS, BLOOD_TYPES, FINGER_POSITIONS, IRIS_POSITIONS, MARITAL_STATUSES, NATIONALITIES, RELIGIONS, type BiometricException } from '@tangguh/domain';
import type { ApiIssue, Biodata, BiometricSubmission, CaptureResult, NewRecording } from '../../api-types.ts';

// The same lists the office validates against (pure domain code, safe in the browser).
export const POSITIONS = [...FINGER_POSITIONS, ...IRIS_POSITIONS] as const;
export type Position = (typeof POSITIONS)[number];
export const EXCEPTIONS = BIOMETRIC_EXCEPTIONS;
export type { BiometricException };
export { BLOOD_TYPES, MARITAL_STATUSES, NATIONALITIES, RELIGIONS };

/** Noise of the synthetic capture device for each quality choice. */
export const QUALITY_NOISE = { good: 0.04, poor: 0.2 } as const;
export type CaptureQuality = keyof typeof QUALITY_NOISE;

export interface RecordingDraft {
  /**
   * Sent as clientRequestId: chosen once per filled-in form and kept (with the draft, across reloads) until
   * a save succeeds or the form is cleared, so a retry after a lost answer gets the first receipt back
   * instead of NIK_ALREADY_RECORDED.
   */
  requestId: string;
  biodata: Biodata;
  /** Kecamatan chosen in the form; the API only needs the village code. */
  districtCode: string;
  /** null: follow the NIK. */
  subjectKey: string | null;
  quality: CaptureQuality;
  capture: CaptureResult | null;
  exceptions: Partial<Record<Position, BiometricException>>;
}

export function emptyBiodata(): Biodata {
  return {
    nik: '',
    kkNumber: '',
    fullName: '',
    birthPlace: '',
    birthDate: '',
    sex: '',
    bloodType: '',
    religion: '',
    maritalStatus: '',
    occupation: '',
    nationality: 'WNI',
    address: { street: '', rt: '', rw: '', villageCode: '' },
  };
}

/** A version-4 UUID. crypto.randomUUID exists only in secure contexts; an office LAN address over plain HTTP is not one. */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function emptyDraft(): RecordingDraft {
  return { requestId: newRequestId(), biodata: emptyBiodata(), districtCode: '', subjectKey: null, quality: 'good', capture: null, exceptions: {} };
}

/** '35.09.01' from '35.09.01.2001'. */
export function districtOf(villageCode: string): string {
  return villageCode.split('.').slice(0, 3).join('.');
}

export function buildPayload(draft: RecordingDraft): NewRecording {
  const captured = new Map(draft.capture?.biometrics.map((item) => [item.position, item]) ?? []);
  const biometrics: BiometricSubmission[] = [];
  for (const position of POSITIONS) {
    const exception = draft.exceptions[position];
    const template = captured.get(position)?.template;
    if (exception) biometrics.push({ position, exception });
    else if (template) biometrics.push({ position, template });
  }
  const { biodata } = draft;
  return {
    clientRequestId: draft.requestId,
    biodata: {
      ...biodata,
      nik: biodata.nik.trim(),
      kkNumber: biodata.kkNumber.trim(),
      fullName: biodata.fullName.trim(),
      birthPlace: biodata.birthPlace.trim(),
      occupation: biodata.occupation.trim(),
      address: { ...biodata.address, street: biodata.address.street.trim(), rt: biodata.address.rt.trim(), rw: biodata.address.rw.trim() },
    },
    ...(draft.capture ? { photo: draft.capture.photo, signature: draft.capture.signature } : {}),
    biometrics,
  };
}

/**
 * Puts a server issue's field into the form's terms: 'biodata.nik' → 'nik',
 * 'biometrics.3.template' → 'biometrics.R_RING' (by the order actually sent), 'photo.data' → 'photo'.
 */
export function normalizeField(field: string, sent: BiometricSubmission[]): string {
  let name = field.startsWith('biodata.') ? field.slice('biodata.'.length) : field;
  const indexed = /^biometrics\.(\d+)(\..*)?$/.exec(name);
  if (indexed) {
    const position = sent[Number(indexed[1])]?.position;
    name = position ? `biometrics.${position}` : 'biometrics';
  }
  const positional = /^biometrics\.([A-Z_]+)(\..*)?$/.exec(name);
  if (positional) name = `biometrics.${positional[1]}`;
  if (name.startsWith('photo.')) name = 'photo';
  if (name.startsWith('signature.')) name = 'signature';
  return name;
}

export const FORM_FIELDS: ReadonlySet<string> = new Set([
  'nik',
  'kkNumber',
  'fullName',
  'birthPlace',
  'birthDate',
  'sex',
  'bloodType',
  'religion',
  'maritalStatus',
  'occupation',
  'nationality',
  'address.street',
  'address.rt',
  'address.rw',
  'address.villageCode',
  'photo',
  'signature',
  'biometrics',
  ...POSITIONS.map((position) => `biometrics.${position}`),
]);

export type IssueMap = Map<string, ApiIssue[]>;

export function groupIssues(issues: ApiIssue[], sent: BiometricSubmission[]): { byField: IssueMap; unplaced: ApiIssue[] } {
  const byField: IssueMap = new Map();
  const unplaced: ApiIssue[] = [];
  for (const issue of issues) {
    const field = normalizeField(issue.field, sent);
    if (!FORM_FIELDS.has(field)) {
      unplaced.push(issue);
      continue;
    }
    byField.set(field, [...(byField.get(field) ?? []), issue]);
  }
  return { byField, unplaced };
}

const DRAFT_KEY = 'tangguh.recordingDraft';

/** The draft survives a reload or an expired session, so typed data is never lost. */
export function loadDraft(): RecordingDraft | null {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<RecordingDraft>;
    if (!parsed.biodata || typeof parsed.biodata !== 'object') return null;
    const base = emptyDraft();
    return {
      ...base,
      ...parsed,
      biodata: { ...base.biodata, ...parsed.biodata, address: { ...base.biodata.address, ...parsed.biodata.address } },
      exceptions: parsed.exceptions ?? {},
    };
  } catch {
    return null;
  }
}

export function saveDraft(draft: RecordingDraft): void {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // Full or disabled storage: the draft still lives in memory.
  }
}

export function clearDraft(): void {
  try {
    sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Nothing to clear.
  }
}

export function isDraftEmpty(draft: RecordingDraft): boolean {
  const empty = emptyDraft();
  return JSON.stringify({ ...draft, quality: empty.quality, requestId: empty.requestId }) === JSON.stringify(empty);
}
