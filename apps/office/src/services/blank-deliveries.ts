import { officeDate, workCalendar } from '@tangguh/domain';
import type { OfficeContext } from '../context.ts';
import { allocatedBlankRequests, type BlankRequestRow, receivedTranchesAndRanges } from '../repositories/blank-requests.ts';

/** An allocation by the centre that the office still expects, as the forecast counts it. */
export interface ExpectedAllocation {
  requestId: string;
  quantity: number;
  tranche: string | null;
  earliest: string;
  latest: string;
}

/**
 * Whether a receipt (penerimaan) recorded in the ledger is this allocation's delivery: the same tranche, or
 * a serial range that overlaps the allocated one. The storekeeper records the physical receipt with the
 * existing receipt route; from then on the blanks are stock and no longer an expected delivery.
 */
export function isReceived(row: BlankRequestRow, receipts: { tranche: string | null; from: number; to: number }[]): boolean {
  return receipts.some(
    (r) => (row.tranche !== null && r.tranche === row.tranche) || (row.serial_from !== null && row.serial_to !== null && r.from <= row.serial_to && row.serial_from <= r.to),
  );
}

/**
 * The allocations answered by the centre and not yet received. A delivery whose dates have passed is still
 * expected (late, not lost): it is counted from today, never on a day already gone.
 */
export async function expectedDeliveries(ctx: Pick<OfficeContext, 'db' | 'now' | 'office'>): Promise<ExpectedAllocation[]> {
  const today = officeDate(ctx.now(), workCalendar(ctx.office.timeZone, []));
  const [rows, receipts] = await Promise.all([allocatedBlankRequests(ctx.db), receivedTranchesAndRanges(ctx.db)]);
  const later = (d: string | null) => (d === null || d < today ? today : d);
  return rows
    .filter((row) => !isReceived(row, receipts))
    .map((row) => ({ requestId: row.id, quantity: row.allocated_quantity ?? 0, tranche: row.tranche, earliest: later(row.delivery_earliest), latest: later(row.delivery_latest) }))
    .filter((d) => d.quantity > 0);
}
