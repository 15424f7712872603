/**
 * ringcache — the smart client. `import { RingClient } from 'ringcache'`.
 * The storage node is `ringcache/server`.
 *
 * @module ringcache
 */
export { RingClient } from './client/ring-client.js';
export type { ClientStats, ShardStats, ShardInfo } from './client/observe/stats.js';
export type { ClientMetrics, ShardMetrics, LocalCacheMetrics } from './client/observe/metrics.js';
export type { PromCollector, PromMetricLike, PromRegistry, RegisterMetricsOptions, PromMetricObject, PromSample, PromLabels } from './client/observe/prometheus.js';
export type { LatencyHistogram } from './client/transport/node-metrics.js';
export type { NodePoolStats } from './client/transport/node-pool.js';
export type { LocalCacheStats } from './client/cache/local-cache.js';
export type { HotKeyInfo } from './client/cache/hot-key-detector.js';
export type { TrackingMode } from './client/cache/tracking.js';
export type { ConnectionState } from './client/transport/connection.js';
export type { WithGet } from './client/api/methods/sort-dump.js';
export type { WithScores } from './client/api/methods/zsets.js';
export type { ShardSubscriberStats } from './client/pubsub/shard-subscriber.js';
export type { Arg } from './client/transport/command.js';
export type {
  CommandMessage,
  BatchMessage,
  ConnectMessage,
  ConnectionMessage,
  PubSubDropMessage,
  CacheHitMessage,
  CacheMissMessage,
  CacheInvalidateMessage,
} from './client/observe/diagnostics.js';
export { Subscription } from './client/pubsub/subscription.js';
export type { PubSubMessage, SubscriptionOptions, SubscriptionKind } from './client/pubsub/subscription.js';
export type { RingClientEvents, ErrorEventInfo, ConnectionEventInfo } from './client/observe/events.js';
export type { ClientStatus } from './client/observe/client-status.js';
export type { TopologySnapshot, ShardTopology, ReplicaState, MasterHealth } from './client/topology/snapshot.js';
export type { TopologyDiff, ShardChange } from './client/topology/diff.js';
export type * from './client/api/types.js';
export type { RingClientOptions, CommandsOptions, ShardConfig, ReadFrom, PoolOptions, LocalCacheOptions, ReadYourWritesOptions, EjectOptions, ShardDownPolicy, MissOptions, RetryStrategy, TlsOption } from './client/options.js';
export type { ReadYourWritesStats } from './client/routing/read-your-writes.js';
export type { ShardHealthEvent, ShardHealthInfo, ShardState } from './client/topology/shard-health.js';
export type { PipelineResult, PipelineResults, Pipeline, PipelineCommands } from './client/api/pipeline.js';
export type { Transaction, TransactionResults, TransactionCommands } from './client/api/transaction.js';
export type { BatchMethod, Signatures, Overloads } from './client/api/batch.js';
export type { WatchScope, WatchedTransaction, WatchOptions, WatchResult } from './client/api/watch.js';
export type { Monitor, MonitorLine, MonitorOptions } from './client/observe/monitor.js';
export type { CallOptions } from './client/routing/route.js';
export type { RespValue } from './protocol/resp-types.js';
export { HashRing, keyHash, hashTag } from './ring/index.js';
export type { RingShard, RingArc, HashRingOptions } from './ring/index.js';
export * from './errors.js';
