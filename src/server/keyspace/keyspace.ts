/**
 * All databases plus what they share: the command clock, keyspace statistics, expiry, and the
 * hooks through which changes reach WATCH, client tracking, keyspace notifications and propagation.
 *
 * The clock (`now`) is set once per command by the dispatcher, so every key a command touches is
 * judged against the same instant (Redis's cached mstime). Active expiry samples volatile keys
 * within a time budget per tick (Redis activeExpireCycle, slow mode).
 */

import { initialStamp, lruClock, touchedStamp, type AccessMode } from './access-stamp.js';
import { Db, type DbOwner } from './db.js';
import type { Entry } from './entry.js';
import { UsedMemory } from './used-memory.js';
import { NEVER_SAMPLED } from '../util/sampling.js';

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
}

/** Where keyspace changes are reported. The server installs its own; the default does nothing. */
export interface KeyspaceHooks {
  /** A key was changed or deleted by a command, expiry or eviction (Redis signalModifiedKey). */
  keyModified(db: Db, key: string): void;
  /**
   * A value's state changed where Redis does not signal a modification (stream consumer groups,
   * XSETID): only what copies the dataset (snapshots, full syncs) needs to know; WATCH, client
   * tracking and blocked clients must not react.
   */
  stateChanged(db: Db, key: string): void;
  /** A database is about to be emptied (null: all of them); its keys are still there. */
  beforeFlush(db: Db | null): void;
  /** A database was emptied (null: all of them, FLUSHALL). */
  flushed(db: Db | null): void;
  /** A key expired and was deleted here (the master propagates a DEL for it). */
  keyExpired(db: Db, key: string): void;
  /** Two databases swapped contents (SWAPDB): every key in both changed. */
  swapped(a: Db, b: Db): void;
  /** A key was evicted by maxmemory (already deleted; keyModified follows). */
  keyEvicted(db: Db, key: string): void;
}

/** Fans one event out to every registered listener (WATCH, tracking, notifications, AOF…). */
class HookSet implements KeyspaceHooks {
  readonly list: Partial<KeyspaceHooks>[] = [];
  keyModified(db: Db, key: string): void {
    for (const h of this.list) h.keyModified?.(db, key);
  }
  stateChanged(db: Db, key: string): void {
    for (const h of this.list) h.stateChanged?.(db, key);
  }
  beforeFlush(db: Db | null): void {
    for (const h of this.list) h.beforeFlush?.(db);
  }
  flushed(db: Db | null): void {
    for (const h of this.list) h.flushed?.(db);
  }
  keyExpired(db: Db, key: string): void {
    for (const h of this.list) h.keyExpired?.(db, key);
  }
  swapped(a: Db, b: Db): void {
    for (const h of this.list) h.swapped?.(a, b);
  }
  keyEvicted(db: Db, key: string): void {
    for (const h of this.list) h.keyEvicted?.(db, key);
  }
}

/** Keys sampled per active-expiry round, and the share of expired ones that triggers another round. */
const EXPIRE_SAMPLE = 20;
const EXPIRE_REPEAT_THRESHOLD = 5;

/**
 * Parts of the dataset that are not keys (Redis keeps function libraries in its RDB): a snapshot
 * writes them as AUX records at its instant, just before EOF, and loading one hands each record
 * back. FLUSHALL keeps them; a full sync or DEBUG RELOAD, which replace the dataset, clear them.
 */
export interface DatasetExtras {
  records(): [string, string][];
  clear(): void;
  /**
   * Takes an AUX record; false when it is not one of ours. Without `replace`, one that already
   * exists makes loading fail (DEBUG RELOAD NOFLUSH without MERGE).
   */
  load(name: string, value: string, replace: boolean): boolean;
}

