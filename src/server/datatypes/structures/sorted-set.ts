/**
 * A sorted set as Redis keeps its skiplist encoding: members with stable slots (SlotMembers: the
 * member → slot map answers ZSCORE and ZSCAN's cursor), each slot's skiplist node in `nodeOf`, and
 * the skiplist ordered by (score, member) for ranks and ranges.
 *
 * Encoding, as Redis 7.0 decides it: "compact" (Redis listpack) while the set never held more than
 * zset-max-listpack-entries members nor a member longer than zset-max-listpack-value bytes; then
 * "skiplist" for good (`fit` converts; a fresh set built by a STORE command starts compact again).
 * A compact set answers ZSCAN whole in score order with cursor 0; a skiplist set pages by slot.
 *
 * Invariants: slots.size === list.length; nodeOf[slot] is the live node of the member in slot.
 */

import type { CollectionValue } from '../../keyspace/entry.js';
import { NIL, SkipList } from './skiplist.js';
import { SlotMembers } from './slot-members.js';
import { stringBytes } from './string-bytes.js';

/**
 * Heap estimate: the objects, typed-array views and the skiplist header and free-list heads (BASE,
 * measured), the member slots (SlotMembers.bytes), nodeOf and the arena as allocated, and the
 * member strings. Checked by bench/memory-estimate.mjs (figures in docs/benchmarks.md).
 */
const BASE = 1000;
/** Rebuild the arena when at most a quarter of it is live and it is at least this big. */
const COMPACT_MIN_BYTES = 1 << 16;
/** A record averages ~35 bytes (p = 1/4: 1.33 levels); four times that, rounded up. */
const LIVE_BYTES_PER_QUARTER = 128;

export interface ScoredMember {
  readonly member: string;
  readonly score: number;
}

export class SortedSet implements CollectionValue {
  private readonly slots = new SlotMembers();
  private nodeOf = new Int32Array(8);
  private skiplist = new SkipList(this.slots);
  /** Sum of stringBytes() over members. */
  private heap = 0;
  private longest = 0;
  private compactEnc = true;

  get size(): number {
    return this.slots.size;
  }

  get list(): SkipList {
    return this.skiplist;
  }

  get bytes(): number {
    return BASE + this.skiplist.arenaBytes + this.nodeOf.byteLength + this.slots.bytes + this.heap;
  }

  /** True while the set mirrors a Redis listpack (see the file header). */
  get compact(): boolean {
    return this.compactEnc;
  }

  get encoding(): string {
    return this.compactEnc ? 'listpack' : 'skiplist';
  }

  /** Converts to the skiplist encoding once the set outgrows the listpack limits (for good). */
  fit(maxEntries: number, maxValue: number): void {
    if (this.compactEnc && (this.slots.size > maxEntries || this.longest > maxValue)) this.compactEnc = false;
  }

  /** Converts to the skiplist encoding now (Redis's SORT converts the set it sorts). */
  toSkiplist(): void {
    this.compactEnc = false;
  }

  has(member: string): boolean {
    return this.slots.has(member);
  }

  score(member: string): number | undefined {
    const s = this.slots.slotOf(member);
    return s === -1 ? undefined : this.skiplist.score(this.nodeOf[s]!);
  }

