/**
 * A set's members on a JS Set, with byte accounting. Like Redis's intset encoding, a set whose
 * members have all been canonical integers (and at most `set-max-intset-entries` = 512 of them)
 * lists them in ascending numeric order; any other set lists them in insertion order (Redis's
 * hashtable order is arbitrary, so callers must not depend on it).
 */

import type { CollectionValue } from '../../keyspace/entry.js';

const INTSET_MAX = 512;
const INT_RE = /^-?(0|[1-9]\d{0,18})$/;
const PER_MEMBER = 48;
const BASE = 64;

export class SetValue implements CollectionValue {
  readonly members = new Set<string>();
  /** Still in "intset" shape: every member ever added was an integer, and never more than 512. */
  private intset = true;
  private chars = 0;

  get size(): number {
    return this.members.size;
  }

  get bytes(): number {
    return BASE + this.members.size * PER_MEMBER + this.chars;
  }

  get isIntset(): boolean {
    return this.intset;
  }

  has(m: string): boolean {
    return this.members.has(m);
  }

  add(m: string): boolean {
    if (this.members.has(m)) return false;
    if (this.intset && (!INT_RE.test(m) || m === '-0' || BigInt(m) > 2n ** 63n - 1n || BigInt(m) < -(2n ** 63n) || this.members.size >= INTSET_MAX)) {
      this.intset = false;
    }
    this.members.add(m);
    this.chars += m.length;
    return true;
  }

  delete(m: string): boolean {
    if (!this.members.delete(m)) return false;
    this.chars -= m.length;
    return true;
  }

  /** Members in reply order (numeric for intset-shaped sets). */
  list(): string[] {
    const all = [...this.members];
    if (this.intset) all.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    return all;
  }

  /** A uniformly random member (O(n); fine for the sizes SPOP/SRANDMEMBER see here). */
  random(): string | undefined {
    if (this.members.size === 0) return undefined;
    let i = Math.floor(Math.random() * this.members.size);
    for (const m of this.members) if (i-- === 0) return m;
    return undefined;
  }

  clone(): SetValue {
    const s = new SetValue();
    for (const m of this.list()) s.add(m);
    return s;
  }
}