export class Keyspace implements DbOwner {
  readonly dbs: Db[];
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0, evictedKeys: 0 };
  readonly hooks = new HookSet();
  /** The current command's time in ms. */
  now = Date.now();
  /** On a replica keys are never deleted by expiry here; they only read as missing. */
  replicaMode = false;
  /** While clients are paused, expired keys read as missing but are not deleted (as on a replica). */
  expiryPaused = false;
  /** When true, access stamps are not updated (e.g. OBJECT IDLETIME, or a DEBUG switch). */
  freezeAccess = false;
  /** How access stamps are kept (LRU clock or LFU counter); set by the eviction module. */
  readonly access: AccessMode = { lfu: false, lfuLogFactor: 10, lfuDecayTime: 1 };
  /** used_memory: baseline + entry estimates + client buffers, kept incrementally. */
  readonly memory = new UsedMemory();
  /** notify-keyspace-events as class bits (pubsub/keyspace-events.ts); 0 when off. */
  notifyMask = 0;
  /** Set while the `new` keyspace event is enabled: called after a key is created. */
  onNewKey: ((db: Db, key: string) => void) | null = null;
  /**
   * A script ran past busy-reply-threshold and is suspended between slices: its `-BUSY …` reply
   * for other clients, else null. While set, nothing but the script may change or snapshot the
   * dataset (no cron, eviction, background save steps, replication stream).
   */
  busy: string | null = null;
  /** The dataset's records that are not keys (function libraries); see DatasetExtras. */
  extras: DatasetExtras | null = null;
  /**
   * Access sampling (hot keys, stats/hot-keys-feature.ts): accesses left until the next one is
   * reported to `onSampledAccess`, which sets the next countdown; effectively never while off.
   */
  accessSampleLeft = NEVER_SAMPLED;
  onSampledAccess: (key: string) => void = () => {
    this.accessSampleLeft = NEVER_SAMPLED;
  };

  constructor(databases: number) {
    this.dbs = [];
    for (let i = 0; i < databases; i++) this.dbs.push(new Db(i, this));
  }

  /** Registers listeners for keyspace events; each method is optional. */
  addHooks(h: Partial<KeyspaceHooks>): void {
    this.hooks.list.push(h);
  }

  /** Marks a read or write access on an entry (LRU clock or LFU counter); counts it for sampling. */
  touchAccess(e: Entry): void {
    if (this.freezeAccess) return;
    e.access = this.access.lfu ? touchedStamp(this.access, e.access, this.now) : lruClock(this.now);
    if (--this.accessSampleLeft === 0) this.onSampledAccess(e.key);
  }

  /** The access stamp of a key created now. */
  initialStamp(): number {
    return initialStamp(this.access, this.now);
  }

  /**
   * Called on an entry whose expireAt is set: true when it is logically expired. On a master the
   * key is deleted, counted, propagated and signalled.
   */
  expireIfNeeded(db: Db, e: Entry): boolean {
    if (e.expireAt > this.now) return false;
    if (this.replicaMode || this.expiryPaused) return true;
    this.deleteExpired(db, e);
    return true;
  }

  private deleteExpired(db: Db, e: Entry): void {
    const key = e.key;
    db.remove(e);
    this.stats.expiredKeys++;
    this.hooks.keyExpired(db, key);
    this.hooks.keyModified(db, key);
  }

  /** Signals a change of `key` made by a command; re-measures the entry for used_memory. */
  signalModified(db: Db, key: string): void {
    const e = db.dict.get(key);
    if (e !== undefined) db.remeasure(e);
    this.hooks.keyModified(db, key);
  }

  /** Re-measures a value whose state changed without a modification signal (see KeyspaceHooks.stateChanged). */
  signalStateChanged(db: Db, key: string): void {
    const e = db.dict.get(key);
    if (e !== undefined) db.remeasure(e);
    this.hooks.stateChanged(db, key);
  }

  /**
   * Recomputes the dataset account by walking every entry. For bulk loaders that fill values
   * without signalling, and for tests that check the incremental account; never on a hot path.
   */
  recountMemory(): number {
    this.memory.dataset = 0;
    for (const db of this.dbs) {
      db.memBytes = 0;
      for (const e of db.dict.values()) {
        e.mem = 0;
        db.remeasure(e);
      }
    }
    return this.memory.dataset;
  }

  /** Signals SWAPDB. */
  swapped(a: Db, b: Db): void {
    this.hooks.swapped(a, b);
  }

  /** Empties one database, or all when db is null, and signals it. Returns the number of keys removed. */
  flush(db: Db | null): number {
    let removed = 0;
    this.hooks.beforeFlush(db);
    for (const d of db === null ? this.dbs : [db]) {
      removed += d.size;
      d.clear();
    }
    this.hooks.flushed(db);
    return removed;
  }

  /**
   * One active-expiry pass over every database, stopping after `budgetMs`. Returns keys expired.
   * Each round samples EXPIRE_SAMPLE volatile keys; a round that finds more than a quarter expired
   * is repeated, so a database full of stale keys is drained quickly without blocking the loop.
   */
  activeExpireCycle(budgetMs: number): number {
    if (this.replicaMode || this.expiryPaused) return 0;
    const start = Date.now();
    this.now = start;
    let total = 0;
    for (const db of this.dbs) {
      for (let rounds = 0; rounds < 10_000 && db.expiresCount > 0; rounds++) {
        let expired = 0;
        const n = Math.min(EXPIRE_SAMPLE, db.expiresCount);
        for (let i = 0; i < n; i++) {
          const e = db.volatile.random();
          if (e !== undefined && e.expireAt <= this.now) {
            this.deleteExpired(db, e);
            expired++;
          }
        }
        total += expired;
        if (expired <= EXPIRE_REPEAT_THRESHOLD) break;
        if ((rounds & 15) === 15) {
          this.now = Date.now();
          if (this.now - start >= budgetMs) return total;
        }
      }
    }
    return total;
  }
}
