import { z } from 'zod';
import { tteEnrolmentSchema, tteEnrolmentStatusSchema, tteEnrolRequestSchema, tteHeadSchema, tteHealthSchema } from '../tte.ts';
import { errors, sessionErrors, uuidParamsSchema } from './common.ts';
import { signedRequestHeadersSchema } from './central-sync.ts';

/** The admin's switch for the centre's e-signature (TTE) service (the offices' calls are in central-sync.ts). */

export const tteAvailabilityRequestSchema = z.object({ available: z.boolean() });
export type TteAvailabilityRequest = z.infer<typeof tteAvailabilityRequestSchema>;

export const tteEnrolmentQuerySchema = z.object({ username: z.string().min(1).max(64) });
export const tteDecisionRequestSchema = z.object({ approve: z.boolean() });
export const tteHeadRequestSchema = z.object({ username: z.string().trim().min(1).max(64), fullName: z.string().trim().min(1).max(120) });
export const tteOfficeParamsSchema = z.object({ officeId: z.string().min(1).max(20) });
export const tteEnrolmentsResponseSchema = z.object({ items: z.array(tteEnrolmentSchema), heads: z.array(tteHeadSchema) });
export type TteEnrolmentsResponse = z.infer<typeof tteEnrolmentsResponseSchema>;

/** Errors of a signed office request (as in central-sync.ts), plus the head's refusals. */
const signedErrors = errors(400, 401, 403, 409);

export const centralTteRoutes = {
  enrol: {
    tags: ['sync', 'tte'],
    summary: "Enrol a head of office's personal key (made in the head's browser); it waits for a centre admin (signed)",
    headers: signedRequestHeadersSchema,
    body: tteEnrolRequestSchema,
    response: { 200: tteEnrolmentSchema, ...signedErrors },
  },
  enrolmentStatus: {
    tags: ['sync', 'tte'],
    summary: 'Whether a person heads the office at the centre, and their latest key enrolment (signed)',
    headers: signedRequestHeadersSchema,
    querystring: tteEnrolmentQuerySchema,
    response: { 200: tteEnrolmentStatusSchema, ...signedErrors },
  },
  enrolments: {
    tags: ['tte'],
    summary: "The heads of office and their key enrolments, newest first (admin)",
    response: { 200: tteEnrolmentsResponseSchema, ...sessionErrors },
  },
  decide: {
    tags: ['tte'],
    summary: "Approve or reject a waiting key, after comparing its fingerprint with the head's screen (admin)",
    params: uuidParamsSchema,
    body: tteDecisionRequestSchema,
    response: { 200: z.object({ enrolment: tteEnrolmentSchema }), ...sessionErrors, ...errors(404, 409) },
  },
  setHead: {
    tags: ['tte'],
    summary: 'Record who heads an office; only that person can enrol a key and have documents signed (admin)',
    params: tteOfficeParamsSchema,
    body: tteHeadRequestSchema,
    response: { 200: z.object({ head: tteHeadSchema }), ...sessionErrors, ...errors(404) },
  },
  availability: {
    tags: ['tte'],
    summary: 'Whether the TTE service is up, and since when (admin)',
    response: { 200: tteHealthSchema, ...sessionErrors },
  },
  setAvailability: {
    tags: ['tte'],
    summary: 'Switch the TTE service on or off, to simulate an outage (admin)',
    body: tteAvailabilityRequestSchema,
    response: { 200: tteHealthSchema, ...sessionErrors },
  },
} as const;
