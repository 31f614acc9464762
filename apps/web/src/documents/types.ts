import type { Bilingual } from '../api-types.ts';

/** Shapes of the office's document, TTE, policy and Suket endpoints as the web UI reads them. */
export type DocumentStatus = 'AWAITING_SIGNATURE' | 'SIGNED' | 'WET_SIGNED' | 'SUPERSEDED';
export const DOCUMENT_STATUSES: DocumentStatus[] = ['AWAITING_SIGNATURE', 'SIGNED', 'WET_SIGNED', 'SUPERSEDED'];

export interface TteState {
  available: boolean | null;
  since: string | null;
  reason: 'TTE_DOWN' | 'CENTRE_UNREACHABLE' | null;
  checkedAt: string | null;
}

export interface PickupEstimate {
  kind: 'READY' | 'AFTER_SIGNATURE' | 'AFTER_TTE_RECOVERY' | 'TTE_UNKNOWN' | 'SUPERSEDED';
  day?: 'TODAY' | 'NEXT_WORKING_DAY';
  messages: Bilingual;
  tte: TteState & { outageMinutes: number | null };
}

export interface DocumentView {
  id: string;
  serial: string;
  type: string;
  typeName: string;
  nomor: string;
  nik: string;
  name: string;
  fields: Record<string, string>;
  status: DocumentStatus;
  statusAt: string;
  createdAt: string;
  createdBy: string;
  signature: { kind: 'TTE' | 'WET'; at: string; by: string; byName: string; reason: string | null } | null;
  qrText: string | null;
  supersededBy: string | null;
  pickup: PickupEstimate;
}

export interface DocumentType {
  code: string;
  name: string;
  fields: { key: string; label: string }[];
}

export interface DocumentsList {
  items: DocumentView[];
  counts: Partial<Record<DocumentStatus, number>>;
  tte: TteState;
}

export interface TteStatusResponse {
  tte: TteState;
  awaiting: number;
}

export interface SignResult {
  signed: number;
  remaining: number;
  error: { code: string; messages: Bilingual } | null;
}

export interface WetSignaturePolicy {
  enabled: boolean;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
}

export interface AuditEntry {
  id: number;
  action: 'POLICY_ON' | 'POLICY_OFF' | 'WET_SIGNED';
  documentId: string | null;
  documentSerial: string | null;
  actor: string;
  actorName: string;
  actorRole: string;
  reason: string;
  at: string;
}

export interface PolicyResponse {
  policy: WetSignaturePolicy;
  audit: AuditEntry[];
}

export interface SuketView {
  serial: string;
  recordId: string;
  status: 'ACTIVE' | 'REVOKED' | (string & {});
  issuedAt: string;
  expiresAt: string;
  qrText: string;
  revokedAt?: string | null;
  revokeReason?: string | null;
}
