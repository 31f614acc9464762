import { z } from 'zod';
import { RECORD_STATUSES } from '@tangguh/domain';
import { binary, errors, isoTimestamp, sessionErrors } from './common.ts';

/** The centre's adjudication desk: open cases, a human decision, the photos, and the pipeline counts. */

export const ADJUDICATION_DECISIONS = ['SAME_PERSON', 'DIFFERENT_PERSON'] as const;
export type AdjudicationDecision = (typeof ADJUDICATION_DECISIONS)[number];

export const adjudicationDecisionRequestSchema = z.object({
  decision: z.enum(ADJUDICATION_DECISIONS),
  note: z.string().trim().max(500).optional(),
});
export type AdjudicationDecisionRequest = z.infer<typeof adjudicationDecisionRequestSchema>;

export const caseParamsSchema = z.object({ caseId: z.uuid() });
export const enrollmentParamsSchema = z.object({ recordId: z.uuid() });
export type EnrollmentParams = z.infer<typeof enrollmentParamsSchema>;

const adjudicationPersonSchema = z.object({
  fullName: z.string(),
  nik: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  /** Where the adjudicator's browser fetches the enrolled photo. */
  photoUrl: z.string(),
});
export type AdjudicationPerson = z.infer<typeof adjudicationPersonSchema>;

export const adjudicationCaseSchema = z.object({
  caseId: z.string(),
  recordId: z.string(),
  registrationNumber: z.string(),
  officeId: z.string(),
  /** Similarity of the probe to the candidate, 0–1. */
  score: z.number(),
  openedAt: isoTimestamp,
  probe: adjudicationPersonSchema,
  candidate: adjudicationPersonSchema.extend({ recordId: z.string(), registrationNumber: z.string() }),
});
export type AdjudicationCase = z.infer<typeof adjudicationCaseSchema>;

export const adjudicationListSchema = z.object({ items: z.array(adjudicationCaseSchema) });
export type AdjudicationList = z.infer<typeof adjudicationListSchema>;

export const adjudicationDecisionResponseSchema = z.object({
  caseId: z.string(),
  decision: z.enum(ADJUDICATION_DECISIONS),
  resultingStatus: z.enum(RECORD_STATUSES),
});
export type AdjudicationDecisionResponse = z.infer<typeof adjudicationDecisionResponseSchema>;

/** GET /api/pipeline/summary: enrollments per status and how many records the dedup gallery holds. */
export const pipelineSummarySchema = z.object({
  byStatus: z.partialRecord(z.enum(RECORD_STATUSES), z.number().int().nonnegative()),
  gallerySize: z.number().int().nonnegative(),
});
export type PipelineSummary = z.infer<typeof pipelineSummarySchema>;

export const centralAdjudicationRoutes = {
  list: {
    tags: ['adjudication'],
    summary: 'Open adjudication cases, oldest first (adjudicator, admin)',
    response: { 200: adjudicationListSchema, ...sessionErrors },
  },
  decide: {
    tags: ['adjudication'],
    summary: 'Decide a case: same person (duplicate) or different person (print-ready)',
    params: caseParamsSchema,
    body: adjudicationDecisionRequestSchema,
    response: { 200: adjudicationDecisionResponseSchema, ...sessionErrors, ...errors(404, 409) },
  },
  photo: {
    tags: ['adjudication'],
    summary: "An enrolled record's photo, for the adjudicator's side-by-side view",
    params: enrollmentParamsSchema,
    response: { 200: binary(['image/jpeg', 'image/png'], 'The photo as recorded'), ...sessionErrors, ...errors(404) },
  },
  pipelineSummary: {
    tags: ['adjudication'],
    summary: 'Enrollments per status and the size of the deduplication gallery',
    response: { 200: pipelineSummarySchema, ...sessionErrors },
  },
} as const;
