/**
 * Read-your-writes for replica reads (`readYourWrites`): after this client writes a key, its reads
 * of that key go to the shard's master until the write is on the replicas or a window has passed.
 *
 * Memory is fixed: per shard, a table of `slots` entries indexed by a Fibonacci hash of the key's
 * ring hash (struct of typed arrays, nothing allocated per write). Keys that share a slot share
 * their pin, so a collision can only send a read to the master needlessly, never to a replica
 * too early (no false negatives). Keys sharing a {hash tag} share a ring hash, hence a slot.
 *
 * Policies:
 * - window: a written key's reads stay on the master for `windowMs`.
 * - wait: a single-key write is followed on the SAME connection (NodePool.sendBatch) by
 *   `WAIT <replicas> <timeoutMs>`; the caller gets the write's reply as usual, it does not wait for
 *   WAIT. When WAIT reports enough replicas and no other write in the slot is outstanding or held,
 *   the slot is released early; otherwise it stays pinned for the window. A WAIT that falls short
 *   (lagging or unlinked replica) turns WAIT off for that shard for one window, so a slow replica
 *   cannot make every write hold its connection for `timeoutMs` (Redis answers a connection's
 *   commands in order, so WAIT delays what is queued behind it on that connection).
 * Multi-key writes, transactions and blocking writes pin their keys for the window (no WAIT);
 * keyless writes (FLUSHALL, FLUSHDB…) pin the whole shard for the window.
 */

import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { keyHash } from '../../ring/key-hash.js';
import type { ReadYourWritesConfig } from '../resolve-options.js';
import { Command, type Arg, type CommandSink } from '../transport/command.js';
import type { NodePool } from '../transport/node-pool.js';
import { keysOf } from './command-keys.js';
import type { Shard } from './shard.js';

/** `client.stats().readYourWrites`: read-your-writes counters since start. */
export interface ReadYourWritesStats {
  /** Replica-eligible reads sent to the master because of a recent write of this client. */
  pinnedReads: number;
  /** WAITs sent after writes (with `wait`). */
  waits: number;
  /** WAITs that answered with fewer replicas than needed, or failed. */
  waitsShort: number;
}

const MAX_OPEN = 0xffff;

/**
 * The fixed-size table of recently written keys of one shard, on an injected clock (`now`
 * arguments) so it can be tested without timers. Invariant: a key recorded at `t` is pinned at
 * every `now < t + windowMs`, unless every WAIT for every write in its slot answered ok since.
 */
export class WrittenKeys {
  private readonly shift: number;
  /** Per slot: reads of its keys go to the master while now < until (0: free). */
  private readonly until: Float64Array;
  /** Per slot: WAITs sent for its writes and not answered yet. */
  private readonly open: Uint16Array;
  /** Per slot: 1 when some write in it cannot be released by WAIT (none sent, or one fell short). */
  private readonly held: Uint8Array;
  /** Keyless writes pin the whole shard until then. */
  private allUntil = 0;

  constructor(slots: number) {
    this.shift = 32 - Math.log2(slots);
    this.until = new Float64Array(slots);
    this.open = new Uint16Array(slots);
    this.held = new Uint8Array(slots);
  }

  /** The slot of a key's ring hash (Fibonacci hashing: the high bits of hash × 2^32/φ). */
  slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  /**
   * Records a write at `now`. With `waited`, a WAIT for it follows and its answer must come back
   * through `acked(slot, ok)`: returns the slot, or -1 when the slot cannot track another WAIT
   * (then the write is held for the window and no WAIT should be sent).
   */
  record(hash: number, now: number, windowMs: number, waited: boolean): number {
    const i = this.slotOf(hash);
    if (this.until[i]! <= now) this.held[i] = 0;
    const until = now + windowMs;
    if (until > this.until[i]!) this.until[i] = until;
    if (waited && this.open[i]! < MAX_OPEN) {
      this.open[i]!++;
      return i;
    }
    this.held[i] = 1;
    return -1;
  }

  /** A keyless write (FLUSHALL…): every key of the shard is pinned for the window. */
  recordAll(now: number, windowMs: number): void {
    if (now + windowMs > this.allUntil) this.allUntil = now + windowMs;
  }

  /** A WAIT sent for a write in `slot` answered: `ok` when enough replicas acknowledged. */
  acked(slot: number, ok: boolean): void {
    if (this.open[slot]! > 0) this.open[slot]!--;
    if (!ok) this.held[slot] = 1;
    else if (this.open[slot] === 0 && this.held[slot] === 0) this.until[slot] = 0;
  }

  /** Whether reads of the key with this ring hash must go to the master at `now`. */
  pinned(hash: number, now: number): boolean {
    return this.allUntil > now || this.until[this.slotOf(hash)]! > now;
  }

  /** Whether a keyless write pins the whole shard at `now` (keyless reads: DBSIZE, SCAN…). */
  pinnedAll(now: number): boolean {
    return this.allUntil > now;
  }

