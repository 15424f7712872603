/**
 * A stream value (Redis `stream`): entries packed in listpack nodes (stream-node.ts), the node
 * index, the stream's counters and its consumer groups.
 *
 * Node index: an array of nodes in master-ID order, binary-searched. Redis keeps the nodes in a
 * radix tree; here entries are only ever appended after the last ID, so nodes are only added at
 * the tail and removed mostly at the head (trimming) — a sorted array is that tree's one-level
 * form, with O(log n) seeks and no per-entry objects. A node emptied by XDEL is spliced out.
 *
 * Invariants (Redis's): `length` = Σ live counts; `lastId` ≥ every ID ever added (XSETID may
 * raise it); `firstId` is the first live ID, 0-0 when empty; `maxDeletedId` is the largest ID
 * removed by XDEL (or set by XSETID); `entriesAdded` counts every XADD ever. A stream may be
 * empty and still exist (XADD MAXLEN 0, XGROUP CREATE MKSTREAM).
 *
 * Memory: `bytes` is kept incrementally from the node capacities plus a per-node and per-stream
 * overhead, and a consumer-group part recomputed only after `groupsChanged()`; calibrated
 * against measured heap + external growth (bench/streams.mjs reports both).
 */

import type { CollectionValue } from '../../keyspace/entry.js';
import { stringBytes } from './string-bytes.js';
import { LpElement } from './listpack.js';
import { ConsumerGroup, INVALID_ENTRIES_READ } from './stream-cgroup.js';
import { SortedMap } from './sorted-map.js';
import { MAX_ID, ZERO_ID, cmpId, isZeroId, type StreamId } from './stream-id.js';
import { StreamIterator, cmpHalves } from './stream-iterator.js';
import { FLAG_DELETED, StreamNode, appendEntry, createNode, masterFieldTexts } from './stream-node.js';

/** Redis STREAM_LISTPACK_MAX_SIZE: nodes never grow past 1 GiB, whatever the config says. */
const LISTPACK_MAX_SIZE = 1 << 30;

/** Heap bytes beyond node capacities (calibrated, see the header). */
const STREAM_OVERHEAD = 200;
const NODE_OVERHEAD = 300;
const GROUP_OVERHEAD = 400;
const NACK_BYTES = 140;

export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  /** `~`: only whole nodes are removed. */
  approx: boolean;
  /** Most entries to remove (0: no limit). */
  limit: number;
  maxlen: number;
  minid: StreamId;
}

/** Scratch shared by every stream (single-threaded). */
const EL = new LpElement();
const IT = new StreamIterator();

export class Stream implements CollectionValue {
  nodes: StreamNode[] = [];
  length = 0;
  lastId: StreamId = ZERO_ID;
  firstId: StreamId = ZERO_ID;
  maxDeletedId: StreamId = ZERO_ID;
  entriesAdded = 0;
  groups: SortedMap<ConsumerGroup> | null = null;
  readonly encoding = 'stream';
  private nodeBytes = 0;
  private groupBytes = 0;
  /** The tail node's master fields (null: not decoded yet), to spot SAMEFIELDS entries cheaply. */
  private tailFields: string[] | null = null;

  get size(): number {
    return this.length;
  }

  get bytes(): number {
    return STREAM_OVERHEAD + this.nodeBytes + this.groupBytes;
  }

  /** A reused iterator over `[start, end]` (null: the extremes). Finish with it before the next call. */
  iterate(start: StreamId | null, end: StreamId | null, rev: boolean, skipTombstones = true): StreamIterator {
    return IT.start(this.nodes, start, end, rev, cmpId, skipTombstones);
  }

  /** Adds a node built elsewhere (loading); nodes must arrive in ID order. */
  pushNode(node: StreamNode): void {
    this.nodes.push(node);
    this.tailFields = null;
    this.nodeBytes += node.capacity + NODE_OVERHEAD;
  }

