/**
 * Delay before retry number `attempt` (0-based): exponential with full jitter, a random point in
 * [0, min(cap, base·2^attempt)). Full jitter spreads out offices that all lost the link at the same
 * moment, so they do not all hammer the centre again in step when it returns.
 */
export function backoffDelay(attempt: number, opts: { baseMs: number; capMs: number }, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // 2^exponent overflows to Infinity for large attempts; Math.min with the cap keeps it finite.
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** exponent);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.floor(ceiling * fraction);
}
