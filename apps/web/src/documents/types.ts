/** The office's document, TTE, policy and Suket shapes: the protocol's, parsed on arrival. */
export type {
  AuditEntry,
  DocumentStatus,
  DocumentType,
  DocumentView,
  DocumentsList,
  PickupEstimate,
  PolicyResponse,
  SignResult,
  SuketView,
  TteState,
  TteStatusResponse,
  WetSignaturePolicy,
} from '@tangguh/protocol';
export { DOCUMENT_STATUSES } from '@tangguh/protocol';
