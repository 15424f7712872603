/**
 * Hot-key detection: which keys are read more than `hotThreshold` times a second, in fixed memory.
 *
 * Algorithm: a Count-Min sketch (depth 4, width a power of two) of read counts with periodic
 * halving (exponential decay, one halving per `windowMs`), plus a small exact table of the keys
 * currently hot (at most `maxHot`, the Space-Saving idea: only the heavy hitters get exact
 * counters).
 *
 * - Cold key read: O(1): two string hashes, four counter increments, one comparison.
 * - Hot key read: one Map lookup and an increment (the sketch is not touched).
 * - Window rollover (amortised into reads, or `tick()`): halve every counter, halve the hot
 *   table's counts and drop keys that cooled. O(width × depth + maxHot) once per window.
 *
 * Thresholds, for a key read steadily at r reads/s, with W = windowMs / 1000: its count settles
 * between r·W (just after a halving) and 2·r·W (just before). A key is promoted when its count
 * reaches T·W (T = hotThreshold), so a key read at r ≥ T is hot within two windows of its first
 * read (at most 2·r·W reads of it: the first, partial window's count is halved once), and stays hot; a key is demoted at a rollover when its halved count is below T·W, so a key slower
 * than T/2 never stays hot and a key that stops being read is demoted within two windows. Count-Min
 * only over-estimates (collisions add), so detection is never late; false promotion needs
 * collisions in all four rows, whose probability the width bounds (width 4096 → the estimate
 * exceeds the true count by more than 2·N/4096 with probability ≤ 1/e⁴, N = total reads in the
 * decayed window).
 *
 * Memory is fixed: `width × 4` Uint32 counters plus at most `maxHot` table entries, whatever the
 * number of distinct keys. A demoted key's locally cached value is not dropped here: it simply
 * expires with its (short) local TTL.
 */

export interface HotKeyOptions {
  /** Reads per second above which a key is hot. Default 100. */
  hotThreshold?: number;
  /** Decay window in ms (counts halve once per window). Default 1000. */
  windowMs?: number;
  /** Counters per sketch row; rounded up to a power of two. Default 4096. */
  width?: number;
  /** Most keys tracked as hot at once. Default 1024. */
  maxHot?: number;
  /** When set, only keys starting with one of these prefixes can become hot. */
  prefixes?: readonly string[];
  /** Clock (ms), injectable for tests. Default Date.now. */
  now?: () => number;
}

/** One hot key in the local cache's stats. */
export interface HotKeyInfo {
  /** The key. */
  key: string;
  /** Estimated reads per second. */
  rate: number;
  /** Held as hot whatever its rate (reserved: nothing in the client pins keys yet, so false). */
  pinned: boolean;
}

const DEPTH = 4;

interface HotEntry {
  count: number;
  pinned: boolean;
}

/** FNV-1a and a multiplicative second hash over UTF-16 code units, in one pass (no allocation). */
function hashPair(key: string, out: Uint32Array): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  out[0] = h1 >>> 0;
  out[1] = (h2 | 1) >>> 0; // odd: the double-hashing step visits distinct cells per row
}

export class HotKeyDetector {
  readonly threshold: number;
  readonly windowMs: number;
  private readonly mask: number;
  private readonly counters: Uint32Array;
  private readonly hot = new Map<string, HotEntry>();
  private readonly maxHot: number;
  private readonly prefixes: readonly string[] | null;
  private readonly now: () => number;
  /** Count a key must reach within the decayed window to be hot (T·W). */
  private readonly promoteAt: number;
  private windowEnd: number;
  /** When the hot table is full: no unpinned entry counts less (see promote). -1: unknown. */
  private floor = -1;
  private readonly scratch = new Uint32Array(2);

  constructor(opts: HotKeyOptions = {}) {
    this.threshold = opts.hotThreshold ?? 100;
    this.windowMs = opts.windowMs ?? 1000;
    let width = 1;
    while (width < (opts.width ?? 4096)) width <<= 1;
    this.mask = width - 1;
    this.counters = new Uint32Array(width * DEPTH);
    this.maxHot = opts.maxHot ?? 1024;
    this.prefixes = opts.prefixes !== undefined && opts.prefixes.length > 0 ? opts.prefixes : null;
    this.now = opts.now ?? Date.now;
    this.promoteAt = Math.max(1, Math.ceil((this.threshold * this.windowMs) / 1000));
    this.windowEnd = this.now() + this.windowMs;
  }

