/**
 * The local cache's memory (lru-cache): hot keys' answers, single-flight loads, this client's
 * writes in flight, and invalidation. The data path talks to it through local-cache.ts.
 *
 * Entries are replies of cacheable read commands (the command table's `cacheable` flag), keyed by
 * the exact command (name, arguments, reply mode) and indexed by the Redis key they read, so one
 * invalidation of `user:1` drops GET, HGET and HGETALL answers about it alike.
 *
 * Invariants:
 * - Only keys the HotKeyDetector calls hot are stored: `admit` counts every read and says whether
 *   it is hot; cold reads go to the network as usual and build nothing here.
 * - Concurrent misses of one command share one load (single flight).
 * - The race is closed: a load that one of this client's writes (or a flush) overtook is answered
 *   but not stored, and later reads do not join it, so an old value can never outlive the write
 *   that invalidated it. A server push does not spoil a load: loads travel on the tracking link
 *   itself, so a push that arrives before a load's reply was caused by a write the server ran
 *   before the read (the reply already reflects it), and a push after the reply drops the stored
 *   entry.
 * - Program order for this client's own writes: while a write of a hot key is in flight, reads of
 *   the key that miss wait for it to settle before loading (the load travels on another
 *   connection and could overtake the write). A plain `SET key value` of a hot key is written
 *   through: reads are answered with the written value at once; once every write of the key has
 *   settled, one tracked re-read (`refresh`) replaces it. Until then the written-through entry is
 *   untracked (the server stopped tracking the key when our write ran), so pushes leave it alone;
 *   a foreign write landing after ours is seen when the re-read returns, one round trip later.
 * - Bounded by entries and by bytes; every entry has a TTL with jitter (so a fleet of clients does
 *   not reload a key in lockstep), which bounds staleness when invalidations cannot arrive.
 */

import { LRUCache } from 'lru-cache';
import type { RespValue } from '../../protocol/resp-types.js';
import type { LocalCacheConfig } from '../resolve-options.js';
import { cacheHitChannel, cacheInvalidateChannel, cacheMissChannel, type CacheHitMessage, type CacheInvalidateMessage, type CacheMissMessage } from '../observe/diagnostics.js';
import { HotKeyDetector, type HotKeyInfo } from './hot-key-detector.js';

/** The local cache's counters (part of LocalCacheStats). */
export interface CacheStoreStats {
  /** Hot-key reads answered from memory. */
  hits: number;
  /** Hot-key reads that had to load (or join a load in flight). */
  misses: number;
  /** Reads of keys that are not hot, sent to the server as usual. */
  cold: number;
  /** Reads of hot keys sent to the server to fill the cache. */
  loads: number;
  /** Loads whose result was dropped because an invalidation overtook them. */
  discardedLoads: number;
  /** Cached answers now. */
  entries: number;
  /** Approximate heap bytes of the cached answers. */
  bytes: number;
  /** Keys dropped because this client wrote them or the server pushed an invalidation. */
  invalidations: number;
  /** Whole-shard (or whole-cache) drops: tracking link lost, failover, FLUSHALL. */
  flushes: number;
  /** Keys the detector currently holds as hot (or pinned). */
  hotKeyCount: number;
  /** The hottest keys with estimated read rates, hottest first. */
  hotKeys: HotKeyInfo[];
}

interface Entry {
  value: RespValue;
  key: string;
  shard: string;
  size: number;
  /** False for a written-through value the server is not tracking for us (yet). */
  tracked: boolean;
}

interface Load {
  readonly key: string;
  readonly shard: string;
  stale: boolean;
  readonly promise: Promise<RespValue>;
}

/** This client's writes of one key that have not settled, and the reads waiting for them. */
interface Writes {
  inFlight: number;
  waiters: Array<() => void>;
}

/** Approximate heap bytes of a reply (strings as UTF-16, Buffers by length, containers by parts). */
function sizeOf(v: RespValue): number {
  if (typeof v === 'string') return 40 + 2 * v.length;
  if (Buffer.isBuffer(v)) return 96 + v.length;
  if (Array.isArray(v)) {
    let n = 32 + 8 * v.length;
    for (const x of v) n += sizeOf(x);
    return n;
  }
  if (v instanceof Map) {
    let n = 64;
    for (const [k, x] of v) n += 24 + sizeOf(k) + sizeOf(x);
    return n;
  }
  return 16;
}

export class CacheStore {
  readonly detector: HotKeyDetector;
  private readonly lru: LRUCache<string, Entry>;
  /** Redis key → cache keys holding answers about it. */
  private readonly byKey = new Map<string, Set<string>>();
  /** Loads in flight that later reads may join (a spoiled load is removed at once). */
  private readonly loads = new Map<string, Load>();
  /** Redis key → how many of `loads` read it (so invalidating an idle key skips the scan). */
  private readonly loadingKeys = new Map<string, number>();
  private readonly writes = new Map<string, Writes>();
  private readonly cfg: LocalCacheConfig;
  private readonly counters = { hits: 0, misses: 0, cold: 0, loads: 0, discardedLoads: 0, invalidations: 0, flushes: 0 };

