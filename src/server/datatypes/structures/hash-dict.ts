/**
 * A hash's fields and values with stable slots, modelled on Redis's two encodings:
 *
 * - compact (Redis listpack, while the hash has ≤ hash-max-listpack-entries fields of ≤
 *   hash-max-listpack-value bytes): slots are dense and in insertion order, a deletion closes the
 *   gap (O(n), n small), so HGETALL/HKEYS/HVALS answer in the order Redis does; HSCAN returns
 *   everything in one reply with cursor 0, as Redis does for listpacks.
 * - table (Redis hashtable, one way: once converted a hash never goes back, as in Redis): every
 *   field keeps its slot from insertion to deletion; freed slots are reused and trailing empty
 *   slots trimmed, but live fields never move. HSCAN's cursor is a slot number, so a field present
 *   for a whole iteration is met at least once however the hash grows or shrinks meanwhile.
 *
 * `index` maps field → slot; `keys`/`vals` are parallel arrays (no object per field).
 */

import type { CollectionValue } from '../../keyspace/entry.js';
import { grownArrayBytes, MapShape } from './heap-model.js';
import { stringBytes } from './string-bytes.js';

/**
 * Heap estimate: the index Map and the two slot arrays as V8 sizes them (see heap-model), the
 * strings (see stringBytes), and the object with its empty free list. Checked against heap growth
 * by bench/memory-estimate.mjs (figures in docs/benchmarks.md).
 */
const BASE = 104;

export class HashDict implements CollectionValue {
  private readonly index = new Map<string, number>();
  /** The index's capacity as V8 keeps it, for the heap estimate. */
  private readonly shape = new MapShape();
  private keys: (string | undefined)[] = [];
  private vals: (string | undefined)[] = [];
  private free: number[] = [];
  /** Sum of stringBytes() over fields and values. */
  private heap = 0;
  /** Listpack-like while true: insertion order, whole-hash HSCAN. */
  private dense = true;

  get size(): number {
    return this.index.size;
  }

  get bytes(): number {
    return BASE + this.shape.bytes + 2 * grownArrayBytes(this.keys.length) + grownArrayBytes(this.free.length) + this.heap;
  }

  /** True while the hash mirrors a Redis listpack (see the file header). */
  get compact(): boolean {
    return this.dense;
  }

  /** OBJECT ENCODING's name for the hash. */
  get encoding(): string {
    return this.dense ? 'listpack' : 'hashtable';
  }

  /** One past the highest slot in use: the end of a slot sweep. */
  get slotCount(): number {
    return this.keys.length;
  }

  /** Switches to the table encoding for good (Redis hashTypeConvert). */
  convert(): void {
    this.dense = false;
  }

  get(field: string): string | undefined {
    const slot = this.index.get(field);
    return slot === undefined ? undefined : this.vals[slot];
  }

  has(field: string): boolean {
    return this.index.has(field);
  }

  /** Sets a field; true when it is new. */
  set(field: string, value: string): boolean {
    const slot = this.index.get(field);
    if (slot !== undefined) {
      this.heap += stringBytes(value.length) - stringBytes(this.vals[slot]!.length);
      this.vals[slot] = value;
      return false;
    }
    const at = this.takeSlot();
    this.keys[at] = field;
    this.vals[at] = value;
    this.index.set(field, at);
    this.shape.added();
    this.heap += stringBytes(field.length) + stringBytes(value.length);
    return true;
  }

  private takeSlot(): number {
    if (!this.dense) {
      while (this.free.length > 0) {
        const s = this.free.pop()!;
        if (s < this.keys.length && this.keys[s] === undefined) return s;
      }
    }
    return this.keys.length;
  }

  delete(field: string): boolean {
    const slot = this.index.get(field);
    if (slot === undefined) return false;
    this.index.delete(field);
    this.shape.removed();
    this.heap -= stringBytes(field.length) + stringBytes(this.vals[slot]!.length);
    if (this.dense) {
      this.keys.splice(slot, 1);
      this.vals.splice(slot, 1);
      for (let i = slot; i < this.keys.length; i++) this.index.set(this.keys[i]!, i);
      return true;
    }
    this.keys[slot] = undefined;
    this.vals[slot] = undefined;
    if (slot === this.keys.length - 1) {
      let end = slot;
      while (end > 0 && this.keys[end - 1] === undefined) end--;
      this.keys.length = end;
      this.vals.length = end;
    } else {
      this.free.push(slot);
    }
    if (this.index.size === 0) {
      this.keys = [];
      this.vals = [];
      this.free = [];
    }
    return true;
  }

  /** Field in `slot`, or undefined for a free slot. Iterate slots 0..slotCount-1 for every field. */
  fieldAt(slot: number): string | undefined {
    return this.keys[slot];
  }

  valueAt(slot: number): string | undefined {
    return this.vals[slot];
  }

  /** A uniformly random occupied slot, or -1 when empty (bounded probing, then a sweep). */
  randomSlot(): number {
    const n = this.keys.length;
    if (this.index.size === 0) return -1;
    if (this.dense) return (Math.random() * n) | 0;
    for (let tries = 0; tries < 64; tries++) {
      const s = (Math.random() * n) | 0;
      if (this.keys[s] !== undefined) return s;
    }
    for (let s = (Math.random() * n) | 0, k = 0; k < n; k++, s = (s + 1) % n) if (this.keys[s] !== undefined) return s;
    return -1;
  }

  /**
   * One HSCAN step from slot `cursor`: pushes the occupied slots it visits into `out` until `count`
   * were found or `count * 10` slots were visited; returns the next cursor (0 when done).
   */
  scan(cursor: number, count: number, out: number[]): number {
    const end = this.keys.length;
    let s = cursor;
    for (let visited = 0, limit = count * 10; s < end && out.length < count && visited < limit; s++, visited++) {
      if (this.keys[s] !== undefined) out.push(s);
    }
    return s >= end ? 0 : s;
  }

  clone(): HashDict {
    const h = new HashDict();
    for (let s = 0; s < this.keys.length; s++) {
      const f = this.keys[s];
      if (f !== undefined) h.set(f, this.vals[s]!);
    }
    if (!this.dense) h.convert();
    return h;
  }
}
