/**
 * An ordered map from strings to values, ordered by code unit (`<`), as Redis's rax orders its
 * byte keys: the stream consumer-group PELs (keyed by `idKey`), consumers and groups by name.
 *
 * Layout: a list of chunks, each a sorted array of at most CHUNK keys with a parallel value array
 * (a B+tree of height two). Lookups binary-search the chunk by its last key, then the chunk:
 * O(log n); inserts and deletes move at most CHUNK slots. An emptied chunk is dropped, a full one
 * split in halves, so every chunk but the last holds CHUNK/2 … CHUNK keys after a split.
 * Iteration helpers never allocate per step except `entries()`/`from()` generators (cold paths).
 */

const CHUNK = 256;

export class SortedMap<V> {
  private keys: string[][] = [];
  private vals: V[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose last key is ≥ key (keys.length when none). */
  private chunkFor(key: string): number {
    const ks = this.keys;
    let lo = 0;
    let hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = ks[mid]!;
      if (c[c.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static lowerBound(c: readonly string[], key: string): number {
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(key: string): V | undefined {
    const ci = this.chunkFor(key);
    const c = this.keys[ci];
    if (c === undefined) return undefined;
    const i = SortedMap.lowerBound(c, key);
    return c[i] === key ? this.vals[ci]![i] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets key → v; true when the key was new. */
  set(key: string, v: V): boolean {
    let ci = this.chunkFor(key);
    if (ci === this.keys.length) {
      if (ci === 0) {
        this.keys.push([key]);
        this.vals.push([v]);
        this.count++;
        return true;
      }
      ci--;
    }
    const c = this.keys[ci]!;
    const vs = this.vals[ci]!;
    const i = SortedMap.lowerBound(c, key);
    if (c[i] === key) {
      vs[i] = v;
      return false;
    }
    c.splice(i, 0, key);
    vs.splice(i, 0, v);
    this.count++;
    if (c.length > CHUNK) {
      const half = c.length >>> 1;
      this.keys.splice(ci + 1, 0, c.splice(half));
      this.vals.splice(ci + 1, 0, vs.splice(half));
    }
    return true;
  }

  /** Removes key; returns its value, or undefined when absent. */
  delete(key: string): V | undefined {
    const ci = this.chunkFor(key);
    const c = this.keys[ci];
    if (c === undefined) return undefined;
    const i = SortedMap.lowerBound(c, key);
    if (c[i] !== key) return undefined;
    const vs = this.vals[ci]!;
    const v = vs[i]!;
    c.splice(i, 1);
    vs.splice(i, 1);
    this.count--;
    if (c.length === 0) {
      this.keys.splice(ci, 1);
      this.vals.splice(ci, 1);
    }
    return v;
  }

  /** The smallest key ≥ key, or undefined. */
  ceiling(key: string): string | undefined {
    const ci = this.chunkFor(key);
    const c = this.keys[ci];
    if (c === undefined) return undefined;
    return c[SortedMap.lowerBound(c, key)];
  }

  firstKey(): string | undefined {
    return this.keys[0]?.[0];
  }

  lastKey(): string | undefined {
    const c = this.keys[this.keys.length - 1];
    return c === undefined ? undefined : c[c.length - 1];
  }

  /** Entries with key ≥ `start`, in order. The map must not change during the iteration. */
  *from(start: string): Generator<[string, V]> {
    let ci = this.chunkFor(start);
    if (ci >= this.keys.length) return;
    let i = SortedMap.lowerBound(this.keys[ci]!, start);
    for (; ci < this.keys.length; ci++, i = 0) {
      const c = this.keys[ci]!;
      const vs = this.vals[ci]!;
      for (; i < c.length; i++) yield [c[i]!, vs[i]!];
    }
  }

  /** Every entry in order. The map must not change during the iteration. */
  entries(): Generator<[string, V]> {
    return this.from('');
  }

  /** Every value in key order. The map must not change during the iteration. */
  *values(): Generator<V> {
    for (const vs of this.vals) for (const v of vs) yield v;
  }
}
