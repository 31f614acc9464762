import { applyCardStatus } from './card-status.ts';
import { applyBlankRequest } from './blank-requests.ts';
import { applyDocumentSuperseded } from './document-events.ts';
import { registerOfficeEventHandler, type OfficeEventHandler } from './office-events.ts';
import { applyReplacementRequest } from './print-packages.ts';
import { logSuketIssued, logSuketRevoked } from './suket-log.ts';

/**
 * Every kind of office event the centre projects into its own tables, listed in one place. Kinds not
 * listed (document.signed, policy.wet_signature, …) are kept in office_events and need no projection.
 */
export const OFFICE_EVENT_HANDLERS = {
  'suket.issued': logSuketIssued,
  'suket.revoked': logSuketRevoked,
  'document.superseded': applyDocumentSuperseded,
  'card.replacement_requested': applyReplacementRequest,
  'blank.requested': applyBlankRequest,
  'card.status': applyCardStatus,
} as const satisfies Record<string, OfficeEventHandler>;

/**
 * Wires the handlers into the inbox. openCentral calls it, so every process that opens the centre (API,
 * worker, a CLI or a test) applies the same events whatever routes it did or did not register; calling it
 * again changes nothing.
 */
export function wireOfficeEventHandlers(): void {
  for (const [kind, handler] of Object.entries(OFFICE_EVENT_HANDLERS)) registerOfficeEventHandler(kind, handler);
}
