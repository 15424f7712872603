/**
 * The feature modules a server installs (pub/sub, transactions, tracking, eviction, persistence,
 * replication), in install order. Each installs its hooks, state and lifecycle callbacks through
 * the contract in feature-contract.ts.
 */

import type { ServerFeature } from './feature-contract.js';
import { TRANSACTIONS_FEATURE } from './transactions/multi.js';
import { PUBSUB_FEATURE } from './pubsub/pubsub.js';
import { BLOCKING_FEATURE } from './blocked-clients.js';
import { TRACKING_FEATURE } from './pubsub/tracking.js';
import { NOTIFY_FEATURE } from './pubsub/keyspace-events-feature.js';
import { PERSISTENCE_FEATURE } from './persistence/feature.js';
import { SCRIPTING_FEATURE } from './scripting/scripting-feature.js';
import { MAXMEMORY_FEATURE } from './keyspace/maxmemory.js';
import { CLIENT_LIMITS_FEATURE } from './network/client-limits.js';
import { REPLICATION_FEATURE } from './replication/feature.js';
import { PAUSE_FEATURE } from './client-pause.js';
import { MIGRATE_FEATURE } from './migrate/migrate-command.js';
import { OBSERVE_FEATURE } from './observe/feature.js';
import { ACL_FEATURE } from './acl/feature.js';
import { HOT_KEYS_FEATURE } from './stats/hot-keys-feature.js';
import { METRICS_FEATURE } from './metrics/metrics-feature.js';

export const FEATURES: readonly ServerFeature[] = [
  // First: users (redis.conf `user` lines, aclfile) exist before anything else starts.
  ACL_FEATURE,
  TRANSACTIONS_FEATURE,
  PUBSUB_FEATURE,
  BLOCKING_FEATURE,
  // After blocking: its afterCommand serves blocked clients first, whose pops may invalidate keys.
  TRACKING_FEATURE,
  NOTIFY_FEATURE,
  MAXMEMORY_FEATURE,
  CLIENT_LIMITS_FEATURE,
  // Before persistence: its start hook loads the Lua VM, which loading function libraries needs.
  SCRIPTING_FEATURE,
  PERSISTENCE_FEATURE,
  REPLICATION_FEATURE,
  PAUSE_FEATURE,
  MIGRATE_FEATURE,
  OBSERVE_FEATURE,
  HOT_KEYS_FEATURE,
  // Last: it reads what the others report (INFO sections, hot keys).
  METRICS_FEATURE,
];