  /** Memory held by the table (constant for its lifetime). */
  get byteLength(): number {
    return this.until.byteLength + this.open.byteLength + this.held.byteLength;
  }
}

function hashOf(key: Arg): number {
  return keyHash(typeof key === 'number' || typeof key === 'bigint' ? String(key) : key);
}

/** One shard's table, and the sink its WAIT answers report to (index = slot: no closure per WAIT). */
class ShardWrites implements CommandSink {
  readonly table: WrittenKeys;
  /** Replicas a WAIT must reach, and the WAIT arguments for it (rebuilt only when it changes). */
  private needed = 0;
  private waitArgs: readonly Arg[] = [];
  /** A WAIT fell short: until then, writes are held for the window without WAIT. */
  skipWaitUntil = 0;

  constructor(
    private readonly owner: ReadYourWrites,
    slots: number,
  ) {
    this.table = new WrittenKeys(slots);
  }

  waitFor(replicas: number, timeoutMs: number): readonly Arg[] {
    if (replicas !== this.needed || this.waitArgs.length === 0) {
      this.needed = replicas;
      this.waitArgs = Object.freeze(['WAIT', replicas, timeoutMs]);
    }
    return this.waitArgs;
  }

  settle(slot: number, error: Error | null, value: RespValue): void {
    const ok = error === null && typeof value === 'number' && value >= this.needed;
    this.table.acked(slot, ok);
    if (!ok) this.owner.waitFellShort(this);
  }
}

export class ReadYourWrites {
  private readonly shards = new Map<string, ShardWrites>();
  private readonly counters: ReadYourWritesStats = { pinnedReads: 0, waits: 0, waitsShort: 0 };

  constructor(private readonly cfg: ReadYourWritesConfig) {}

  private of(shard: Shard): ShardWrites {
    let s = this.shards.get(shard.name);
    if (s === undefined) {
      s = new ShardWrites(this, this.cfg.slots);
      this.shards.set(shard.name, s);
    }
    return s;
  }

  /**
   * The route's read-your-writes step for a read: `pool` is what the read policy chose; a read it
   * sends to a replica goes to the master instead when one of its keys is pinned. `keyAt` is the
   * argument index of the only key (the direct route), or -1 to find the keys in the command table.
   */
  readPool(shard: Shard, pool: NodePool, spec: CommandSpec, argv: readonly Arg[], keyAt: number): NodePool {
    if (pool === shard.master || !this.pinned(shard, spec, argv, keyAt)) return pool;
    this.counters.pinnedReads++;
    return shard.master;
  }

  private pinned(shard: Shard, spec: CommandSpec, argv: readonly Arg[], keyAt: number): boolean {
    const s = this.shards.get(shard.name);
    if (s === undefined) return false;
    const now = Date.now();
    if (keyAt >= 0) return s.table.pinned(hashOf(argv[keyAt]!), now);
    const positions = keysOf(spec, argv) ?? [];
    if (positions.length === 0) return s.table.pinnedAll(now);
    for (const i of positions) if (s.table.pinned(hashOf(argv[i]!), now)) return true;
    return false;
  }

  /**
   * The route's read-your-writes step for a write about to go to the shard's master: records it.
   * Returns the WAIT to send right after it on the same connection (wait mode, a single-key write
   * of the direct route: `keyAt` ≥ 0), or null. Other writes (multi-key, keyless, transactions,
   * blocking commands: `keyAt` -1) are pinned for the window; a keyless write pins the whole shard.
   * Not a write: nothing to do.
   */
  written(shard: Shard, spec: CommandSpec, argv: readonly Arg[], keyAt: number): Command | null {
    if ((spec.flags & Flag.WRITE) === 0 || shard.replicas.length === 0) return null;
    const s = this.of(shard);
    const now = Date.now();
    if (keyAt < 0) {
      const keys = keysOf(spec, argv) ?? [];
      if (keys.length === 0) s.table.recordAll(now, this.cfg.windowMs);
      for (const i of keys) s.table.record(hashOf(argv[i]!), now, this.cfg.windowMs, false);
      return null;
    }
    const wait = this.cfg.wait;
    const slot = s.table.record(hashOf(argv[keyAt]!), now, this.cfg.windowMs, wait !== null && now >= s.skipWaitUntil);
    if (slot < 0 || wait === null) return null;
    this.counters.waits++;
    // Default: the replicas reads may go to (a down or lagging one would only make WAIT fall short).
    const args = s.waitFor(wait.replicas ?? shard.readable.length, wait.timeoutMs);
    return new Command(args, false, false, s, slot);
  }

  /** A WAIT answered short: skip WAIT on that shard for one window (see the header). */
  waitFellShort(s: ShardWrites): void {
    this.counters.waitsShort++;
    s.skipWaitUntil = Date.now() + this.cfg.windowMs;
  }

  stats(): ReadYourWritesStats {
    return { ...this.counters };
  }
}
