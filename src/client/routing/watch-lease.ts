/**
 * The connection of one `client.watch()` attempt: an exclusive connection leased from the shard
 * master's pool, on which WATCH, the scope's reads and writes, and then MULTI … EXEC (or UNWATCH)
 * run in order, with nothing of anyone else's in between.
 *
 * Invariant: WATCH holds only while the connection that sent it lives. When it drops, the lease
 * is broken for good: the connection is closed at once (a reconnect would silently run the rest
 * without WATCH, and its unsent commands would follow onto the new socket), every command not yet
 * answered rejects, and the attempt reports the break instead of committing.
 *
 * Ending the lease: after EXEC or UNWATCH the connection holds no WATCH and goes back to the pool;
 * after an error (broken, timed out, anything unexpected) it is destroyed, never reused with a
 * WATCH still set.
 */

import { ConnectionClosedError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type Arg } from '../transport/command.js';
import type { Connection } from '../transport/connection.js';
import type { PinnedTarget } from './transaction-batch.js';
import type { Shard } from './shard.js';

export class WatchLease implements PinnedTarget {
  private broken: ConnectionClosedError | null = null;
  private readonly onDisconnect = (): void => this.breakOff();

  private constructor(
    readonly shard: Shard,
    readonly conn: Connection,
  ) {
    conn.once('disconnect', this.onDisconnect);
  }

  /** Leases a connection of the shard's master and sends WATCH with `keys` on it. */
  static async open(shard: Shard, keys: readonly Arg[]): Promise<WatchLease> {
    const pool = shard.master;
    const conn = await pool.acquire('watch()');
    const lease = new WatchLease(shard, conn);
    try {
      await lease.add(['WATCH', ...keys], true, false);
    } catch (err) {
      lease.end(false);
      throw err;
    }
    return lease;
  }

  /** Why the lease cannot go on, or null while WATCH holds. */
  get failure(): ConnectionClosedError | null {
    return this.broken;
  }

  /** Sends a command now on the leased connection (in order behind the earlier ones). */
  add(argv: readonly Arg[], _observed: boolean, buffers: boolean): Promise<RespValue> {
    if (this.broken !== null) return Promise.reject(this.broken);
    const cmd = new Command(argv, buffers, false);
    this.conn.enqueue(cmd);
    return cmd.promise;
  }

  /**
   * Ends the lease: `clean` (EXEC answered, or UNWATCH sent) returns the connection to the pool,
   * otherwise it is destroyed.
   */
  end(clean: boolean): void {
    this.conn.off('disconnect', this.onDisconnect);
    if (clean && this.broken === null) this.shard.master.giveBack(this.conn);
    else this.shard.master.discard(this.conn);
  }

  /** Sends UNWATCH and ends the lease (the scope decided not to commit). */
  async release(): Promise<void> {
    let clean = false;
    try {
      await this.add(['UNWATCH'], true, false);
      clean = true;
    } catch {
      // Not unwatched: the connection is destroyed rather than reused.
    }
    this.end(clean);
  }

  private breakOff(): void {
    this.broken = new ConnectionClosedError(`watch(): the connection holding WATCH on ${this.conn.address} closed; the transaction was not committed unless EXEC had been answered`);
    void this.conn.close(true);
  }
}
