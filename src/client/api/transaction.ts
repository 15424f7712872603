/**
 * `Transaction` (MULTI … EXEC) runs atomically on ONE shard: every key must hash to the same
 * shard ({hash tags}), else exec() rejects with a CrossShardError naming the shards. It carries
 * RingClient's typed methods (batch.ts) and `call<T>()`; exec() resolves a tuple of the replies,
 * each decoded as the direct method decodes it (a command that failed at run time: its
 * ReplyError, as a value). Its commands take the client's one route (routing/route.ts), so they
 * publish the same diagnostics and meet the local cache and read-your-writes as direct calls do.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { traceBatch } from '../observe/diagnostics.js';
import type { Route } from '../routing/route.js';
import type { WatchLease } from '../routing/watch-lease.js';
import type { Arg } from '../transport/command.js';
import { BatchBase, type BatchMethod, type Overloads, type Signatures } from './batch.js';
import type { StreamCommands } from './methods/streams.js';

/**
 * exec()'s answer: each queued command's reply, typed by position, or its ReplyError; a
 * transaction built in a loop answers an array of unknown.
 */
export type TransactionResults<R extends unknown[]> = R extends [] ? unknown[] : { [I in keyof R]: R[I] | ReplyError };

/** RingClient's typed methods on a transaction, overloads kept: each queues its command and appends its result type. */
export type TransactionCommands<R extends unknown[]> = {
  [K in keyof Pick<StreamCommands, BatchMethod>]: Overloads<Signatures<StreamCommands[K]> extends infer S ? (S extends [infer A extends unknown[], infer T] ? (...args: A) => Transaction<[...R, T]> : never) : never>;
};

// Declaration merging: the generated methods (BatchBase.defineMethods below) are typed here.
export interface Transaction<R extends unknown[] = []> extends TransactionCommands<R> {}

/**
 * `client.multi()`: queue commands with RingClient's typed methods (each returns the transaction),
 * then exec() runs them as MULTI … EXEC on their one shard.
 */
export class Transaction<R extends unknown[] = []> extends BatchBase<R> {
  /** @internal Made by `client.multi()` (and a watch scope's multi()). */
  constructor(
    private readonly route: Route,
    /** Inside client.watch(): the attempt's connection, where WATCH was sent. */
    private readonly watching: WatchLease | null = null,
  ) {
    super();
  }

  /** Adds any command; `T` types its reply in exec()'s answer. */
  override call<T = RespValue>(name: string, ...args: Arg[]): Transaction<[...R, T]> {
    super.call(name, ...args);
    return this as unknown as Transaction<[...R, T]>;
  }

  /**
   * Runs MULTI … EXEC on one connection of the owning shard. Resolves with the replies of the
   * queued commands (ReplyError values for commands that failed at run time), or null when the
   * transaction was aborted by WATCH. A command whose arguments were refused rejects exec()
   * before anything is sent.
   */
  exec(): Promise<TransactionResults<R> | null> {
    return traceBatch('multi', this.queue.length, () => this.run());
  }

  private async run(): Promise<TransactionResults<R> | null> {
    const queue = this.queue;
    const argvs: (readonly Arg[])[] = [];
    for (const q of queue) {
      if (q.argv === null) await q.result; // rethrows the refusal: nothing is sent
      else argvs.push(q.argv);
    }
    const replies = await this.route.transaction(argvs, this.watching);
    if (replies === null) return null;
    replies.forEach((r, i) => (r instanceof ReplyError ? queue[i]!.reject(r) : queue[i]!.resolve(r)));
    const settled = await Promise.allSettled(queue.map((q) => q.result));
    return settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason)) as TransactionResults<R>;
  }
}

BatchBase.defineMethods(Transaction.prototype);