  constructor(cfg: LocalCacheConfig) {
    this.cfg = cfg;
    this.detector = new HotKeyDetector({
      hotThreshold: cfg.hotThreshold,
      windowMs: cfg.windowMs,
      maxHot: cfg.maxHotKeys,
      prefixes: cfg.prefixes,
      ...(cfg.now !== undefined ? { now: cfg.now } : {}),
    });
    this.lru = new LRUCache<string, Entry>({
      max: cfg.maxEntries,
      maxSize: cfg.maxBytes,
      sizeCalculation: (e) => e.size,
      ttl: cfg.ttlMs,
      ttlAutopurge: false,
      ...(cfg.now !== undefined ? { perf: { now: cfg.now } } : {}),
      dispose: (e, cacheKey) => this.unindex(e.key, cacheKey),
    });
  }

  /**
   * Counts a read of `key`; true when the key is hot and the read should go through `lookup`.
   * Cold reads (most keys) cost only this: the caller sends them itself.
   */
  admit(key: string): boolean {
    if (this.detector.record(key)) return true;
    this.counters.cold++;
    return false;
  }

  /** The cached answer to `cacheKey` (counted as a hit), or undefined. */
  peek(cacheKey: string): RespValue | undefined {
    const e = this.lru.get(cacheKey);
    if (e === undefined) return undefined;
    this.counters.hits++;
    if (cacheHitChannel.hasSubscribers) cacheHitChannel.publish({ key: e.key } satisfies CacheHitMessage);
    return e.value;
  }

  /**
   * Answers `cacheKey` (a read of the hot `key` on `shard`) from memory, from a load in flight, or
   * by starting `load()`.
   */
  lookup(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): RespValue | Promise<RespValue> {
    const hit = this.peek(cacheKey);
    return hit !== undefined ? hit : this.miss(cacheKey, key, shard, load);
  }

  /** `lookup` after `peek` found nothing: joins a load in flight or starts one (no second probe). */
  miss(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): RespValue | Promise<RespValue> {
    this.counters.misses++;
    const pending = this.loads.get(cacheKey);
    if (cacheMissChannel.hasSubscribers) cacheMissChannel.publish({ key, joined: pending !== undefined } satisfies CacheMissMessage);
    if (pending !== undefined) return pending.promise;
    return this.writes.has(key) ? this.fetch(cacheKey, key, shard, load) : this.startLoad(cacheKey, key, shard, load);
  }

  /** A miss of a key this client is writing: waits for the writes, then answers, joins or loads. */
  private fetch(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): RespValue | Promise<RespValue> {
    const w = this.writes.get(key);
    if (w !== undefined) {
      // One of our writes of the key is in flight: load only after it, so the read sees it.
      return new Promise<RespValue>((resolve) => {
        w.waiters.push(() => resolve(this.fetch(cacheKey, key, shard, load)));
      });
    }
    const e = this.lru.get(cacheKey);
    if (e !== undefined) return e.value;
    const pending = this.loads.get(cacheKey);
    if (pending !== undefined) return pending.promise;
    return this.startLoad(cacheKey, key, shard, load);
  }

  private startLoad(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): Promise<RespValue> {
    this.counters.loads++;
    const ld: Load = { key, shard, stale: false, promise: load().then((v) => this.settle(cacheKey, ld, v)) };
    this.track(cacheKey, ld);
    ld.promise.catch(() => {
      this.untrack(cacheKey, ld);
      // A failed refresh must not leave a written-through value untracked.
      const e = this.lru.peek(cacheKey);
      if (e !== undefined && !e.tracked) this.lru.delete(cacheKey);
    });
    return ld.promise;
  }

  private track(cacheKey: string, ld: Load): void {
    this.loads.set(cacheKey, ld);
    this.loadingKeys.set(ld.key, (this.loadingKeys.get(ld.key) ?? 0) + 1);
  }

  /** Removes `ld` from the joinable loads (it settled or was spoiled). */
  private untrack(cacheKey: string, ld: Load): void {
    if (this.loads.get(cacheKey) !== ld) return;
    this.loads.delete(cacheKey);
    const n = this.loadingKeys.get(ld.key)!;
    if (n <= 1) this.loadingKeys.delete(ld.key);
    else this.loadingKeys.set(ld.key, n - 1);
  }

  private settle(cacheKey: string, ld: Load, v: RespValue): RespValue {
    this.untrack(cacheKey, ld);
    if (ld.stale) {
      this.counters.discardedLoads++;
      return v;
    }
    this.store(cacheKey, ld.key, ld.shard, v, true);
    return v;
  }

  private store(cacheKey: string, key: string, shard: string, v: RespValue, tracked: boolean): void {
    if (v instanceof Error) return;
    const size = sizeOf(v) + 2 * cacheKey.length;
    if (size > this.cfg.maxBytes) return;
    const jitter = this.cfg.jitter > 0 ? Math.floor(Math.random() * this.cfg.jitter * this.cfg.ttlMs) : 0;
    this.lru.set(cacheKey, { value: v, key, shard, size, tracked }, { ttl: this.cfg.ttlMs + jitter });
    let set = this.byKey.get(key);
    if (set === undefined) this.byKey.set(key, (set = new Set()));
    set.add(cacheKey);
  }

