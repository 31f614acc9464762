import { z } from 'zod';
import { FINGER_POSITIONS } from '@tangguh/domain';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * The pickup counter: find the card (NIK, registration number, or name and date of birth), confirm that the
 * person in front of the counter is its holder — a 1:1 fingerprint match against the prints on the card's
 * chip, or a supervisor's recorded override — and hand it over (CARD_ISSUED; the Suket is revoked with it).
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const pickupSearchQuerySchema = z.object({
  /** A NIK (16 digits), a registration number, or a name (then with birthDate). */
  q: z.string().trim().min(1).max(100),
  birthDate: isoDate.optional(),
});

export const PICKUP_AVAILABILITY = ['ISSUED', 'READY_HERE', 'READY_ELSEWHERE', 'PACKED', 'IN_TRANSIT', 'MISSING', 'REPRINTING', 'PRINT_FORECAST', 'NO_DATE_YET'] as const;
export type PickupAvailabilityKind = (typeof PICKUP_AVAILABILITY)[number];

export const pickupAvailabilitySchema = z.object({
  kind: z.enum(PICKUP_AVAILABILITY),
  /** The site holding the card (READY_*, PACKED), or the one it travels to (IN_TRANSIT, MISSING). */
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  /** For a card that is at a pickup point: from when it can be collected there (a day the office can keep). */
  pickupFrom: isoTimestamp.nullable(),
  /** For a card not printed yet: the print plan's forecast range (office calendar dates), never a promise. */
  forecast: z.object({ earliest: z.string().nullable(), latest: z.string().nullable(), flag: z.string().nullable() }).nullable(),
  manifestNumber: z.string().nullable(),
  messages: bilingualSchema,
});
export type PickupAvailability = z.infer<typeof pickupAvailabilitySchema>;

export const identityCheckSchema = z
  .object({
    id: z.string(),
    method: z.enum(['FINGERPRINT', 'OVERRIDE']),
    matched: z.boolean(),
    score: z.number().nullable(),
    threshold: z.number().nullable(),
    positions: z.array(z.string()),
    checkedBy: z.string(),
    checkedAt: isoTimestamp,
    reason: z.string().nullable(),
    /** Until when a confirmed check may be used for the hand-over. */
    validUntil: isoTimestamp,
  })
  .meta({ id: 'PickupIdentityCheck' });
export type IdentityCheck = z.infer<typeof identityCheckSchema>;

export const pickupCandidateSchema = z
  .object({
    recordId: z.string(),
    registrationNumber: z.string(),
    nik: z.string(),
    fullName: z.string(),
    birthDate: z.string(),
    status: z.string(),
    availability: pickupAvailabilitySchema,
    /** The fingers whose prints the card's chip holds: the ones to scan at the counter. */
    chipFingers: z.array(z.string()),
    activeSukets: z.array(z.string()),
    /** A confirmed identity check not yet used, at this site, still valid. */
    confirmedCheck: identityCheckSchema.nullable(),
    handover: z.object({ id: z.string(), handedBy: z.string(), handedAt: isoTimestamp, siteId: z.string(), revokedSukets: z.array(z.string()) }).nullable(),
  })
  .meta({ id: 'PickupCandidate' });
export type PickupCandidate = z.infer<typeof pickupCandidateSchema>;

/** What becomes of the resident's old card when the replacement is handed over. */
export const OLD_CARD_OUTCOMES = ['TAKEN_BACK', 'DECLARED_LOST'] as const;
export type OldCardOutcome = (typeof OLD_CARD_OUTCOMES)[number];

export const REPLACEMENT_PICKUP_STATES = ['NOT_PRINTED', 'READY_HERE', 'READY_ELSEWHERE', 'ISSUED'] as const;

/**
 * A replacement card (lost, damaged, data changed) at the counter, found by the resident's NIK. It lies where
 * it was printed; the hand-over records the old card as taken back (damaged, data changed) or declared lost.
 */
export const replacementCandidateSchema = z
  .object({
    requestId: z.string(),
    recordId: z.string(),
    nik: z.string(),
    fullName: z.string(),
    reason: z.enum(['LOST', 'DAMAGED', 'DATA_CHANGED']),
    requestedAt: isoTimestamp,
    state: z.enum(REPLACEMENT_PICKUP_STATES),
    siteId: z.string().nullable(),
    siteName: z.string().nullable(),
    printedAt: isoTimestamp.nullable(),
    /** What the hand-over records for the old card by default: DECLARED_LOST for a lost card, else TAKEN_BACK. */
    oldCardExpected: z.enum(OLD_CARD_OUTCOMES),
    chipFingers: z.array(z.string()),
    activeSukets: z.array(z.string()),
    confirmedCheck: identityCheckSchema.nullable(),
    handover: z
      .object({ id: z.string(), handedBy: z.string(), handedAt: isoTimestamp, siteId: z.string(), oldCard: z.enum(OLD_CARD_OUTCOMES), oldCardNote: z.string().nullable(), revokedSukets: z.array(z.string()) })
      .nullable(),
    messages: bilingualSchema,
  })
  .meta({ id: 'PickupReplacementCandidate' });
