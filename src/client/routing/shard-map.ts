/**
 * Routing: key → ring → shard → node pool (master or replica per `readFrom`), and the fan-out of
 * multi-key commands. The ring is built from shard NAMES (the static shards, or the Sentinel
 * master names), so a failover (a new address for a shard) swaps pools without moving keys. Shard
 * health (shard-health.ts) may take a shard off the ring and put it back (`eject`/`restore`);
 * `all()` keeps every shard, `onRing()` those placed.
 *
 * The pools follow an immutable, epoch-stamped topology snapshot (topology/): the router's store
 * turns what the sources report (the static list here, at construction; the Sentinel watcher and
 * the replica link checker, wired by topology/controller.ts) into snapshots, and `apply` swaps
 * pools per diff in one synchronous step, so a command sees the old topology or the new one,
 * never a mix. Until a shard's master is known (Sentinel mode before discovery) its master pool is
 * parked: it holds commands and opens nothing.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { Flag } from '../../commands/flags.js';
import { FailoverError } from '../../errors.js';
import { HashRing } from '../../ring/hash-ring.js';
import type { Arg } from '../transport/command.js';
import type { ConnectionOptions } from '../transport/connection.js';
import { connectionOptionsFor, type ReadFrom, type ResolvedOptions } from '../options.js';
import { LocalCache } from '../cache/local-cache.js';
import { NodePool, type ConnectionEvent } from '../transport/node-pool.js';
import type { Connection } from '../transport/connection.js';
import { ReadYourWrites } from './read-your-writes.js';
import { ShardHealth } from '../topology/shard-health.js';
import type { DiscoveryGate } from '../topology/discovery-gate.js';
import type { TopologyDiff } from '../topology/diff.js';
import { staticShard, type ShardTopology, type TopologySnapshot } from '../topology/snapshot.js';
import { TopologyStore } from '../topology/store.js';
import type { KeyGroups, Shard } from './shard.js';

export class Router {
  /** Replaced (never mutated) when shard health ejects or restores a shard. */
  ring: HashRing;
  private readonly shards = new Map<string, Shard>();
  /** The shards on the ring, in ring index order. */
  private byIndex: Shard[];
  /** Every shard, ejected ones included. */
  private readonly every: Shard[];
  /** The hot-key local cache, when `localCache` is configured. */
  readonly cache: LocalCache | null = null;
  /** Read-your-writes for replica reads, when `readYourWrites` is configured. */
  readonly readYourWrites: ReadYourWrites | null = null;
  /** Fail fast on an unreachable master; health checks and ejection with `onShardDown: { eject }`. */
  readonly health: ShardHealth;
  /** Reported shard states → snapshots → `apply` (sources: see the header). */
  readonly store: TopologyStore;
  /** Receives every applied diff (the client's 'topology' event); the one at construction is not announced. */
  onTopology: ((diff: TopologyDiff, snapshot: TopologySnapshot) => void) | null = null;
  /** Receives every pool's connection lifecycle events (the client's events and diagnostics). */
  observer: ((event: ConnectionEvent, conn: Connection, err?: Error) => void) | null = null;
  /** Set until the topology is first known (Sentinel mode): callers wait on it before routing. */
  gate: DiscoveryGate | null = null;
  /** A shard's master answered READONLY or LOADING: it may no longer be the master (Sentinel re-check). */
  onStale: ((shard: string) => void) | null = null;

  constructor(private readonly options: ResolvedOptions) {
    const names = options.shards.length > 0 ? options.shards : options.masters.map((name) => ({ name, weight: undefined }));
    this.ring = new HashRing(
      names.map((s) => ({ name: s.name, ...(s.weight !== undefined ? { weight: s.weight } : {}) })),
      { vnodes: options.vnodes },
    );
    // Before the pools: a master pool hands its connections to the cache's tracking.
    if (options.localCache !== null) this.cache = new LocalCache(options.localCache, (k) => this.shardFor(k).name);
    for (const { name } of names) {
      const parked = new NodePool(this.connectionOptions('0.0.0.0:1'), options.pool, true);
      this.shards.set(name, { name, master: parked, masterAddress: '', replicas: [], readable: [], rr: 0 });
    }
    this.byIndex = this.ring.shards().map((n) => this.shards.get(n)!);
    this.every = [...this.byIndex];
    if (options.readYourWrites !== null) this.readYourWrites = new ReadYourWrites(options.readYourWrites);
    this.health = new ShardHealth(this, options.eject, (address) => this.connectionOptions(address));
    this.store = new TopologyStore((next, diff) => {
      this.apply(next, diff);
      this.onTopology?.(diff, next);
    });
    if (options.shards.length > 0) this.store.put(options.shards.map((s) => staticShard(s.name, s.master, s.replicas ?? [], s.weight)));
  }

  private pool(address: string): NodePool {
    const pool = new NodePool(this.connectionOptions(address), this.options.pool);
    pool.observer = (event, c, err) => {
      this.health.observe(pool, event, err);
      if (event === 'stale' && this.onStale !== null) {
        const shard = this.every.find((s) => s.master === pool);
        if (shard !== undefined) this.onStale(shard.name);
      }
      this.observer?.(event, c, err);
    };
    return pool;
  }

  /** A shard's master pool; the local cache (when on) tracks through its connections. */
  private masterPool(shard: string, address: string): NodePool {
    const pool = this.pool(address);
    this.cache?.trackPool(shard, pool);
    return pool;
  }

  private connectionOptions(address: string): ConnectionOptions {
    return connectionOptionsFor(this.options, address);
  }

  /**
   * Makes the pools match `next` (the store calls this with the diff from the current snapshot).
   * Shards are fixed by the ring; a shard the snapshot lacks keeps its pools.
   */
  apply(next: TopologySnapshot, diff: TopologyDiff): void {
    for (const change of diff.changes) {
      const shard = this.shards.get(change.shard);
      const state = next.shards.get(change.shard);
      if (shard === undefined || state === undefined) continue;
      if (state.master !== shard.masterAddress) this.moveMaster(shard, state.master);
      this.syncReplicas(shard, state);
    }
    if (this.every.every((s) => s.masterAddress !== '')) this.health.start();
  }

  /**
   * The shard's master moved (failover, or first discovery from the parked pool): the new pool is
   * in place before the old one is retired, so whatever the retirement wakes (a subscriber
   * following its closed connection) finds it. The old master's connections are destroyed (it may
   * stay writable for seconds after a manual failover, so nothing more may reach it): commands in
   * flight there reject with the retryable FailoverError, commands not yet written go to the new
   * master, and the local cache tracks through the new pool (forgetting what it held from the old).
   */
  private moveMaster(shard: Shard, address: string): void {
    const old = shard.master;
    const from = shard.masterAddress;
    shard.master = this.masterPool(shard.name, address);
    shard.masterAddress = address;
    const unsent = old.retire(old.parked ? null : new FailoverError(shard.name, from, address));
    for (const cmd of unsent) shard.master.send(cmd);
  }

  /**
   * One pool per replica of the state (kept across health flips, so a replica coming back needs
   * no new connection); reads go to the healthy ones. A replica that left the topology is retired:
   * its in-flight reads get their replies, its unsent ones go to the master.
   */
  private syncReplicas(shard: Shard, state: ShardTopology): void {
    const old = new Map(shard.replicas.map((p) => [p.address, p]));
    const replicas: NodePool[] = [];
    const readable: NodePool[] = [];
    for (const r of state.replicas) {
      if (r.address === state.master) continue;
      let pool = old.get(r.address);
      if (pool === undefined) {
        pool = this.pool(r.address);
        // 'prefer-replica' reads only connected replicas: connect before the first read.
        if (this.options.readFrom === 'prefer-replica') pool.warm();
      }
      old.delete(r.address);
      replicas.push(pool);
      if (r.healthy) readable.push(pool);
    }
    shard.replicas = replicas;
    shard.readable = readable;
    for (const gone of old.values()) for (const cmd of gone.retire(null)) shard.master.send(cmd);
  }

  /** The topology the pools follow now. */
  get snapshot(): TopologySnapshot {
    return this.store.snapshot;
  }

  /** Every shard, including any ejected by shard health. */
  all(): readonly Shard[] {
    return this.every;
  }

  /** The shards on the ring now (all-shards commands go to these). */
  onRing(): readonly Shard[] {
    return this.byIndex;
  }

  /**
   * Shard health: takes a shard off the ring, so its keys map to the others (HashRing is built
   * from names, so no other key moves). False when it is not on the ring or is the last one.
   */
  eject(name: string): boolean {
    if (this.ring.size <= 1 || !this.ring.shards().includes(name)) return false;
    this.setRing(this.ring.withoutShard(name));
    return true;
  }

  /** Shard health: puts an ejected shard back; its keys move back to it. */
  restore(name: string): void {
    const cfg = this.options.shards.find((s) => s.name === name);
    if (cfg === undefined || this.ring.shards().includes(name)) return;
    this.setRing(this.ring.withShard({ name, ...(cfg.weight !== undefined ? { weight: cfg.weight } : {}) }));
  }

  private setRing(ring: HashRing): void {
    this.ring = ring;
    this.byIndex = ring.shards().map((n) => this.shards.get(n)!);
    // Keys changed owners: answers cached from their old owner are not tracked by the new one.
    this.cache?.store.flush(null);
  }

  shard(name: string): Shard | undefined {
    return this.shards.get(name);
  }

  /** The shard owning a key. */
  shardFor(key: Arg): Shard {
    if (this.byIndex.length === 1) return this.byIndex[0]!;
    const k = typeof key === 'number' ? String(key) : key;
    return this.byIndex[this.ring.locateIndex(k)]!;
  }

  /**
   * The pool a command for this shard goes to, honouring the read policy for read-only commands:
   * 'replica' round-robins over the readable replicas, 'prefer-replica' over those also connected;
   * both fall back to the master when there is none, unless the master is unreachable (dropped,
   * reconnecting: it may be failing over) and a replica the topology calls unhealthy (its link
   * to the dead master is down, say) is still connected: a possibly lagging answer beats none.
   */
  poolFor(shard: Shard, spec: CommandSpec | null, readFrom: ReadFrom = this.options.readFrom): NodePool {
    if (readFrom === 'master' || spec === null || !(spec.flags & Flag.READONLY)) return shard.master;
    const rs = shard.readable;
    for (let i = 0; i < rs.length; i++) {
      const p = rs[shard.rr++ % rs.length]!;
      if (p.healthy || readFrom === 'replica') return p;
    }
    if (shard.master.unreachable) for (const p of shard.replicas) if (p.healthy) return p;
    return shard.master;
  }

  /** Groups a command's keys by shard. */
  group(positions: readonly number[], argv: readonly Arg[]): KeyGroups {
    const groups: KeyGroups = new Map();
    for (const i of positions) {
      const s = this.shardFor(argv[i]!);
      const g = groups.get(s);
      if (g === undefined) groups.set(s, [i]);
      else g.push(i);
    }
    return groups;
  }

  async close(): Promise<void> {
    await Promise.all([
      ...this.every.flatMap((s) => [s.master.close(), ...s.replicas.map((r) => r.close())]),
      this.health.close(),
    ]);
  }
}
