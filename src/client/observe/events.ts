/**
 * The RingClient's events, as one typed map: `client.on('topology', (diff, snapshot) => …)` is
 * type-checked, and a misspelled event name does not compile (RingClient is an
 * `EventEmitter<RingClientEvents>`). Types only.
 *
 * Lifecycle: 'ready' once, when every shard's master has connected once; 'end' once, after
 * close() finished. Per connection: 'connect', 'disconnect', 'reconnecting'. Per shard: 'shard-down'
 * / 'shard-up' (its commands are refused, or answered as misses, / no longer), 'shard-ejected' /
 * 'shard-restored' (`onShardDown: { eject }`). 'error' is emitted only while listened to: a shard's
 * first failed connect (ShardDownError, the OS error as `cause`), a handshake refused, a
 * retryStrategy that stopped (ReconnectStoppedError), a failed Sentinel query.
 */

import type { TopologyDiff } from '../topology/diff.js';
import type { ShardHealthInfo } from '../topology/shard-health.js';
import type { TopologySnapshot } from '../topology/snapshot.js';

/** A connection event's node: 'connect', 'disconnect', 'reconnecting'. */
export interface ConnectionEventInfo {
  /** The shard the node belongs to (null if it left the topology). */
  shard: string | null;
  /** `host:port` (plus `/db` when its URL names one). */
  address: string;
  /** Why it disconnected or reconnects, when known. */
  error?: Error;
}

/** Where an 'error' event comes from (null when not known or not a node: a Sentinel query). */
export interface ErrorEventInfo {
  /** The shard concerned, or null. */
  shard: string | null;
  /** The node's `host:port`, or null. */
  address: string | null;
}

/** RingClient's events and their listener arguments. */
export interface RingClientEvents {
  /** Every shard's master has connected once (emitted once per client). */
  ready: [];
  /** close() finished: every connection is closed (emitted once). */
  end: [];
  /** Only while listened to (Node would throw an unlistened 'error'). */
  error: [error: Error, info: ErrorEventInfo];
  /** A connection to a node finished its handshake. */
  connect: [info: ConnectionEventInfo];
  /** A connection to a node closed (`info.error`: why, when known). */
  disconnect: [info: ConnectionEventInfo];
  /** A connection is about to reconnect, after its backoff or retryStrategy delay. */
  reconnecting: [info: ConnectionEventInfo];
  /** A shard's master moved, its replicas or their health changed. */
  topology: [diff: TopologyDiff, snapshot: TopologySnapshot];
  /** A shard's master is considered down: its commands are refused (ShardDownError) or answered as misses (`onShardDown: 'miss'`). */
  'shard-down': [info: ShardHealthInfo];
  /** A shard that was down answers again. */
  'shard-up': [info: ShardHealthInfo];
  /** A shard was taken off the ring after failing (`onShardDown: { eject }`): its keys move to the other shards. */
  'shard-ejected': [info: ShardHealthInfo];
  /** An ejected shard answers again and is back on the ring. */
  'shard-restored': [info: ShardHealthInfo];
  /** A shard's subscriber connection reconnected and subscribed again. */
  resubscribed: [
    info: {
      /** The shard whose subscriptions were restored. */
      shard: string;
    },
  ];
}
