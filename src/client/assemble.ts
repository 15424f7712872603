/**
 * Builds a RingClient's parts from its resolved options and wires them together: the one file
 * that knows them all. Everything below it receives what it needs (a shard map, a callback) and
 * knows nothing of the others.
 *
 *   ShardMap ── pools made here: a master pool is tracked by the local cache; every pool reports
 *      │        its connections to shard health, the topology (stale masters) and client events
 *   TopologyStore ── applies each snapshot diff to the shard map; starts shard health once every
 *      │             master is known; announces diffs after construction ('topology' event)
 *   TopologyController ── static shards, or Sentinel (behind the discovery gate) + replica checks
 *   Route ── the one route of every command (routing/route.ts): gate, diagnostics, local cache,
 *            read-your-writes, shard, pool, connection; its CommandCatalog learns the commands
 *            the built-in table lacks from the servers
 *   PubSubHub ── subscriber connections per shard
 *
 * Construction order matters only where a part calls another at once: the local cache exists
 * before the static snapshot makes the master pools, and shard health before it starts.
 */

import type { EventEmitter } from 'node:events';
import { SentinelError, ShardDownError } from '../errors.js';
import { LocalCache } from './cache/local-cache.js';
import { ClientStatusTracker } from './observe/client-status.js';
import { connectionEvents } from './observe/connection-events.js';
import type { RingClientEvents } from './observe/events.js';
import { connectionOptionsFor, type ResolvedOptions } from './resolve-options.js';
import { PubSubHub } from './pubsub/hub.js';
import { KeyPrefix } from './routing/key-prefix.js';
import { CommandCatalog } from './routing/command-catalog.js';
import { ReadYourWrites } from './routing/read-your-writes.js';
import { Route } from './routing/route.js';
import { ShardMap, type ShardPools } from './routing/shard-map.js';
import { TopologyController } from './topology/controller.js';
import { DiscoveryGate } from './topology/discovery-gate.js';
import { ShardHealth } from './topology/shard-health.js';
import { staticShard } from './topology/snapshot.js';
import { TopologyStore } from './topology/store.js';
import { NodeMetrics } from './transport/node-metrics.js';
import { NodePool } from './transport/node-pool.js';

export interface ClientParts {
  readonly shards: ShardMap;
  readonly route: Route;
  readonly store: TopologyStore;
  readonly topology: TopologyController;
  readonly health: ShardHealth;
  /** The hot-key local cache, when `localCache` is configured. */
  readonly cache: LocalCache | null;
  /** Read-your-writes for replica reads, when `readYourWrites` is configured. */
  readonly readYourWrites: ReadYourWrites | null;
  readonly pubsub: PubSubHub;
  /** `keyPrefix`, when set. */
  readonly prefix: KeyPrefix | null;
  /** The client's status, 'ready' once, what RingClient.connect() waits for. */
  readonly status: ClientStatusTracker;
  /** Connects every master pool now (and every master pool made later: failovers, discovery). */
  start(): void;
  /** Refuses new commands, stops the topology sources, ends subscriptions, then closes every connection after in-flight commands are answered. */
  close(): Promise<void>;
}

/** `events` receives the client's events (observe/events.ts). */
export function assemble(o: ResolvedOptions, events: EventEmitter<RingClientEvents>): ClientParts {
  const cache = o.localCache === null ? null : new LocalCache(o.localCache, (key) => shards.shardFor(key).name);
  const onConnection = connectionEvents(() => shards.all(), events);
  const status = new ClientStatusTracker(o.shards.length > 0 ? o.shards.map((s) => s.name) : o.masters, () => events.emit('ready'));
  let topology: TopologyController | null = null;
  let started = false;
  // One NodeMetrics per shard, shared by its pools, so a failover keeps the counts (RingClient.metrics()).
  const metricsByShard = new Map<string, NodeMetrics>();
  const metricsOf = (shard: string): NodeMetrics => {
    let m = metricsByShard.get(shard);
    if (m === undefined) metricsByShard.set(shard, (m = new NodeMetrics()));
    return m;
  };
  const observed = (shard: string, address: string): NodePool => {
    const pool = new NodePool(connectionOptionsFor(o, address), o.pool, false, metricsOf(shard));
    pool.observer = (event, conn, err) => {
      health.observe(pool, event, err);
      if (event === 'stale' || event === 'ready') {
        const shard = shards.ofMaster(pool);
        if (shard !== null && event === 'stale') topology?.recheck(shard.name);
        if (shard !== null && event === 'ready') status.masterReady(shard.name);
      }
      onConnection(event, conn, err);
    };
    return pool;
  };
  const pools: ShardPools = {
    parked: (shard) => new NodePool(connectionOptionsFor(o, '0.0.0.0:1'), o.pool, true, metricsOf(shard)),
    master: (shard, address) => {
      const pool = observed(shard, address);
      cache?.trackPool(shard, pool);
      if (started) pool.warm();
      return pool;
    },
    replica: (shard, address) => {
      const pool = observed(shard, address);
      // 'prefer-replica' reads only connected replicas: connect before the first read.
      if (o.readFrom === 'prefer-replica') pool.warm();
      return pool;
    },
  };
  const shards = new ShardMap(o, pools, () => cache?.flushAll());
  const health = new ShardHealth(shards, o.eject, (address) => connectionOptionsFor(o, address), o.shardDown);
  health.onEvent = (event, info) => {
    if (event === 'shard-down') status.shardDown(info.shard, info.error);
    else if (event === 'shard-up') status.shardUp(info.shard);
    else status.ejectedShard(info.shard, event === 'shard-ejected');
    events.emit(event, info);
    // A shard's first failed connect is also an 'error' (when listened to), its cause the OS error.
    if (event === 'shard-down' && info.error instanceof ShardDownError && events.listenerCount('error') > 0) {
      events.emit('error', info.error, { shard: info.shard, address: info.address });
    }
  };
  let announce = false;
  const store = new TopologyStore((next, diff) => {
    shards.apply(next, diff);
    if (shards.mastersKnown) health.start();
    if (announce) events.emit('topology', diff, next);
  });
  if (o.shards.length > 0) store.put(o.shards.map((s) => staticShard(s.name, s.master, s.replicas ?? [], s.weight)));
  announce = true;
  const readYourWrites = o.readYourWrites === null ? null : new ReadYourWrites(o.readYourWrites);
  const gate = o.sentinels.length > 0 ? new DiscoveryGate(o.connectTimeoutMs, o.offlineQueueMax) : null;
  const prefix = o.keyPrefix === '' ? null : new KeyPrefix(o.keyPrefix);
  const route = new Route(shards, new CommandCatalog(shards, o.commands), cache, readYourWrites, o.readFrom, gate, o.maxBulkBytes, prefix);
  const pubsub = new PubSubHub(shards, () => route.ready(), o.commandTimeoutMs, (shard) => events.emit('resubscribed', { shard }));
  const controller = new TopologyController(o, shards, store, gate, (err) => {
    if (events.listenerCount('error') > 0) events.emit('error', err, { shard: err instanceof SentinelError ? err.master : null, address: null });
  });
  topology = controller;
  return {
    shards,
    route,
    store,
    topology: controller,
    health,
    cache,
    readYourWrites,
    pubsub,
    prefix,
    status,
    start() {
      started = true;
      for (const s of shards.all()) s.master.warm();
    },
    async close() {
      status.closing();
      route.close();
      await controller.close();
      pubsub.close();
      await Promise.all([shards.close(), health.close()]);
      status.closed();
    },
  };
}
