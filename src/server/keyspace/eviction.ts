/**
 * maxmemory enforcement (Redis evict.c performEvictions), run before every denyoom command.
 *
 * Why sampling: keeping every key on an exact LRU list costs two links per key and a relink per
 * read. Redis instead samples `maxmemory-samples` keys per database into a pool of the 16 best
 * candidates seen so far (EVPOOL_SIZE); the pool survives between evictions, so each eviction
 * benefits from many past samples and the approximation comes close to true LRU/LFU at a fixed,
 * tiny cost. We do the same: scores are idle ms (LRU), 255 − decayed counter (LFU) or the
 * nearness of the expiry (volatile-ttl); the highest score is evicted first. The random policies
 * pick a random key, visiting the databases round robin.
 *
 * Invariants:
 * - eviction deletes through the keyspace (Db.remove + signalModified): WATCH, tracking and
 *   keyspace-event hooks fire, `evicted_keys` counts it and a DEL is propagated to AOF/replicas;
 * - volatile-* policies only ever sample keys with a TTL; with none left, the result is FAIL and
 *   the dispatcher answers -OOM, touching nothing stored; noeviction never deletes;
 * - one call runs within the tenacity time budget (Redis evictionTimeLimitUs); if memory is still
 *   over the limit a continuation keeps evicting on later loop turns and the command goes ahead
 *   (EVICT_RUNNING), so a sudden large overshoot never stalls the event loop;
 * - replicas and a loading node never evict (the master's DELs keep replicas exact).
 */

import type { ServerConfig } from '../config.js';
import type { PropagationSink } from '../dispatch/context.js';
import type { Logger } from '../util/log.js';
import type { Db } from './db.js';
import type { Entry } from './entry.js';
import { idleMs, lfuDecayed } from './access-stamp.js';
import type { Keyspace } from './keyspace.js';

/** What eviction needs from the server (a ServerContext provides it). */
export interface EvictionHost {
  readonly config: ServerConfig;
  readonly keyspace: Keyspace;
  readonly log: Logger;
  readonly sinks: readonly PropagationSink[];
  readonly loading: boolean;
  readonly role: 'master' | 'replica';
}

export const EvictResult = { OK: 0, RUNNING: 1, FAIL: 2 } as const;
export type EvictResult = (typeof EvictResult)[keyof typeof EvictResult];

/** Redis EVPOOL_SIZE. */
const POOL_SIZE = 16;
/** Keys evicted between two checks of the time budget (Redis checks every 16). */
const CHECK_EVERY = 16;
/** Bound on pool refills while looking for one victim (each refill samples live keys). */
const MAX_REFILLS = 1000;

type Kind = 'none' | 'lru' | 'lfu' | 'ttl' | 'random';

/** Redis evictionTimeLimitUs, in ms: linear to 0.5 ms at 10, then +15% per step; 100 = no limit. */
export function evictionTimeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * Math.pow(1.15, tenacity - 10)) / 1000;
  return Infinity;
}

/**
 * The candidate pool: ascending by score, empty slots hold key null. Entries are names, looked up
 * again when picked (a key deleted meanwhile is a "ghost" and skipped), as in Redis.
 */
export class EvictionPool {
  private readonly scores = new Float64Array(POOL_SIZE);
  private readonly keys: (string | null)[] = new Array<string | null>(POOL_SIZE).fill(null);
  private readonly dbIds = new Int32Array(POOL_SIZE);

  /** Inserts a candidate unless the pool is full of better ones (Redis evictionPoolPopulate). */
  insert(score: number, key: string, dbId: number): void {
    const keys = this.keys;
    let k = 0;
    while (k < POOL_SIZE && keys[k] !== null && this.scores[k]! < score) k++;
    if (k === 0 && keys[POOL_SIZE - 1] !== null) return;
    if (k < POOL_SIZE && keys[k] === null) {
      // an empty slot at k: nothing to shift
    } else if (keys[POOL_SIZE - 1] === null) {
      this.shift(k, k + 1, POOL_SIZE - k - 1);
    } else {
      k--;
      this.shift(1, 0, k);
    }
    this.scores[k] = score;
    keys[k] = key;
    this.dbIds[k] = dbId;
  }

