/**
 * Wires the topology sources to the topology store (observe → diff → apply):
 *
 * - static `shards`: the store's snapshot at construction (assemble.ts), every replica presumed
 *   healthy;
 * - Sentinel: the watcher's shard states as it discovers and follows the masters; until every
 *   master is known the discovery gate holds commands back (bounded by connectTimeoutMs);
 * - either way, when reads may go to replicas, the replica link checker is the store's overlay
 *   (replicas whose ROLE says the link is down are taken out of the read set).
 *
 * A READONLY/LOADING reply from a shard's master (`recheck`) re-resolves it through Sentinel.
 */

import { ClientClosedError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command } from '../transport/command.js';
import { connectionOptionsFor, sentinelConnectionOptionsFor, type ResolvedOptions } from '../resolve-options.js';
import type { ShardMap } from '../routing/shard-map.js';
import type { DiscoveryGate } from './discovery-gate.js';
import { ReplicaLinkChecker } from './replica-links.js';
import { SentinelWatcher } from './sentinel-watcher.js';
import type { TopologyStore } from './store.js';

export class TopologyController {
  readonly links: ReplicaLinkChecker | null = null;
  private watcher: SentinelWatcher | null = null;

  constructor(
    private readonly o: ResolvedOptions,
    private readonly shards: ShardMap,
    private readonly store: TopologyStore,
    /** Sentinel mode: opened once the watcher has found every master. */
    private readonly gate: DiscoveryGate | null,
    /** Failures the sources recover from by themselves (the client's 'error' event). */
    private readonly onError: (err: Error) => void,
  ) {
    if (o.readFrom !== 'master' && o.replicaCheckMs > 0) {
      this.links = new ReplicaLinkChecker({
        periodMs: o.replicaCheckMs,
        timeoutMs: Math.max(o.replicaCheckMs, 1000),
        targets: () => shards.all().flatMap((s) => s.replicas.map((p) => p.address)),
        probe: (address, timeoutMs) => probe(shards, address, timeoutMs),
        changed: () => void store.refresh(),
      });
      store.overlay = this.links.overlay;
    }
    if (gate === null) this.links?.start();
    else this.followSentinel(gate);
  }

  /** Sentinel mode: commands wait at the gate until the watcher has found every master. */
  private followSentinel(gate: DiscoveryGate): void {
    const { o, shards } = this;
    const watcher = new SentinelWatcher({
      sentinels: o.sentinels,
      masters: o.masters,
      connection: (address) => connectionOptionsFor(o, address),
      sentinelConnection: (address) => sentinelConnectionOptionsFor(o, address),
      timeoutMs: o.sentinelTimeoutMs,
      recheckMs: o.sentinelRecheckMs,
      linkStatus: this.links === null,
      onState: (state) => void this.store.put([state]),
      onError: (err) => {
        gate.failed(err);
        this.onError(err);
      },
    });
    this.watcher = watcher;
    if (this.links !== null) {
      this.links.onPromoted = (address) => {
        const shard = shards.all().find((s) => s.replicas.some((p) => p.address === address));
        if (shard !== undefined) watcher.recheck(shard.name);
      };
    }
    watcher.start().then(
      () => {
        gate.open();
        this.links?.start();
      },
      () => undefined, // only when closed during discovery: close() already settled the waiters
    );
  }

  /** A shard's master answered READONLY or LOADING: it may no longer be the master (Sentinel mode). */
  recheck(shard: string): void {
    this.watcher?.recheck(shard);
  }

  /** null when commands may go now, else a promise for when they may (see DiscoveryGate). */
  wait(): Promise<void> | null {
    return this.gate?.wait() ?? null;
  }

  async close(): Promise<void> {
    this.gate?.close(new ClientClosedError());
    this.links?.close();
    await this.watcher?.close();
  }
}

/** ROLE to one replica through its pool, bounded by `timeoutMs` (null when it left the topology). */
function probe(shards: ShardMap, address: string, timeoutMs: number): Promise<RespValue> {
  for (const s of shards.all()) {
    for (const pool of s.replicas) {
      if (pool.address !== address) continue;
      const cmd = new Command(['ROLE'], false, true);
      cmd.deadline = Date.now() + timeoutMs;
      cmd.timeoutMs = timeoutMs;
      pool.send(cmd);
      return cmd.promise;
    }
  }
  return Promise.resolve(null);
}
