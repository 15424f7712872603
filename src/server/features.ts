/**
 * Feature modules that plug into the server (pub/sub, transactions, tracking, eviction,
 * persistence, replication). Each installs its hooks, state and lifecycle callbacks; the order
 * here is the order they are installed in.
 */

import type { Dispatcher } from './dispatch/dispatcher.js';
import type { ServerContext } from './dispatch/context.js';
import type { ServerLifecycle } from './server.js';
import { TRANSACTIONS_FEATURE } from './transactions/multi.js';
import { PUBSUB_FEATURE } from './pubsub/pubsub.js';
import { BLOCKING_FEATURE } from './blocking.js';
import { TRACKING_FEATURE } from './pubsub/tracking.js';
import { NOTIFY_FEATURE } from './pubsub/notify.js';
import { PERSISTENCE_FEATURE } from './persistence/feature.js';
import { MAXMEMORY_FEATURE } from './keyspace/maxmemory.js';
import { CLIENT_LIMITS_FEATURE } from './network/client-limits.js';
import { REPLICATION_FEATURE } from './replication/feature.js';

/** What a feature module receives at install time. */
export interface FeatureHost extends ServerContext, ServerLifecycle {
  readonly dispatcher: Dispatcher;
}

export interface ServerFeature {
  readonly name: string;
  install(server: FeatureHost): void;
}

export const FEATURES: readonly ServerFeature[] = [
  TRANSACTIONS_FEATURE,
  PUBSUB_FEATURE,
  BLOCKING_FEATURE,
  // After blocking: its afterCommand serves blocked clients first, whose pops may invalidate keys.
  TRACKING_FEATURE,
  NOTIFY_FEATURE,
  MAXMEMORY_FEATURE,
  CLIENT_LIMITS_FEATURE,
  PERSISTENCE_FEATURE,
  REPLICATION_FEATURE,
];
