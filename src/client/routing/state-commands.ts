/**
 * Commands that change their connection's state (the command table's `state`: MULTI, SELECT,
 * CLIENT REPLY, MONITOR, SUBSCRIBE…) are refused by the route on every path (call(), pipelines,
 * multi(), watch()): on a shared, multiplexed connection they would change what every other
 * caller's commands do. The error says which API does the job safely.
 */

import type { CommandSpec, ConnectionStateKind } from '../../commands/spec.js';
import { StateCommandError } from '../../errors.js';

const INSTEAD: Record<ConnectionStateKind, string> = {
  transaction: 'use client.multi() for MULTI/EXEC on one shard, or client.watch(keys, async (tx) => …) for an optimistic transaction',
  watch: 'use client.watch(keys, async (tx) => { …reads through tx…; return tx.multi()…; }), which holds WATCH on a connection of its own',
  database: 'give the db option (new RingClient({ db }), or client.duplicate({ db }) for a second database)',
  reply: 'replies would stop matching their commands; send the commands and ignore the replies you do not need',
  tracking: 'use the localCache option: server-assisted invalidation is built in',
  monitor: 'use client.monitor(shard?), an async iterator on a connection of its own',
  reset: 'use client.duplicate() for a client with fresh connections, or client.close()',
  protocol: 'use the protocol, username, password and clientName options',
  auth: 'use the username and password options (client.duplicate({ username, password }) for other credentials)',
  quit: 'use client.quit() (or client.close())',
  subscribe: 'use client.subscribe(), psubscribe() or ssubscribe(), and unsubscribe through the Subscription they return',
};

/** The error refusing a state command, naming it as the caller wrote it (`CLIENT REPLY`). */
export function stateCommandError(spec: CommandSpec, kind: ConnectionStateKind): StateCommandError {
  const name = spec.parent === null ? spec.name.toUpperCase() : `${spec.parent.name.toUpperCase()} ${spec.name.toUpperCase()}`;
  return new StateCommandError(name, INSTEAD[kind]);
}
