/**
 * One shard's tracking link: a dedicated RESP3 connection in `CLIENT TRACKING on` (default mode)
 * that performs the local cache's loads and nothing else, so the server tracks exactly the keys
 * this client caches, and receives their invalidations as push frames on the same connection
 * (which orders every invalidation after the reply it invalidates).
 *
 * - A load is just the read: every read on this connection is one the cache wants tracked, so
 *   default mode tracks the same keys OPTIN + `CLIENT CACHING yes` would, at one command per load
 *   instead of two.
 * - `invalidate` pushes drop the named keys; a null push (FLUSHALL/FLUSHDB) drops the shard.
 *   Loads in flight here survive a push: this connection orders the push before every reply of a
 *   read the server ran after the write, so those replies are already fresh.
 * - When the link drops, the shard's entries are flushed at once: invalidations may have been
 *   lost. Tracking is turned on again on every (re)connect, before anything else is sent.
 * - A server without RESP3 or tracking (RESP2-only, or one that refuses CLIENT TRACKING) leaves
 *   the link in `ttl-only` mode: loads still happen here, and staleness is bounded by the local
 *   TTL alone. `mode` says which, for `stats()`.
 */

import { ReplyError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import type { Arg } from './command.js';
import { Connection, type ConnectionOptions } from './connection.js';
import type { LocalCache } from './local-cache.js';

export type TrackingMode = 'connecting' | 'tracking' | 'ttl-only';

export class TrackingLink {
  readonly conn: Connection;
  mode: TrackingMode = 'connecting';
  invalidationsReceived = 0;

  constructor(
    readonly shard: string,
    options: ConnectionOptions,
    private readonly cache: LocalCache,
    private readonly tracking = true,
  ) {
    if (!tracking) this.mode = 'ttl-only';
    this.conn = new Connection({ ...options, protocol: 3, retryOnDisconnect: false });
    this.conn.onPush = (frame) => this.onPush(frame);
    this.conn.on('ready', () => this.onReady());
    this.conn.on('disconnect', () => this.cache.flush(this.shard));
    this.conn.on('error', () => {
      /* surfaced through the commands that fail; the link keeps reconnecting */
    });
    this.conn.connect();
  }

  /** Loads one cacheable read; the server tracks its key for this connection. */
  load(args: readonly Arg[], returnBuffers: boolean): Promise<RespValue> {
    // Queued while connecting, a load still leaves after CLIENT TRACKING (sent first on 'ready').
    return this.conn.send(args, returnBuffers, false);
  }

  private onReady(): void {
    if (this.conn.proto !== 3 || !this.tracking) {
      this.mode = 'ttl-only';
      return;
    }
    // Sent synchronously in 'ready', so it leaves ahead of anything queued while offline.
    this.conn.send(['CLIENT', 'TRACKING', 'on']).then(
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
      this.cache.flush(this.shard);
      return;
    }
    for (const k of keys) {
      if (typeof k === 'string') this.cache.invalidatePushed(k);
      else if (Buffer.isBuffer(k)) this.cache.invalidatePushed(k.toString());
    }
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}
