/**
 * What `Entry.access` means, and how it changes on an access: the LRU clock or Redis's LFU
 * counter, whichever the maxmemory policy uses (Redis keeps one 24-bit field for both).
 *
 * - LRU: the stamp is the access time in ms; idle time = now − stamp.
 * - LFU (Redis evict.c): stamp = lastDecrementMinute × 256 + counter. The counter is logarithmic:
 *   an access increments it with probability 1 / ((counter − LFU_INIT_VAL) × lfu-log-factor + 1),
 *   saturating at 255, and it loses one unit per `lfu-decay-time` minutes without access. New keys
 *   start at LFU_INIT_VAL so they can collect a few hits before they become eviction candidates.
 *   Unlike Redis we keep the whole minute count (no 16-bit wrap): a double holds it exactly.
 *
 * Switching policy at run time reinterprets old stamps, as in Redis ("LRU and LFU data will take
 * some time to adjust"); both readings are clamped so a foreign stamp never yields nonsense.
 */

/** Redis's LFU_INIT_VAL. */
export const LFU_INIT_VAL = 5;

/** The parameters a stamp update needs, kept by the keyspace (cached from the configuration). */
export interface AccessMode {
  /** True under an LFU maxmemory policy. */
  lfu: boolean;
  /** lfu-log-factor. */
  lfuLogFactor: number;
  /** lfu-decay-time, in minutes (0: never decay). */
  lfuDecayTime: number;
}

function minutes(nowMs: number): number {
  return Math.floor(nowMs / 60_000);
}

/** The counter of an LFU stamp after decay (Redis LFUDecrAndReturn); does not change the stamp. */
export function lfuDecayed(stamp: number, nowMs: number, decayTime: number): number {
  const counter = stamp % 256;
  if (decayTime <= 0) return counter;
  const elapsed = minutes(nowMs) - Math.floor(stamp / 256);
  if (elapsed <= 0) return counter;
  const periods = Math.floor(elapsed / decayTime);
  return periods >= counter ? 0 : counter - periods;
}

/** Logarithmic increment (Redis LFULogIncr). */
export function lfuLogIncr(counter: number, logFactor: number): number {
  if (counter >= 255) return 255;
  const base = counter - LFU_INIT_VAL;
  const p = 1 / ((base < 0 ? 0 : base) * logFactor + 1);
  return Math.random() < p ? counter + 1 : counter;
}

/** The stamp of a key created now. */
export function initialStamp(mode: AccessMode, nowMs: number): number {
  return mode.lfu ? minutes(nowMs) * 256 + LFU_INIT_VAL : nowMs;
}

/** The stamp after one access now (Redis updateLFU, or the LRU clock). */
export function touchedStamp(mode: AccessMode, stamp: number, nowMs: number): number {
  if (!mode.lfu) return nowMs;
  const counter = lfuLogIncr(lfuDecayed(stamp, nowMs, mode.lfuDecayTime), mode.lfuLogFactor);
  return minutes(nowMs) * 256 + counter;
}

/** Idle time in ms of an LRU stamp (OBJECT IDLETIME, LRU eviction score). */
export function idleMs(stamp: number, nowMs: number): number {
  return stamp >= nowMs ? 0 : nowMs - stamp;
}
