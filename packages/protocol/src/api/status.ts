import { z } from 'zod';
import { CAPABILITIES, INCIDENT_STATUSES, SERVICES, SERVICE_STATES } from '@tangguh/domain';
import { bilingualSchema, errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';
import { PRINTABLE_SHAPE, PRINTABLE_TEXT } from '../printable.ts';

/**
 * The public status of the office's services (GET /api/status, its Atom feed and its event stream) and the
 * officers' tools around it: incident updates, overrides with a reason, planned maintenance, the head's
 * announcement. The JSON is one shared snapshot: explanations are listed once and referred to by key, so
 * thirty sites in the normal state cost thirty short entries.
 */

export const serviceIdSchema = z.enum(SERVICES);
export const serviceStateSchema = z.enum(SERVICE_STATES);
export const capabilityIdSchema = z.enum(CAPABILITIES);
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);

export const statusExplanationSchema = z.object({ explanation: bilingualSchema, whatToDo: bilingualSchema });

export const siteServiceStatusSchema = z.object({
  service: serviceIdSchema,
  state: serviceStateSchema,
  /** Key into `explanations`. */
  explanation: z.string(),
  /** An officer decided this state or added a note to it. */
  overridden: z.boolean(),
});

export const siteStatusSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  kind: z.string(),
  services: z.array(siteServiceStatusSchema),
});

export const incidentUpdateViewSchema = z.object({
  at: isoTimestamp,
  status: incidentStatusSchema,
  message: bilingualSchema,
  /** false: written by the office's automatic checks. */
  byOfficer: z.boolean(),
});

export const incidentViewSchema = z
  .object({
    id: z.string(),
    title: bilingualSchema,
    status: incidentStatusSchema,
    capability: capabilityIdSchema.nullable(),
    /** null: the whole office. */
    siteId: z.string().nullable(),
    siteName: z.string().nullable(),
    services: z.array(serviceIdSchema),
    openedAt: isoTimestamp,
    resolvedAt: isoTimestamp.nullable(),
    /** How many people were told about it (filled by the notifications). */
    affectedCount: z.number().int(),
    updates: z.array(incidentUpdateViewSchema),
  })
  .meta({ id: 'StatusIncident' });
export type IncidentView = z.infer<typeof incidentViewSchema>;

