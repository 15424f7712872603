/**
 * Turns connection lifecycle events from every pool into RingClient events and
 * `ringcache:connection` diagnostics publications, each tagged with the shard and address.
 *
 * Client events: 'connect' (a connection's handshake finished), 'disconnect', 'reconnecting'
 * ({ shard, address, error? }) and 'error' (error, { shard, address }: a handshake refused, a
 * protocol error, retryStrategy stopping). 'error' is emitted only when the application listens
 * for it: connection errors also reject the affected commands, so an unlistened 'error' must not
 * crash the process (Node throws on an 'error' event nobody handles). The client's own 'ready'
 * (every master connected once) is observe/client-status.ts's.
 */

import type { EventEmitter } from 'node:events';
import type { ConnectionEventInfo, RingClientEvents } from './events.js';
import type { Shard } from '../routing/shard.js';
import type { Connection } from '../transport/connection.js';
import type { ConnectionEvent } from '../transport/node-pool.js';
import { connectionChannel, type ConnectionMessage } from './diagnostics.js';

function shardOf(shards: readonly Shard[], address: string): string | null {
  for (const s of shards) {
    if (s.master.address === address || s.replicas.some((r) => r.address === address)) return s.name;
  }
  return null;
}

/** The observer every pool reports its connections' lifecycle to (see the header). */
export function connectionEvents(shards: () => readonly Shard[], emitter: EventEmitter<RingClientEvents>): (event: ConnectionEvent, conn: Connection, err?: Error) => void {
  return (event, conn, err) => {
    const info: ConnectionEventInfo = { shard: shardOf(shards(), conn.address), address: conn.address };
    if (err !== undefined) info.error = err;
    if (connectionChannel.hasSubscribers) connectionChannel.publish({ event, ...info } satisfies ConnectionMessage);
    // For the topology source (Sentinel re-check) and shard health, not client events.
    if (event === 'stale' || event === 'unreachable') return;
    if (event === 'error' || event === 'stopped') {
      if (emitter.listenerCount('error') > 0 && err !== undefined) emitter.emit('error', err, { shard: info.shard, address: info.address });
    } else emitter.emit(event === 'ready' ? 'connect' : event, info);
  };
}
