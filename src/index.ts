/**
 * ringcache — the smart client. `import { RingClient } from 'ringcache'`.
 * The storage node is `ringcache/server`.
 */
export { RingClient } from './client/ring-client.js';
export type { ClientStats, ShardStats } from './client/observe/stats.js';
export { Subscription } from './client/pubsub/subscription.js';
export type { PubSubMessage, SubscriptionOptions, SubscriptionKind } from './client/pubsub/subscription.js';
export type { RingClientEvents, ErrorEventInfo, ConnectionEventInfo } from './client/observe/events.js';
export type { ClientStatus } from './client/observe/client-status.js';
export type { TopologySnapshot, ShardTopology, ReplicaState } from './client/topology/snapshot.js';
export type { TopologyDiff, ShardChange } from './client/topology/diff.js';
export type * from './client/api/types.js';
export type { RingClientOptions, ShardConfig, ReadFrom, PoolOptions, LocalCacheOptions, ReadYourWritesOptions, EjectOptions, ShardDownPolicy, MissOptions, RetryStrategy, TlsOption } from './client/options.js';
export type { ReadYourWritesStats } from './client/routing/read-your-writes.js';
export type { ShardHealthEvent, ShardHealthInfo, ShardState } from './client/topology/shard-health.js';
export type { PipelineResult, Pipeline } from './client/api/pipeline.js';
export type { Transaction } from './client/api/transaction.js';
export type { WatchScope, WatchedTransaction, WatchOptions, WatchResult } from './client/api/watch.js';
export type { Monitor, MonitorLine, MonitorOptions } from './client/observe/monitor.js';
export type { CallOptions } from './client/routing/route.js';
export type { RespValue } from './protocol/resp-types.js';
export { HashRing, keyHash, hashTag } from './ring/index.js';
export * from './errors.js';
