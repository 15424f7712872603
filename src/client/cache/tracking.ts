/**
 * One shard's server-assisted invalidation, on the master pool's own shared connections: each
 * turns on `CLIENT TRACKING on OPTIN` when it becomes ready, and the local cache's loads travel on
 * them as `CLIENT CACHING yes` + the read, back to back on one connection. So the server tracks
 * exactly the reads we cache (cold reads on the same connections stay untracked), and its
 * `invalidate` pushes arrive on the connection that made the read, in the same stream as the
 * replies: no extra socket per shard, no extra round trip, and each push is ordered against the
 * loads on its connection.
 *
 * - A push names keys (drop them) or is null (FLUSHALL/FLUSHDB: drop the shard). A load in flight
 *   on that connection survives a push: the server sent the push before running the load's read,
 *   so the reply is already fresh.
 * - Not NOLOOP: this client's own writes are pushed back too, so a write the client cannot see the
 *   keys of (a script, SWAPDB…) still invalidates; the push rides in the same stream at no extra
 *   syscall.
 * - When a tracking connection drops, the shard's entries are flushed at once: invalidations may
 *   have been lost. Tracking is turned on again on every (re)connect, before anything queued.
 * - A RESP2 connection (`protocol: 2`, or a server without HELLO) or a server that refuses
 *   CLIENT TRACKING leaves the shard in `ttl-only` mode: loads are plain reads and staleness is
 *   bounded by the local TTL alone. `mode` says which, for `stats()`.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Command, type Arg, type CommandSink } from '../transport/command.js';
import type { Connection } from '../transport/connection.js';
import type { CacheStore } from './cache-store.js';
import type { NodePool } from '../transport/node-pool.js';

/** How a shard's local-cache entries are kept fresh: 'tracking' (the server pushes invalidations), 'ttl-only' (the server cannot track: staleness bounded by the TTL), or 'connecting'. */
export type TrackingMode = 'connecting' | 'tracking' | 'ttl-only';

const CACHING_YES: readonly Arg[] = Object.freeze(['CLIENT', 'CACHING', 'yes']);
const TRACKING_ON: readonly Arg[] = Object.freeze(['CLIENT', 'TRACKING', 'on', 'OPTIN']);
/** The reply to CLIENT CACHING yes is not needed (no promise is made for it). */
const IGNORE: CommandSink = { settle: () => undefined };

export class ShardTracking {
  mode: TrackingMode = 'connecting';
  invalidationsReceived = 0;
  private readonly pushFn = (frame: RespValue[]): void => this.onPush(frame);
  private readonly flushFn = (): void => this.store.flush(this.shard);

  constructor(
    readonly shard: string,
    /** The shard's master pool: loads go here. */
    readonly pool: NodePool,
    private readonly store: CacheStore,
    private readonly tracking: boolean,
  ) {
    if (!tracking) this.mode = 'ttl-only';
  }

  /** Takes over a shared connection the master pool just opened (before it connects). */
  attach(conn: Connection): void {
    if (!this.tracking) return;
    conn.onPush = this.pushFn;
    conn.on('ready', () => this.onReady(conn));
    conn.on('disconnect', this.flushFn);
  }

  /** Loads one cacheable read; the server tracks its key for the connection it runs on. */
  load(args: readonly Arg[], returnBuffers: boolean): Promise<RespValue> {
    const read = new Command(args, returnBuffers, true);
    if (this.mode === 'ttl-only') this.pool.send(read);
    else this.pool.sendBatch([new Command(CACHING_YES, false, false, IGNORE), read]);
    return read.promise;
  }

  private onReady(conn: Connection): void {
    if (conn.proto !== 3) {
      this.mode = 'ttl-only';
      return;
    }
    // Sent synchronously in 'ready', so it leaves ahead of anything queued while offline.
    conn.send(TRACKING_ON).then(
      (r) => {
        this.mode = r instanceof ReplyError ? 'ttl-only' : 'tracking';
      },
      () => {
        this.mode = 'ttl-only';
      },
    );
  }

  private onPush(frame: RespValue[]): void {
    const kind = frame[0];
    const name = Buffer.isBuffer(kind) ? kind.toString() : kind;
    if (name !== 'invalidate') return;
    this.invalidationsReceived++;
    const keys = frame[1];
    if (!Array.isArray(keys)) {
      this.store.flush(this.shard);
      return;
    }
    for (const k of keys) {
      if (typeof k === 'string') this.store.invalidatePushed(k);
      else if (Buffer.isBuffer(k)) this.store.invalidatePushed(k.toString());
    }
  }
}