  /**
   * One of this client's writes of `key` is about to be sent: drops what we hold about the key
   * and, when the key is hot, holds back its loads until the write settles (`endWrite`). Returns
   * whether the caller must call `endWrite`.
   */
  beginWrite(key: string): boolean {
    this.invalidate(key);
    if (!this.detector.isHot(key)) return false;
    const w = this.writes.get(key);
    if (w !== undefined) w.inFlight++;
    else this.writes.set(key, { inFlight: 1, waiters: [] });
    return true;
  }

  /**
   * `beginWrite` for a write whose outcome we know: reads of `cacheKey` are answered with `value`
   * until the write settles and a refresh replaces it. Returns whether `endWrite` is owed.
   */
  writeThrough(key: string, cacheKey: string, shard: string, value: RespValue): boolean {
    if (!this.beginWrite(key)) return false;
    this.store(cacheKey, key, shard, value, false);
    return true;
  }

  /**
   * A write announced by `beginWrite` settled. Releases the reads waiting for it once no write of
   * the key is in flight; returns the cache keys of written-through entries that now need a
   * tracked refresh (null when none).
   */
  endWrite(key: string, ok: boolean): string[] | null {
    const w = this.writes.get(key);
    if (w === undefined) return null;
    // A failed write: what we wrote through may not be what the server holds.
    if (!ok) this.dropUntracked(key);
    if (--w.inFlight > 0) return null;
    this.writes.delete(key);
    let refresh: string[] | null = null;
    const set = this.byKey.get(key);
    if (set !== undefined) {
      for (const cacheKey of set) {
        const e = this.lru.peek(cacheKey);
        if (e !== undefined && !e.tracked && !this.loads.has(cacheKey)) (refresh ??= []).push(cacheKey);
      }
    }
    for (const wake of w.waiters) wake();
    return refresh;
  }

  /** Re-reads a written-through entry on the tracking link; its answer replaces the entry. */
  refresh(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): void {
    if (this.loads.has(cacheKey) || this.writes.has(key)) return;
    this.startLoad(cacheKey, key, shard, load).catch(() => {
      /* the entry was dropped in startLoad; nobody awaits a refresh */
    });
  }

  private dropUntracked(key: string): void {
    const set = this.byKey.get(key);
    if (set === undefined) return;
    for (const cacheKey of [...set]) if (this.lru.peek(cacheKey)?.tracked === false) this.lru.delete(cacheKey);
  }

  private unindex(key: string, cacheKey: string): void {
    const set = this.byKey.get(key);
    if (set === undefined) return;
    set.delete(cacheKey);
    if (set.size === 0) this.byKey.delete(key);
  }

  /** Drops every answer about `key` and spoils its loads in flight (this client wrote it). */
  invalidate(key: string): void {
    this.counters.invalidations++;
    if (cacheInvalidateChannel.hasSubscribers) cacheInvalidateChannel.publish({ key, source: 'write', shard: null } satisfies CacheInvalidateMessage);
    if (this.loadingKeys.has(key)) {
      for (const [cacheKey, ld] of this.loads) {
        if (ld.key !== key) continue;
        ld.stale = true;
        this.untrack(cacheKey, ld);
      }
    }
    const set = this.byKey.get(key);
    if (set === undefined) return;
    for (const cacheKey of [...set]) this.lru.delete(cacheKey);
  }

  /**
   * The server says `key` changed (a push on the tracking link). Drops the tracked answers about
   * it; loads in flight on the link are kept (their replies come after the push, so they already
   * reflect the write), and so are written-through entries (untracked: a refresh settles them).
   */
  invalidatePushed(key: string): void {
    this.counters.invalidations++;
    if (cacheInvalidateChannel.hasSubscribers) cacheInvalidateChannel.publish({ key, source: 'push', shard: null } satisfies CacheInvalidateMessage);
    const set = this.byKey.get(key);
    if (set === undefined) return;
    for (const cacheKey of [...set]) if (this.lru.peek(cacheKey)?.tracked !== false) this.lru.delete(cacheKey);
  }

  /** Drops everything from `shard` (null: from every shard): tracking link lost, failover, FLUSHALL. */
  flush(shard: string | null): void {
    this.counters.flushes++;
    if (cacheInvalidateChannel.hasSubscribers) cacheInvalidateChannel.publish({ key: null, source: 'flush', shard } satisfies CacheInvalidateMessage);
    for (const [cacheKey, ld] of this.loads) {
      if (shard !== null && ld.shard !== shard) continue;
      ld.stale = true;
      this.untrack(cacheKey, ld);
    }
    if (shard === null) {
      this.lru.clear();
      return;
    }
    for (const [cacheKey, e] of this.lru.entries()) if (e.shard === shard) this.lru.delete(cacheKey);
  }

  stats(topN = 10): CacheStoreStats {
    return {
      ...this.counters,
      entries: this.lru.size,
      bytes: this.lru.calculatedSize,
      hotKeyCount: this.detector.hotCount,
      hotKeys: this.detector.top(topN),
    };
  }
}
