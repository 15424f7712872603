/**
 * Topology events seen between two polls of one node (a pure diff of its two views): it went down
 * or came back, its role changed (a promotion is how a failover looks from the nodes themselves,
 * with or without Sentinels), its replication link went up or down, replicas joined or left it.
 * A node never seen up yields no "down" event (it was never part of the picture).
 */

import type { NewEvent } from './timeline.js';
import type { NodeView } from './node-poller.js';

export function topologyEvents(prev: NodeView, next: NodeView, everUp: boolean): NewEvent[] {
  const out: NewEvent[] = [];
  const at = { node: next.addr, shard: next.shard };
  if (prev.up && !next.up) {
    out.push({ kind: 'down', ...at, text: `${next.addr} (${next.shard}) is down: ${next.error ?? 'no answer'}` });
    return out;
  }
  if (!next.up) return out;
  if (!prev.up && everUp) out.push({ kind: 'up', ...at, text: `${next.addr} (${next.shard}) is back as ${next.role}` });
  if (prev.role !== 'unknown' && prev.role !== next.role) {
    const text = next.role === 'master'
      ? `${next.addr} (${next.shard}) promoted to master`
      : `${next.addr} (${next.shard}) is now a replica of ${next.master ?? '?'}`;
    out.push({ kind: next.role === 'master' ? 'failover' : 'role', ...at, text });
  } else if (prev.up && next.role === 'replica' && prev.master !== next.master) {
    out.push({ kind: 'role', ...at, text: `${next.addr} (${next.shard}) now replicates ${next.master ?? '?'}` });
  }
  if (prev.up && prev.link !== null && next.link !== null && prev.link !== next.link) {
    out.push({ kind: 'link', ...at, text: `${next.addr} (${next.shard}) master link ${next.link}` });
  }
  if (prev.up && prev.role === 'master' && next.role === 'master') {
    const before = new Set(prev.replicas);
    const after = new Set(next.replicas);
    for (const r of next.replicas) if (!before.has(r)) out.push({ kind: 'replica-joined', ...at, text: `replica ${r} joined ${next.addr} (${next.shard})` });
    for (const r of prev.replicas) if (!after.has(r)) out.push({ kind: 'replica-left', ...at, text: `replica ${r} left ${next.addr} (${next.shard})` });
  }
  return out;
}
