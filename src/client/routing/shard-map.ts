/**
 * The shard map: key → ring → shard, and each shard's pools (its master, one per replica). The
 * ring is built from shard NAMES (the static shards, or the Sentinel master names), so a failover
 * (a new address for a shard) swaps pools without moving keys. Shard health may take a shard off
 * the ring and put it back (`eject`/`restore`); `all()` keeps every shard, `onRing()` those placed.
 *
 * The pools follow an immutable, epoch-stamped topology snapshot: the topology store hands every
 * diff to `apply`, which swaps pools in one synchronous step, so a command sees the old topology or
 * the new one, never a mix. Until a shard's master is known (Sentinel mode before discovery) its
 * master pool is parked: it holds commands and opens nothing. Pools are made by the `ShardPools`
 * given at construction (assemble.ts wires them to tracking, health and events).
 */

import { FailoverError } from '../../errors.js';
import { HashRing } from '../../ring/hash-ring.js';
import type { ResolvedOptions } from '../resolve-options.js';
import type { TopologyDiff } from '../topology/diff.js';
import type { ShardTopology, TopologySnapshot } from '../topology/snapshot.js';
import type { Arg } from '../transport/command.js';
import type { NodePool } from '../transport/node-pool.js';
import type { KeyGroups, Shard } from './shard.js';

/** Makes the pools of the shard map. */
export interface ShardPools {
  /** The pool of shard `shard`'s master at `address` (at start, or after a failover). */
  master(shard: string, address: string): NodePool;
  /** The pool of a replica of shard `shard` at `address`. */
  replica(shard: string, address: string): NodePool;
  /** A placeholder master pool for shard `shard`, whose master is not known yet. */
  parked(shard: string): NodePool;
}

export class ShardMap {
  /** Replaced (never mutated) when shard health ejects or restores a shard. */
  ring: HashRing;
  private readonly byName = new Map<string, Shard>();
  /** The shards on the ring, in ring index order. */
  private byIndex: Shard[];
  /** Every shard, ejected ones included. */
  private readonly every: Shard[];

  constructor(
    private readonly options: Pick<ResolvedOptions, 'shards' | 'masters' | 'vnodes'>,
    private readonly pools: ShardPools,
    /** Keys changed owners (a shard left or rejoined the ring). */
    private readonly onRingChange: () => void,
  ) {
    const names = options.shards.length > 0 ? options.shards : options.masters.map((name) => ({ name, weight: undefined }));
    this.ring = new HashRing(
      names.map((s) => ({ name: s.name, ...(s.weight !== undefined ? { weight: s.weight } : {}) })),
      { vnodes: options.vnodes },
    );
    for (const { name } of names) {
      this.byName.set(name, { name, master: pools.parked(name), masterAddress: '', replicas: [], readable: [], rr: 0 });
    }
    this.byIndex = this.ring.shards().map((n) => this.byName.get(n)!);
    this.every = [...this.byIndex];
  }

  /**
   * Makes the pools match `next` (the topology store calls this with the diff from the current
   * snapshot). Shards are fixed by the ring; a shard the snapshot lacks keeps its pools.
   */
  apply(next: TopologySnapshot, diff: TopologyDiff): void {
    for (const change of diff.changes) {
      const shard = this.byName.get(change.shard);
      const state = next.shards.get(change.shard);
      if (shard === undefined || state === undefined) continue;
      if (state.master !== shard.masterAddress) this.moveMaster(shard, state.master);
      this.syncReplicas(shard, state);
    }
  }

  /** Whether every shard's master address is known (always, with static shards). */
  get mastersKnown(): boolean {
    return this.every.every((s) => s.masterAddress !== '');
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
    shard.master = this.pools.master(shard.name, address);
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
      const pool = old.get(r.address) ?? this.pools.replica(shard.name, r.address);
      old.delete(r.address);
      replicas.push(pool);
      if (r.healthy) readable.push(pool);
    }
    shard.replicas = replicas;
    shard.readable = readable;
    for (const gone of old.values()) for (const cmd of gone.retire(null)) shard.master.send(cmd);
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
    this.byIndex = ring.shards().map((n) => this.byName.get(n)!);
    this.onRingChange();
  }

  shard(name: string): Shard | undefined {
    return this.byName.get(name);
  }

  /** The shard owning a key. */
  shardFor(key: Arg): Shard {
    if (this.byIndex.length === 1) return this.byIndex[0]!;
    const k = typeof key === 'number' || typeof key === 'bigint' ? String(key) : key;
    return this.byIndex[this.ring.locateIndex(k)]!;
  }

  /** The shard whose master pool this is (null: a replica's, or one that was replaced). */
  ofMaster(pool: NodePool): Shard | null {
    for (const s of this.every) if (s.master === pool) return s;
    return null;
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

  /** Closes every pool: in-flight commands are answered first. */
  async close(): Promise<void> {
    await Promise.all(this.every.flatMap((s) => [s.master.close(), ...s.replicas.map((r) => r.close())]));
  }
}
