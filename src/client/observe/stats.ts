/**
 * `RingClient.stats()`: one snapshot per shard (its state, pool sizes and counters, its
 * subscriptions), plus the local cache's and read-your-writes' counters when they are on. Read
 * only: building a snapshot changes nothing.
 */

import type { LocalCache, LocalCacheStats } from '../cache/local-cache.js';
import type { ShardSubscriberStats } from '../pubsub/shard-subscriber.js';
import type { ReadYourWrites, ReadYourWritesStats } from '../routing/read-your-writes.js';
import type { Shard } from '../routing/shard.js';
import type { ShardHealth, ShardState } from '../topology/shard-health.js';
import type { NodePoolStats } from '../transport/node-pool.js';

export interface ShardStats {
  name: string;
  /** 'down': its commands fail fast (master unreachable); 'ejected': off the ring. */
  state: ShardState;
  master: NodePoolStats;
  replicas: NodePoolStats[];
  /** Subscriptions held on this shard (absent when none were ever made). */
  pubsub?: ShardSubscriberStats;
}

export interface ClientStats {
  shards: ShardStats[];
  /** The hot-key local cache (absent when `localCache` is not configured). */
  localCache?: LocalCacheStats;
  /** Read-your-writes counters (absent when `readYourWrites` is not configured). */
  readYourWrites?: ReadYourWritesStats;
}

export interface StatsSources {
  shards: readonly Shard[];
  health: ShardHealth;
  pubsub: Record<string, ShardSubscriberStats>;
  cache: LocalCache | null;
  readYourWrites: ReadYourWrites | null;
}

export function clientStats(src: StatsSources): ClientStats {
  return {
    shards: src.shards.map((s) => {
      const out: ShardStats = { name: s.name, state: src.health.state(s), master: s.master.stats(), replicas: s.replicas.map((r) => r.stats()) };
      const pubsub = src.pubsub[s.name];
      if (pubsub !== undefined) out.pubsub = pubsub;
      return out;
    }),
    ...(src.cache !== null ? { localCache: src.cache.stats() } : {}),
    ...(src.readYourWrites !== null ? { readYourWrites: src.readYourWrites.stats() } : {}),
  };
}
