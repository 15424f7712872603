/**
 * The node's hot keys: a fixed-memory top-K of the most accessed keys, fed with a sample of the
 * key accesses (hot-keys-feature.ts decides which), under any maxmemory policy.
 *
 * Algorithm (the Count-Min "heavy hitters" scheme): a Count-Min sketch of DEPTH rows × `width`
 * counters (each row indexed by its own hash of the key) estimates every key's (weighted) access count, with conservative update — an access
 * raises only the counters below the key's new estimate, which keeps collisions from inflating
 * the estimates of other keys more than needed. A min-heap of at most `k` keys, ordered by their
 * estimate, holds the current top-K: a key not in the heap enters it when the heap has room or
 * when its estimate passes the heap's smallest, which it evicts. A Map from key to heap slot
 * finds a tracked key in O(1).
 *
 * Decay: `decay()` halves every counter and every heap count (an exponentially weighted count:
 * a key accessed at r accesses/s settles between r·T and 2·r·T for a halving every T seconds),
 * and drops heap keys whose count reached 0, so a key that stops being accessed leaves the top-K.
 *
 * Invariants:
 * - memory is fixed: `width × DEPTH` Uint32 counters, at most `k` heap slots, whatever the number
 *   of distinct keys; the heap keeps the accessed keys' own strings (no copies);
 * - Count-Min never under-estimates: between two decays, a key's estimate is at least the weight
 *   recorded for it (collisions only add);
 * - heap order: every slot's count is at least its parent's (slot 0 holds the smallest).
 */

const DEPTH = 4;
const MAX_COUNT = 0xffffffff;

export interface HotKeysOptions {
  /** Keys kept in the top-K. Default 32. */
  k?: number;
  /** Counters per sketch row, rounded up to a power of two. Default 1024. */
  width?: number;
}

/** One pass of a multiply-xorshift mix over the key's UTF-16 code units. */
function mix(key: string): number {
  let h = 0x2f8a3c51 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h;
}

/** Row seeds: each row's index is its own finalization of the key's mix (independent rows). */
const ROW_SEEDS = [0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f] as const;

/** murmur3's fmix32 of `h ^ seed`. */
function rowHash(h: number, seed: number): number {
  h ^= seed;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class HotKeys {
  readonly k: number;
  private readonly mask: number;
  /** log2(width): row r's counters start at r << shift. */
  private readonly shift: number;
  /** The current key's counter index per row (scratch, so a record allocates nothing). */
  private readonly rowIndex = new Int32Array(DEPTH);
  private readonly counters: Uint32Array;
  /** The heap: parallel arrays of keys and counts, `size` slots in use. */
  private readonly keys: string[];
  private readonly counts: Float64Array;
  private readonly slotOf = new Map<string, number>();
  private size = 0;

  constructor(opts: HotKeysOptions = {}) {
    this.k = Math.max(1, Math.floor(opts.k ?? 32));
    let shift = 0;
    while (1 << shift < (opts.width ?? 1024) && shift < 24) shift++;
    const width = 1 << shift;
    this.shift = shift;
    this.mask = width - 1;
    this.counters = new Uint32Array(width * DEPTH);
    this.keys = new Array<string>(this.k).fill('');
    this.counts = new Float64Array(this.k);
  }

  /** Sketch counters (fixed at construction). */
  get sketchSize(): number {
    return this.counters.length;
  }

  /** Keys in the top-K now (at most `k`). */
  get tracked(): number {
    return this.size;
  }

  /** Records `weight` accesses of `key` (a sampled access stands for `weight` of them). */
  record(key: string, weight: number): void {
    const base = mix(key);
    const cells = this.counters;
    const idx = this.rowIndex;
    let est = MAX_COUNT;
    for (let r = 0; r < DEPTH; r++) {
      const i = (r << this.shift) + (rowHash(base, ROW_SEEDS[r]!) & this.mask);
      idx[r] = i;
      if (cells[i]! < est) est = cells[i]!;
    }
    const next = Math.min(MAX_COUNT, est + weight);
    for (let r = 0; r < DEPTH; r++) if (cells[idx[r]!]! < next) cells[idx[r]!] = next;
    this.offer(key, next);
  }

  /** Puts `key` with estimate `count` into the heap when it belongs to the top-K. */
  private offer(key: string, count: number): void {
    const slot = this.slotOf.get(key);
    if (slot !== undefined) {
      this.counts[slot] = count;
      this.siftDown(slot);
      return;
    }
    if (this.size < this.k) {
      const at = this.size++;
      this.place(at, key, count);
      this.siftUp(at);
      return;
    }
    if (count <= this.counts[0]!) return;
    this.slotOf.delete(this.keys[0]!);
    this.place(0, key, count);
    this.siftDown(0);
  }

  private place(slot: number, key: string, count: number): void {
    this.keys[slot] = key;
    this.counts[slot] = count;
    this.slotOf.set(key, slot);
  }

  private swap(a: number, b: number): void {
    const ka = this.keys[a]!;
    const ca = this.counts[a]!;
    this.place(a, this.keys[b]!, this.counts[b]!);
    this.place(b, ka, ca);
  }

  private siftUp(slot: number): void {
    let i = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.counts[parent]! <= this.counts[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(slot: number): void {
    let i = slot;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const r = l + 1;
      const child = r < this.size && this.counts[r]! < this.counts[l]! ? r : l;
      if (this.counts[i]! <= this.counts[child]!) return;
      this.swap(i, child);
      i = child;
    }
  }

  /** Halves every count; keys whose count reaches 0 leave the top-K. */
  decay(): void {
    const cells = this.counters;
    for (let i = 0; i < cells.length; i++) cells[i] = cells[i]! >>> 1;
    // Halving keeps the heap order (floor(x/2) is monotonic); only emptied slots are removed.
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const c = Math.floor(this.counts[i]! / 2);
      const key = this.keys[i]!;
      this.slotOf.delete(key);
      if (c === 0) continue;
      this.keys[kept] = key;
      this.counts[kept] = c;
      kept++;
    }
    for (let i = kept; i < this.size; i++) this.keys[i] = '';
    this.size = kept;
    for (let i = 0; i < kept; i++) this.slotOf.set(this.keys[i]!, i);
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The `n` hottest keys with their estimated counts, hottest first (ties by key). */
  top(n: number = this.k): [string, number][] {
    const out: [string, number][] = [];
    for (let i = 0; i < this.size; i++) out.push([this.keys[i]!, this.counts[i]!]);
    out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.length > n ? out.slice(0, Math.max(0, n)) : out;
  }

  /** Forgets every key and count (FLUSHALL does not call it: past accesses stay true). */
  clear(): void {
    this.counters.fill(0);
    this.slotOf.clear();
    this.keys.fill('');
    this.size = 0;
  }
}