  /** Counts one read of `key`; true when the key is (now) hot. */
  record(key: string): boolean {
    if (this.now() >= this.windowEnd) this.rollover();
    const e = this.hot.get(key);
    if (e !== undefined) {
      e.count++;
      return true;
    }
    if (this.prefixes !== null && !this.allowed(key)) return false;
    const est = this.increment(key);
    if (est < this.promoteAt) return false;
    return this.promote(key, est, false);
  }

  /** True when `key` is currently hot (or pinned), without counting a read. */
  isHot(key: string): boolean {
    return this.hot.has(key);
  }

  /** Marks `key` hot until `unpin` (counts still accrue; it is never demoted). */
  pin(key: string): void {
    const e = this.hot.get(key);
    if (e !== undefined) e.pinned = true;
    else this.hot.set(key, { count: 0, pinned: true });
  }

  unpin(key: string): void {
    const e = this.hot.get(key);
    if (e === undefined) return;
    e.pinned = false;
    this.floor = -1; // it may now be the least unpinned entry
  }

  /** Runs the window rollover if due (reads do this too). */
  tick(): void {
    if (this.now() >= this.windowEnd) this.rollover();
  }

  get hotCount(): number {
    return this.hot.size;
  }

  /** Bytes held by the sketch (fixed) — for stats and the memory property. */
  get sketchBytes(): number {
    return this.counters.byteLength;
  }

  /** The `n` hottest keys with estimated rates, hottest first. */
  top(n: number): HotKeyInfo[] {
    const out: HotKeyInfo[] = [];
    // Steady-state count sits between r·W and 2·r·W: report the midpoint's rate.
    const perSecond = 1000 / (1.5 * this.windowMs);
    for (const [key, e] of this.hot) out.push({ key, rate: Math.round(e.count * perSecond), pinned: e.pinned });
    out.sort((a, b) => b.rate - a.rate);
    return out.length > n ? out.slice(0, n) : out;
  }

  private allowed(key: string): boolean {
    for (const p of this.prefixes ?? []) if (key.startsWith(p)) return true;
    return false;
  }

  /** Count-Min conservative update: raise only the rows at the current minimum. */
  private increment(key: string): number {
    hashPair(key, this.scratch);
    const h1 = this.scratch[0]!;
    const h2 = this.scratch[1]!;
    const width = this.mask + 1;
    let min = 0xffffffff;
    for (let i = 0; i < DEPTH; i++) {
      const v = this.counters[i * width + ((h1 + Math.imul(i, h2)) & this.mask)]!;
      if (v < min) min = v;
    }
    const next = min + 1;
    for (let i = 0; i < DEPTH; i++) {
      const idx = i * width + ((h1 + Math.imul(i, h2)) & this.mask);
      if (this.counters[idx]! < next) this.counters[idx] = next;
    }
    return next;
  }

  /**
   * Adds `key` to the hot table, displacing the coolest unpinned key when full. A full table keeps
   * `floor`, a lower bound of its least count (counts only grow between rollovers), so a candidate
   * at or under it is refused in O(1); only a candidate above it pays a scan, which either
   * promotes it or raises the floor.
   */
  private promote(key: string, count: number, pinned: boolean): boolean {
    if (this.hot.size >= this.maxHot) {
      if (count <= this.floor) return false;
      let victim: string | null = null;
      let least = Infinity;
      let second = Infinity;
      for (const [k, e] of this.hot) {
        if (e.pinned) continue;
        if (e.count < least) {
          second = least;
          least = e.count;
          victim = k;
        } else if (e.count < second) second = e.count;
      }
      if (victim === null || least >= count) {
        this.floor = least;
        return false;
      }
      this.hot.delete(victim);
      this.floor = Math.min(second, count);
    }
    this.hot.set(key, { count, pinned });
    return true;
  }

  private rollover(): void {
    const now = this.now();
    // Several idle windows: halve once per elapsed window (bounded: 32 halvings zero any count).
    let halvings = 1 + Math.floor((now - this.windowEnd) / this.windowMs);
    if (halvings > 32) halvings = 32;
    this.windowEnd = now + this.windowMs - ((now - this.windowEnd) % this.windowMs);
    const c = this.counters;
    for (let i = 0; i < c.length; i++) c[i] = c[i]! >>> halvings;
    this.floor = -1;
    for (const [key, e] of this.hot) {
      e.count = Math.floor(e.count / 2 ** halvings);
      if (!e.pinned && e.count < this.promoteAt) {
        this.hot.delete(key);
      }
    }
  }
}