export type ReplacementCandidate = z.infer<typeof replacementCandidateSchema>;

export const pickupSearchResponseSchema = z.object({ items: z.array(pickupCandidateSchema), replacements: z.array(replacementCandidateSchema) });
export type PickupSearchResponse = z.infer<typeof pickupSearchResponseSchema>;

export const fingerprintCheckRequestSchema = z.object({
  fingerprints: z
    .array(z.object({ position: z.enum(FINGER_POSITIONS), template: z.string().min(1).max(200).meta({ description: 'base64, as the capture device gives it' }) }))
    .min(1)
    .max(FINGER_POSITIONS.length)
    .refine((prints) => new Set(prints.map((p) => p.position)).size === prints.length, { message: 'each finger at most once' }),
});
export const pickupOverrideRequestSchema = z.object({ reason: z.string().trim().min(10).max(500) });
export const identityCheckResponseSchema = z.object({ check: identityCheckSchema, message: bilingualSchema });
export type IdentityCheckResponse = z.infer<typeof identityCheckResponseSchema>;

export const handoverRequestSchema = z.object({ checkId: z.uuid() });
export const handoverResponseSchema = z.object({
  handover: z.object({ id: z.string(), recordId: z.string(), siteId: z.string(), handedBy: z.string(), handedAt: isoTimestamp, method: z.enum(['FINGERPRINT', 'OVERRIDE']), revokedSukets: z.array(z.string()) }),
  message: bilingualSchema,
});
export type HandoverResponse = z.infer<typeof handoverResponseSchema>;

export const replacementHandoverRequestSchema = z.object({
  checkId: z.uuid(),
  oldCard: z.enum(OLD_CARD_OUTCOMES),
  /** Required when the old card's fate differs from the request's reason (a damaged card lost since, a lost card found). */
  note: z.string().trim().max(300).optional(),
});
export const replacementHandoverResponseSchema = z.object({
  handover: z.object({
    id: z.string(),
    requestId: z.string(),
    recordId: z.string(),
    siteId: z.string(),
    handedBy: z.string(),
    handedAt: isoTimestamp,
    method: z.enum(['FINGERPRINT', 'OVERRIDE']),
    oldCard: z.enum(OLD_CARD_OUTCOMES),
    oldCardNote: z.string().nullable(),
    revokedSukets: z.array(z.string()),
  }),
  message: bilingualSchema,
});
export type ReplacementHandoverResponse = z.infer<typeof replacementHandoverResponseSchema>;

const tags = ['pickup'];

export const pickupRoutes = {
  search: { tags, summary: 'Find a card at the pickup counter by NIK, registration number, or name and date of birth (operator, supervisor, admin)', querystring: pickupSearchQuerySchema, response: { 200: pickupSearchResponseSchema, ...sessionErrors } },
  fingerprint: {
    tags,
    summary: "1:1 fingerprint check against the card chip's prints, recorded pass or fail (operator, supervisor, admin)",
    params: uuidParamsSchema,
    body: fingerprintCheckRequestSchema,
    response: { 200: identityCheckResponseSchema, ...sessionErrors, ...errors(404, 409, 422, 503) },
  },
  override: {
    tags,
    summary: 'A supervisor confirms the holder without a fingerprint match, with a reason, recorded (supervisor)',
    params: uuidParamsSchema,
    body: pickupOverrideRequestSchema,
    response: { 200: identityCheckResponseSchema, ...sessionErrors, ...errors(404, 409, 503) },
  },
  handover: {
    tags,
    summary: "Hand the card over after a confirmed identity check: CARD_ISSUED, and the resident's active Sukets revoked in the same transaction (operator, supervisor, admin)",
    params: uuidParamsSchema,
    body: handoverRequestSchema,
    response: { 200: handoverResponseSchema, ...sessionErrors, ...errors(404, 409, 503) },
  },
  replacementFingerprint: {
    tags,
    summary: "1:1 fingerprint check for a replacement card (by replacement request id) against its chip's prints, recorded pass or fail (operator, supervisor, admin)",
    params: uuidParamsSchema,
    body: fingerprintCheckRequestSchema,
    response: { 200: identityCheckResponseSchema, ...sessionErrors, ...errors(404, 409, 422, 503) },
  },
  replacementOverride: {
    tags,
    summary: 'A supervisor confirms the holder of a replacement card without a fingerprint match, with a reason, recorded (supervisor)',
    params: uuidParamsSchema,
    body: pickupOverrideRequestSchema,
    response: { 200: identityCheckResponseSchema, ...sessionErrors, ...errors(404, 409, 503) },
  },
  replacementHandover: {
    tags,
    summary: "Hand a replacement card over after a confirmed identity check, recording the old card as taken back or declared lost: CARD_ISSUED (replacement) to the centre and the resident's active Sukets revoked, in one transaction (operator, supervisor, admin)",
    params: uuidParamsSchema,
    body: replacementHandoverRequestSchema,
    response: { 200: replacementHandoverResponseSchema, ...sessionErrors, ...errors(404, 409, 422, 503) },
  },
};
