/**
 * The route's "choose pool" step: which of a shard's pools a command goes to under the read
 * policy. Writes and commands that are not read-only always go to the master.
 *
 * 'replica' round-robins over the readable replicas, 'prefer-replica' over those also connected;
 * both fall back to the master when there is none, unless the master is unreachable (dropped,
 * reconnecting: it may be failing over) and a replica the topology calls unhealthy (its link to
 * the dead master is down, say) is still connected: a possibly lagging answer beats none.
 */

import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { ReadFrom } from '../options.js';
import type { NodePool } from '../transport/node-pool.js';
import type { Shard } from './shard.js';

export function choosePool(shard: Shard, spec: CommandSpec, readFrom: ReadFrom): NodePool {
  if (readFrom === 'master' || (spec.flags & Flag.READONLY) === 0) return shard.master;
  const rs = shard.readable;
  for (let i = 0; i < rs.length; i++) {
    const p = rs[shard.rr++ % rs.length]!;
    if (p.healthy || readFrom === 'replica') return p;
  }
  if (shard.master.unreachable) for (const p of shard.replicas) if (p.healthy) return p;
  return shard.master;
}
