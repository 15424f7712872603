/**
 * Heap sizes of the V8 containers the collection structures are built from, for their MEMORY
 * USAGE estimates. Measured on Node 20 x64 (8-byte pointers, no pointer compression) with
 * `node --expose-gc`; bench/memory-estimate.mjs checks the resulting estimates against real heap
 * growth and docs/benchmarks.md lists the factors.
 *
 * - Map: an OrderedHashMap whose capacity is a power of two ≥ 4 that doubles when full; each entry
 *   is three words (key, value, chain) and each pair of entries shares one bucket word: 28 bytes
 *   per entry of capacity, plus 72 bytes of JSMap and table header.
 * - Array grown by writes at its end: V8 grows the backing store to len + len/2 + 16 when a write
 *   lands past it (JSObject::NewElementsCapacity); 48 bytes of JSArray and FixedArray header.
 */

/**
 * Follows a Map's capacity through additions and deletions as V8's OrderedHashTable changes it: a
 * deleted entry keeps its place until the table is rehashed; adding to a full table rehashes into
 * twice the capacity (the same capacity when at least half of it is deleted entries); deleting
 * below a quarter of the capacity rehashes into half of it (never below 4).
 */
export class MapShape {
  private cap = 4;
  private live = 0;
  private deleted = 0;

  get bytes(): number {
    return 72 + 28 * this.cap;
  }

  added(): void {
    if (this.live + this.deleted >= this.cap) {
      if (this.deleted < this.cap >> 1) this.cap <<= 1;
      this.deleted = 0;
    }
    this.live++;
  }

  removed(): void {
    this.live--;
    this.deleted++;
    if (this.live < this.cap >> 2 && this.cap > 4) {
      this.cap >>= 1;
      this.deleted = 0;
    }
  }
}

/** Heap bytes of an array of length `len` grown one element at a time from []. */
export function grownArrayBytes(len: number): number {
  if (len === 0) return 32;
  let cap = 0;
  while (cap < len) cap = cap + 1 + ((cap + 1) >> 1) + 16;
  return 48 + 8 * cap;
}
