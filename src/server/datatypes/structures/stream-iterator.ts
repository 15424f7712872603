/**
 * Iterates the entries of a stream between two IDs (inclusive), forwards or backwards, skipping
 * tombstones unless asked (Redis streamIterator*). One iterator is reused per call site: `start()`
 * resets it, `next()` moves to the next entry in range and exposes its ID halves, flags and field
 * count; `field()`/`value()` then read the pairs in order into an `LpElement` (offsets into the
 * node's buffer, no allocation). Unread pairs are skipped by the next `next()`.
 *
 * The stream must not change between `start()` and the last read (callers finish reading, then
 * mutate, then restart, as Redis re-seeks after a removal).
 */

import { LpElement, prevElement, readElement } from './listpack.js';
import { MAX_ID, StreamId, ZERO_ID } from './stream-id.js';
import { FLAG_DELETED, FLAG_SAMEFIELDS, type StreamNode } from './stream-node.js';

const TWO32 = 4294967296;

/** Compares the ID (msHi, msLo, seqHi, seqLo) with `b`. */
export function cmpHalves(msHi: number, msLo: number, seqHi: number, seqLo: number, b: StreamId): number {
  if (msHi !== b.msHi) return msHi < b.msHi ? -1 : 1;
  if (msLo !== b.msLo) return msLo < b.msLo ? -1 : 1;
  if (seqHi !== b.seqHi) return seqHi < b.seqHi ? -1 : 1;
  if (seqLo !== b.seqLo) return seqLo < b.seqLo ? -1 : 1;
  return 0;
}

