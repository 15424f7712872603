/**
 * The bridge between stored values and snapshot records, both ways:
 *
 * - `ValueEmitter` writes one entry's value as a record, a collection in batches of at most
 *   BATCH_ITEMS elements / BATCH_BYTES bytes, resumable between batches so a huge collection is
 *   written across several time-bounded steps. Its position (list index, hash slot, set member copy,
 *   skiplist node id) is only valid while the value is unchanged: the caller abandons it on any
 *   change of the key (snapshot-job.ts).
 * - `ValueBuilder` rebuilds a value from decoded batches, re-deriving what Redis re-derives on
 *   load: a hash is listpack-like (insertion order) only while it fits hash-max-listpack-*,
 *   a set is intset-like only while its members are integers (SetValue does that itself).
 */

import { Deque } from '../datatypes/structures/deque.js';
import { HashDict } from '../datatypes/structures/hash-dict.js';
import { SetValue } from '../datatypes/structures/set-value.js';
import { NIL } from '../datatypes/structures/skiplist.js';
import { SortedSet } from '../datatypes/structures/sorted-set.js';
import { Stream } from '../datatypes/structures/stream-value.js';
import { StreamBuilder, StreamEmitter } from '../datatypes/stream-snapshot.js';
import { ValueType, type Entry, type StoredValue } from '../keyspace/entry.js';
import { strText, stringOf } from '../keyspace/string-value.js';
import { BATCH_BYTES, BATCH_ITEMS } from './snapshot-format.js';
import type { SnapshotWriter } from './snapshot-writer.js';

/** Scratch space for one batch (the node is single-threaded: one set serves every emitter). */
const STRS: string[] = new Array<string>(2 * BATCH_ITEMS);
const SCORES = new Float64Array(BATCH_ITEMS);

export class ValueEmitter {
  private pos = 0;
  private members: string[] | null = null;
  private node = NIL;
  private stream: StreamEmitter | null = null;
  private started = false;
  /**
   * The value and its type being written, fixed at the start: SET (Db.replace) may turn the same
   * Entry into a string while a collection record is open.
   */
  private value: StoredValue;
  private type: ValueType;

  constructor(readonly entry: Entry) {
    this.value = entry.value;
    this.type = entry.type;
  }

  /**
   * Writes the record header (first call) and then batches until the value is complete (true) or
   * `stop()` asks to pause between batches (false). Strings are always written whole.
   */
  emit(w: SnapshotWriter, stop: () => boolean): boolean {
    const e = this.entry;
    if (!this.started) {
      this.started = true;
      this.value = e.value;
      this.type = e.type;
      w.beginValue(e.type, e.key, e.expireAt);
      if (e.type === ValueType.STRING) {
        w.stringPayload(strText(stringOf(e)));
        return true;
      }
      this.init();
    }
    for (;;) {
      if (!this.batch(w)) {
        w.endCollection();
        return true;
      }
      if (stop()) return false;
    }
  }

  /**
   * Ends a partially written collection record (the key is written again later). By the type the
   * record was begun with: the entry's own may have changed since (the change is why it is abandoned).
   */
  abandon(w: SnapshotWriter): void {
    if (this.started && this.type !== ValueType.STRING) w.endCollection();
  }

  private init(): void {
    const v = this.value;
    if (v instanceof SetValue) this.members = v.list();
    else if (v instanceof SortedSet) this.node = v.list.first();
    else if (v instanceof Stream) this.stream = new StreamEmitter(v);
  }

  /** Writes one batch; false when nothing was left to write. */
  private batch(w: SnapshotWriter): boolean {
    const v = this.value;
    let n = 0;
    let bytes = 0;
    if (v instanceof Deque) {
      for (; n < BATCH_ITEMS && bytes < BATCH_BYTES && this.pos < v.size; n++) bytes += (STRS[n] = v.at(this.pos++)!).length;
      if (n > 0) w.items(STRS, n);
    } else if (v instanceof SetValue) {
      const all = this.members!;
      for (; n < BATCH_ITEMS && bytes < BATCH_BYTES && this.pos < all.length; n++) bytes += (STRS[n] = all[this.pos++]!).length;
      if (n > 0) w.items(STRS, n);
    } else if (v instanceof HashDict) {
      for (; n < BATCH_ITEMS && bytes < BATCH_BYTES && this.pos < v.slotCount; this.pos++) {
        const f = v.fieldAt(this.pos);
        if (f === undefined) continue;
        const val = v.valueAt(this.pos)!;
        STRS[2 * n] = f;
        STRS[2 * n + 1] = val;
        bytes += f.length + val.length;
        n++;
      }
      if (n > 0) w.pairs(STRS, n);
    } else if (v instanceof SortedSet) {
      const list = v.list;
      for (; n < BATCH_ITEMS && bytes < BATCH_BYTES && this.node !== NIL; n++, this.node = list.next(this.node)) {
        bytes += (STRS[n] = list.member(this.node)).length;
        SCORES[n] = list.score(this.node);
      }
      if (n > 0) w.scored(STRS, SCORES, n);
    } else if (this.stream !== null) {
      n = this.stream.next(STRS, STRS.length, BATCH_BYTES);
      if (n > 0) w.items(STRS, n);
    }
    return n > 0;
  }
}

export interface BuilderLimits {
  /** hash-max-listpack-entries and hash-max-listpack-value. */
  hashEntries: number;
  hashValue: number;
}

/** Rebuilds one collection from its batches. */
export class ValueBuilder {
  private value: Deque | HashDict | SetValue | SortedSet | StreamBuilder;
  private longHashItem = false;

  constructor(
    readonly type: ValueType,
    private readonly limits: BuilderLimits,
  ) {
    this.value =
      type === ValueType.LIST
        ? new Deque()
        : type === ValueType.HASH
          ? new HashDict()
          : type === ValueType.SET
            ? new SetValue()
            : type === ValueType.STREAM
              ? new StreamBuilder()
              : new SortedSet();
  }

  add(strs: readonly string[], scores: Float64Array | null, count: number): void {
    const v = this.value;
    if (v instanceof StreamBuilder) {
      v.add(strs, count);
    } else if (v instanceof Deque) {
      for (let i = 0; i < count; i++) v.pushBack(strs[i]!);
    } else if (v instanceof SetValue) {
      for (let i = 0; i < count; i++) v.add(strs[i]!);
    } else if (v instanceof HashDict) {
      const max = this.limits.hashValue;
      for (let i = 0; i < count; i++) {
        const f = strs[2 * i]!;
        const val = strs[2 * i + 1]!;
        if (f.length > max || val.length > max) this.longHashItem = true;
        v.set(f, val);
      }
    } else {
      for (let i = 0; i < count; i++) v.set(strs[i]!, scores![i]!);
    }
  }

  /** The finished value, or null when it has no elements (an empty collection is no key). */
  finish(): StoredValue | null {
    const v = this.value;
    // An empty stream is still a key (XADD MAXLEN 0, XGROUP CREATE MKSTREAM).
    if (v instanceof StreamBuilder) return v.finish();
    if (v.size === 0) return null;
    if (v instanceof HashDict && (this.longHashItem || v.size > this.limits.hashEntries)) v.convert();
    return v;
  }
}
