import { z } from 'zod';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';
import { signedRequestHeadersSchema } from './central-sync.ts';

/**
 * The blank-card request: the office asks the centre for blanks with the forecast as its justification; the
 * centre's admin answers with an allocation (quantity, tranche, serial range, expected delivery) or a
 * refusal. The request travels in the office's outbox (event `blank.requested`), so it survives an outage
 * and reaches the centre exactly once; the answer comes back in a signed feed of its own.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { message: 'a date that exists' });
const serial = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const quantity = z.number().int().min(1).max(10_000_000);

/** The figures behind a request, filled from the office's forecast at the moment it is made. */
export const blankRequestJustificationSchema = z
  .object({
    /** The office's date of the figures. */
    date: isoDate,
    waiting: z.number().int().nonnegative(),
    stock: z.number().int().nonnegative(),
    printers: z.number().int().nonnegative(),
    workingDaysToClear: z.number().int().nonnegative().nullable(),
    /** Working days to clear with the blanks asked for. */
    workingDaysWithRequest: z.number().int().nonnegative().nullable(),
    overdue: z.number().int().nonnegative(),
    willExceed: z.number().int().nonnegative(),
    /** Blanks already allocated and on their way. */
    expected: z.number().int().nonnegative(),
    text: bilingualSchema,
  })
  .meta({ id: 'BlankRequestJustification' });
export type BlankRequestJustification = z.infer<typeof blankRequestJustificationSchema>;

/** The centre's allocation for a request. */
export const blankAllocationSchema = z
  .object({
    quantity,
    tranche: z.string().trim().min(1).max(64),
    serialFrom: serial,
    serialTo: serial,
    /** Expected delivery at the office: earliest and latest day. */
    deliveryEarliest: isoDate,
    deliveryLatest: isoDate,
  })
  .refine((a) => a.serialTo - a.serialFrom + 1 === a.quantity, { message: 'quantity must match the serial range', path: ['quantity'] })
  .refine((a) => a.deliveryLatest >= a.deliveryEarliest, { message: 'the latest delivery day cannot come before the earliest', path: ['deliveryLatest'] })
  .meta({ id: 'BlankAllocation' });
export type BlankAllocation = z.infer<typeof blankAllocationSchema>;

export const blankRefusalSchema = z.object({ reason: z.string().trim().min(3).max(500) });

/* ---- the office ---- */

/** POST /api/blank-requests: the quantity asked for and an optional note; the justification is filled in. */
export const blankRequestCreateSchema = z.object({ quantity, note: z.string().trim().max(500).optional() });
export type BlankRequestCreate = z.infer<typeof blankRequestCreateSchema>;

/**
 * queued: in the outbox, not yet acknowledged by the centre; at_centre: the centre holds it; allocated: the
 * centre allocated blanks, not yet received; received: a receipt (penerimaan) of its serial range was
 * recorded; refused: the centre said no, with a reason.
 */
export const BLANK_REQUEST_STATES = ['queued', 'at_centre', 'allocated', 'received', 'refused'] as const;
export type BlankRequestState = (typeof BLANK_REQUEST_STATES)[number];

export const blankRequestViewSchema = z
  .object({
    id: z.uuid(),
    quantity: z.number().int().positive(),
    note: z.string().nullable(),
    justification: blankRequestJustificationSchema,
    requestedBy: z.string(),
    requestedAt: isoTimestamp,
    state: z.enum(BLANK_REQUEST_STATES),
    allocation: blankAllocationSchema.nullable(),
    refusal: z.string().nullable(),
    answeredBy: z.string().nullable(),
    answeredAt: isoTimestamp.nullable(),
    /** When the office learned the answer. */
    answerReceivedAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'BlankRequest' });
export type BlankRequestView = z.infer<typeof blankRequestViewSchema>;

export const blankRequestDraftSchema = z.object({
  /** Suggested quantity: what the queue lacks beyond stock and expected deliveries, rounded up to a thousand. */
  suggestedQuantity: z.number().int().nonnegative(),
  justification: blankRequestJustificationSchema,
});
export const blankRequestDraftQuerySchema = z.object({ quantity: z.coerce.number().int().min(1).max(10_000_000).optional() });

