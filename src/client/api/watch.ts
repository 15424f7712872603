/**
 * `client.watch(keys, fn)`: an optimistic transaction. Each attempt leases an exclusive
 * connection of the keys' shard (routing/watch-lease.ts), sends WATCH, and runs `fn` with a
 * `WatchScope`: every typed method and `call()`, sent on that connection (keys on the same shard,
 * else CrossShardError; state commands refused as everywhere). `fn` returns `tx.multi()…` to
 * commit: watch() sends MULTI … EXEC on the lease and resolves with EXEC's replies. When a watched
 * key changed (EXEC answers null) the attempt is run again, `fn` included, up to `attempts` times,
 * then WatchConflictError. Anything else `fn` returns ends the attempt without committing
 * (UNWATCH) and is watch()'s result; an error `fn` throws rejects watch() (nothing is retried).
 *
 * Every command of the scope takes the client's one route (routing/route.ts `leased`), so reads
 * skip the local cache and writes drop what they touch, as inside multi().
 */

import { InvalidArgumentError, WatchConflictError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Route, CallOptions } from '../routing/route.js';
import { WatchLease } from '../routing/watch-lease.js';
import type { Arg } from '../transport/command.js';
import { StreamCommands } from './methods/streams.js';
import { Transaction, type TransactionResults } from './transaction.js';

/** Options of `client.watch(keys, fn, options)`. */
export interface WatchOptions {
  /** Attempts before a WATCH conflict is reported with WatchConflictError. Default 5. */
  attempts?: number;
}

/** The transaction a scope's `multi()` builds: watch() sends it on the scope's connection. */
export class WatchedTransaction extends Transaction {
  /** @internal Made by the scope's multi(). */
  constructor(
    route: Route,
    /** @internal The attempt this transaction belongs to. */
    readonly lease: WatchLease,
  ) {
    super(route, lease);
  }
}

/** What `fn` receives: the client's typed methods, on the attempt's own connection. */
export class WatchScope extends StreamCommands {
  /** @internal Made by watch() for each attempt. */
  constructor(
    private readonly route: Route,
    private readonly lease: WatchLease,
  ) {
    super();
  }

  /** The shard the watched keys live on (every key the scope touches must live there too). */
  get shard(): string {
    return this.lease.shard.name;
  }

  /** Sends any command on the scope's connection. */
  call(name: string, ...args: Arg[]): Promise<RespValue> {
    return this.send([name, ...args]);
  }

  /** The transaction to return from `fn`: watch() sends it after WATCH, on the same connection. */
  multi(): WatchedTransaction {
    return new WatchedTransaction(this.route, this.lease);
  }

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    return this.route.leased(this.lease, argv, opts);
  }

  protected shardNames(): readonly string[] {
    return [this.lease.shard.name];
  }
}

/** What watch() resolves: a returned transaction's typed results (as its exec()), else what `fn` returned. */
export type WatchResult<T> = T extends Transaction<infer R> ? TransactionResults<R> : T;

/** Runs watch() (see the header). */
export async function runWatch<T>(route: Route, keys: Arg | readonly Arg[], fn: (tx: WatchScope) => T | Promise<T>, options: WatchOptions = {}): Promise<WatchResult<T>> {
  const list: readonly Arg[] = Array.isArray(keys) ? keys : [keys as Arg];
  if (list.length === 0) throw new InvalidArgumentError('watch: give at least one key to watch');
  if (typeof fn !== 'function') throw new InvalidArgumentError('watch: the second argument must be a function (tx) => …');
  const attempts = options.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) throw new InvalidArgumentError(`watch: attempts must be a positive integer, got ${String(attempts)}`);
  const bad = route.valid(['WATCH', ...list]);
  if (bad !== null) throw bad;
  const gate = route.ready();
  if (gate !== null) await gate;
  const shard = route.shardOfKeys(list);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const lease = await WatchLease.open(shard, list.map((k) => route.placed(k)));
    let committed: unknown[] | null;
    try {
      const out = await fn(new WatchScope(route, lease));
      if (!(out instanceof WatchedTransaction) || out.lease !== lease) {
        await lease.release();
        return out as WatchResult<T>;
      }
      committed = await out.exec();
    } catch (err) {
      lease.end(false);
      throw lease.failure ?? err;
    }
    lease.end(true);
    if (committed !== null) return committed as WatchResult<T>;
  }
  throw new WatchConflictError(list.map(String), attempts);
}
