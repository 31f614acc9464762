/*
 * A blank-card request as both nodes keep it: the office stores the request it sent (migration 0011), the
 * centre the request it received (migration 0007), and each the centre's answer beside it. The columns they
 * share, the empty answer a new request starts with, and the numbers PostgreSQL hands back as strings.
 */

/** The answer columns: an allocation (quantity, tranche, serial range, delivery window) or a refusal, and who gave it. */
export type BlankAnswerColumns = {
  allocated_quantity: number | null;
  tranche: string | null;
  serial_from: number | null;
  serial_to: number | null;
  delivery_earliest: string | null;
  delivery_latest: string | null;
  refusal: string | null;
  answered_by: string | null;
  answered_at: string | null;
};

/** The request as the office made it, and the centre's answer to it. */
export type BlankRequestColumns = {
  id: string;
  quantity: number;
  note: string | null;
  justification: string;
  requested_by: string;
  requested_at: string;
} & BlankAnswerColumns;

/** A request not answered yet. */
export const UNANSWERED_BLANK_REQUEST: { readonly [K in keyof BlankAnswerColumns]: null } = {
  allocated_quantity: null,
  tranche: null,
  serial_from: null,
  serial_to: null,
  delivery_earliest: null,
  delivery_latest: null,
  refusal: null,
  answered_by: null,
  answered_at: null,
};

/** A nullable number column as read: PostgreSQL returns bigints as strings. */
export const numberOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/** A blank request row with its shared number columns as numbers (PostgreSQL returns bigints as strings). */
export function blankRequestNumbers<R extends BlankRequestColumns>(r: R): R {
  return { ...r, quantity: Number(r.quantity), allocated_quantity: numberOrNull(r.allocated_quantity), serial_from: numberOrNull(r.serial_from), serial_to: numberOrNull(r.serial_to) };
}
