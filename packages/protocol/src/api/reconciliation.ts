import { z } from 'zod';
import { bilingualSchema, binary, errors, isoTimestamp, sessionErrors } from './common.ts';
import { signedRequestHeadersSchema } from './central-sync.ts';

/**
 * After an outage: what the office did while it lasted and whether the centre now holds the same. The window
 * is an incident's [opened, resolved] or any [from, to] the head of office asks for (at most 31 days).
 */

export const RECONCILIATION_MAX_DAYS = 31;
/** Records of one window the centre lists at most; beyond it the answer says it is cut short. */
export const RECONCILE_MAX_RECORDS = 20_000;

const instant = z.iso.datetime({ offset: true });

/** What the centre is asked: always an explicit window. */
export const centralReconcileQuerySchema = z.object({
  from: instant,
  to: instant,
});

/** The office's report: an incident's window [opened, resolved] by its id, or an explicit [from, to]. */
export const reconciliationQuerySchema = z.object({
  incidentId: z.string().trim().min(1).max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
});
export type ReconciliationQuery = z.infer<typeof reconciliationQuerySchema>;

// ----- the centre's side: GET /sync/reconcile (signed by the office) -----

export const centralReconcileRecordSchema = z.object({
  recordId: z.string(),
  registrationNumber: z.string(),
  status: z.string(),
  statusAt: isoTimestamp,
  recordedAt: isoTimestamp,
  receivedAt: isoTimestamp,
});
export const centralReconcileEventSchema = z.object({
  seq: z.number().int(),
  kind: z.string(),
  subjectId: z.string(),
  occurredAt: isoTimestamp,
  appliedAt: isoTimestamp,
});
export const centralReconcileResponseSchema = z
  .object({
    officeId: z.string(),
    appliedSeq: z.number().int().nonnegative(),
    /** Recordings of this office with a recording time in [from, to]. */
    records: z.array(centralReconcileRecordSchema),
    /** Office events (Suket issued, documents signed …) that happened in [from, to]. */
    events: z.array(centralReconcileEventSchema),
    truncated: z.boolean(),
    answeredAt: isoTimestamp,
  })
  .meta({ id: 'CentralReconcile' });
export type CentralReconcileResponse = z.infer<typeof centralReconcileResponseSchema>;

export const centralReconcileRoutes = {
  reconcile: {
    tags: ['sync'],
    summary: "The centre's view of one office's records and events in a window, for the office's reconciliation report (signed)",
    headers: signedRequestHeadersSchema,
    querystring: centralReconcileQuerySchema,
    response: { 200: centralReconcileResponseSchema, ...errors(400, 401, 409) },
  },
};

// ----- the office's report -----