export const blankRequestRoutes = {
  draft: { tags: ['blank-requests'], summary: 'The justification a request would carry now, for a quantity (head, supervisor)', querystring: blankRequestDraftQuerySchema, response: { 200: blankRequestDraftSchema, ...sessionErrors } },
  create: {
    tags: ['blank-requests'],
    summary: 'Ask the centre for blanks; the forecast is attached as justification and the request is sent through the outbox (head, supervisor)',
    body: blankRequestCreateSchema,
    response: { 201: z.object({ request: blankRequestViewSchema }), ...sessionErrors },
  },
  list: { tags: ['blank-requests'], summary: "The office's blank requests and the centre's answers, newest first (staff)", response: { 200: z.object({ items: z.array(blankRequestViewSchema) }), ...sessionErrors } },
  get: { tags: ['blank-requests'], summary: 'One blank request and its answer (staff)', params: uuidParamsSchema, response: { 200: z.object({ request: blankRequestViewSchema }), ...sessionErrors, ...errors(404) } },
};

/* ---- the wire: office → centre (outbox event) and centre → office (answer feed) ---- */

export const BLANK_REQUEST_EVENT = 'blank.requested';
export const blankRequestPayloadSchema = z.object({
  requestId: z.uuid(),
  quantity,
  note: z.string().max(500).nullable(),
  justification: blankRequestJustificationSchema,
  requestedBy: z.string().min(1).max(64),
  requestedAt: isoTimestamp,
});
export type BlankRequestPayload = z.infer<typeof blankRequestPayloadSchema>;

export const blankAnswersQuerySchema = z.object({ after: z.coerce.number().int().min(0), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const blankAnswerItemSchema = z.object({
  cursor: z.number().int().positive(),
  requestId: z.uuid(),
  decision: z.enum(['allocated', 'refused']),
  allocation: blankAllocationSchema.nullable(),
  refusal: z.string().nullable(),
  answeredBy: z.string(),
  answeredAt: isoTimestamp,
});
export type BlankAnswerItem = z.infer<typeof blankAnswerItemSchema>;
export const blankAnswersResponseSchema = z.object({ items: z.array(blankAnswerItemSchema), nextCursor: z.number().int().nonnegative(), hasMore: z.boolean() });
export type BlankAnswersResponse = z.infer<typeof blankAnswersResponseSchema>;

/* ---- the centre's admin ---- */

export const CENTRAL_BLANK_REQUEST_STATUSES = ['pending', 'allocated', 'refused'] as const;
export const centralBlankRequestSchema = z
  .object({
    id: z.uuid(),
    officeId: z.string(),
    officeName: z.string(),
    quantity: z.number().int().positive(),
    note: z.string().nullable(),
    justification: blankRequestJustificationSchema,
    requestedBy: z.string(),
    requestedAt: isoTimestamp,
    receivedAt: isoTimestamp,
    status: z.enum(CENTRAL_BLANK_REQUEST_STATUSES),
    allocation: blankAllocationSchema.nullable(),
    refusal: z.string().nullable(),
    answeredBy: z.string().nullable(),
    answeredAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'CentralBlankRequest' });
export type CentralBlankRequest = z.infer<typeof centralBlankRequestSchema>;

export const centralBlankRequestListQuerySchema = z.object({ status: z.enum([...CENTRAL_BLANK_REQUEST_STATUSES, 'all']).default('all') });
export const centralBlankRequestListSchema = z.object({
  items: z.array(centralBlankRequestSchema),
  /** Blanks allocated so far across every office, and the highest serial allocated (the next range starts after it). */
  allocatedTotal: z.number().int().nonnegative(),
  highestSerial: z.number().int().nullable(),
});

export const centralBlankRequestRoutes = {
  answers: {
    tags: ['sync', 'blank-requests'],
    summary: "A page of the centre's answers to this office's blank requests after a cursor (signed)",
    headers: signedRequestHeadersSchema,
    querystring: blankAnswersQuerySchema,
    response: { 200: blankAnswersResponseSchema, ...errors(400, 401, 409) },
  },
  list: { tags: ['blank-requests'], summary: 'Blank requests from every office with their justification, newest first (admin)', querystring: centralBlankRequestListQuerySchema, response: { 200: centralBlankRequestListSchema, ...sessionErrors } },
  allocate: {
    tags: ['blank-requests'],
    summary: 'Answer a request with an allocation: quantity, tranche, serial range, expected delivery (admin)',
    params: uuidParamsSchema,
    body: blankAllocationSchema,
    response: { 200: z.object({ request: centralBlankRequestSchema }), ...sessionErrors, ...errors(404, 409) },
  },
  refuse: {
    tags: ['blank-requests'],
    summary: 'Answer a request with a refusal and its reason (admin)',
    params: uuidParamsSchema,
    body: blankRefusalSchema,
    response: { 200: z.object({ request: centralBlankRequestSchema }), ...sessionErrors, ...errors(404, 409) },
  },
} as const;
