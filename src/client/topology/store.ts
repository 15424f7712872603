/**
 * The one place topology changes happen: observe → diff → apply. Sources call `update` with a
 * function from the current shard state to the next; the store stamps a new epoch, diffs the two
 * snapshots and hands both to its applier (the router) synchronously. Empty diffs are dropped, so
 * duplicate events (the same `+switch-master` from three Sentinels) change nothing.
 */

import { diffTopology, type TopologyDiff } from './diff.js';
import { EMPTY_SNAPSHOT, makeSnapshot, type ShardState, type TopologySnapshot } from './snapshot.js';

export type TopologyApplier = (next: TopologySnapshot, diff: TopologyDiff) => void;

export class TopologyStore {
  private current: TopologySnapshot = EMPTY_SNAPSHOT;

  constructor(private readonly applier: TopologyApplier) {}

  get snapshot(): TopologySnapshot {
    return this.current;
  }

  shard(name: string): ShardState | undefined {
    return this.current.shards.get(name);
  }

  /** Replaces the states of the given shards (others are kept); returns the diff, or null when nothing changed. */
  put(states: Iterable<ShardState>): TopologyDiff | null {
    const merged = new Map(this.current.shards);
    for (const s of states) merged.set(s.name, s);
    return this.commit(merged.values());
  }

  /** Rewrites one shard from its current state; a no-op when the shard is unknown. */
  update(name: string, fn: (s: ShardState) => ShardState): TopologyDiff | null {
    const s = this.current.shards.get(name);
    return s === undefined ? null : this.put([fn(s)]);
  }

  private commit(shards: Iterable<ShardState>): TopologyDiff | null {
    const next = makeSnapshot(this.current.epoch + 1, shards);
    const diff = diffTopology(this.current, next);
    if (diff.changes.length === 0) return null;
    this.current = next;
    this.applier(next, diff);
    return diff;
  }
}
