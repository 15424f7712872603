/**
 * `RingClient.stats()`: one snapshot per shard (its state, pool sizes and counters, its
 * subscriptions), plus the local cache's and read-your-writes' counters when they are on; and
 * `RingClient.shards()`: the shards as configured or discovered, each with its state. Read only:
 * building either changes nothing.
 */

import type { LocalCache, LocalCacheStats } from '../cache/local-cache.js';
import type { ShardSubscriberStats } from '../pubsub/shard-subscriber.js';
import type { ReadYourWrites, ReadYourWritesStats } from '../routing/read-your-writes.js';
import type { Shard } from '../routing/shard.js';
import type { ShardHealth, ShardState } from '../topology/shard-health.js';
import { shardHealth, type MasterHealth, type ReplicaState, type TopologySnapshot } from '../topology/snapshot.js';
import type { NodePoolStats } from '../transport/node-pool.js';

/** One shard in `client.stats()`. */
export interface ShardStats {
  /** The shard's name. */
  name: string;
  /** 'down': its commands fail fast (master unreachable); 'ejected': off the ring. */
  state: ShardState;
  /** Its master's pool. */
  master: NodePoolStats;
  /** Its replicas' pools. */
  replicas: NodePoolStats[];
  /** Subscriptions held on this shard (absent when none were ever made). */
  pubsub?: ShardSubscriberStats;
}

/** `client.stats()`: a snapshot of every shard's pools, the local cache and read-your-writes. */
export interface ClientStats {
  /** One entry per shard. */
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

/** One shard of `RingClient.shards()`. */
export interface ShardInfo {
  /** The ring identity (keys are placed by it, never by an address). */
  name: string;
  /** The master's address (`host:port`, plus `/db` when its URL names one), or null until Sentinel discovery found it. */
  master: string | null;
  /** Its replicas and whether reads may go to each. */
  replicas: ReplicaState[];
  /** Its share of the ring's virtual nodes (1 unless configured). */
  weight: number;
  /** 'up'; 'down' while its master is unreachable (commands refused or answered as misses); 'ejected' while off the ring. */
  state: ShardState;
  /** What the topology says of its master: 'ok', or 'failover' while Sentinel reports it down. */
  health: MasterHealth;
}

/** The shards in configuration order (Sentinel mode: the order of `masters`). */
export function shardList(shards: readonly Shard[], snapshot: TopologySnapshot, health: ShardHealth): ShardInfo[] {
  return shards.map((s) => {
    const t = snapshot.shards.get(s.name);
    return {
      name: s.name,
      master: t?.master ?? null,
      replicas: t === undefined ? [] : t.replicas.map((r) => ({ ...r })),
      weight: t?.weight ?? 1,
      state: health.state(s),
      health: t === undefined ? 'ok' : shardHealth(t),
    };
  });
}