  /** Moves n slots from `from` to `to` (overlapping ranges, one slot apart). */
  private shift(from: number, to: number, n: number): void {
    this.scores.copyWithin(to, from, from + n);
    this.dbIds.copyWithin(to, from, from + n);
    const keys = this.keys;
    if (to > from) for (let i = n - 1; i >= 0; i--) keys[to + i] = keys[from + i]!;
    else for (let i = 0; i < n; i++) keys[to + i] = keys[from + i]!;
  }

  /** Takes the best remaining candidate that still exists (and still has a TTL if `volatile`). */
  takeBest(dbs: readonly Db[], volatile: boolean): { db: Db; entry: Entry } | null {
    for (let k = POOL_SIZE - 1; k >= 0; k--) {
      const key = this.keys[k];
      if (key === null) continue;
      this.keys[k] = null;
      const db = dbs[this.dbIds[k]!];
      const e = db?.dict.get(key);
      if (db !== undefined && e !== undefined && (!volatile || e.expireAt !== -1)) return { db, entry: e };
    }
    return null;
  }

  clear(): void {
    this.keys.fill(null);
  }

  /** The occupied slots, ascending by score (tests). */
  entries(): { score: number; key: string; dbId: number }[] {
    const out: { score: number; key: string; dbId: number }[] = [];
    for (let k = 0; k < POOL_SIZE; k++) {
      const key = this.keys[k];
      if (key !== null && key !== undefined) out.push({ score: this.scores[k]!, key, dbId: this.dbIds[k]! });
    }
    return out;
  }
}

export class Evictor {
  private maxmemory = 0;
  private kind: Kind = 'none';
  private volatileOnly = false;
  private samples = 5;
  private budgetMs = 0.5;
  private readonly pool = new EvictionPool();
  private nextRandomDb = 0;
  private continuation = false;
  private stopped = false;
  private configured = false;
  /** When memory first went over the limit without being resolved (0: not over). */
  private exceededSince = 0;
  /** Σ ms spent over the limit (INFO total_eviction_exceeded_time). */
  private exceededTotal = 0;

  constructor(private readonly server: EvictionHost) {
    const cfg = server.config;
    cfg.watch('maxmemory', (v) => this.setMaxmemory(Number(v)));
    cfg.watch('maxmemory-policy', (v) => this.setPolicy(String(v)));
    cfg.watch('maxmemory-samples', (v) => (this.samples = Number(v)));
    cfg.watch('maxmemory-eviction-tenacity', (v) => (this.budgetMs = evictionTimeLimitMs(Number(v))));
    cfg.watch('lfu-log-factor', (v) => (server.keyspace.access.lfuLogFactor = Number(v)));
    cfg.watch('lfu-decay-time', (v) => (server.keyspace.access.lfuDecayTime = Number(v)));
    const bytes = this.maxmemory;
    if (bytes > 0 && bytes < 1024 * 1024) {
      server.log.warning(`WARNING: You specified a maxmemory value that is less than 1MB (current value is ${bytes} bytes). Are you sure this is what you really want?`);
    }
    this.configured = true;
  }

  private setMaxmemory(bytes: number): void {
    this.maxmemory = bytes;
    const used = this.server.keyspace.memory.counted;
    if (this.configured && bytes > 0 && bytes < used) {
      this.server.log.warning(
        `WARNING: the new maxmemory value set via CONFIG SET (${bytes}) is smaller than the current memory usage (${used}). ` +
          'This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.',
      );
      this.startContinuation();
    }
  }

  private setPolicy(policy: string): void {
    const [scope, kind] = policy === 'noeviction' ? ['allkeys', 'none'] : policy.split('-');
    this.volatileOnly = scope === 'volatile';
    this.kind = kind as Kind;
    this.server.keyspace.access.lfu = kind === 'lfu';
    this.pool.clear();
  }

  /** Milliseconds spent over the limit: [total including the current stretch, current stretch]. */
  exceededTime(now: number): [number, number] {
    const current = this.exceededSince === 0 ? 0 : now - this.exceededSince;
    return [this.exceededTotal + current, current];
  }

  /** The dispatcher's OOM guard: true when a denyoom command must be refused. */
  overLimit(): boolean {
    if (this.maxmemory === 0 || this.server.keyspace.memory.counted <= this.maxmemory) {
      if (this.exceededSince !== 0) this.endExceeded();
      return false;
    }
    return this.perform() === EvictResult.FAIL;
  }

