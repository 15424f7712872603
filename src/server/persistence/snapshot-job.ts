/**
 * A logical snapshot of the whole keyspace, written in time-bounded steps while the server keeps
 * serving (Node cannot fork, so there is no copy-on-write child as in Redis).
 *
 * Algorithm (a fuzzy walk made exact by a redo set):
 * 1. Walk: databases in order, each database's stable slot table from slot 0 up (entries never
 *    change slot, see keyspace/slot-table.ts), writing every live key as it is now. A collection
 *    may be written over several steps, batch by batch.
 * 2. Meanwhile every key changed by a command, expiry or eviction (the keyspace's keyModified
 *    hook) is classified: a key the walk has not reached yet (later database, or a slot at or
 *    after the cursor) needs nothing, since the walk will write its state then; a key already
 *    behind the cursor goes into the redo set (a changed value or a deletion). A key whose
 *    collection is being written batch by batch is abandoned (its partial record is closed) and
 *    redone.
 * 3. Redo: once the walk is done, every redo key is written again (its current value, or a
 *    DELETE record when it no longer exists); keys changed meanwhile re-enter the set. When the
 *    set is empty at the end of a step, EOF is written in that same synchronous step.
 *
 * Guarantee: the file decodes (later records replacing earlier ones) to exactly the dataset at
 * the instant EOF was written, T1 (the end of the save, where Redis's fork gives the start),
 * except keys that were already logically expired when reached, which are left out (they could
 * not be read by anyone after T1 either). The redo phase converges because each step writes
 * more keys than a step's worth of traffic changes; after MAX_REDO_STEPS it finishes the set in
 * one step regardless, bounding the save. FLUSHALL/FLUSHDB/SWAPDB invalidate the walk (`stale`);
 * the owner restarts the save.
 */

import type { Db } from '../keyspace/db.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import { ValueType } from '../keyspace/entry.js';
import { strText, stringOf } from '../keyspace/string-value.js';
import type { SnapshotWriter } from './snapshot-writer.js';
import { ValueEmitter } from './snapshot-values.js';

const MAX_REDO_STEPS = 200;

export type JobPhase = 'walk' | 'redo' | 'done';

export class SnapshotJob {
  phase: JobPhase = 'walk';
  /** Set by FLUSHALL/FLUSHDB/SWAPDB: what was written no longer describes any instant. */
  stale = false;
  keysProcessed = 0;
  readonly keysTotal: number;
  private dbCursor = 0;
  private slotCursor = 0;
  private current: { db: Db; emitter: ValueEmitter } | null = null;
  private abandoned = false;
  private readonly redo: Set<string>[];
  private selected = -1;
  private redoSteps = 0;
  private deadline = 0;
  private readonly stop = (): boolean => performance.now() >= this.deadline;
  private readonly never = (): boolean => false;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly out: SnapshotWriter,
    /** rdb-key-save-delay: microseconds of busy wait per key (tests slow saves down with it). */
    private readonly keyDelayUs = 0,
  ) {
    this.redo = keyspace.dbs.map(() => new Set<string>());
    this.keysTotal = keyspace.dbs.reduce((n, db) => n + db.size, 0);
  }

  /** The keyspace's keyModified hook (see the header for the classification). */
  keyModified(db: Db, key: string): void {
    if (this.phase === 'done') return;
    const cur = this.current;
    if (cur !== null && cur.db === db && cur.emitter.entry.key === key) {
      this.abandoned = true;
    } else if (this.phase === 'walk') {
      if (db.id > this.dbCursor) return;
      if (db.id === this.dbCursor) {
        const e = db.dict.get(key);
        if (e !== undefined && e.slot >= this.slotCursor) return;
      }
    }
    this.redo[db.id]!.add(key);
  }

  /** Runs for about `budgetMs` (Infinity: to the end); true once EOF has been written. */
  step(budgetMs: number): boolean {
    if (this.phase === 'done') return true;
    // A suspended script holds the dataset: the snapshot's instant must not fall inside it.
    if (this.keyspace.busy !== null && budgetMs !== Infinity) return false;
    this.deadline = performance.now() + budgetMs;
    if (!this.resumeCurrent()) return false;
    if (this.phase === 'walk' && !this.walk()) return false;
    return this.redoPass();
  }

  /** Continues (or closes, when abandoned) a collection left half written; false to yield. */
  private resumeCurrent(): boolean {
    const cur = this.current;
    if (cur === null) return true;
    if (this.abandoned) {
      cur.emitter.abandon(this.out);
      this.current = null;
      this.abandoned = false;
      return true;
    }
    if (!cur.emitter.emit(this.out, this.stop)) return false;
    this.current = null;
    return !this.stop();
  }

  private walk(): boolean {
    const dbs = this.keyspace.dbs;
    const now = Date.now();
    while (this.dbCursor < dbs.length) {
      const db = dbs[this.dbCursor]!;
      const slots = db.slots;
      while (this.slotCursor < slots.capacity) {
        const e = slots.at(this.slotCursor++);
        if (e === undefined || (e.expireAt !== -1 && e.expireAt <= now)) continue;
        this.select(db.id);
        this.keysProcessed++;
        if (this.keyDelayUs > 0) busyWait(this.keyDelayUs);
        if (e.type === ValueType.STRING) {
          // Strings are always written whole: no emitter needed (the common case, kept lean).
          this.out.beginValue(e.type, e.key, e.expireAt);
          this.out.stringPayload(strText(stringOf(e)));
        } else {
          const emitter = new ValueEmitter(e);
          if (!emitter.emit(this.out, this.stop)) {
            this.current = { db, emitter };
            return false;
          }
        }
        if ((this.keysProcessed & 15) === 0 && this.stop()) return false;
      }
      this.dbCursor++;
      this.slotCursor = 0;
    }
    this.phase = 'redo';
    return true;
  }

  private redoPass(): boolean {
    const final = ++this.redoSteps > MAX_REDO_STEPS;
    const stop = final ? this.never : this.stop;
    const dbs = this.keyspace.dbs;
    const now = Date.now();
    for (let d = 0; d < dbs.length; d++) {
      const set = this.redo[d]!;
      for (const key of set) {
        set.delete(key);
        this.select(d);
        const e = dbs[d]!.dict.get(key);
        if (e === undefined || (e.expireAt !== -1 && e.expireAt <= now)) this.out.deleteKey(key);
        else new ValueEmitter(e).emit(this.out, this.never);
        if (stop()) return false;
      }
    }
    // Parts of the dataset that are not keys (function libraries), at the same instant.
    for (const [name, value] of this.keyspace.extras?.records() ?? []) this.out.aux(name, value);
    this.out.end();
    this.phase = 'done';
    return true;
  }

  private select(db: number): void {
    if (this.selected === db) return;
    this.out.selectDb(db);
    this.selected = db;
  }
}

function busyWait(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    /* rdb-key-save-delay deliberately burns time, as Redis's debugDelay does */
  }
}
