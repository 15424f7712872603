/**
 * Every handler table the dispatcher serves, one per command family. A command in the command
 * table without a handler here is not implemented and answers "unknown command".
 */

import type { HandlerTable } from './dispatch/context.js';
import { STRING_HANDLERS } from './datatypes/string.js';
import { KEY_HANDLERS } from './commands/keys.js';
import { CONNECTION_HANDLERS } from './commands/connection.js';
import { CLIENT_HANDLERS } from './commands/client.js';
import { CONFIG_HANDLERS } from './commands/config-cmd.js';
import { INFO_HANDLERS } from './commands/info.js';
import { INTROSPECTION_HANDLERS } from './commands/introspection.js';
import { ADMIN_HANDLERS } from './commands/admin.js';
import { TRANSACTION_HANDLERS } from './transactions/multi.js';
import { PUBSUB_HANDLERS } from './pubsub/pubsub.js';
import { LIST_HANDLERS } from './datatypes/list.js';
import { HASH_HANDLERS } from './datatypes/hash.js';
import { SET_HANDLERS } from './datatypes/set.js';
import { ZSET_HANDLERS } from './datatypes/zset.js';
import { ZSET_STORE_HANDLERS } from './datatypes/zset-store.js';
import { BLOCKING_HANDLERS } from './datatypes/blocking-commands.js';
import { PERSISTENCE_HANDLERS } from './persistence/persistence-commands.js';
import { TRACKING_HANDLERS } from './pubsub/tracking-commands.js';
import { REPLICATION_HANDLERS } from './replication/repl-commands.js';

export const HANDLER_TABLES: readonly HandlerTable[] = [
  STRING_HANDLERS,
  KEY_HANDLERS,
  CONNECTION_HANDLERS,
  CLIENT_HANDLERS,
  CONFIG_HANDLERS,
  INFO_HANDLERS,
  INTROSPECTION_HANDLERS,
  ADMIN_HANDLERS,
  TRANSACTION_HANDLERS,
  PUBSUB_HANDLERS,
  LIST_HANDLERS,
  HASH_HANDLERS,
  SET_HANDLERS,
  ZSET_HANDLERS,
  ZSET_STORE_HANDLERS,
  BLOCKING_HANDLERS,
  PERSISTENCE_HANDLERS,
  TRACKING_HANDLERS,
  REPLICATION_HANDLERS,
];
