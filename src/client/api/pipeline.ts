/**
 * Explicit batches. `Pipeline` sends its commands together (they may span shards; each shard's
 * share leaves in one write per connection) and answers in call order as `[error, value]` pairs,
 * like ioredis. Commands with one key go straight to their shard's pool and report to one shared
 * sink (one promise per pipeline, none per command); the rest take the general route.
 * `Transaction` (MULTI … EXEC) runs atomically on ONE shard: every key must hash to
 * the same shard ({hash tags}), else exec() rejects with a CrossShardError naming the shards.
 */

import { lookupCommand } from '../../commands/registry.js';
import { CrossShardError, ReplyError, UnknownCommandError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type Arg, type CommandSink } from '../transport/command.js';
import { Flag } from '../../commands/flags.js';
import { tracingCommands } from '../observe/diagnostics.js';
import { keysOf, resolveSpec } from '../routing/command-keys.js';
import { directShard, execute } from '../routing/route.js';
import type { Router } from '../routing/shard-map.js';
import type { Shard } from '../routing/shard.js';

export type PipelineResult = [Error | null, RespValue];

/** Collects a pipeline's outcomes in call order and resolves once all are in. */
class PipelineResults implements CommandSink {
  readonly results: PipelineResult[];
  readonly promise: Promise<PipelineResult[]>;
  private remaining: number;
  private done!: (r: PipelineResult[]) => void;

  constructor(n: number) {
    this.results = new Array<PipelineResult>(n);
    this.remaining = n;
    this.promise = new Promise((resolve) => (this.done = resolve));
    if (n === 0) this.done(this.results);
  }

  settle(index: number, error: Error | null, value: RespValue): void {
    this.results[index] = [error, error === null ? value : null];
    if (--this.remaining === 0) this.done(this.results);
  }
}

abstract class Batch<Self> {
  protected readonly queued: Arg[][] = [];

  /** Adds any command. */
  call(name: string, ...args: Arg[]): Self {
    this.queued.push([name, ...args]);
    return this as unknown as Self;
  }

  get(key: Arg): Self {
    return this.call('GET', key);
  }

  set(key: Arg, value: Arg): Self {
    return this.call('SET', key, value);
  }

  del(...keys: Arg[]): Self {
    return this.call('DEL', ...keys);
  }

  incr(key: Arg): Self {
    return this.call('INCR', key);
  }

  incrby(key: Arg, by: number): Self {
    return this.call('INCRBY', key, by);
  }

  expire(key: Arg, seconds: number): Self {
    return this.call('EXPIRE', key, seconds);
  }

  mget(...keys: Arg[]): Self {
    return this.call('MGET', ...keys);
  }

  get length(): number {
    return this.queued.length;
  }
}

export class Pipeline extends Batch<Pipeline> {
  constructor(private readonly router: Router) {
    super();
  }

  /** Sends everything now; resolves with one `[error, value]` per command, in call order. */
  exec(): Promise<PipelineResult[]> {
    const wait = this.router.gate?.wait() ?? null;
    if (wait !== null) return wait.then(() => this.exec());
    const router = this.router;
    const queued = this.queued;
    const sink = new PipelineResults(queued.length);
    // The local cache and read-your-writes see every command on the general route.
    const direct = !tracingCommands() && router.cache === null && router.readYourWrites === null;
    for (let i = 0; i < queued.length; i++) {
      const argv = queued[i]!;
      try {
        const spec = resolveSpec(argv);
        const shard = direct ? directShard(router, spec, argv) : null;
        if (shard !== null) {
          router.poolFor(shard, spec).send(new Command(argv, false, (spec.flags & Flag.READONLY) !== 0, sink, i));
          continue;
        }
      } catch (err) {
        sink.settle(i, asError(err), null);
        continue;
      }
      execute(router, argv).then(
        (v) => sink.settle(i, null, v),
        (e: unknown) => sink.settle(i, asError(e), null),
      );
    }
    return sink.promise;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new ReplyError(String(e));
}

export class Transaction extends Batch<Transaction> {
  constructor(private readonly router: Router) {
    super();
  }

  /** The one shard every key of the transaction lives on. */
  private shard(): Shard {
    const names = new Set<Shard>();
    for (const argv of this.queued) {
      const spec = lookupCommand(String(argv[0]));
      if (spec === undefined) throw new UnknownCommandError(String(argv[0]));
      for (const i of keysOf(spec, argv) ?? []) names.add(this.router.shardFor(argv[i]!));
    }
    if (names.size > 1) throw new CrossShardError('MULTI', [...names].map((s) => s.name).sort());
    return names.size === 1 ? names.values().next().value! : this.router.onRing()[0]!;
  }

  /**
   * Runs MULTI … EXEC on one connection of the owning shard. Resolves with the replies of the
   * queued commands (ReplyError values for commands that failed at run time), or null when the
   * transaction was aborted by WATCH.
   */
  async exec(): Promise<RespValue[] | null> {
    await (this.router.gate?.wait() ?? null);
    const shard = this.shard();
    const cache = this.router.cache;
    const held: string[] = [];
    if (cache !== null) {
      for (const argv of this.queued) {
        const spec = lookupCommand(String(argv[0]));
        const keys = spec === undefined ? null : cache.written(spec, argv, keysOf(spec, argv) ?? []);
        if (keys !== null) held.push(...keys);
      }
    }
    const ryw = this.router.readYourWrites;
    if (ryw !== null) {
      for (const argv of this.queued) {
        const spec = lookupCommand(String(argv[0]));
        if (spec !== undefined) ryw.record(shard, spec, argv, null);
      }
    }
    const cmds = [['MULTI'], ...this.queued, ['EXEC']].map((argv) => new Command(argv, false, false));
    shard.master.sendBatch(cmds);
    if (cache !== null && held.length > 0) cache.settled(held, cmds[cmds.length - 1]!.promise);
    const replies = await Promise.allSettled(cmds.map((c) => c.promise));
    const last = replies[replies.length - 1]!;
    if (last.status === 'rejected') throw last.reason;
    const exec = last.value;
    if (exec === null) return null;
    return Array.isArray(exec) ? exec : [exec];
  }
}
