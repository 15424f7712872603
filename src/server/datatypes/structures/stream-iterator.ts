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
    if (this.inEntry) this.leaveEntry();
    for (;;) {
      if (this.node === null && !this.enterNode()) return false;
      const p = this.rev ? this.stepBack() : this.stepForward();
      if (p === -1) {
        this.node = null;
        continue;
      }
      const fields = this.readHead(p);
      const tomb = this.skipTombstones && (this.flags & FLAG_DELETED) !== 0;
      const toSkip = this.flags & FLAG_SAMEFIELDS ? this.numFields : 2 * this.numFields;
      const vsStart = cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.startId);
      const vsEnd = cmpHalves(this.msHi, this.msLo, this.seqHi, this.seqLo, this.endId);
      if (!this.rev) {
        if (!tomb && vsStart >= 0) {
          if (vsEnd > 0) return this.finish(this.nodes.length);
          return this.emit(fields, toSkip);
        }
        this.p = this.skip(fields, toSkip);
      } else {
        if (!tomb && vsEnd <= 0) {
          if (vsStart < 0) return this.finish(-1);
          return this.emit(fields, toSkip);
        }
        this.p = prevElement(this.node!.buf, this.flagsAt);
      }
    }
  }

  /** Past the entry just emitted: forwards, skip what the caller did not read; backwards, to the previous lp-count. */
  private leaveEntry(): void {
    this.inEntry = false;
    if (this.rev) this.p = prevElement(this.node!.buf, this.flagsAt);
    else this.p = this.skip(this.p, this.remaining);
  }

  /** Forwards: skips the previous entry's lp-count; the next entry's flags offset, or -1 at the node's end. */
  private stepForward(): number {
    const node = this.node!;
    readElement(node.buf, this.p, this.el);
    return this.el.next >= node.end ? -1 : this.el.next;
  }

  /** Backwards: from an lp-count, back to its entry's flags; -1 at the master entry's terminator. */
  private stepBack(): number {
    const buf = this.node!.buf;
    let p = this.p;
    readElement(buf, p, this.el);
    let back = this.el.int;
    if (back === 0) return -1;
    for (; back > 0; back--) p = prevElement(buf, p);
    return p;
  }

  /** Reads the entry at `p` (flags, ID from the master and the deltas, field count); returns where its fields start. */
  private readHead(p: number): number {
    const node = this.node!;
    const buf = node.buf;
    const el = this.el;
    const m = node.master;
    this.flagsAt = p;
    readElement(buf, p, el);
    this.flags = el.int;
    readElement(buf, el.next, el);
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
    if (this.flags & FLAG_SAMEFIELDS) {
      this.numFields = this.masterCount;
      return p;
    }
    readElement(buf, p, el);
    this.numFields = el.int;
    return el.next;
  }

  private skip(p: number, n: number): number {
    const buf = this.node!.buf;
    for (let i = 0; i < n; i++) {
      readElement(buf, p, this.el);
      p = this.el.next;
    }
    return p;
  }

  /** Out of range: no further node either. */
  private finish(nextNode: number): false {
    this.nextNode = nextNode;
    this.node = null;
    return false;
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
