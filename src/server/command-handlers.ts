/**
 * Every handler table the dispatcher serves, one per command family, keyed by family name. A
 * command in the command table without a handler here is not implemented and answers "unknown
 * command"; a command with a handler in two families stops the server at start-up
 * (dispatch/dispatcher.ts bindHandlers).
 */

import type { HandlerTable } from './dispatch/context.js';
import { STRING_HANDLERS } from './datatypes/string.js';
import { KEY_HANDLERS } from './handlers/keys.js';
import { CONNECTION_HANDLERS } from './handlers/connection.js';
import { CLIENT_HANDLERS } from './handlers/client.js';
import { CONFIG_HANDLERS } from './handlers/config-commands.js';
import { INFO_HANDLERS } from './handlers/info.js';
import { INTROSPECTION_HANDLERS } from './handlers/introspection.js';
import { ADMIN_HANDLERS } from './handlers/admin.js';
import { DEBUG_HANDLERS } from './handlers/debug.js';
import { LATENCY_HANDLERS, MONITOR_HANDLERS, SLOWLOG_HANDLERS } from './observe/commands.js';
import { TRANSACTION_HANDLERS } from './transactions/multi.js';
import { PUBSUB_HANDLERS } from './pubsub/pubsub.js';
import { LIST_HANDLERS } from './datatypes/list.js';
import { HASH_HANDLERS } from './datatypes/hash.js';
import { SET_HANDLERS } from './datatypes/set.js';
import { ZSET_HANDLERS } from './datatypes/zset.js';
import { ZSET_STORE_HANDLERS } from './datatypes/zset-store.js';
import { GEO_HANDLERS } from './datatypes/geo.js';
import { SORT_HANDLERS } from './datatypes/sort.js';
import { DUMP_HANDLERS } from './handlers/dump.js';
import { MIGRATE_HANDLERS } from './migrate/migrate-command.js';
import { BLOCKING_HANDLERS } from './datatypes/blocking-pops.js';
import { PERSISTENCE_HANDLERS } from './persistence/persistence-commands.js';
import { TRACKING_HANDLERS } from './pubsub/tracking-commands.js';
import { REPLICATION_HANDLERS } from './replication/repl-commands.js';
import { EVAL_HANDLERS } from './scripting/eval-commands.js';
import { FUNCTION_HANDLERS } from './scripting/function-commands.js';
import { BITMAP_HANDLERS } from './datatypes/bitmap.js';
import { BITFIELD_HANDLERS } from './datatypes/bitfield.js';
import { LCS_HANDLERS } from './datatypes/lcs.js';
import { HYPERLOGLOG_HANDLERS } from './datatypes/hyperloglog.js';
import { HLL_DEBUG_HANDLERS } from './datatypes/hll-debug.js';
import { STREAM_HANDLERS } from './datatypes/stream.js';
import { STREAM_GROUP_HANDLERS } from './datatypes/stream-groups.js';
import { STREAM_CLAIM_HANDLERS } from './datatypes/stream-claim.js';
import { STREAM_READ_HANDLERS } from './datatypes/stream-read.js';
import { STREAM_INFO_HANDLERS } from './datatypes/stream-info.js';
import { ACL_HANDLERS } from './acl/acl-commands.js';
import { HOT_KEYS_HANDLERS } from './stats/hot-keys-feature.js';

export const HANDLER_TABLES: Readonly<Record<string, HandlerTable>> = {
  string: STRING_HANDLERS,
  key: KEY_HANDLERS,
  connection: CONNECTION_HANDLERS,
  client: CLIENT_HANDLERS,
  config: CONFIG_HANDLERS,
  info: INFO_HANDLERS,
  introspection: INTROSPECTION_HANDLERS,
  admin: ADMIN_HANDLERS,
  debug: DEBUG_HANDLERS,
  slowlog: SLOWLOG_HANDLERS,
  latency: LATENCY_HANDLERS,
  monitor: MONITOR_HANDLERS,
  transaction: TRANSACTION_HANDLERS,
  pubsub: PUBSUB_HANDLERS,
  list: LIST_HANDLERS,
  hash: HASH_HANDLERS,
  set: SET_HANDLERS,
  zset: ZSET_HANDLERS,
  'zset-store': ZSET_STORE_HANDLERS,
  geo: GEO_HANDLERS,
  sort: SORT_HANDLERS,
  dump: DUMP_HANDLERS,
  migrate: MIGRATE_HANDLERS,
  blocking: BLOCKING_HANDLERS,
  persistence: PERSISTENCE_HANDLERS,
  tracking: TRACKING_HANDLERS,
  replication: REPLICATION_HANDLERS,
  eval: EVAL_HANDLERS,
  functions: FUNCTION_HANDLERS,
  bitmap: BITMAP_HANDLERS,
  bitfield: BITFIELD_HANDLERS,
  lcs: LCS_HANDLERS,
  hyperloglog: HYPERLOGLOG_HANDLERS,
  'hll-debug': HLL_DEBUG_HANDLERS,
  stream: STREAM_HANDLERS,
  'stream-groups': STREAM_GROUP_HANDLERS,
  'stream-claim': STREAM_CLAIM_HANDLERS,
  'stream-read': STREAM_READ_HANDLERS,
  'stream-info': STREAM_INFO_HANDLERS,
  acl: ACL_HANDLERS,
  'hot-keys': HOT_KEYS_HANDLERS,
};
