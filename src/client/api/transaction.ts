/**
 * `Transaction` (MULTI … EXEC) runs atomically on ONE shard: every key must hash to the same
 * shard ({hash tags}), else exec() rejects with a CrossShardError naming the shards. Its commands
 * take the client's one route (routing/route.ts), so they publish the same diagnostics and meet
 * the local cache and read-your-writes as direct calls do.
 */

import type { RespValue } from '../../protocol/resp-types.js';
import type { Route } from '../routing/route.js';
import type { WatchLease } from '../routing/watch-lease.js';
import { Batch } from './batch.js';

export class Transaction extends Batch<Transaction> {
  constructor(
    private readonly route: Route,
    /** Inside client.watch(): the attempt's connection, where WATCH was sent. */
    private readonly watching: WatchLease | null = null,
  ) {
    super();
  }

  /**
   * Runs MULTI … EXEC on one connection of the owning shard. Resolves with the replies of the
   * queued commands (ReplyError values for commands that failed at run time), or null when the
   * transaction was aborted by WATCH.
   */
  exec(): Promise<RespValue[] | null> {
    return this.route.transaction(this.queued, this.watching);
  }
}