export const announcementViewSchema = z.object({
  id: z.string(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  text: bilingualSchema,
  setAt: isoTimestamp,
  expiresAt: isoTimestamp,
});
export type AnnouncementView = z.infer<typeof announcementViewSchema>;

export const maintenanceViewSchema = z.object({
  id: z.string(),
  service: serviceIdSchema.nullable(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  startsAt: isoTimestamp,
  endsAt: isoTimestamp,
  note: bilingualSchema,
  inForce: z.boolean(),
});
export type MaintenanceView = z.infer<typeof maintenanceViewSchema>;

export const statusHistorySchema = z.object({
  /** First and last calendar day (office time zone) of `states`, oldest first. */
  from: z.string(),
  to: z.string(),
  services: z.array(z.object({ service: serviceIdSchema, states: z.array(serviceStateSchema.nullable()) })),
});

export const publicStatusSchema = z
  .object({
    office: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    /** Raised by every change; an SSE client compares it with what it shows. */
    version: z.number().int(),
    /** When this state was put together (the last change). */
    updatedAt: isoTimestamp,
    /** When the office last ran its checks. */
    checkedAt: isoTimestamp.nullable(),
    serviceNames: z.array(z.object({ service: serviceIdSchema, name: bilingualSchema })),
    sites: z.array(siteStatusSchema),
    explanations: z.record(z.string(), statusExplanationSchema),
    announcements: z.array(announcementViewSchema),
    incidents: z.array(incidentViewSchema),
    maintenance: z.array(maintenanceViewSchema),
    history: statusHistorySchema,
  })
  .meta({ id: 'PublicStatus' });
export type PublicStatus = z.infer<typeof publicStatusSchema>;

// --- the officers' side --------------------------------------------------------------------------------

export const capabilityViewSchema = z.object({
  capability: capabilityIdSchema,
  name: bilingualSchema,
  /** '*' for the whole office, else a site id. */
  scope: z.string(),
  siteName: z.string().nullable(),
  state: z.enum(['up', 'degraded', 'down', 'unknown']),
  since: isoTimestamp,
  detail: bilingualSchema,
  latencyMs: z.number().nullable(),
});

export const overrideViewSchema = z.object({
  id: z.string(),
  service: serviceIdSchema,
  siteId: z.string().nullable(),
  state: serviceStateSchema.nullable(),
  note: bilingualSchema,
  setBy: z.string(),
  setAt: isoTimestamp,
  expiresAt: isoTimestamp.nullable(),
});

export const statusAdminSchema = z.object({
  capabilities: z.array(capabilityViewSchema),
  incidents: z.array(incidentViewSchema.extend({ updates: z.array(incidentUpdateViewSchema.extend({ author: z.string().nullable() })) })),
  overrides: z.array(overrideViewSchema),
  maintenance: z.array(maintenanceViewSchema.extend({ createdBy: z.string() })),
  announcements: z.array(announcementViewSchema.extend({ setBy: z.string() })),
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type StatusAdmin = z.infer<typeof statusAdminSchema>;

const text = (max: number) => z.string().trim().min(1).max(max).regex(PRINTABLE_TEXT, PRINTABLE_SHAPE);
/** Officers write Indonesian; English is optional (the Indonesian is shown in its place). */
const officerText = z.object({ id: text(1000), en: text(1000).optional() });
const siteRef = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'a-z, 0-9, _').nullable();
const instant = z.iso.datetime({ offset: true });

export const incidentUpdateRequestSchema = z.object({ status: incidentStatusSchema, message: officerText });
export type IncidentUpdateRequest = z.input<typeof incidentUpdateRequestSchema>;

export const overrideRequestSchema = z.object({
  service: serviceIdSchema,
  siteId: siteRef,
  state: serviceStateSchema.nullable(),
  reason: officerText,
  expiresAt: instant.nullable(),
});
export type OverrideRequest = z.input<typeof overrideRequestSchema>;

export const maintenanceRequestSchema = z.object({
  service: serviceIdSchema.nullable(),
  siteId: siteRef,
  startsAt: instant,
  endsAt: instant,
  note: officerText,
});
export type MaintenanceRequest = z.input<typeof maintenanceRequestSchema>;

export const announcementRequestSchema = z.object({ siteId: siteRef, text: officerText, expiresAt: instant });
export type AnnouncementRequest = z.input<typeof announcementRequestSchema>;
export const announcementClearSchema = z.object({ siteId: siteRef });
/** Ending an override or cancelling maintenance needs nothing more than the id in the path (the web sends `{}`). */
export const statusEndRequestSchema = z.object({});

const tags = ['status'];
const changed = { 200: statusAdminSchema, ...sessionErrors, ...errors(404, 409) };

export const statusRoutes = {
  public: { tags, summary: 'Every service at every site, the announcement, incidents and 90 days of history (public; from memory, ETag)', response: { 200: publicStatusSchema, ...errors(400, 429) } },
  feed: { tags, summary: 'Incidents, maintenance and announcements as an Atom feed (public)', response: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': { schema: z.string() } } }, ...errors(400, 429) } },
  stream: {
    tags,
    summary: 'Server-sent events: the whole status on connect and on every change, a heartbeat every 15 s (public; needs Accept: text/event-stream)',
    response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errors(400, 429, 503) },
  },
  admin: { tags, summary: 'Capabilities, incidents with their updates, overrides, maintenance and announcements (head, supervisor, admin)', response: { 200: statusAdminSchema, ...sessionErrors } },
  incidentUpdate: { tags, summary: 'Add an update to an incident’s timeline (head, supervisor, admin)', params: uuidParamsSchema, body: incidentUpdateRequestSchema, response: { 201: statusAdminSchema, ...sessionErrors, ...errors(404, 409) } },
  override: { tags, summary: 'Decide a service’s state, or add an explanation, with a reason (head, supervisor, admin)', body: overrideRequestSchema, response: { 201: statusAdminSchema, ...sessionErrors, ...errors(404) } },
  clearOverride: { tags, summary: 'End an override (head, supervisor, admin)', params: uuidParamsSchema, body: statusEndRequestSchema, response: changed },
  maintenance: { tags, summary: 'Schedule planned maintenance (head, supervisor, admin)', body: maintenanceRequestSchema, response: { 201: statusAdminSchema, ...sessionErrors, ...errors(404) } },
  cancelMaintenance: { tags, summary: 'Cancel planned maintenance (head, supervisor, admin)', params: uuidParamsSchema, body: statusEndRequestSchema, response: changed },
  announce: { tags, summary: 'The head’s announcement for a site or the whole office, replacing the current one (head, admin)', body: announcementRequestSchema, response: { 200: statusAdminSchema, ...sessionErrors, ...errors(404) } },
  clearAnnouncement: { tags, summary: 'Take the current announcement down (head, admin)', body: announcementClearSchema, response: { 200: statusAdminSchema, ...sessionErrors } },
};