export const MISMATCH_KINDS = [
  /** The office counts it as sent (acknowledged) but the centre does not hold it. */
  'MISSING_AT_CENTRE',
  /** The centre holds a recording of this office that the office does not have. */
  'UNKNOWN_AT_OFFICE',
  /** Both hold the record, with different statuses. */
  'STATUS_DIFFERS',
  /** Not acknowledged yet: still in the office's outbox. */
  'NOT_YET_SENT',
  /** An event the office sent and counts as acknowledged (a Suket issued, a document signed …) that the centre has not logged. */
  'EVENT_MISSING_AT_CENTRE',
  /** An event the centre logged for this office in the window that the office has no trace of, or under the same seq a different one. */
  'EVENT_UNKNOWN_AT_OFFICE',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export const reconciliationRecordingSchema = z.object({
  recordId: z.string(),
  registrationNumber: z.string(),
  siteName: z.string(),
  recordedAt: isoTimestamp,
  officeStatus: z.string(),
  outboxSeq: z.number().int().nullable(),
  /** The centre acknowledged the outbox entry (its seq is at or below the acknowledged seq). */
  acknowledged: z.boolean(),
  /** From the centre's own answer; null when the centre was not asked or does not hold it. */
  centreStatus: z.string().nullable(),
  receivedAtCentre: isoTimestamp.nullable(),
});

export const reconciliationSuketSchema = z.object({
  serial: z.string(),
  recordId: z.string(),
  issuedAt: isoTimestamp,
  issuedBy: z.string(),
  status: z.string(),
  acknowledged: z.boolean(),
  loggedAtCentre: z.boolean().nullable(),
});

export const reconciliationDocumentSchema = z.object({
  id: z.string(),
  serial: z.string(),
  type: z.string(),
  createdAt: isoTimestamp,
  status: z.string(),
  signatureKind: z.string().nullable(),
  signedAt: isoTimestamp.nullable(),
  /** How long it waited for a signature, in minutes (until now when still waiting). */
  waitedMinutes: z.number().int().nonnegative(),
});

export const reconciliationPrintSchema = z.object({
  recordId: z.string(),
  registrationNumber: z.string(),
  printReadyAt: isoTimestamp,
  printedAt: isoTimestamp.nullable(),
  status: z.string(),
});

export const reconciliationPrintJobSchema = z.object({
  jobId: z.string(),
  recordId: z.string().nullable(),
  registrationNumber: z.string().nullable(),
  siteId: z.string(),
  state: z.string(),
  createdAt: isoTimestamp,
  printedAt: isoTimestamp.nullable(),
  /** Why the job waited or failed, as the print room recorded it. */
  problem: bilingualSchema.nullable(),
});

export const reconciliationMismatchSchema = z.object({
  kind: z.enum(MISMATCH_KINDS),
  subject: z.string(),
  office: z.string().nullable(),
  centre: z.string().nullable(),
  detail: bilingualSchema,
});
export type ReconciliationMismatch = z.infer<typeof reconciliationMismatchSchema>;

export const reconciliationIncidentSchema = z.object({
  id: z.string(),
  title: bilingualSchema,
  openedAt: isoTimestamp,
  resolvedAt: isoTimestamp.nullable(),
  affectedCount: z.number().int(),
});

export const reconciliationReportSchema = z
  .object({
    window: z.object({ from: isoTimestamp, to: isoTimestamp }),
    /** The incident the window was taken from, when the report was asked for one. */
    incident: reconciliationIncidentSchema.nullable(),
    /** Every incident whose time overlaps the window (to pick one, or to see what happened). */
    incidents: z.array(reconciliationIncidentSchema),
    generatedAt: isoTimestamp,
    officeName: z.string(),
    timeZone: z.string(),
    /**
     * Whether the centre answered: `ANSWERED` (its view is compared), `UNREACHABLE` (only the office's own
     * acknowledgement state is known; the reason is in `centre.error`).
     */
    centre: z.object({ state: z.enum(['ANSWERED', 'UNREACHABLE', 'NOT_CONFIGURED']), appliedSeq: z.number().int().nullable(), error: z.string().nullable(), truncated: z.boolean() }),
    officeAckedSeq: z.number().int(),
    recordings: z.array(reconciliationRecordingSchema),
    sukets: z.array(reconciliationSuketSchema),
    documents: z.array(reconciliationDocumentSchema),
    /** Print-ready records that waited in the window: printed later (when) or still waiting. */
    prints: z.array(reconciliationPrintSchema),
    /** Print jobs open at some time in the window (made before its end, not printed before its start). */
    printJobs: z.array(reconciliationPrintJobSchema),
    /** People told, from the notifications log; `available: false` when this office keeps none yet. */
    notifications: z.object({
      available: z.boolean(),
      /** Messages queued in the window, by outcome. */
      sent: z.number().int().nullable(),
      failed: z.number().int().nullable(),
      pending: z.number().int().nullable(),
      /** For an incident's report: the messages it caused, whenever sent (a recovery is told after it settles). */
      incident: z.object({ sent: z.number().int(), failed: z.number().int(), pending: z.number().int() }).nullable(),
    }),
    mismatches: z.array(reconciliationMismatchSchema),
    totals: z.object({
      recordings: z.number().int(),
      reachedCentre: z.number().int(),
      sukets: z.number().int(),
      documentsWaited: z.number().int(),
      documentsSigned: z.number().int(),
      printsDelayed: z.number().int(),
      printJobs: z.number().int(),
      mismatches: z.number().int(),
    }),
  })
  .meta({ id: 'ReconciliationReport' });
export type ReconciliationReport = z.infer<typeof reconciliationReportSchema>;

export const reconciliationRoutes = {
  report: {
    tags: ['reconciliation'],
    summary: 'After an outage: recordings, Sukets, documents, prints and notifications of a window, compared with the centre (head of office, admins)',
    querystring: reconciliationQuerySchema,
    response: { 200: reconciliationReportSchema, ...sessionErrors, ...errors(404) },
  },
  pdf: {
    tags: ['reconciliation'],
    summary: 'The same report as an A4 PDF for the head of office',
    querystring: reconciliationQuerySchema,
    response: { 200: binary(['application/pdf'], 'A4 PDF of the reconciliation report'), ...sessionErrors, ...errors(404) },
  },
};
