/**
 * A shard as routing sees it: its stable name (the ring is built from names), the pool of its
 * master and one pool per replica. The shard map (shard-map.ts) owns every Shard and swaps its
 * pools when the topology changes; everyone else only reads them.
 */

import type { NodePool } from '../transport/node-pool.js';

export interface Shard {
  readonly name: string;
  master: NodePool;
  /** `host:port` of the master the pool connects to ('' until the master is known). */
  masterAddress: string;
  /** A pool per replica of the topology, healthy or not. */
  replicas: NodePool[];
  /** The replicas the topology calls healthy: the ones reads may go to. */
  readable: NodePool[];
  /** Round-robin cursor over readable replicas. */
  rr: number;
}

/** Keys grouped by owning shard: for each shard, the argument indexes of its keys. */
export type KeyGroups = Map<Shard, number[]>;
