import { z } from 'zod';

/**
 * The outbox event `card.status`: the office moved a card along its lifecycle after the Print Ready Record
 * (queued for printing, printed, shipped to a pickup point, handed over). One kind for the four statuses, so
 * printing, distribution and pickup all reach the centre the same way, exactly once, through the outbox.
 */
export const CARD_STATUS_EVENT = 'card.status';

export const CARD_STATUSES = ['SENT_FOR_CARD_PRINTING', 'CARD_PRINTED', 'CARD_SHIPPED', 'CARD_ISSUED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

const detailValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

export const cardStatusPayloadSchema = z.object({
  recordId: z.string().min(1).max(64),
  status: z.enum(CARD_STATUSES),
  at: z.string().datetime(),
  /** The username of who moved it (or `system:<worker>` for the unattended print worker). */
  by: z.string().min(1).max(64),
  /**
   * FIRST: the record's own card, which moves the record's status. REPLACEMENT: a replacement card of a record
   * that already went through the lifecycle (perhaps at another office): logged, the record's status stays.
   */
  card: z.enum(['FIRST', 'REPLACEMENT']),
  /** The print package the card was made from, when known. */
  packageId: z.string().min(1).max(120).nullable(),
  /** A few facts worth keeping with the status: blank serial, printer, manifest, pickup point, override… */
  detail: z.record(z.string().max(40), detailValue).refine((d) => Object.keys(d).length <= 20, 'at most 20 details'),
});
export type CardStatusPayload = z.infer<typeof cardStatusPayloadSchema>;
