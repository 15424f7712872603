/**
 * Random 1-in-N sampling with a countdown: the hot path only decrements a counter, and the
 * sampled event draws the next gap. Gaps are uniform over [1, 2N − 1] (mean N) rather than a
 * fixed N, so a periodic workload (a pipeline cycling over the same 16 keys or commands) cannot
 * alias with the sampling and always hit, or always miss, the same event.
 */

/**
 * The countdown while sampling is off: the largest V8 small integer (2^30 − 1), so the counter
 * field stays a Smi (a larger number would make it a boxed double, slower to decrement). At a
 * million events a second it reaches 0 after ~18 minutes; the sampled handler then sees its
 * rate is 0 and only resets the countdown.
 */
export const NEVER_SAMPLED = 2 ** 30 - 1;

/** Events until the next sample for a mean of one in `every`; NEVER_SAMPLED when `every` ≤ 0. */
export function nextSampleGap(every: number): number {
  if (!(every > 0)) return NEVER_SAMPLED;
  return 1 + Math.floor(Math.random() * (2 * every - 1));
}