  /** Evicts until under the limit, out of candidates, or out of time (Redis performEvictions). */
  perform(): EvictResult {
    const server = this.server;
    const mem = server.keyspace.memory;
    if (this.maxmemory === 0 || server.loading || server.role === 'replica') return EvictResult.OK;
    const toFree = mem.counted - this.maxmemory;
    if (toFree <= 0) {
      if (this.exceededSince !== 0) this.endExceeded();
      return EvictResult.OK;
    }
    if (this.exceededSince === 0) this.exceededSince = Date.now();
    if (this.kind === 'none') return EvictResult.FAIL;
    const start = performance.now();
    let freed = 0;
    let evicted = 0;
    while (freed < toFree) {
      const victim = this.kind === 'random' ? this.pickRandom() : this.pickFromPool();
      if (victim === null) return EvictResult.FAIL;
      freed += this.evict(victim.db, victim.entry);
      evicted++;
      if (evicted % CHECK_EVERY === 0 && performance.now() - start > this.budgetMs) {
        this.startContinuation();
        return EvictResult.RUNNING;
      }
    }
    this.endExceeded();
    return EvictResult.OK;
  }

  private endExceeded(): void {
    if (this.exceededSince === 0) return;
    this.exceededTotal += Date.now() - this.exceededSince;
    this.exceededSince = 0;
  }

  /** Keeps evicting on later event-loop turns until resolved (Redis evictionTimeProc). */
  private startContinuation(): void {
    if (this.continuation || this.stopped) return;
    this.continuation = true;
    setImmediate(() => this.continueEvicting());
  }

  private continueEvicting(): void {
    this.continuation = false;
    if (this.stopped) return;
    if (this.server.keyspace.busy !== null) return this.startContinuation();
    this.server.keyspace.now = Date.now();
    this.perform();
  }

  /** Stops any continuation (server shutdown). */
  stop(): void {
    this.stopped = true;
  }

  private pickFromPool(): { db: Db; entry: Entry } | null {
    const dbs = this.server.keyspace.dbs;
    for (let refill = 0; refill < MAX_REFILLS; refill++) {
      let sampled = 0;
      for (const db of dbs) sampled += this.populate(db);
      if (sampled === 0) return null;
      const best = this.pool.takeBest(dbs, this.volatileOnly);
      if (best !== null) return best;
    }
    return null;
  }

  /** Samples one database into the pool; returns how many keys it holds that qualify. */
  private populate(db: Db): number {
    const table = this.volatileOnly ? db.volatile : db.slots;
    const n = table.size;
    if (n === 0) return 0;
    const ks = this.server.keyspace;
    const now = ks.now;
    // Like Redis's dictGetSomeKeys: never more samples than the database holds keys.
    for (let i = 0, end = Math.min(this.samples, n); i < end; i++) {
      const e = table.random();
      if (e === undefined) break;
      let score: number;
      if (this.kind === 'lru') score = idleMs(e.access, now);
      else if (this.kind === 'lfu') score = 255 - lfuDecayed(e.access, now, ks.access.lfuDecayTime);
      else score = -e.expireAt;
      this.pool.insert(score, e.key, db.id);
    }
    return n;
  }

  private pickRandom(): { db: Db; entry: Entry } | null {
    const dbs = this.server.keyspace.dbs;
    for (let i = 0; i < dbs.length; i++) {
      this.nextRandomDb = (this.nextRandomDb + 1) % dbs.length;
      const db = dbs[this.nextRandomDb]!;
      const e = (this.volatileOnly ? db.volatile : db.slots).random();
      if (e !== undefined) return { db, entry: e };
    }
    return null;
  }

  /** Deletes one key as an eviction; returns the bytes it was accounted for. */
  private evict(db: Db, e: Entry): number {
    const ks = this.server.keyspace;
    const key = e.key;
    const freed = e.mem;
    db.remove(e);
    ks.stats.evictedKeys++;
    ks.signalModified(db, key);
    ks.hooks.keyEvicted(db, key);
    for (const sink of this.server.sinks) sink.propagate(db.id, ['DEL', key]);
    return freed;
  }
}
