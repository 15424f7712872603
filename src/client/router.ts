/**
 * Routing: key → ring → shard → node pool (master or replica per `readFrom`), and the fan-out of
 * multi-key commands. The ring is built from shard NAMES (the static shards, or the Sentinel
 * master names), so a failover (a new address for a shard) swaps pools without moving keys.
 *
 * The pools follow an immutable, epoch-stamped topology snapshot (topology/): the store hands the
 * router each new snapshot with its diff, and `apply` swaps pools in one synchronous step, so a
 * command sees the old topology or the new one, never a mix. Until a shard's master is known
 * (Sentinel mode before discovery) its master pool is parked: it holds commands and opens nothing.
 */

import { keyPositions } from '../commands/key-positions.js';
import type { CommandSpec } from '../commands/spec.js';
import { Flag } from '../commands/flags.js';
import { CrossShardError, FailoverError } from '../errors.js';
import { HashRing } from '../ring/hash-ring.js';
import type { Arg } from './command.js';
import type { ConnectionOptions } from './connection.js';
import { parseAddress, type ReadFrom, type ResolvedOptions } from './options.js';
import { CacheLayer } from './cache-layer.js';
import { NodePool, type ConnectionEvent } from './pool.js';
import type { Connection } from './connection.js';
import type { DiscoveryGate } from './topology/discovery-gate.js';
import type { TopologyDiff } from './topology/diff.js';
import { EMPTY_SNAPSHOT, type ShardState, type TopologySnapshot } from './topology/snapshot.js';

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

function argText(a: Arg): string {
  return typeof a === 'string' ? a : Buffer.isBuffer(a) ? a.toString('utf8') : String(a);
}

/** Keys grouped by owning shard: for each shard, the argument indexes of its keys. */
export type KeyGroups = Map<Shard, number[]>;

/** Connection settings for one node address under the client's options. */
export function connectionOptionsFor(o: ResolvedOptions, address: string): ConnectionOptions {
  const { host, port } = parseAddress(address);
  return {
    host,
    port,
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    keepAliveMs: o.keepAliveMs,
    username: o.username,
    password: o.password,
    db: o.db,
    clientName: o.clientName,
    protocol: o.protocol,
    offlineQueueMax: o.offlineQueueMax,
    reconnectBaseDelayMs: o.reconnectBaseDelayMs,
    reconnectMaxDelayMs: o.reconnectMaxDelayMs,
    retryOnDisconnect: o.retryOnDisconnect,
  };
}

export class Router {
  readonly ring: HashRing;
  private readonly shards = new Map<string, Shard>();
  private readonly byIndex: Shard[];
  /** The hot-key local cache, when `localCache` is configured (made once every master is known). */
  cache: CacheLayer | null = null;
  /** Receives every pool's connection lifecycle events (the client's events and diagnostics). */
  observer: ((event: ConnectionEvent, conn: Connection, err?: Error) => void) | null = null;
  /** The topology the pools follow now. */
  snapshot: TopologySnapshot = EMPTY_SNAPSHOT;
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
    for (const { name } of names) {
      const parked = new NodePool(this.connectionOptions('0.0.0.0:1'), options.pool, true);
      this.shards.set(name, { name, master: parked, masterAddress: '', replicas: [], readable: [], rr: 0 });
    }
    this.byIndex = this.ring.shards().map((n) => this.shards.get(n)!);
  }

  private pool(address: string): NodePool {
    const pool = new NodePool(this.connectionOptions(address), this.options.pool);
    pool.observer = (event, c, err) => {
      if (event === 'stale' && this.onStale !== null) {
        const shard = this.byIndex.find((s) => s.master === pool);
        if (shard !== undefined) this.onStale(shard.name);
      }
      this.observer?.(event, c, err);
    };
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
    this.snapshot = next;
    const lc = this.options.localCache;
    if (this.cache === null && lc !== null && this.byIndex.every((s) => s.masterAddress !== '')) {
      this.cache = new CacheLayer(lc, new Map(this.byIndex.map((s) => [s.name, this.connectionOptions(s.masterAddress)])), (k) => this.shardFor(k).name);
    }
  }

  /**
   * The shard's master moved (failover, or first discovery from the parked pool): the new pool is
   * in place before the old one is retired, so whatever the retirement wakes (a subscriber
   * following its closed connection) finds it. The old master's connections are destroyed (it may
   * stay writable for seconds after a manual failover, so nothing more may reach it): commands in
   * flight there reject with the retryable FailoverError, commands not yet written go to the new
   * master, and the local cache forgets the shard and reloads from the new master.
   */
  private moveMaster(shard: Shard, address: string): void {
    const old = shard.master;
    const from = shard.masterAddress;
    shard.master = this.pool(address);
    shard.masterAddress = address;
    const unsent = old.retire(old.parked ? null : new FailoverError(shard.name, from, address));
    for (const cmd of unsent) shard.master.send(cmd);
    if (!old.parked) this.cache?.retarget(shard.name, this.connectionOptions(address));
  }

  /**
   * One pool per replica of the state (kept across health flips, so a replica coming back needs
   * no new connection); reads go to the healthy ones. A replica that left the topology is retired:
   * its in-flight reads get their replies, its unsent ones go to the master.
   */
  private syncReplicas(shard: Shard, state: ShardState): void {
    const old = new Map(shard.replicas.map((p) => [p.address, p]));
    const replicas: NodePool[] = [];
    const readable: NodePool[] = [];
    for (const r of state.replicas) {
      if (r.address === state.master) continue;
      const pool = old.get(r.address) ?? this.pool(r.address);
      old.delete(r.address);
      replicas.push(pool);
      if (r.healthy) readable.push(pool);
    }
    shard.replicas = replicas;
    shard.readable = readable;
    for (const gone of old.values()) for (const cmd of gone.retire(null)) shard.master.send(cmd);
  }

  all(): readonly Shard[] {
    return this.byIndex;
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

  /** Argument indexes of the keys of a command (argv[0] is the name). */
  keysOf(spec: CommandSpec, argv: readonly Arg[]): readonly number[] | null {
    return keyPositions(spec, argv, (i) => argText(argv[i]!));
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

  /** The single shard all keys live on, or a CrossShardError naming the shards. */
  single(command: string, groups: KeyGroups): Shard {
    if (groups.size === 1) return groups.keys().next().value as Shard;
    throw new CrossShardError(command, [...groups.keys()].map((s) => s.name).sort());
  }

  async close(): Promise<void> {
    await Promise.all([
      ...this.byIndex.flatMap((s) => [s.master.close(), ...s.replicas.map((r) => r.close())]),
      this.cache?.close(),
    ]);
  }
}
