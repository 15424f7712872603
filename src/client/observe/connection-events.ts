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
import { connectionChannel } from './diagnostics.js';
import type { Connection } from '../transport/connection.js';
import type { ConnectionEvent } from '../transport/node-pool.js';
import type { Router } from '../routing/shard-map.js';

export interface ConnectionEventInfo {
  /** The shard the node belongs to (null if it left the topology). */
  shard: string | null;
  address: string;
  error?: Error;
}

function shardOf(router: Router, address: string): string | null {
  for (const s of router.all()) {
    if (s.master.address === address || s.replicas.some((r) => r.address === address)) return s.name;
  }
  return null;
}

export function observeConnections(router: Router, emitter: EventEmitter): void {
  router.observer = (event: ConnectionEvent, conn: Connection, err?: Error) => {
    const info: ConnectionEventInfo = { shard: shardOf(router, conn.address), address: conn.address };
    if (err !== undefined) info.error = err;
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ event, ...info });
    // For the topology source (Sentinel re-check) and shard health, not client events.
    if (event === 'stale' || event === 'unreachable') return;
    if (event === 'error') {
      if (emitter.listenerCount('error') > 0 && err !== undefined) emitter.emit('error', err, info);
    } else emitter.emit(event, info);
  };
}
