/**
 * The one place topology changes happen: observe → diff → apply. Sources hand the store shard
 * states as they report them (the static list, the Sentinel watcher); an optional overlay (the
 * replica link checker) adjusts each reported state before it becomes the snapshot. The store
 * stamps a new epoch, diffs the two snapshots and hands both to its applier (the shard map, wired
 * in assemble.ts) synchronously. Empty diffs are dropped, so duplicate events (the same
 * `+switch-master` from three Sentinels) change nothing.
 *
 * Invariant: the snapshot is always `overlay(reported)` for every shard; `refresh()` re-derives it
 * when the overlay's own view changed.
 */

import { diffTopology, type TopologyDiff } from './diff.js';
import { EMPTY_SNAPSHOT, makeSnapshot, type ShardTopology, type TopologySnapshot } from './snapshot.js';

export type TopologyApplier = (next: TopologySnapshot, diff: TopologyDiff) => void;

export class TopologyStore {
  private current: TopologySnapshot = EMPTY_SNAPSHOT;
  /** Each shard as its source last reported it, before the overlay. */
  private readonly reportedStates = new Map<string, ShardTopology>();
  /** Adjusts a reported state (e.g. marks replicas whose link is down); identity by default. */
  overlay: ((s: ShardTopology) => ShardTopology) | null = null;

  constructor(private readonly applier: TopologyApplier) {}

  get snapshot(): TopologySnapshot {
    return this.current;
  }

  shard(name: string): ShardTopology | undefined {
    return this.current.shards.get(name);
  }

  /** A shard as its source reported it (no overlay). */
  reported(name: string): ShardTopology | undefined {
    return this.reportedStates.get(name);
  }

  /** Replaces the reported states of the given shards (others are kept); returns the diff, or null when nothing changed. */
  put(states: Iterable<ShardTopology>): TopologyDiff | null {
    for (const s of states) this.reportedStates.set(s.name, s);
    return this.refresh();
  }

  /** Rewrites one shard from its reported state; a no-op when the shard is unknown. */
  update(name: string, fn: (s: ShardTopology) => ShardTopology): TopologyDiff | null {
    const s = this.reportedStates.get(name);
    return s === undefined ? null : this.put([fn(s)]);
  }

  /** Re-derives the snapshot from the reported states (call when the overlay's view changed). */
  refresh(): TopologyDiff | null {
    const overlay = this.overlay;
    const states = [...this.reportedStates.values()].map((s) => (overlay === null ? s : overlay(s)));
    const next = makeSnapshot(this.current.epoch + 1, states);
    const diff = diffTopology(this.current, next);
    if (diff.changes.length === 0) return null;
    this.current = next;
    this.applier(next, diff);
    return diff;
  }
}
