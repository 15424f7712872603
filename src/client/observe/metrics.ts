/**
 * `RingClient.metrics()`: per shard, the commands its nodes settled, errors by code, command
 * timeouts, reconnect attempts and a sampled latency histogram (transport/node-metrics.ts: one
 * NodeMetrics per shard, shared by its master and replica pools, so a failover keeps the counts);
 * and the local cache's hits, misses, invalidations and the keys it holds as hot now. Counters
 * only grow while the client lives. Read only: building the snapshot changes nothing.
 */

import type { LocalCache } from '../cache/local-cache.js';
import type { HotKeyInfo } from '../cache/hot-key-detector.js';
import type { Shard } from '../routing/shard.js';
import type { LatencyHistogram } from '../transport/node-metrics.js';

/** One shard's counters (its master's and replicas' together). */
export interface ShardMetrics {
  /** The shard's name. */
  shard: string;
  /** Commands its nodes settled: replies and errors alike. */
  commands: number;
  /**
   * Errors by code: a client error's `code` (ERR_COMMAND_TIMEOUT, ERR_SHARD_DOWN,
   * ERR_CONNECTION_CLOSED …), a server's error reply as `ERR_REPLY:<PREFIX>` (ERR_REPLY:WRONGTYPE).
   */
  errors: Record<string, number>;
  /** Commands that timed out (also counted in `errors` as ERR_COMMAND_TIMEOUT). */
  timeouts: number;
  /** Reconnect attempts of its connections. */
  reconnects: number;
  /** Command latency as callers saw it (queueing included), sampled. */
  latency: LatencyHistogram;
}

/** The local cache's counters (`RingClient.metrics().localCache`). */
export interface LocalCacheMetrics {
  /** Reads answered from memory. */
  hits: number;
  /** Reads of hot keys that had to load. */
  misses: number;
  /** Entries dropped because the key changed (a write here, a server push, a flush). */
  invalidations: number;
  /** The keys the detector calls hot now, hottest first. */
  hotKeys: HotKeyInfo[];
}

/** What `RingClient.metrics()` returns. */
export interface ClientMetrics {
  /** One entry per shard, in configuration order. */
  shards: ShardMetrics[];
  /** The local cache's counters; null when `localCache` is not configured. */
  localCache: LocalCacheMetrics | null;
}

export function clientMetrics(shards: readonly Shard[], cache: LocalCache | null): ClientMetrics {
  return {
    shards: shards.map((s) => {
      const m = s.master.metrics;
      const errors = m.errorCounts();
      return { shard: s.name, commands: m.commands, errors, timeouts: errors.ERR_COMMAND_TIMEOUT ?? 0, reconnects: m.reconnects, latency: m.latency() };
    }),
    localCache: cache === null ? null : localCacheMetrics(cache),
  };
}

function localCacheMetrics(cache: LocalCache): LocalCacheMetrics {
  const s = cache.stats();
  return { hits: s.hits, misses: s.misses, invalidations: s.invalidations, hotKeys: s.hotKeys };
}