/** Index of the last node whose master ID is ≤ id, or -1. */
export function nodeAtOrBefore(nodes: readonly StreamNode[], id: StreamId, cmp: (a: StreamId, b: StreamId) => number): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(nodes[mid]!.master, id) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export class StreamIterator {
  /** The current entry: ID halves, flags, number of field/value pairs. */
  msHi = 0;
  msLo = 0;
  seqHi = 0;
  seqLo = 0;
  flags = 0;
  numFields = 0;
  /** The current entry's node and the offset of its flags element. */
  node: StreamNode | null = null;
  flagsAt = 0;

  private nodes: readonly StreamNode[] = [];
  private nextNode = 0;
  private rev = false;
  private skipTombstones = true;
  private startId: StreamId = ZERO_ID;
  private endId: StreamId = MAX_ID;
  private masterStart = 0;
  private masterCount = 0;
  /** Read cursor inside the current node, and elements of the current entry left to skip. */
  private p = 0;
  private remaining = 0;
  private masterCursor = 0;
  private inEntry = false;
  private readonly el = new LpElement();

  start(nodes: readonly StreamNode[], start: StreamId | null, end: StreamId | null, rev: boolean, cmp: (a: StreamId, b: StreamId) => number, skipTombstones = true): this {
    this.nodes = nodes;
    this.rev = rev;
    this.skipTombstones = skipTombstones;
    this.startId = start ?? ZERO_ID;
    this.endId = end ?? MAX_ID;
    this.node = null;
    this.inEntry = false;
    if (!rev) {
      const i = start === null ? -1 : nodeAtOrBefore(nodes, start, cmp);
      this.nextNode = i < 0 ? 0 : i;
    } else {
      const i = end === null ? -1 : nodeAtOrBefore(nodes, end, cmp);
      this.nextNode = i < 0 ? nodes.length - 1 : i;
    }
    return this;
  }

  /** The current entry's ID (allocates). */
  id(): StreamId {
    return new StreamId(this.msHi, this.msLo, this.seqHi, this.seqLo);
  }

  private enterNode(): boolean {
    const nodes = this.nodes;
    if (this.nextNode < 0 || this.nextNode >= nodes.length) return false;
    const node = nodes[this.nextNode]!;
    this.nextNode += this.rev ? -1 : 1;
    this.node = node;
    const el = this.el;
    this.masterStart = node.masterFields(el);
    this.masterCount = el.int;
    if (!this.rev) {
      let p = this.masterStart;
      for (let i = 0; i < this.masterCount; i++) {
        readElement(node.buf, p, el);
        p = el.next;
      }
      this.p = p;
    } else {
      this.p = prevElement(node.buf, node.end);
    }
    return true;
  }

  /** Moves to the next entry in range; false at the end of the range. */
  next(): boolean {
    const el = this.el;
    if (this.inEntry) {
      this.inEntry = false;
      if (this.rev) {
        this.p = prevElement(this.node!.buf, this.flagsAt);
      } else {
        for (; this.remaining > 0; this.remaining--) {
          readElement(this.node!.buf, this.p, el);
          this.p = el.next;
        }
      }
    }
    for (;;) {
      if (this.node === null && !this.enterNode()) return false;
      const node = this.node!;
      const buf = node.buf;
      let p = this.p;
      if (!this.rev) {
        readElement(buf, p, el);
        p = el.next;
        if (p >= node.end) {
          this.node = null;
          continue;
        }
      } else {
        readElement(buf, p, el);
        let back = el.int;
        if (back === 0) {
          this.node = null;
          continue;
        }
        for (; back > 0; back--) p = prevElement(buf, p);
      }
      this.flagsAt = p;
      readElement(buf, p, el);
      const flags = el.int;
      readElement(buf, el.next, el);
      const m = node.master;
      let lo = m.msLo + el.lo;
      let carry = lo >= TWO32 ? 1 : 0;
      this.msLo = lo - carry * TWO32;
      this.msHi = (m.msHi + (el.hi >>> 0) + carry) % TWO32;
      readElement(buf, el.next, el);
      lo = m.seqLo + el.lo;
      carry = lo >= TWO32 ? 1 : 0;
      this.seqLo = lo - carry * TWO32;
      this.seqHi = (m.seqHi + (el.hi >>> 0) + carry) % TWO32;
      p = el.next;
      const same = (flags & FLAG_SAMEFIELDS) !== 0;
      if (same) {
        this.numFields = this.masterCount;
      } else {
        readElement(buf, p, el);
        this.numFields = el.int;
        p = el.next;
      }
      this.flags = flags;
      const toSkip = same ? this.numFields : 2 * this.numFields;
      const tomb = this.skipTombstones && (flags & FLAG_DELETED) !== 0;
      if (!this.rev) {
        if (!tomb && cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.startId) >= 0) {
          if (cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.endId) > 0) {
            this.nextNode = this.nodes.length;
            this.node = null;
            return false;
          }
          return this.emit(p, toSkip);
        }
        for (let i = 0; i < toSkip; i++) {
          readElement(buf, p, el);
          p = el.next;
        }
        this.p = p;
      } else {
        if (!tomb && cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.endId) <= 0) {
          if (cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.startId) < 0) {
            this.nextNode = -1;
            this.node = null;
            return false;
          }
          return this.emit(p, toSkip);
        }
        this.p = prevElement(buf, this.flagsAt);
      }
    }
  }

  private emit(p: number, toSkip: number): true {
    this.p = p;
    this.remaining = toSkip;
    this.masterCursor = this.masterStart;
    this.inEntry = true;
    return true;
  }

  /** Reads the current pair's field into `out` (call before `value`). */
  field(out: LpElement): void {
    const buf = this.node!.buf;
    if (this.flags & FLAG_SAMEFIELDS) {
      readElement(buf, this.masterCursor, out);
      this.masterCursor = out.next;
    } else {
      readElement(buf, this.p, out);
      this.p = out.next;
      this.remaining--;
    }
  }

  /** Reads the current pair's value into `out`. */
  value(out: LpElement): void {
    readElement(this.node!.buf, this.p, out);
    this.p = out.next;
    this.remaining--;
  }
}