  /**
   * Appends an entry (the caller checked id > lastId): argv[from…] holds numFields field/value
   * pairs whose string lengths sum to `elementBytes`. A new node starts when the tail one would
   * reach stream-node-max-bytes or holds stream-node-max-entries entries (live and deleted).
   */
  append(id: StreamId, argv: readonly string[], from: number, numFields: number, elementBytes: number, maxBytes: number, maxEntries: number): void {
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1]! : null;
    if (node !== null) {
      const limit = maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : maxBytes;
      let full = node.used + elementBytes >= limit;
      if (!full && maxEntries > 0) full = node.count(EL) + node.deleted(EL) >= maxEntries;
      if (full) {
        const before = node.capacity;
        node.shrink();
        this.nodeBytes += node.capacity - before;
        node = null;
      }
    }
    let same = true;
    if (node === null) {
      // Redis STREAM_LISTPACK_MAX_PRE_ALLOCATE, bounded by stream-node-max-bytes.
      node = createNode(id, argv, from, numFields, maxBytes > 0 && maxBytes < 4096 ? maxBytes : 4096);
      this.pushNode(node);
      const fields: string[] = [];
      for (let i = 0; i < numFields; i++) fields.push(argv[from + 2 * i]!);
      this.tailFields = fields;
    } else {
      const fields = (this.tailFields ??= masterFieldTexts(node, EL));
      same = fields.length === numFields;
      for (let i = 0; same && i < numFields; i++) same = fields[i] === argv[from + 2 * i];
    }
    const before = node.capacity;
    appendEntry(node, id, argv, from, numFields, same, EL);
    this.nodeBytes += node.capacity - before;
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  private removeNodeAt(i: number): void {
    this.nodeBytes -= this.nodes[i]!.capacity + NODE_OVERHEAD;
    if (i === this.nodes.length - 1) this.tailFields = null;
    this.nodes.splice(i, 1);
  }

  /** The ID of a node's last entry, tombstones included (lpGetEdgeStreamID). */
  private nodeLastId(node: StreamNode): StreamId {
    IT.start([node], null, null, true, cmpId, false);
    IT.next();
    return IT.id();
  }

  /** Redis streamTrim: removes entries from the head; returns how many. */
  trim(a: TrimArgs): number {
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (a.strategy === 'maxlen' && this.length <= a.maxlen) break;
      const node = this.nodes[0]!;
      const entries = node.count(EL);
      if (a.limit > 0 && deleted + entries > a.limit) break;
      const removeNode = a.strategy === 'maxlen' ? this.length - entries >= a.maxlen : cmpId(this.nodeLastId(node), a.minid) < 0;
      if (removeNode) {
        this.removeNodeAt(0);
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (a.approx) break;
      deleted += this.trimInside(node, entries, a);
      break;
    }
    if (this.length === 0) this.firstId = ZERO_ID;
    else if (deleted > 0) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** Flags the head entries of `node` deleted until the trim goal is met; returns how many. */
  private trimInside(node: StreamNode, entries: number, a: TrimArgs): number {
    const marked = node.deleted(EL);
    const flagsAt: number[] = [];
    const it = IT.start([node], null, null, false, cmpId, false);
    let left = this.length;
    while (it.next()) {
      const stop = a.strategy === 'maxlen' ? left <= a.maxlen : cmpHalves(it.msHi, it.msLo, it.seqHi, it.seqLo, a.minid) >= 0;
      if (stop) break;
      if (!(it.flags & FLAG_DELETED)) {
        flagsAt.push(it.flagsAt);
        left--;
      }
    }
    // Flags are 1-byte integers (0..3): setting the bit never moves bytes.
    for (const p of flagsAt) node.buf[p] = node.buf[p]! | FLAG_DELETED;
    const n = flagsAt.length;
    if (n > 0) node.setCounts(entries - n, marked + n, EL);
    this.length -= n;
    return n;
  }

  /** Redis streamDeleteItem: flags the live entry `id` deleted; false when there is none. */
  deleteEntry(id: StreamId): boolean {
    const it = this.iterate(id, id, false);
    if (!it.next()) return false;
    const node = it.node!;
    const flagsAt = it.flagsAt;
    node.buf[flagsAt] = node.buf[flagsAt]! | FLAG_DELETED;
    const live = node.count(EL);
    if (live === 1) {
      this.removeNodeAt(this.nodes.indexOf(node));
    } else {
      const before = node.capacity;
      node.setCounts(live - 1, node.deleted(EL) + 1, EL);
      this.nodeBytes += node.capacity - before;
    }
    this.length--;
    return true;
  }

  /** True when a live entry `id` exists. */
  has(id: StreamId): boolean {
    return this.iterate(id, id, false).next();
  }

  /** The first or last entry's ID (streamGetEdgeID); MAX (first) or ZERO (last) when none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const it = this.iterate(null, null, !first, skipTombstones);
    if (!it.next()) return first ? MAX_ID : ZERO_ID;
    return it.id();
  }

  /** The last live entry's ID (streamLastValidID); 0-0 when empty. */
  lastValidId(): StreamId {
    return this.edgeId(false, true);
  }

  /** Redis streamRangeHasTombstones: may [start, end] (null: the extremes) hold a deleted entry? */
  rangeHasTombstones(start: StreamId | null, end: StreamId | null): boolean {
    if (this.length === 0 || isZeroId(this.maxDeletedId)) return false;
    if (cmpId(this.firstId, this.maxDeletedId) > 0) return false;
    return cmpId(start ?? ZERO_ID, this.maxDeletedId) <= 0 && cmpId(this.maxDeletedId, end ?? MAX_ID) <= 0;
  }

  /**
   * Redis streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id` (how many
   * entries were added up to it), or INVALID_ENTRIES_READ when tombstones make it unknowable.
   */
  estimateDistance(id: StreamId): number {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && cmpId(id, this.lastId) < 1) return this.entriesAdded;
    const cmpLast = cmpId(id, this.lastId);
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = cmpId(id, this.firstId);
    if (isZeroId(this.maxDeletedId) || cmpId(this.maxDeletedId, this.firstId) < 0) {
      if (cmpFirst < 0) return this.entriesAdded - this.length;
      if (cmpFirst === 0) return this.entriesAdded - this.length + 1;
    }
    return INVALID_ENTRIES_READ;
  }

