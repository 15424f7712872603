/**
 * Routing: key → ring → shard → node pool (master or replica per `readFrom`), and the fan-out of
 * multi-key commands. The ring is built from shard NAMES, so a failover (a new address for a
 * shard) swaps pools without moving keys. Shard health (shard-health.ts) may take a shard off the
 * ring and put it back (`eject`/`restore`); `all()` keeps every shard, `onRing()` those placed.
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
import { ReadYourWrites } from './read-your-writes.js';
import { ShardHealth } from './shard-health.js';

export interface Shard {
  readonly name: string;
  master: NodePool;
  /** `host:port` of the master the pool connects to. */
  masterAddress: string;
  replicas: NodePool[];
  /** Round-robin cursor over replicas. */
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
  /** Replaced (never mutated) when shard health ejects or restores a shard. */
  ring: HashRing;
  private readonly shards = new Map<string, Shard>();
  /** The shards on the ring, in ring index order. */
  private byIndex: Shard[];
  /** Every shard, ejected ones included. */
  private readonly every: Shard[];
  /** The hot-key local cache, when `localCache` is configured. */
  readonly cache: CacheLayer | null = null;
  /** Read-your-writes for replica reads, when `readYourWrites` is configured. */
  readonly readYourWrites: ReadYourWrites | null = null;
  /** Fail fast on an unreachable master; health checks and ejection with `onShardDown: { eject }`. */
  readonly health: ShardHealth;
  /** Receives every pool's connection lifecycle events (the client's events and diagnostics). */
  observer: ((event: ConnectionEvent, conn: Connection, err?: Error) => void) | null = null;

  constructor(private readonly options: ResolvedOptions) {
    this.ring = new HashRing(
      options.shards.map((s) => ({ name: s.name, ...(s.weight !== undefined ? { weight: s.weight } : {}) })),
      { vnodes: options.vnodes },
    );
    // Before the pools: a master pool hands its connections to the cache's tracking.
    if (options.localCache !== null) this.cache = new CacheLayer(options.localCache, (k) => this.shardFor(k).name);
    for (const s of options.shards) {
      this.shards.set(s.name, {
        name: s.name,
        master: this.masterPool(s.name, s.master),
        masterAddress: s.master,
        replicas: (s.replicas ?? []).map((r) => this.pool(r)),
        rr: 0,
      });
    }
    this.byIndex = this.ring.shards().map((n) => this.shards.get(n)!);
    this.every = [...this.byIndex];
    if (options.readYourWrites !== null) this.readYourWrites = new ReadYourWrites(options.readYourWrites);
    this.health = new ShardHealth(this, options.eject, (address) => this.connectionOptions(address));
  }

  private pool(address: string): NodePool {
    const pool = new NodePool(this.connectionOptions(address), this.options.pool);
    pool.observer = (event, c, err) => {
      this.health.observe(pool, event, err);
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
   * A failover moved shard `name` to `address`: new pools go there at once, the old master's
   * connections are destroyed (it may stay writable for seconds after a manual failover, so
   * nothing more may reach it): commands in flight there reject with the retryable FailoverError,
   * commands not yet written go to the new master, and the local cache forgets the shard
   * and reloads from the new master. Keys stay where they are: the ring knows only names.
   * Returns false when nothing changed.
   */
  replaceMaster(name: string, address: string): boolean {
    const s = this.shards.get(name);
    if (s === undefined || s.masterAddress === address) return false;
    const unsent = s.master.retire(new FailoverError(name, s.masterAddress, address));
    s.master = this.masterPool(name, address);
    s.masterAddress = address;
    for (const cmd of unsent) s.master.send(cmd);
    return true;
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
    this.cache?.cache.flush(null);
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

  /** The pool a command for this shard goes to, honouring the read policy for read-only commands. */
  poolFor(shard: Shard, spec: CommandSpec | null, readFrom: ReadFrom = this.options.readFrom): NodePool {
    if (readFrom === 'master' || spec === null || !(spec.flags & Flag.READONLY) || shard.replicas.length === 0) return shard.master;
    for (let i = 0; i < shard.replicas.length; i++) {
      const p = shard.replicas[shard.rr++ % shard.replicas.length]!;
      if (p.healthy || readFrom === 'replica') return p;
    }
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
      ...this.every.flatMap((s) => [s.master.close(), ...s.replicas.map((r) => r.close())]),
      this.health.close(),
    ]);
  }
}
