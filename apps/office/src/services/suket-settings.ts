import type { OfficeDbOrTx } from '../db/schema.ts';
import { readSetting } from '../repositories/settings.ts';

export const SUKET_VALIDITY_SETTING = 'suket_validity_months';
export const DEFAULT_SUKET_VALIDITY_MONTHS = 6;

/** How long a new Suket is valid: the office setting `suket_validity_months` (1–24), six months by default. */
export async function suketValidityMonths(db: OfficeDbOrTx): Promise<number> {
  const months = Number(await readSetting(db, SUKET_VALIDITY_SETTING));
  return Number.isInteger(months) && months >= 1 && months <= 24 ? months : DEFAULT_SUKET_VALIDITY_MONTHS;
}

/** The same date `months` later; the last day of the month when that day does not exist (31 Aug + 6 → 28/29 Feb). */
export function addMonths(from: Date, months: number): Date {
  const target = new Date(from);
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}
