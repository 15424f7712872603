/**
 * Which connection state a command changes (ConnectionStateKind), for the client's refusal of
 * state commands on shared connections. The table's own entries carry the mark (`state` in
 * table/*.ts); this module also answers for entries that lack it: a command learned from a server
 * (COMMAND INFO builds its entry without marks) and a subcommand newer than this table (the table
 * answers with the parent's entry), by their full names. Pure: no I/O.
 */

import type { CommandSpec, ConnectionStateKind } from './spec.js';

/** State commands this table has no entry for (newer Redis versions), by full name. */
const BY_NAME: ReadonlyMap<string, ConnectionStateKind> = new Map([['client|no-touch', 'touch']]);

/**
 * The connection state `spec` changes, or null. `sub` is the argument after the name: when the
 * table did not know the subcommand, `spec` is its parent's entry and the name decides.
 */
export function connectionState(spec: CommandSpec, sub: unknown): ConnectionStateKind | null {
  const marked = spec.state;
  if (marked === undefined) return BY_NAME.get(spec.fullName) ?? null; // an entry from outside the table
  if (marked !== null) return marked;
  if (spec.subcommands !== null && (typeof sub === 'string' || Buffer.isBuffer(sub))) {
    return BY_NAME.get(`${spec.name}|${sub.toString().toLowerCase()}`) ?? null;
  }
  return null;
}
