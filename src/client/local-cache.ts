/**
 * The client's local cache of hot keys (lru-cache), with single-flight loads and invalidation.
 *
 * Entries are replies of cacheable read commands (the command table's `cacheable` flag), keyed by
 * the exact command (name, arguments, reply mode) and indexed by the Redis key they read, so one
 * invalidation of `user:1` drops GET, HGET and HGETALL answers about it alike.
 *
 * Invariants:
 * - Only keys the HotKeyDetector calls hot are stored: `admit` counts every read and says whether
 *   it is hot; cold reads go to the network as usual and build nothing here.
 * - Concurrent misses of one command share one load (single flight).
 * - The race is closed: a load that an invalidation (of its key, of its shard, or of everything)
 *   overtook is answered but not stored, so an old value can never outlive the write that
 *   invalidated it.
 * - Bounded by entries and by bytes; every entry has a TTL with jitter (so a fleet of clients does
 *   not reload a key in lockstep), which bounds staleness when invalidations cannot arrive.
 */

import { LRUCache } from 'lru-cache';
import type { RespValue } from '../protocol/resp-types.js';
import { HotKeyDetector, type HotKeyInfo } from './hot-keys.js';

export interface LocalCacheConfig {
  hotThreshold: number;
  ttlMs: number;
  /** Fraction of ttlMs added at random (0–1). */
  jitter: number;
  maxEntries: number;
  maxBytes: number;
  prefixes: readonly string[];
  windowMs: number;
  /** Use CLIENT TRACKING for invalidation (else TTL only). */
  tracking: boolean;
  now?: () => number;
}

export interface LocalCacheStats {
  /** Hot-key reads answered from memory. */
  hits: number;
  /** Hot-key reads that had to load (or join a load in flight). */
  misses: number;
  /** Reads of keys that are not hot, sent to the server as usual. */
  cold: number;
  loads: number;
  /** Loads whose result was dropped because an invalidation overtook them. */
  discardedLoads: number;
  entries: number;
  bytes: number;
  invalidations: number;
  flushes: number;
  hotKeys: HotKeyInfo[];
}

interface Entry {
  value: RespValue;
  key: string;
  shard: string;
  size: number;
}

interface Load {
  readonly key: string;
  readonly shard: string;
  stale: boolean;
  readonly promise: Promise<RespValue>;
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

export class LocalCache {
  readonly detector: HotKeyDetector;
  private readonly lru: LRUCache<string, Entry>;
  /** Redis key → cache keys holding answers about it. */
  private readonly byKey = new Map<string, Set<string>>();
  private readonly loads = new Map<string, Load>();
  private readonly cfg: LocalCacheConfig;
  private readonly counters = { hits: 0, misses: 0, cold: 0, loads: 0, discardedLoads: 0, invalidations: 0, flushes: 0 };

  constructor(cfg: LocalCacheConfig) {
    this.cfg = cfg;
    this.detector = new HotKeyDetector({
      hotThreshold: cfg.hotThreshold,
      windowMs: cfg.windowMs,
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
    return e.value;
  }

  /**
   * Answers `cacheKey` (a read of the hot `key` on `shard`) from memory, from a load in flight, or
   * by starting `load()`.
   */
  lookup(cacheKey: string, key: string, shard: string, load: () => Promise<RespValue>): RespValue | Promise<RespValue> {
    const e = this.lru.get(cacheKey);
    if (e !== undefined) {
      this.counters.hits++;
      return e.value;
    }
    this.counters.misses++;
    const pending = this.loads.get(cacheKey);
    if (pending !== undefined) return pending.promise;
    this.counters.loads++;
    const ld: Load = { key, shard, stale: false, promise: load().then((v) => this.settle(cacheKey, ld, v)) };
    this.loads.set(cacheKey, ld);
    ld.promise.catch(() => {
      if (this.loads.get(cacheKey) === ld) this.loads.delete(cacheKey);
    });
    return ld.promise;
  }

  private settle(cacheKey: string, ld: Load, v: RespValue): RespValue {
    if (this.loads.get(cacheKey) === ld) this.loads.delete(cacheKey);
    if (ld.stale) {
      this.counters.discardedLoads++;
      return v;
    }
    if (v instanceof Error) return v;
    const size = sizeOf(v) + 2 * cacheKey.length;
    if (size > this.cfg.maxBytes) return v;
    const jitter = this.cfg.jitter > 0 ? Math.floor(Math.random() * this.cfg.jitter * this.cfg.ttlMs) : 0;
    this.lru.set(cacheKey, { value: v, key: ld.key, shard: ld.shard, size }, { ttl: this.cfg.ttlMs + jitter });
    let set = this.byKey.get(ld.key);
    if (set === undefined) this.byKey.set(ld.key, (set = new Set()));
    set.add(cacheKey);
    return v;
  }

  private unindex(key: string, cacheKey: string): void {
    const set = this.byKey.get(key);
    if (set === undefined) return;
    set.delete(cacheKey);
    if (set.size === 0) this.byKey.delete(key);
  }

  /** Drops every answer about `key` and spoils its loads in flight. */
  invalidate(key: string): void {
    this.counters.invalidations++;
    for (const ld of this.loads.values()) if (ld.key === key) ld.stale = true;
    const set = this.byKey.get(key);
    if (set === undefined) return;
    for (const cacheKey of [...set]) this.lru.delete(cacheKey);
  }

  /** Drops everything from `shard` (null: from every shard): tracking link lost, failover, FLUSHALL. */
  flush(shard: string | null): void {
    this.counters.flushes++;
    for (const ld of this.loads.values()) if (shard === null || ld.shard === shard) ld.stale = true;
    if (shard === null) {
      this.lru.clear();
      return;
    }
    for (const [cacheKey, e] of this.lru.entries()) if (e.shard === shard) this.lru.delete(cacheKey);
  }

  stats(topN = 10): LocalCacheStats {
    return {
      ...this.counters,
      entries: this.lru.size,
      bytes: this.lru.calculatedSize,
      hotKeys: this.detector.top(topN),
    };
  }
}
