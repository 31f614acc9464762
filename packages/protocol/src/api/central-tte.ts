import { z } from 'zod';
import { tteHealthSchema } from '../tte.ts';
import { sessionErrors } from './common.ts';

/** The admin's switch for the centre's e-signature (TTE) service (the offices' calls are in central-sync.ts). */

export const tteAvailabilityRequestSchema = z.object({ available: z.boolean() });
export type TteAvailabilityRequest = z.infer<typeof tteAvailabilityRequestSchema>;

export const centralTteRoutes = {
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
