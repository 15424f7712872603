/**
 * The one route every command takes: direct calls (their local-cache hits answered synchronously),
 * the commands of a pipeline, and those of a transaction (multi()). Its steps, in order, each
 * written once below:
 *
 *   0. arguments         `valid()`: every argument a string, Buffer, finite number or bigint within
 *                        the bulk limit, else an InvalidArgumentError for this command alone,
 *                        before the gate and before anything is written (a transaction: before
 *                        any of its commands is)
 *   1. discovery gate    `ready()`: in Sentinel mode, wait until the masters are known (once per call
 *                        or per batch)
 *   2. diagnostics       `traced()`: ringcache:command:start / end / error, when subscribed;
 *                        first, a command that changes its connection's state (MULTI, SELECT…)
 *                        is refused (state-commands.ts)
 *   3. keys              `keyed()`: the command's entry (the built-in table's, or one learned from
 *                        the servers: command-catalog.ts) and the argument indexes of its keys
 *                        (with `keyPrefix`, `prefixed()` first puts the prefix on them and takes it
 *                        off the keys in the reply: key-prefix.ts)
 *   4. local cache       `cached()`: a hot key's read answered from memory or a shared load; a write
 *                        drops what it touches and holds the key's reads until it settles
 *   5. shard             `sharded()`: keys → ring → one shard; a named shard; the channel's shard
 *                        for PUBLISH; fan-out per shard (MGET, MSET, DEL…) or to every shard
 *                        (DBSIZE, FLUSHALL…) and reassembly; a CrossShardError otherwise
 *   6. read-your-writes  `sent()`: a write is recorded (and followed by WAIT); a read of a
 *                        recently written key goes to the master
 *   7. pool              `sent()`: master or replica under the read policy (read-policy.ts)
 *   8. connection        `sent()`: the pool's least-loaded shared connection (auto-pipelined), an
 *                        exclusive lease for a blocking command (blocking-lease.ts), the
 *                        transaction's batch (transaction-batch.ts), or a watch() attempt's lease
 *                        (watch-lease.ts; `leased()` first checks every key is on its shard)
 *
 * A new cross-cutting step is one more method in this chain. Where a command's outcome goes: its
 * own promise (`sink` null), or a pipeline's sink at `index` (no promise per command); a step that
 * must see the outcome (diagnostics, a held write) runs the rest of the chain for a promise and
 * hands the result on. In a transaction or a watch() scope (`tx`, a PinnedTarget), reads are not
 * answered from the local cache, the shard is the transaction's, writes are pinned for the
 * read-your-writes window (no WAIT), and the connection step hands the command to `tx`.
 *
 * A command the catalog must ask the servers about first (a name the table lacks, learned with
 * COMMAND INFO; keys only COMMAND GETKEYS can find) waits for that before step 2: a direct call
 * by itself (later calls may overtake its first use), a pipeline from that command on (`into`
 * answers false and the pipeline prepares the rest, so its order holds), a transaction or a
 * watch() command before anything is queued.
 *
 * Hot path (a single-key command, no local cache, no read-your-writes, no subscriber): one
 * Command (with its promise, or none in a pipeline) and nothing else allocated; that is why the
 * steps hand the command's facts (spec, argv, key positions, options, sink, transaction) to each
 * other as arguments rather than in an object per command.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { Flag } from '../../commands/flags.js';
import { ClientClosedError, CrossShardError, InvalidArgumentError, ReplyError, UnknownCommandError } from '../../errors.js';
import { badArgument, badArgumentReason } from '../../protocol/arg-check.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { LocalCache } from '../cache/local-cache.js';
import { traceCommand, tracingCommands } from '../observe/diagnostics.js';
import type { ReadFrom } from '../options.js';
import type { DiscoveryGate } from '../topology/discovery-gate.js';
import { Command, type Arg, type CommandSink } from '../transport/command.js';
import { blockingTimeout, runBlocking } from './blocking-lease.js';
import type { CommandCatalog, PrepareErrors } from './command-catalog.js';
import { directKeyIndex, keysOf } from './command-keys.js';
import type { KeyPrefix } from './key-prefix.js';
import { reassemble, requestPolicy, splitByShard } from './fan-out.js';
import { choosePool } from './read-policy.js';
import { refuseStateCommand } from './state-commands.js';
import type { ReadYourWrites } from './read-your-writes.js';
import type { ShardMap } from './shard-map.js';
import type { Shard } from './shard.js';
import { TransactionBatch, type PinnedTarget } from './transaction-batch.js';
import type { WatchLease } from './watch-lease.js';

/** Per-call options of `call()`, `eval()`, `fcall()` and scripts' `run()`. */
export interface CallOptions {
  /** Bulk replies as Buffers. */
  buffers?: boolean;
  /** Override the client's read policy for this call. */
  readFrom?: ReadFrom;
  /** Send to this shard (by name) whatever the keys say: SCAN, RANDOMKEY, INFO of one node. */
  shard?: string;
  /** false: this call neither records its write nor honours recent writes (client `readYourWrites`). */
  readYourWrites?: boolean;
}

