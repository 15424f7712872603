/**
 * A stable-slot index over entries: every entry keeps one slot number from insertion to removal.
 *
 * Why: SCAN must return every key present for the whole iteration at least once, while keys are
 * added and removed between calls. A JS Map cannot be resumed at a position, so the cursor is a
 * slot number: an entry present throughout never changes slot, so a cursor sweeping slots in order
 * meets it. Freed slots are reused (a key added behind the cursor may be missed, which SCAN allows)
 * and trailing empty slots are trimmed; slots are never compacted, which would move live entries.
 * The same array gives O(1) random sampling for RANDOMKEY, active expiry and eviction.
 */

export class SlotTable<K extends string, T extends { [P in K]: number }> {
  private slots: (T | undefined)[] = [];
  private free: number[] = [];
  private live = 0;

  constructor(private readonly field: K) {}

  get size(): number {
    return this.live;
  }

  /** One past the highest slot in use: the end of a cursor sweep. */
  get capacity(): number {
    return this.slots.length;
  }

  add(item: T): void {
    let slot = -1;
    while (this.free.length > 0) {
      const s = this.free.pop()!;
      if (s < this.slots.length) {
        slot = s;
        break;
      }
    }
    if (slot === -1) {
      slot = this.slots.length;
      this.slots.push(item);
    } else {
      this.slots[slot] = item;
    }
    item[this.field] = slot as T[K];
    this.live++;
  }

  remove(item: T): void {
    const slot: number = item[this.field];
    if (slot < 0 || this.slots[slot] !== item) return;
    this.slots[slot] = undefined;
    item[this.field] = -1 as T[K];
    this.live--;
    if (slot === this.slots.length - 1) {
      let end = slot;
      while (end > 0 && this.slots[end - 1] === undefined) end--;
      this.slots.length = end;
    } else {
      this.free.push(slot);
    }
    if (this.live === 0) {
      this.slots = [];
      this.free = [];
    }
  }

  at(slot: number): T | undefined {
    return this.slots[slot];
  }

  /** A uniformly random live item, or undefined when empty (bounded probing). */
  random(): T | undefined {
    if (this.live === 0) return undefined;
    const n = this.slots.length;
    for (let tries = 0; tries < 64; tries++) {
      const item = this.slots[(Math.random() * n) | 0];
      if (item !== undefined) return item;
    }
    for (let i = (Math.random() * n) | 0, k = 0; k < n; k++, i = (i + 1) % n) {
      const item = this.slots[i];
      if (item !== undefined) return item;
    }
    return undefined;
  }

  clear(): void {
    this.slots = [];
    this.free = [];
    this.live = 0;
  }
}
