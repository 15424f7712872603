/**
 * The local cache as the data path sees it: the route asks it before sending a cacheable
 * single-key read, and tells it about every write this client makes. Its memory is a CacheStore
 * (cache-store.ts); each shard's server-assisted invalidation is a ShardTracking (tracking.ts).
 *
 * - Reads of hot keys are answered from memory, or loaded through the shard's ShardTracking
 *   (CLIENT CACHING yes + the read on a master pool connection) so the server tracks exactly what
 *   this client holds.
 * - This client's own writes drop the written keys locally at once (before the server's push);
 *   while a write of a hot key is in flight, reads of it that miss wait for it (see CacheStore).
 *   A plain `SET key value` of a hot key is written through, then refreshed by a tracked re-read.
 * - A shard's entries are flushed when one of its tracking connections drops or its master
 *   changes (failover).
 */

import type { CommandSpec } from '../../commands/spec.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { LocalCacheConfig } from '../resolve-options.js';
import type { Arg } from '../transport/command.js';
import type { NodePool } from '../transport/node-pool.js';
import { CacheStore, type CacheStoreStats } from './cache-store.js';
import { ShardTracking, type TrackingMode } from './tracking.js';

/** `client.stats().localCache`: the hot-key local cache's counters. */
export interface LocalCacheStats extends CacheStoreStats {
  /** Per shard: 'tracking' (invalidations pushed), 'ttl-only' (server cannot track) or 'connecting'. */
  modes: Record<string, TrackingMode>;
  /** Invalidation messages pushed by the servers (CLIENT TRACKING), over every shard. */
  invalidationsReceived: number;
}

function text(a: Arg): string {
  return typeof a === 'string' ? a : Buffer.isBuffer(a) ? a.toString() : String(a);
}

/** The exact command as a cache key: name, reply mode, then length-prefixed arguments. */
function cacheKeyOf(spec: CommandSpec, argv: readonly Arg[], buffers: boolean): string {
  if (spec.name === 'get' && !buffers && argv.length === 2) return getKeyOf(text(argv[1]!));
  let k = buffers ? `\u0000${spec.name}\u0000b` : `\u0000${spec.name}\u0000s`;
  for (let i = 1; i < argv.length; i++) {
    const t = text(argv[i]!);
    k += `${t.length}:${t}`;
  }
  return k;
}

/**
 * The cache key of `GET key` with string replies, the commonest read: the key itself (no string
 * building per read). Every other form starts with NUL, so a key starting with NUL takes the long
 * form to stay distinct.
 */
function getKeyOf(key: string): string {
  return key.charCodeAt(0) === 0 ? `\u0000get\u0000s${key.length}:${key}` : key;
}

export class LocalCache {
  private readonly store: CacheStore;
  private readonly links = new Map<string, ShardTracking>();
  private readonly tracking: boolean;

  constructor(
    cfg: LocalCacheConfig,
    /** The shard owning a key (the ring), asked only when a load is needed. */
    private readonly shardOf: (key: Arg) => string,
  ) {
    this.store = new CacheStore(cfg);
    this.tracking = cfg.tracking;
  }

  /**
   * `pool` is now shard `shard`'s master pool (at start, or after a failover): loads go there and
   * its shared connections carry the tracking. A replaced master's entries are dropped.
   */
  trackPool(shard: string, pool: NodePool): void {
    if (this.links.has(shard)) this.store.flush(shard);
    const t = new ShardTracking(shard, pool, this.store, this.tracking);
    this.links.set(shard, t);
    pool.onSharedConnection = (conn) => t.attach(conn);
  }

  /**
   * A cacheable read of one key: the answer (from memory or a shared load), or undefined
   * when the key is not hot and the caller should send the command itself. One LRU probe.
   */
  read(spec: CommandSpec, argv: readonly Arg[], keyIndex: number, buffers: boolean): RespValue | Promise<RespValue> | undefined {
    const key = text(argv[keyIndex]!);
    if (!this.store.admit(key)) return undefined;
    const cacheKey = cacheKeyOf(spec, argv, buffers);
    const hit = this.store.peek(cacheKey);
    if (hit !== undefined) return hit;
    const shard = this.shardOf(argv[keyIndex]!);
    const link = this.links.get(shard);
    if (link === undefined) return undefined;
    return this.store.miss(cacheKey, key, shard, () => link.load(argv, buffers));
  }

  /**
   * A write of this client is about to be sent: drops the keys it touches (FLUSHALL/FLUSHDB: every
   * entry). Returns the hot keys whose reads now wait for it, or null; the caller passes them and
   * the write's outcome to `settled`. `at` ≥ 0: the write's only key is argv[at] (else `positions`
   * holds its keys). With `writeThrough`, a plain `SET key value` of a hot key is written through.
   */
  written(spec: CommandSpec, argv: readonly Arg[], at: number, positions: readonly number[], writeThrough: boolean): string[] | null {
    if (spec.name === 'flushall' || spec.name === 'flushdb') this.store.flush(null);
    if (at >= 0) {
      const key = text(argv[at]!);
      const v = argv[2];
      const through = writeThrough && spec.name === 'set' && argv.length === 3 && typeof v !== 'object';
      const held = through ? this.store.writeThrough(key, getKeyOf(key), this.shardOf(argv[at]!), String(v)) : this.store.beginWrite(key);
      return held ? [key] : null;
    }
    let held: string[] | null = null;
    for (const i of positions) {
      const key = text(argv[i]!);
      if (this.store.beginWrite(key)) (held ??= []).push(key);
    }
    return held;
  }

  /** Drops every entry: keys changed owners (a shard left or rejoined the ring), so what came from the old owner is not tracked by the new one. */
  flushAll(): void {
    this.store.flush(null);
  }

  /** Reports the outcome of a write `written` held keys for. */
  settled(keys: readonly string[], write: Promise<unknown>): void {
    write.then(
      () => {
        for (const k of keys) this.endWrite(k, true);
      },
      () => {
        for (const k of keys) this.endWrite(k, false);
      },
    );
  }

  private endWrite(key: string, ok: boolean): void {
    const refresh = this.store.endWrite(key, ok);
    if (refresh === null) return;
    const shard = this.shardOf(key);
    const link = this.links.get(shard);
    if (link === undefined) return;
    for (const cacheKey of refresh) this.store.refresh(cacheKey, key, shard, () => link.load(['GET', key], false));
  }

  stats(topN?: number): LocalCacheStats {
    const modes: Record<string, TrackingMode> = {};
    let received = 0;
    for (const [name, l] of this.links) {
      modes[name] = l.mode;
      received += l.invalidationsReceived;
    }
    return { ...this.store.stats(topN), modes, invalidationsReceived: received };
  }
}
