/**
 * Pipelined pushes wait for the batch before them. An office draining a backlog keeps two batches on the
 * wire (apps/office/src/services/sync.ts, pushBacklog): batch k+1 leaves while the centre still applies k, so
 * the centre never idles between batches. k+1 may then be read before k is applied, or even before k has
 * arrived; without waiting it would be refused as a gap (OUT_OF_ORDER) and sent again. A push marked as
 * pipelined therefore waits until the office's applied seq reaches the seq before its first, for as long as
 * the batch before it can still come: while a push of that office is being applied in this process, and
 * otherwise for at most WAIT_MS (it may be on its way, or applied by another API process — looked for every
 * POLL_MS). Nothing is decided here: the apply transaction checks the order again, so a gap that stays is
 * refused exactly as before, and an unmarked push is never held.
 */

/** How long a pipelined push waits for its predecessor to show up at all. */
const WAIT_MS = 2000;
/** How often the applied seq is read again while no push of the office is running in this process. */
const POLL_MS = 50;

/** The pushes of each office being applied in this process, and who waits for one of them to end. */
const lanes = new Map<string, { running: number; waiting: Set<() => void> }>();

function laneOf(officeId: string) {
  let lane = lanes.get(officeId);
  if (!lane) lanes.set(officeId, (lane = { running: 0, waiting: new Set() }));
  return lane;
}

function release(officeId: string): void {
  const lane = lanes.get(officeId);
  if (!lane) return;
  for (const wake of lane.waiting) wake();
  lane.waiting.clear();
  if (lane.running === 0) lanes.delete(officeId);
}

/**
 * Runs `apply` for a push whose entries start at `firstSeq`, once the office's applied seq (`appliedSeq`, read
 * from the database) reaches firstSeq − 1 — at once when the push is not pipelined or nothing comes before
 * it, and after WAIT_MS without its predecessor regardless (apply then refuses the gap).
 */
export async function inSeqOrder<T>(officeId: string, firstSeq: number, pipelined: boolean, appliedSeq: () => Promise<number>, apply: () => Promise<T>): Promise<T> {
  if (pipelined) {
    const giveUpAt = Date.now() + WAIT_MS;
    while ((await appliedSeq()) + 1 < firstSeq && Date.now() < giveUpAt) {
      const lane = laneOf(officeId);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, lane.running > 0 ? giveUpAt - Date.now() : POLL_MS);
        function done() {
          clearTimeout(timer);
          lane.waiting.delete(done);
          resolve();
        }
        lane.waiting.add(done);
      });
    }
  }
  const lane = laneOf(officeId);
  lane.running += 1;
  try {
    return await apply();
  } finally {
    lane.running -= 1;
    release(officeId);
  }
}