  /** Redis streamReplyWithCGLag's value: entries not yet delivered to the group, or null when unknown. */
  groupLag(g: ConsumerGroup): number | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId, null)) return this.entriesAdded - g.entriesRead;
    const read = this.estimateDistance(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : this.entriesAdded - read;
  }

  /**
   * A group read reached entry `id` beyond the group's last ID (streamReplyWithRange): the read
   * counter follows when it can, and the last delivered ID moves.
   */
  advanceGroup(g: ConsumerGroup, id: StreamId): void {
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(id, null)) g.entriesRead++;
    else if (this.entriesAdded !== 0) g.entriesRead = this.estimateDistance(id);
    g.lastId = id;
  }

  lookupGroup(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  /** Creates a group; null when the name exists. */
  createGroup(name: string, lastId: StreamId, entriesRead: number): ConsumerGroup | null {
    if (this.groups === null) this.groups = new SortedMap();
    if (this.groups.has(name)) return null;
    const g = new ConsumerGroup(name, lastId, entriesRead);
    this.groups.set(name, g);
    this.groupsChanged();
    return g;
  }

  destroyGroup(name: string): boolean {
    const g = this.groups?.delete(name);
    if (g === undefined) return false;
    this.groupsChanged();
    return true;
  }

  /**
   * Re-measures the consumer-group part of `bytes` after any group, consumer or PEL change:
   * O(groups), each group keeping its consumers' bytes itself.
   */
  groupsChanged(): void {
    let n = 0;
    if (this.groups !== null) {
      for (const g of this.groups.values()) n += GROUP_OVERHEAD + stringBytes(g.name.length) + g.pel.size * NACK_BYTES + g.consumerBytes;
    }
    this.groupBytes = n;
  }

  clone(): Stream {
    const s = new Stream();
    for (const n of this.nodes) {
      const buf = Buffer.allocUnsafeSlow(n.used);
      n.buf.copy(buf, 0, 0, n.used);
      s.pushNode(new StreamNode(n.master, buf, n.used));
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      s.groups = new SortedMap();
      for (const g of this.groups.values()) s.groups.set(g.name, g.clone());
      s.groupsChanged();
    }
    return s;
  }
}
