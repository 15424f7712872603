/**
 * Wires the topology sources to the router's store (observe → diff → apply):
 *
 * - static `shards`: the router's snapshot at construction, every replica presumed healthy;
 * - Sentinel: the watcher's shard states as it discovers and follows the masters; until every
 *   master is known the router's gate holds commands back (bounded by connectTimeoutMs);
 * - either way, when reads may go to replicas, the replica link checker is the store's overlay
 *   (replicas whose ROLE says the link is down are taken out of the read set).
 *
 * Every applied diff after construction is handed to `onDiff` (the client's 'topology' event). A
 * READONLY/LOADING reply from a shard's master (Router.onStale) re-resolves it through Sentinel.
 */

import { ClientClosedError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command } from '../transport/command.js';
import { connectionOptionsFor, type ResolvedOptions } from '../options.js';
import type { Router } from '../routing/shard-map.js';
import type { TopologyDiff } from './diff.js';
import { DiscoveryGate } from './discovery-gate.js';
import { ReplicaLinkChecker } from './replica-links.js';
import { SentinelWatcher } from './sentinel-watcher.js';
import type { TopologySnapshot } from './snapshot.js';

export interface TopologyHooks {
  onDiff: (diff: TopologyDiff, snapshot: TopologySnapshot) => void;
  /** Failures the sources recover from by themselves (the client's 'error' event). */
  onError: (err: Error) => void;
}

export class TopologyController {
  readonly links: ReplicaLinkChecker | null = null;
  private watcher: SentinelWatcher | null = null;
  private gate: DiscoveryGate | null = null;

  constructor(
    private readonly o: ResolvedOptions,
    private readonly router: Router,
    private readonly hooks: TopologyHooks,
  ) {
    // The static snapshot was applied when the router was made; every later diff is announced.
    router.onTopology = (diff, snapshot) => hooks.onDiff(diff, snapshot);
    const store = router.store;
    if (o.readFrom !== 'master' && o.replicaCheckMs > 0) {
      this.links = new ReplicaLinkChecker({
        periodMs: o.replicaCheckMs,
        timeoutMs: Math.max(o.replicaCheckMs, 1000),
        targets: () => router.all().flatMap((s) => s.replicas.map((p) => p.address)),
        probe: (address, timeoutMs) => probe(router, address, timeoutMs),
        changed: () => void store.refresh(),
      });
      store.overlay = this.links.overlay;
    }
    if (o.sentinels.length === 0) this.links?.start();
    else this.followSentinel();
  }

  /** Sentinel mode: commands wait at the router's gate until the watcher has found every master. */
  private followSentinel(): void {
    const { o, router } = this;
    const gate = new DiscoveryGate(o.connectTimeoutMs, o.offlineQueueMax);
    this.gate = gate;
    router.gate = gate;
    const watcher = new SentinelWatcher({
      sentinels: o.sentinels,
      masters: o.masters,
      connection: (address) => connectionOptionsFor(o, address),
      timeoutMs: o.sentinelTimeoutMs,
      recheckMs: o.sentinelRecheckMs,
      linkStatus: this.links === null,
      onState: (state) => void this.router.store.put([state]),
      onError: (err) => {
        gate.failed(err);
        this.hooks.onError(err);
      },
    });
    this.watcher = watcher;
    router.onStale = (shard) => watcher.recheck(shard);
    if (this.links !== null) {
      this.links.onPromoted = (address) => {
        const shard = router.all().find((s) => s.replicas.some((p) => p.address === address));
        if (shard !== undefined) watcher.recheck(shard.name);
      };
    }
    watcher.start().then(
      () => {
        router.gate = null;
        gate.open();
        this.links?.start();
      },
      () => undefined, // only when closed during discovery: close() already settled the waiters
    );
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
function probe(router: Router, address: string, timeoutMs: number): Promise<RespValue> {
  for (const s of router.all()) {
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
