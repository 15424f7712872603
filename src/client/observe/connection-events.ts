/**
 * Turns connection lifecycle events from every pool into RingClient events and
 * `ringcache:connection` diagnostics publications, each tagged with the shard and address.
 *
 * Client events: 'ready', 'disconnect', 'reconnecting' ({ shard, address, error? }) and 'error'
 * (error, { shard, address }). 'error' is emitted only when the application listens for it:
 * connection errors also reject the affected commands, so an unlistened 'error' must not crash
 * the process (Node throws on an 'error' event nobody handles).
 */

import type { EventEmitter } from 'node:events';
import type { Shard } from '../routing/shard.js';
import type { Connection } from '../transport/connection.js';
import type { ConnectionEvent } from '../transport/node-pool.js';
import { connectionChannel } from './diagnostics.js';

export interface ConnectionEventInfo {
  /** The shard the node belongs to (null if it left the topology). */
  shard: string | null;
  address: string;
  error?: Error;
}

function shardOf(shards: readonly Shard[], address: string): string | null {
  for (const s of shards) {
    if (s.master.address === address || s.replicas.some((r) => r.address === address)) return s.name;
  }
  return null;
}

/** The observer every pool reports its connections' lifecycle to (see the header). */
export function connectionEvents(shards: () => readonly Shard[], emitter: EventEmitter): (event: ConnectionEvent, conn: Connection, err?: Error) => void {
  return (event, conn, err) => {
    const info: ConnectionEventInfo = { shard: shardOf(shards(), conn.address), address: conn.address };
    if (err !== undefined) info.error = err;
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ event, ...info });
    // For the topology source (Sentinel re-check) and shard health, not client events.
    if (event === 'stale' || event === 'unreachable') return;
    if (event === 'error') {
      if (emitter.listenerCount('error') > 0 && err !== undefined) emitter.emit('error', err, info);
    } else emitter.emit(event, info);
  };
}