/** A command's outcome: the reply (a local-cache hit), or its promise. */
export type Outcome = RespValue | Promise<RespValue>;

/** The outcome went to the caller's sink. */
const SENT = Symbol('sent');
type Sent = typeof SENT;
/** A pipeline's command that the catalog must prepare first: nothing was sent. */
const UNPREPARED = Symbol('unprepared');
type Unprepared = typeof UNPREPARED;

const NO_OPTIONS: CallOptions = Object.freeze({});
const NO_KEYS: readonly number[] = Object.freeze([]);
/** The outcomes of a transaction's commands are EXEC's reply; steps that observe them hand them here. */
const IGNORE: CommandSink = { settle: () => undefined };

function asError(e: unknown): Error {
  return e instanceof Error ? e : new ReplyError(String(e));
}

/** Hands an outcome to a sink. */
function settleInto(sink: CommandSink, index: number, r: Outcome): void {
  if (!(r instanceof Promise)) {
    sink.settle(index, null, r);
    return;
  }
  r.then(
    (v) => sink.settle(index, null, v),
    (e: unknown) => sink.settle(index, asError(e), null),
  );
}

/** The outcome of a chain run without a sink (which never answers SENT or UNPREPARED). */
function promised(r: Outcome | Sent | Unprepared): Promise<RespValue> {
  return r === SENT || r === UNPREPARED ? Promise.reject(new InvalidArgumentError('a command reported to a sink where its outcome was needed')) : Promise.resolve(r);
}

export class Route {
  private closed = false;

  constructor(
    private readonly shards: ShardMap,
    private readonly commands: CommandCatalog,
    private readonly cache: LocalCache | null,
    private readonly ryw: ReadYourWrites | null,
    private readonly readFrom: ReadFrom,
    /** Sentinel mode: open once the masters are known (then dropped from here). */
    private gate: DiscoveryGate | null,
    /** The longest argument a node accepts (its proto-max-bulk-len). */
    private readonly maxBulk: number,
    /** `keyPrefix`, when set (key-prefix.ts). */
    private readonly prefix: KeyPrefix | null = null,
  ) {}

