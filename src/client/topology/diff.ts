/**
 * The pure difference between two topology snapshots: what `topology` events carry and what the
 * shard map applies. No I/O, no pools: two snapshots in, a description of the change out.
 *
 * Invariant: `diffTopology(a, a)` is empty, and applying the changes of `diffTopology(a, b)` to `a`
 * gives `b` (shards added/removed, master moves, replica set and health changes).
 */

import { shardHealth, type MasterHealth, type ShardTopology, type TopologySnapshot } from './snapshot.js';

/** How one shard changed between two topology snapshots. */
export interface ShardChange {
  /** The shard's name. */
  readonly shard: string;
  /** 'added' / 'removed': the shard appeared or disappeared; 'changed' otherwise. */
  readonly kind: 'added' | 'removed' | 'changed';
  /** The master moved (failover or reconfiguration). */
  readonly master?: {
    /** The old master's `host:port`. */
    readonly from: string;
    /** The new master's `host:port`. */
    readonly to: string;
  };
  /** Replicas (`host:port`) that appeared. */
  readonly replicasAdded: readonly string[];
  /** Replicas (`host:port`) that disappeared. */
  readonly replicasRemoved: readonly string[];
  /** Replicas still present whose health flipped. */
  readonly replicaHealth: readonly {
    /** The replica's `host:port`. */
    readonly address: string;
    /** Its health now. */
    readonly healthy: boolean;
  }[];
  /** The master's health changed ('ok', 'failover', 'down'). */
  readonly health?: {
    /** Before. */
    readonly from: MasterHealth;
    /** After. */
    readonly to: MasterHealth;
  };
}

/** What a 'topology' event carries first: the changes from one snapshot to the next. */
export interface TopologyDiff {
  /** The epoch of the snapshot before. */
  readonly fromEpoch: number;
  /** The epoch of the snapshot after (the one passed with the event). */
  readonly toEpoch: number;
  /** One entry per shard that changed. */
  readonly changes: readonly ShardChange[];
}

function diffShard(a: ShardTopology | undefined, b: ShardTopology | undefined): ShardChange | null {
  const name = (a ?? b)!.name;
  if (a === undefined || b === undefined) {
    const s = (a ?? b)!;
    const addrs = s.replicas.map((r) => r.address);
    return {
      shard: name,
      kind: a === undefined ? 'added' : 'removed',
      replicasAdded: a === undefined ? addrs : [],
      replicasRemoved: a === undefined ? [] : addrs,
      replicaHealth: [],
    };
  }
  const before = new Map(a.replicas.map((r) => [r.address, r.healthy]));
  const after = new Map(b.replicas.map((r) => [r.address, r.healthy]));
  const added = [...after.keys()].filter((x) => !before.has(x));
  const removed = [...before.keys()].filter((x) => !after.has(x));
  const flipped = [...after].filter(([x, h]) => before.has(x) && before.get(x) !== h).map(([address, healthy]) => ({ address, healthy }));
  const ha = shardHealth(a);
  const hb = shardHealth(b);
  const masterMoved = a.master !== b.master;
  if (!masterMoved && added.length === 0 && removed.length === 0 && flipped.length === 0 && ha === hb && a.masterDown === b.masterDown) return null;
  return {
    shard: name,
    kind: 'changed',
    ...(masterMoved ? { master: { from: a.master, to: b.master } } : {}),
    replicasAdded: added,
    replicasRemoved: removed,
    replicaHealth: flipped,
    ...(ha !== hb ? { health: { from: ha, to: hb } } : {}),
  };
}

/** What changed from `prev` to `next`, shard by shard (unchanged shards are left out). */
export function diffTopology(prev: TopologySnapshot, next: TopologySnapshot): TopologyDiff {
  const changes: ShardChange[] = [];
  const names = new Set([...prev.shards.keys(), ...next.shards.keys()]);
  for (const n of names) {
    const c = diffShard(prev.shards.get(n), next.shards.get(n));
    if (c !== null) changes.push(c);
  }
  return { fromEpoch: prev.epoch, toEpoch: next.epoch, changes };
}
