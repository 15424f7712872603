/**
 * Random 1-in-N sampling with a countdown: the hot path only decrements a counter, and the
 * sampled event draws the next gap. Gaps are uniform over [1, 2N − 1] (mean N) rather than a
 * fixed N, so a periodic workload (a pipeline cycling over the same 16 keys or commands) cannot
 * alias with the sampling and always hit, or always miss, the same event.
 */

/** A countdown that never reaches 0 in practice: sampling off. */
export const NEVER_SAMPLED = Number.MAX_SAFE_INTEGER;

/** Events until the next sample for a mean of one in `every`; NEVER_SAMPLED when `every` ≤ 0. */
export function nextSampleGap(every: number): number {
  if (!(every > 0)) return NEVER_SAMPLED;
  return 1 + Math.floor(Math.random() * (2 * every - 1));
}