  /** Adds or moves a member; true when it was new. */
  set(member: string, score: number): boolean {
    const list = this.skiplist;
    let slot = this.slots.slotOf(member);
    if (slot !== -1) {
      const old = list.score(this.nodeOf[slot]!);
      if (old === score) return false;
      list.delete(old, member);
      this.nodeOf[slot] = list.insert(score, member, slot);
      return false;
    }
    slot = this.slots.add(member);
    if (slot >= this.nodeOf.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.nodeOf.length * 2));
      grown.set(this.nodeOf);
      this.nodeOf = grown;
    }
    this.nodeOf[slot] = list.insert(score, member, slot);
    this.heap += stringBytes(member.length);
    if (member.length > this.longest) this.longest = member.length;
    return true;
  }

  delete(member: string): boolean {
    const slot = this.slots.slotOf(member);
    if (slot === -1) return false;
    this.skiplist.delete(this.skiplist.score(this.nodeOf[slot]!), member);
    this.slots.delete(member);
    this.heap -= stringBytes(member.length);
    this.maybeCompactArena();
    return true;
  }

  /** 0-based rank, or -1. */
  rank(member: string): number {
    const slot = this.slots.slotOf(member);
    if (slot === -1) return -1;
    const list = this.skiplist;
    return list.rank(list.score(this.nodeOf[slot]!), member) - 1;
  }

  /** Removes and returns up to `count` members from the low (or high) end. */
  pop(max: boolean, count: number): ScoredMember[] {
    const out: ScoredMember[] = [];
    const list = this.skiplist;
    for (let n = max ? list.tail : list.first(); n !== NIL && out.length < count; n = max ? list.prev(n) : list.next(n)) {
      out.push({ member: list.member(n), score: list.score(n) });
    }
    for (const p of out) this.delete(p.member);
    return out;
  }

  /** Calls `fn` with every member and its score, in order, without collecting them. */
  forEach(fn: (member: string, score: number) => void): void {
    const list = this.skiplist;
    for (let n = list.first(); n !== NIL; n = list.next(n)) fn(list.member(n), list.score(n));
  }

  /** Every member with its score, in order. */
  entries(): ScoredMember[] {
    const out: ScoredMember[] = [];
    const list = this.skiplist;
    for (let n = list.first(); n !== NIL; n = list.next(n)) out.push({ member: list.member(n), score: list.score(n) });
    return out;
  }

  /** One past the highest member slot: slots below it are live or free (memberAt → undefined). */
  get slotCount(): number {
    return this.slots.slotCount;
  }

  /** The member in `slot` (undefined for a free slot) and its score. */
  memberAt(slot: number): string | undefined {
    return this.slots.at(slot);
  }

  scoreAt(slot: number): number {
    return this.skiplist.score(this.nodeOf[slot]!);
  }

  /** A uniformly random live slot, or -1 when empty. */
  randomSlot(): number {
    return this.slots.randomSlot();
  }

  /** A uniformly random member, or undefined when empty. */
  random(): ScoredMember | undefined {
    const s = this.slots.randomSlot();
    if (s === -1) return undefined;
    return { member: this.slots.at(s)!, score: this.skiplist.score(this.nodeOf[s]!) };
  }

  /**
   * One ZSCAN step over a skiplist-encoded set (see SlotMembers.scan): pushes members into `out`
   * and returns the next cursor. A compact set answers whole: callers use entries() and cursor 0.
   */
  scan(cursor: number, count: number, out: ScoredMember[]): number {
    const slots: number[] = [];
    const next = this.slots.scan(cursor, count, slots);
    for (const s of slots) out.push({ member: this.slots.at(s)!, score: this.skiplist.score(this.nodeOf[s]!) });
    return next;
  }

  /**
   * Rebuilds the skiplist into a fresh arena when deletions left it mostly free records. Node ids
   * change; member slots (ZSCAN's cursor) do not.
   */
  private maybeCompactArena(): void {
    const list = this.skiplist;
    if (list.arenaBytes < COMPACT_MIN_BYTES || list.length * LIVE_BYTES_PER_QUARTER > list.arenaBytes) return;
    const fresh = new SkipList(this.slots);
    for (let n = list.first(); n !== NIL; n = list.next(n)) {
      const slot = list.slot(n);
      this.nodeOf[slot] = fresh.insert(list.score(n), list.member(n), slot);
    }
    this.skiplist = fresh;
    if (this.slots.slotCount * 4 < this.nodeOf.length) this.nodeOf = this.nodeOf.slice(0, Math.max(8, this.slots.slotCount));
  }

  clone(): SortedSet {
    const z = new SortedSet();
    const list = this.skiplist;
    for (let n = list.first(); n !== NIL; n = list.next(n)) z.set(list.member(n), list.score(n));
    z.compactEnc = this.compactEnc;
    return z;
  }
}
