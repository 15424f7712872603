/**
 * A set's members, modelled on Redis 7.0's two set encodings:
 *
 * - intset: while every member ever added is a canonical int64 (Redis string2ll) and the set never
 *   held more than set-max-intset-entries of them, members list in ascending numeric order and
 *   SSCAN returns them all in one reply with cursor 0, as Redis does for an intset.
 * - hashtable (one way: a converted set never goes back, as in Redis): members list in slot order
 *   (Redis's own order is its hash order, which callers must not depend on) and SSCAN pages by
 *   stable slot (see SlotMembers), keeping the SCAN guarantee while the set changes.
 *
 * Random picks are O(1) via random slots.
 */

import type { CollectionValue } from '../../keyspace/entry.js';
import { SlotMembers } from './slot-members.js';
import { stringBytes } from './string-bytes.js';

/** Redis's default set-max-intset-entries. */
export const INTSET_MAX_DEFAULT = 512;
const INT_RE = /^-?[1-9]\d{0,18}$|^0$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The SetValue and SlotMembers objects and the empty free list; the rest is SlotMembers.bytes. */
const BASE = 128;

/** True when Redis would store `m` in an intset (string2ll accepts it). */
export function isInt64Text(m: string): boolean {
  if (!INT_RE.test(m)) return false;
  if (m.length <= 18) return true;
  const v = BigInt(m);
  return v >= INT64_MIN && v <= INT64_MAX;
}

export function compareInt64Text(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (x !== y) return x < y ? -1 : 1;
  if (a === b) return 0;
  return BigInt(a) < BigInt(b) ? -1 : 1;
}

export class SetValue implements CollectionValue {
  private readonly slots = new SlotMembers();
  private intset = true;
  /** Sum of stringBytes() over members. */
  private heap = 0;

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return BASE + this.slots.bytes + this.heap;
  }

  /** True while the set mirrors a Redis intset (see the file header). */
  get isIntset(): boolean {
    return this.intset;
  }

  /** OBJECT ENCODING's name for the set. */
  get encoding(): string {
    return this.intset ? 'intset' : 'hashtable';
  }

  has(m: string): boolean {
    return this.slots.has(m);
  }

  /** Adds a member (converting to hashtable exactly when Redis would); true when it is new. */
  add(m: string, intsetMax = INTSET_MAX_DEFAULT): boolean {
    if (this.slots.has(m)) return false;
    if (this.intset && (this.slots.size >= intsetMax || !isInt64Text(m))) this.intset = false;
    this.slots.add(m);
    this.heap += stringBytes(m.length);
    return true;
  }

  delete(m: string): boolean {
    if (this.slots.delete(m) === -1) return false;
    this.heap -= stringBytes(m.length);
    return true;
  }

  /** One past the highest slot: slots below it hold a member or are free (memberAt → undefined). */
  get slotCount(): number {
    return this.slots.slotCount;
  }

  memberAt(slot: number): string | undefined {
    return this.slots.at(slot);
  }

  /** Members in reply order: numeric for an intset, slot order otherwise. */
  list(): string[] {
    const out: string[] = [];
    for (let s = 0, end = this.slots.slotCount; s < end; s++) {
      const m = this.slots.at(s);
      if (m !== undefined) out.push(m);
    }
    if (this.intset) out.sort(compareInt64Text);
    return out;
  }

  /** A uniformly random member, or undefined when empty (O(1) expected). */
  random(): string | undefined {
    const s = this.slots.randomSlot();
    return s === -1 ? undefined : this.slots.at(s);
  }

  /**
   * One SSCAN step over a hashtable set (see SlotMembers.scan): pushes members into `out`, returns
   * the next cursor. An intset answers whole: callers use list() and cursor 0 instead.
   */
  scan(cursor: number, count: number, out: string[]): number {
    const slots: number[] = [];
    const next = this.slots.scan(cursor, count, slots);
    for (const s of slots) out.push(this.slots.at(s)!);
    return next;
  }

  clone(): SetValue {
    const s = new SetValue();
    for (const m of this.list()) s.add(m, Infinity);
    s.intset = this.intset;
    return s;
  }
}
