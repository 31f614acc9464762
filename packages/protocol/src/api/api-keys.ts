import { z } from 'zod';
import { errors, isoTimestamp, sessionErrors, uuidParamsSchema } from './common.ts';

/**
 * API keys for institutions that verify documents in bulk (banks): each key has its own quota, per
 * minute and per day, instead of the per-address limit that protects the public verifier.
 */
export const apiKeyCreateRequestSchema = z.object({
  institution: z.string().trim().min(3).max(120),
  perMinute: z.number().int().min(1).max(10_000),
  perDay: z.number().int().min(1).max(10_000_000),
});
export type ApiKeyCreateRequest = z.infer<typeof apiKeyCreateRequestSchema>;

export const apiKeyViewSchema = z
  .object({
    id: z.string(),
    institution: z.string(),
    /** The first characters of the key, so a person can tell keys apart; the key itself is stored only hashed. */
    prefix: z.string(),
    perMinute: z.number(),
    perDay: z.number(),
    /** Checks counted today (the office's calendar day). */
    usedToday: z.number(),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    lastUsedAt: isoTimestamp.nullable(),
    revokedAt: isoTimestamp.nullable(),
    revokedBy: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

export const apiKeyCreatedSchema = z.object({
  key: apiKeyViewSchema,
  /** The key itself, shown this once: give it to the institution; the office keeps only its hash. */
  secret: z.string(),
});
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>;

export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) });
export type ApiKeyList = z.infer<typeof apiKeyListSchema>;
export const apiKeyResponseSchema = z.object({ key: apiKeyViewSchema });

const tags = ['api-keys'];

export const apiKeyRoutes = {
  create: { tags, summary: 'Create an API key for an institution, with its quotas (admin); the key is shown once', body: apiKeyCreateRequestSchema, response: { 201: apiKeyCreatedSchema, ...sessionErrors } },
  list: { tags, summary: 'API keys of this office with today’s use (admin)', response: { 200: apiKeyListSchema, ...sessionErrors } },
  revoke: { tags, summary: 'Revoke an API key at once (admin)', params: uuidParamsSchema, response: { 200: apiKeyResponseSchema, ...sessionErrors, ...errors(404) } },
};
