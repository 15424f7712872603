/**
 * What `Entry.access` means, and how it changes on an access: the LRU clock or Redis's LFU
 * counter, whichever the maxmemory policy uses (Redis keeps one 24-bit field for both).
 *
 * - LRU: the stamp is the LRU clock at the last access: 10 ms ticks since the process started,
 *   wrapping at 2^30 ticks (~124 days; Redis's 1 s clock wraps at 2^24 s). Idle time is the
 *   clock distance, modulo the wrap.
 * - LFU (Redis evict.c): stamp = lastDecrementMinute × 256 + counter, minutes since the process
 *   started modulo 2^16 as in Redis. The counter is logarithmic: an access increments it with
 *   probability 1 / ((counter − LFU_INIT_VAL) × lfu-log-factor + 1), saturating at 255, and it loses
 *   one unit per `lfu-decay-time` minutes without access. New keys start at LFU_INIT_VAL so they
 *   can collect a few hits before they become eviction candidates.
 *
 * Why small integers: a stamp below 2^31 is a V8 Smi stored inline in the entry, where a full
 * millisecond timestamp is a double V8 boxes in a separate heap object — 16 bytes and one more
 * object to mark per key, and one more pointer to chase per eviction sample.
 *
 * Switching policy at run time reinterprets old stamps, as in Redis ("LRU and LFU data will take
 * some time to adjust").
 */

const CLOCK_BASE_MS = Date.now();
const LRU_TICK_MS = 10;
const LRU_MASK = 2 ** 30 - 1;
const LDT_MASK = 0xffff;

/** The LRU clock at `nowMs`. */
export function lruClock(nowMs: number): number {
  return Math.floor((nowMs - CLOCK_BASE_MS) / LRU_TICK_MS) & LRU_MASK;
}

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

/** Minutes since the process started, modulo 2^16 (Redis LFUGetTimeInMinutes). */
function minutes(nowMs: number): number {
  return Math.floor((nowMs - CLOCK_BASE_MS) / 60_000) & LDT_MASK;
}

/** The counter of an LFU stamp after decay (Redis LFUDecrAndReturn); does not change the stamp. */
export function lfuDecayed(stamp: number, nowMs: number, decayTime: number): number {
  const counter = stamp & 255;
  if (decayTime <= 0) return counter;
  const elapsed = (minutes(nowMs) - ((stamp >>> 8) & LDT_MASK)) & LDT_MASK;
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
  return mode.lfu ? minutes(nowMs) * 256 + LFU_INIT_VAL : lruClock(nowMs);
}

/** The stamp after one access now (Redis updateLFU, or the LRU clock). */
export function touchedStamp(mode: AccessMode, stamp: number, nowMs: number): number {
  if (!mode.lfu) return lruClock(nowMs);
  const counter = lfuLogIncr(lfuDecayed(stamp, nowMs, mode.lfuDecayTime), mode.lfuLogFactor);
  return minutes(nowMs) * 256 + counter;
}

/** Idle time in ms of an LRU stamp (OBJECT IDLETIME, LRU eviction score; Redis estimateObjectIdleTime). */
export function idleMs(stamp: number, nowMs: number): number {
  return ((lruClock(nowMs) - stamp) & LRU_MASK) * LRU_TICK_MS;
}

/** An LRU stamp for a key last used `idleMs` ago (RESTORE … IDLETIME; Redis objectSetLRUOrLFU). */
export function lruStampIdle(nowMs: number, idleMs: number): number {
  return (lruClock(nowMs) - Math.floor(idleMs / LRU_TICK_MS)) & LRU_MASK;
}

/** An LFU stamp with counter `freq` as of now (RESTORE … FREQ). */
export function lfuStampNow(nowMs: number, freq: number): number {
  return minutes(nowMs) * 256 + freq;
}
