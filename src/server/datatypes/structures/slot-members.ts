/**
 * Distinct strings with stable slots: the member index of a set (and of anything else that must
 * answer a Redis SCAN over its members).
 *
 * Why slots: SSCAN/ZSCAN must return every member present for the whole iteration at least once,
 * while members are added and removed between calls. A JS Set or Map cannot be resumed at a
 * position, so the cursor is a slot number: a member keeps its slot from insertion to deletion, so
 * a sweep over slots in ascending order meets it. Freed slots are reused (a member added behind the
 * cursor may be missed, which SCAN allows) and trailing free slots are trimmed, so a shrunken
 * collection also sweeps quickly; live members never move.
 *
 * `index` maps member → slot; `members` holds the member in its slot (undefined = free).
 */

import { grownArrayBytes, MapShape } from './heap-model.js';

export class SlotMembers {
  private readonly index = new Map<string, number>();
  /** The index's capacity as V8 keeps it, for the heap estimate. */
  private readonly shape = new MapShape();
  private members: (string | undefined)[] = [];
  private free: number[] = [];

  get size(): number {
    return this.index.size;
  }

  /** One past the highest slot in use: the end of a slot sweep. */
  get slotCount(): number {
    return this.members.length;
  }

  /**
   * Heap bytes of the index and slot arrays (not the member strings), as V8 sizes them (see
   * heap-model); checked by bench/memory-estimate.mjs.
   */
  get bytes(): number {
    return this.shape.bytes + grownArrayBytes(this.members.length) + grownArrayBytes(this.free.length);
  }

  has(m: string): boolean {
    return this.index.has(m);
  }

  /** The member's slot, or -1. */
  slotOf(m: string): number {
    return this.index.get(m) ?? -1;
  }

  /** Member in `slot`, or undefined for a free slot. */
  at(slot: number): string | undefined {
    return this.members[slot];
  }

  /** Adds a member; returns its new slot, or -1 when it was already present. */
  add(m: string): number {
    if (this.index.has(m)) return -1;
    let slot = this.members.length;
    while (this.free.length > 0) {
      const s = this.free.pop()!;
      if (s < this.members.length && this.members[s] === undefined) {
        slot = s;
        break;
      }
    }
    this.members[slot] = m;
    this.index.set(m, slot);
    this.shape.added();
    return slot;
  }

  /** Removes a member; returns the slot it had, or -1 when absent. */
  delete(m: string): number {
    const slot = this.index.get(m);
    if (slot === undefined) return -1;
    this.index.delete(m);
    this.shape.removed();
    this.members[slot] = undefined;
    if (this.index.size === 0) {
      this.members = [];
      this.free = [];
    } else if (slot === this.members.length - 1) {
      let end = slot;
      while (end > 0 && this.members[end - 1] === undefined) end--;
      this.members.length = end;
    } else {
      this.free.push(slot);
    }
    return slot;
  }

  /** A uniformly random occupied slot, or -1 when empty (bounded probing, then a sweep). */
  randomSlot(): number {
    const n = this.members.length;
    if (this.index.size === 0) return -1;
    for (let tries = 0; tries < 64; tries++) {
      const s = (Math.random() * n) | 0;
      if (this.members[s] !== undefined) return s;
    }
    for (let s = (Math.random() * n) | 0, k = 0; k < n; k++, s = (s + 1) % n) if (this.members[s] !== undefined) return s;
    return -1;
  }

  /**
   * One SCAN step from slot `cursor`: pushes the occupied slots it visits into `out` until `count`
   * were found or `count * 10` slots were visited (Redis's bound on empty buckets); returns the
   * next cursor, 0 when the sweep is complete.
   */
  scan(cursor: number, count: number, out: number[]): number {
    const end = this.members.length;
    let s = cursor;
    for (let visited = 0, limit = count * 10; s < end && out.length < count && visited < limit; s++, visited++) {
      if (this.members[s] !== undefined) out.push(s);
    }
    return s >= end ? 0 : s;
  }
}
