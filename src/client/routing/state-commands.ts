/**
 * Commands that change their connection's state (the command table's `state` marks: MULTI,
 * SELECT, CLIENT REPLY, MONITOR, SUBSCRIBE…; see commands/state-commands.ts) are refused by the
 * route on every path (call(), pipelines, multi(), a watch() scope): on a shared, multiplexed
 * connection they would change what every other caller's commands do, and on a leased one they
 * would break the client's own use of it. The error says which API does the job safely.
 */

import { connectionState } from '../../commands/state-commands.js';
import type { CommandSpec, ConnectionStateKind } from '../../commands/spec.js';
import { StateCommandError } from '../../errors.js';
import type { Arg } from '../transport/command.js';

const INSTEAD: Record<ConnectionStateKind, string> = {
  transaction: 'use client.multi() for MULTI/EXEC on one shard, or client.watch(keys, async (tx) => …) for an optimistic transaction',
  watch: 'use client.watch(keys, async (tx) => { …reads through tx…; return tx.multi()…; }), which holds WATCH on a connection of its own',
  database: 'give the db option (new RingClient({ db }), or client.duplicate({ db }) for a second database)',
  reply: 'replies would stop matching their commands; send the commands and ignore the replies you do not need',
  tracking: 'use the localCache option: server-assisted invalidation is built in',
  monitor: 'use client.monitor(shard?), an async iterable on a connection of its own',
  reset: 'use client.duplicate() for a client with fresh connections, or client.close()',
  protocol: 'use the protocol, username, password and clientName options',
  auth: 'use the username and password options (client.duplicate({ username, password }) for other credentials)',
  quit: 'use client.quit() (or client.close())',
  subscribe: 'use client.subscribe(), psubscribe() or ssubscribe(), and unsubscribe through the Subscription they return',
  touch: 'it would change how every other caller\'s reads touch keys; OBJECT FREQ and OBJECT IDLETIME read without touching',
};

/** The error refusing argv when it is a state command, else null. */
export function refuseStateCommand(spec: CommandSpec, argv: readonly Arg[]): StateCommandError | null {
  const kind = connectionState(spec, argv[1]);
  if (kind === null) return null;
  const name = spec.parent !== null ? `${spec.parent.name} ${spec.name}` : spec.subcommands !== null && argv.length > 1 ? `${spec.name} ${String(argv[1])}` : spec.name;
  return new StateCommandError(name.toUpperCase(), INSTEAD[kind]);
}