  /** A direct call. A local-cache hit is the value itself; every failure is a rejected promise. */
  send(argv: readonly Arg[], opts: CallOptions = NO_OPTIONS): Outcome {
    const bad = this.valid(argv);
    if (bad !== null) return Promise.reject(bad);
    if (this.gate !== null) {
      const wait = this.ready();
      if (wait !== null) return wait.then(() => this.send(argv, opts));
    }
    try {
      const r = this.run(argv, opts, null, 0, null);
      return r !== SENT && r !== UNPREPARED ? r : promised(r);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A pipeline's command: its outcome goes to `sink` at `index`. Pass the gate first (`ready`).
   * False when nothing was sent because the command must be prepared first (`prepare`).
   */
  into(sink: CommandSink, index: number, argv: readonly Arg[], opts: CallOptions = NO_OPTIONS): boolean {
    const bad = this.valid(argv);
    if (bad !== null) {
      sink.settle(index, bad, null);
      return true;
    }
    let r: Outcome | Sent | Unprepared;
    try {
      r = this.run(argv, opts, sink, index, null);
    } catch (err) {
      sink.settle(index, asError(err), null);
      return true;
    }
    if (r === UNPREPARED) return false;
    if (r !== SENT) settleInto(sink, index, r);
    return true;
  }

  /**
   * Asks the servers what the catalog must know before these commands can be routed (commands
   * the table lacks, keys only the server finds); null when nothing. Resolves with the commands
   * that could not be prepared and why.
   */
  prepare(argvs: readonly (readonly Arg[])[]): Promise<PrepareErrors> | null {
    return this.commands.prepare(argvs);
  }

  /** Prepares `argvs` (see `prepare`); the first command that could not be rejects. */
  private async prepared(argvs: readonly (readonly Arg[])[]): Promise<void> {
    const wait = this.commands.prepare(argvs);
    if (wait === null) return;
    for (const e of (await wait).values()) throw e;
  }

  /**
   * MULTI … EXEC on the one shard owning every key (else a CrossShardError naming the shards,
   * before anything is sent): each queued command takes the steps, and the batch leaves at once.
   * Resolves with EXEC's replies (ReplyError values for commands that failed at run time), or
   * null when WATCH aborted it.
   */
  async transaction(queued: readonly (readonly Arg[])[], lease: WatchLease | null = null): Promise<RespValue[] | null> {
    for (const argv of queued) {
      const bad = this.valid(argv);
      if (bad !== null) throw bad;
    }
    await this.ready();
    await this.prepared(queued);
    const tx = new TransactionBatch(this.transactionShard(queued, lease), lease === null ? null : lease.conn);
    try {
      for (let i = 0; i < queued.length; i++) {
        const r = this.run(queued[i]!, NO_OPTIONS, IGNORE, i, tx);
        if (r !== SENT && r !== UNPREPARED) settleInto(IGNORE, i, r);
      }
    } catch (err) {
      tx.fail(err);
      throw err;
    }
    const replies = await tx.exec();
    const p = this.prefix;
    if (p === null || replies === null) return replies;
    for (let i = 0; i < replies.length; i++) {
      const spec = this.commands.resolve(queued[i]!);
      if (spec !== undefined) replies[i] = p.strip(spec, replies[i]!);
    }
    return replies;
  }

  /**
   * A command of a watch() scope: the steps from 2 on, pinned to the lease's connection (reads
   * skip the local cache; writes drop what they touch). Every key must live on the lease's shard.
   */
  leased(lease: WatchLease, argv: readonly Arg[], opts: CallOptions = NO_OPTIONS): Promise<RespValue> {
    const bad = this.valid(argv);
    if (bad !== null) return Promise.reject(bad);
    try {
      if (this.closed) throw new ClientClosedError();
      const spec = this.commands.resolve(argv);
      if (spec === undefined || !this.routable(spec, argv)) return this.prepared([argv]).then(() => this.leased(lease, argv, opts));
      const refused = refuseStateCommand(spec, argv);
      if (refused !== null) throw refused;
      this.onShard(lease.shard, spec.name.toUpperCase(), [argv]);
      const p = this.prefix;
      const out = p === null ? argv : p.apply(spec, argv);
      const r = tracingCommands() ? this.traced(spec, out, opts, lease) : promised(this.keyed(spec, out, opts, null, 0, lease));
      return p === null ? r : r.then((v) => p.strip(spec, v));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The shard owning every key of `keys` (WATCH's), else a CrossShardError naming the shards. */
  shardOfKeys(keys: readonly Arg[]): Shard {
    const owners = new Set<Shard>();
    for (const k of keys) owners.add(this.shards.shardFor(this.placed(k)));
    if (owners.size > 1) throw new CrossShardError('WATCH', [...owners].map((s) => s.name).sort());
    return owners.size === 1 ? owners.values().next().value! : this.shards.onRing()[0]!;
  }

  /** Step 0, the arguments: null when every one can be sent, else the error refusing the command. */
  valid(argv: readonly Arg[]): InvalidArgumentError | null {
    const i = badArgument(argv, this.maxBulk);
    if (i < 0) return null;
    const name = typeof argv[0] === 'string' && argv[0] !== '' ? argv[0].toUpperCase() : '(command name)';
    return new InvalidArgumentError(`${name}: ${badArgumentReason(argv, i, this.maxBulk)}`, { command: name, argument: i });
  }

  /** Step 1, the discovery gate: null when commands may go now, else when they may (or cannot). */
  ready(): Promise<void> | null {
    const gate = this.gate;
    if (gate === null) return null;
    if (gate.isOpen) {
      this.gate = null;
      return null;
    }
    return gate.wait();
  }

  /** Commands from now on reject with ClientClosedError. */
  close(): void {
    this.closed = true;
  }

  /** Steps 2 onwards. Throws instead of rejecting (the entry points turn it into the outcome). */
  private run(argv: readonly Arg[], opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent | Unprepared {
    if (this.closed) throw new ClientClosedError();
    const spec = this.commands.resolve(argv);
    if (spec === undefined || !this.routable(spec, argv)) return this.unprepared(argv, opts, sink, tx);
    const refused = refuseStateCommand(spec, argv);
    if (refused !== null) throw refused;
    if (this.prefix !== null) return this.prefixed(this.prefix, spec, argv, opts, sink, index, tx);
    if (tracingCommands()) return this.traced(spec, argv, opts, tx);
    return this.keyed(spec, argv, opts, sink, index, tx);
  }

  /** `keyPrefix`: the rest of the route with prefixed keys; keys in the reply stripped (in a transaction: after EXEC). */
  private prefixed(p: KeyPrefix, spec: CommandSpec, argv: readonly Arg[], opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent {
    const out = p.apply(spec, argv);
    if (tracingCommands()) return this.traced(spec, out, opts, tx).then((v) => (tx === null ? p.strip(spec, v) : v));
    if (tx !== null || !p.strips(spec)) return this.keyed(spec, out, opts, sink, index, tx);
    const r = promised(this.keyed(spec, out, opts, null, 0, null)).then((v) => p.strip(spec, v));
    if (sink === null) return r;
    settleInto(sink, index, r);
    return SENT;
  }

  /** False while only the server can find the keys of this argv and has not been asked (catalog). */
  private routable(spec: CommandSpec, argv: readonly Arg[]): boolean {
    return spec.keySpecs.length !== 0 || spec.keysFromServer !== true || keysOf(spec, argv) !== null;
  }

  /** A command the catalog must prepare first: a direct call waits for it; a batch prepares it (see the header). */
  private unprepared(argv: readonly Arg[], opts: CallOptions, sink: CommandSink | null, tx: PinnedTarget | null): Promise<RespValue> | Unprepared {
    if (tx !== null) throw new UnknownCommandError(String(argv[0]), 'the transaction was not prepared');
    if (sink !== null) return UNPREPARED;
    const wait = this.commands.prepare([argv]);
    if (wait === null) return Promise.reject(new UnknownCommandError(String(argv[0]), 'it could not be prepared'));
    return wait.then((errors) => {
      const e = errors.get(argv);
      if (e !== undefined) throw e;
      return promised(this.run(argv, opts, null, 0, null));
    });
  }

  /** Step 2, diagnostics: start now, end or error with the outcome. */
  private traced(spec: CommandSpec, argv: readonly Arg[], opts: CallOptions, tx: PinnedTarget | null): Promise<RespValue> {
    return traceCommand(argv, this.shardNameOf(spec, argv, opts, tx), () => promised(this.keyed(spec, argv, opts, null, 0, tx)));
  }

  /** Step 3, keys: the only key at a fixed index (`at`, nothing allocated), or all of them. */
  private keyed(spec: CommandSpec, argv: readonly Arg[], opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent {
    const at = directKeyIndex(spec, argv);
    const positions = at >= 0 ? NO_KEYS : (keysOf(spec, argv) ?? NO_KEYS);
    return this.cached(spec, argv, at, positions, opts, sink, index, tx);
  }

  /** Step 4, the local cache (commands routed by their keys only). */
  private cached(spec: CommandSpec, argv: readonly Arg[], at: number, positions: readonly number[], opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent {
    const cache = this.cache;
    if (cache === null || opts.shard !== undefined) return this.sharded(spec, argv, at, positions, opts, sink, index, tx);
    if (spec.cacheable) {
      const single = at >= 0 ? at : positions.length === 1 ? positions[0]! : -1;
      if (single >= 0 && tx === null) {
        const hit = cache.read(spec, argv, single, opts.buffers === true);
        if (hit !== undefined) return hit;
      }
    } else if ((spec.flags & Flag.WRITE) !== 0) {
      // A written-through value would be wrong if WATCH aborts the transaction.
      const held = cache.written(spec, argv, at, positions, tx === null);
      if (held !== null) {
        let write: Promise<RespValue>;
        try {
          write = promised(this.sharded(spec, argv, at, positions, opts, null, 0, tx));
        } catch (err) {
          write = Promise.reject(err); // refused before sending (CrossShardError…): release the hold
        }
        cache.settled(held, write);
        return write;
      }
    }
    return this.sharded(spec, argv, at, positions, opts, sink, index, tx);
  }

  /** Step 5, the shard(s). */
  private sharded(spec: CommandSpec, argv: readonly Arg[], at: number, positions: readonly number[], opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent {
    if (tx !== null) return this.sent(tx.shard, spec, argv, -1, opts, sink, index, tx);
    if (opts.shard !== undefined) return this.sent(this.named(opts.shard), spec, argv, -1, opts, sink, index, null);
    if (at >= 0) return this.sent(this.shards.shardFor(argv[at]!), spec, argv, at, opts, sink, index, null);
    // Channels are placed on the ring like keys.
    if ((spec.flags & Flag.PUBSUB) !== 0 && spec.name === 'publish' && argv.length > 1) return this.sent(this.shards.shardFor(argv[1]!), spec, argv, -1, opts, sink, index, null);
    if (positions.length === 0) {
      const req = requestPolicy(spec);
      if (req === 'all_shards' || req === 'all_nodes') return this.everyShard(spec, argv, opts);
      const ring = this.shards.onRing();
      if (ring.length > 1 && this.commands.isLearned(spec)) {
        throw new InvalidArgumentError(`${spec.fullName.replace('|', ' ').toUpperCase()} has no key to route it by: send it to one shard with callWith({ shard: name }, …)`);
      }
      return this.sent(ring[0]!, spec, argv, -1, opts, sink, index, null);
    }
    if (positions.length === 1) return this.sent(this.shards.shardFor(argv[positions[0]!]!), spec, argv, -1, opts, sink, index, null);
    const groups = this.shards.group(positions, argv);
    if (groups.size === 1) return this.sent(groups.keys().next().value!, spec, argv, -1, opts, sink, index, null);
    if (requestPolicy(spec) === 'multi_shard' && spec.name !== 'msetnx') return this.fanOut(spec, argv, positions, opts);
    throw new CrossShardError(spec.name.toUpperCase(), [...groups.keys()].map((s) => s.name).sort());
  }

  /** Step 5 for a multi-shard command: one part per shard, each on the rest of the route. */
  private fanOut(spec: CommandSpec, argv: readonly Arg[], positions: readonly number[], opts: CallOptions): Promise<RespValue> {
    const parts = splitByShard(this.shards, spec, argv, positions);
    return Promise.all(parts.map((p) => promised(this.sent(p.shard, spec, p.argv, -1, opts, null, 0, null)))).then((r) => reassemble(spec, positions.length, parts, r));
  }

  /** Step 5 for an all-shards command (DBSIZE, KEYS, FLUSHALL…). */
  private everyShard(spec: CommandSpec, argv: readonly Arg[], opts: CallOptions): Promise<RespValue> {
    return Promise.all(this.shards.onRing().map((s) => promised(this.sent(s, spec, argv, -1, opts, null, 0, null)))).then((r) => reassemble(spec, 0, [], r));
  }

  /**
   * Steps 6 to 8 on one shard: read-your-writes, the pool, the connection. `at`: the argument
   * index of the command's only key (the direct route), else -1.
   */
  private sent(shard: Shard, spec: CommandSpec, argv: readonly Arg[], at: number, opts: CallOptions, sink: CommandSink | null, index: number, tx: PinnedTarget | null): Outcome | Sent {
    const ryw = opts.readYourWrites === false ? null : this.ryw;
    if (tx !== null) {
      ryw?.written(shard, spec, argv, -1);
      return tx.add(argv, sink === null, opts.buffers === true) ?? SENT;
    }
    if ((spec.flags & Flag.BLOCKING) !== 0) {
      const timeout = blockingTimeout(spec, argv);
      if (timeout !== null) {
        ryw?.written(shard, spec, argv, -1);
        return runBlocking(shard, argv, timeout, opts.buffers === true);
      }
    }
    const cmd = new Command(argv, opts.buffers === true, (spec.flags & Flag.READONLY) !== 0, sink, index);
    let pool = choosePool(shard, spec, opts.readFrom ?? this.readFrom);
    if (ryw !== null) {
      if ((spec.flags & Flag.WRITE) === 0) pool = ryw.readPool(shard, pool, spec, argv, at);
      else {
        const wait = ryw.written(shard, spec, argv, at);
        if (wait !== null) {
          // On the write's own connection, right behind it.
          shard.master.sendBatch([cmd, wait]);
          return sink === null ? cmd.promise : SENT;
        }
      }
    }
    pool.send(cmd);
    return sink === null ? cmd.promise : SENT;
  }

  private named(name: string): Shard {
    const s = this.shards.shard(name);
    if (s === undefined) throw new InvalidArgumentError(`no shard named '${name}'`);
    return s;
  }

  /** The shard of a transaction: every key must live on it (on the watch() lease's, inside watch()). */
  private transactionShard(queued: readonly (readonly Arg[])[], lease: WatchLease | null): Shard {
    if (lease !== null) {
      this.onShard(lease.shard, 'MULTI', queued);
      return lease.shard;
    }
    const owners = new Set<Shard>();
    for (const argv of queued) {
      for (const i of this.preparedKeys(argv)) owners.add(this.shards.shardFor(this.placed(argv[i]!)));
    }
    if (owners.size > 1) throw new CrossShardError('MULTI', [...owners].map((s) => s.name).sort());
    return owners.size === 1 ? owners.values().next().value! : this.shards.onRing()[0]!;
  }

  /** A key as it is placed and sent: with `keyPrefix` when set. */
  placed(key: Arg): Arg {
    return this.prefix === null ? key : this.prefix.key(key);
  }

  /** Throws a CrossShardError when a key of these commands lives on another shard than `shard`. */
  private onShard(shard: Shard, what: string, argvs: readonly (readonly Arg[])[]): void {
    for (const argv of argvs) {
      for (const i of this.preparedKeys(argv)) {
        const owner = this.shards.shardFor(this.placed(argv[i]!));
        if (owner !== shard) throw new CrossShardError(what, [shard.name, owner.name].sort());
      }
    }
  }

  /** The key positions of a prepared command (the catalog knows it: `prepared` ran). */
  private preparedKeys(argv: readonly Arg[]): readonly number[] {
    const spec = this.commands.resolve(argv);
    if (spec === undefined) throw new UnknownCommandError(String(argv[0]), 'the transaction was not prepared');
    return keysOf(spec, argv) ?? NO_KEYS;
  }

  /** The shard named in diagnostics: the first key's owner, or null for keyless/all-shards commands. */
  private shardNameOf(spec: CommandSpec, argv: readonly Arg[], opts: CallOptions, tx: PinnedTarget | null): string | null {
    if (tx !== null) return tx.shard.name;
    if (opts.shard !== undefined) return opts.shard;
    const at = spec.name === 'publish' ? 1 : (keysOf(spec, argv) ?? NO_KEYS)[0];
    return at === undefined || argv[at] === undefined ? null : this.shards.shardFor(argv[at]).name;
  }
}
