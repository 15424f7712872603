/**
 * The topology model: an immutable, epoch-stamped snapshot of shards → { master, replicas, health }.
 *
 * Sources (the static `shards` option, the Sentinel watcher, the health checker) never touch
 * pools; they hand the store a new snapshot (or a patch of one shard), the store computes the pure
 * diff (diff.ts) and the shard map applies it in one synchronous step, so every command sees either
 * the old topology or the new one, never a mix. Snapshots are frozen; epochs only grow.
 */

/** A replica as the topology reports it. */
export interface ReplicaState {
  /** `host:port`. */
  readonly address: string;
  /** False when Sentinel reports it s_down/o_down/disconnected or its link to the master down. */
  readonly healthy: boolean;
}

/** One shard in a topology snapshot. */
export interface ShardTopology {
  /** Stable shard name (the ring is built from it). */
  readonly name: string;
  /** `host:port` of the current master. */
  readonly master: string;
  /** Its replicas, with their health. */
  readonly replicas: readonly ReplicaState[];
  /** The shard's ring weight (its share of virtual nodes), when configured. */
  readonly weight?: number;
  /** The health checker saw `failures` PINGs in a row fail on the master. */
  readonly masterDown: boolean;
  /** Sentinel reports the master subjectively/objectively down: a failover is expected. */
  readonly failingOver: boolean;
}

/** An immutable view of every shard's master and replicas: `client.topology()` and the 'topology' event's second argument. */
export interface TopologySnapshot {
  /** Increases with every change. */
  readonly epoch: number;
  /** Every shard, by name. */
  readonly shards: ReadonlyMap<string, ShardTopology>;
}

/** A master as the topology reports it: 'ok', 'failover' (Sentinel reports it down) or 'down' (health checks failed). */
export type MasterHealth = 'ok' | 'down' | 'failover';

/** The shard's health as one word: 'ok', 'failover' (Sentinel is on it) or 'down'. */
export function shardHealth(s: ShardTopology): MasterHealth {
  if (s.failingOver) return 'failover';
  return s.masterDown ? 'down' : 'ok';
}

export function freezeShard(s: ShardTopology): ShardTopology {
  return Object.freeze({ ...s, replicas: Object.freeze(s.replicas.map((r) => Object.freeze({ ...r }))) });
}

export function makeSnapshot(epoch: number, shards: Iterable<ShardTopology>): TopologySnapshot {
  const map = new Map<string, ShardTopology>();
  for (const s of shards) map.set(s.name, freezeShard(s));
  return Object.freeze({ epoch, shards: map });
}

export const EMPTY_SNAPSHOT: TopologySnapshot = makeSnapshot(0, []);

/** A shard as the static configuration gives it: every replica presumed healthy. */
export function staticShard(name: string, master: string, replicas: readonly string[], weight?: number): ShardTopology {
  return {
    name,
    master,
    replicas: replicas.map((address) => ({ address, healthy: true })),
    ...(weight !== undefined ? { weight } : {}),
    masterDown: false,
    failingOver: false,
  };
}
