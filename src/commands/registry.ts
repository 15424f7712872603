/**
 * The command registry: every table file's entries, built once into lookup maps.
 * `lookupCommand` accepts any letter case; lower- and upper-case spellings hit a map directly so
 * the hot path does not allocate a lower-cased copy of the name.
 */

import { buildSpec, type CommandDraft, type CommandGroup, type CommandSpec } from './spec.js';
import { STRING_COMMANDS } from './table/strings.js';
import { GENERIC_COMMANDS } from './table/generic.js';
import { LIST_COMMANDS } from './table/lists.js';
import { HASH_COMMANDS } from './table/hashes.js';
import { SET_COMMANDS } from './table/sets.js';
import { SORTED_SET_COMMANDS } from './table/sorted-sets.js';
import { GEO_COMMANDS } from './table/geo.js';
import { SORT_COMMANDS } from './table/sort.js';
import { DUMP_COMMANDS } from './table/dump.js';
import { PUBSUB_COMMANDS } from './table/pubsub.js';
import { TRANSACTION_COMMANDS } from './table/transactions.js';
import { CONNECTION_COMMANDS } from './table/connection.js';
import { SERVER_COMMANDS } from './table/server.js';
import { SERVER_OBSERVE_COMMANDS } from './table/server-observe.js';
import { SCRIPTING_COMMANDS } from './table/scripting.js';
import { BITMAP_COMMANDS } from './table/bitmaps.js';
import { HYPERLOGLOG_COMMANDS } from './table/hyperloglog.js';
import { STREAM_COMMANDS } from './table/streams.js';
import { ACL_COMMANDS } from './table/acl.js';
import { CLUSTER_COMMANDS } from './table/cluster.js';
import { SENTINEL_COMMANDS } from './table/sentinel.js';
import { RINGCACHE_COMMANDS } from './table/ringcache.js';

const GROUPS: readonly (readonly [CommandGroup, readonly CommandDraft[]])[] = [
  ['string', STRING_COMMANDS],
  ['generic', GENERIC_COMMANDS],
  ['list', LIST_COMMANDS],
  ['hash', HASH_COMMANDS],
  ['set', SET_COMMANDS],
  ['sorted-set', SORTED_SET_COMMANDS],
  ['geo', GEO_COMMANDS],
  ['generic', SORT_COMMANDS],
  ['generic', DUMP_COMMANDS],
  ['pubsub', PUBSUB_COMMANDS],
  ['transactions', TRANSACTION_COMMANDS],
  ['connection', CONNECTION_COMMANDS],
  ['server', SERVER_COMMANDS],
  ['server', SERVER_OBSERVE_COMMANDS],
  ['scripting', SCRIPTING_COMMANDS],
  ['bitmap', BITMAP_COMMANDS],
  ['hyperloglog', HYPERLOGLOG_COMMANDS],
  ['stream', STREAM_COMMANDS],
  ['server', ACL_COMMANDS],
  ['cluster', CLUSTER_COMMANDS],
  ['sentinel', SENTINEL_COMMANDS],
  ['server', RINGCACHE_COMMANDS],
];

const byName = new Map<string, CommandSpec>();
const all: CommandSpec[] = [];
for (const [group, drafts] of GROUPS) {
  for (const d of drafts) {
    const spec = buildSpec(d, group, null);
    all.push(spec);
    byName.set(spec.name, spec);
    byName.set(spec.name.toUpperCase(), spec);
  }
}

/** Every top-level command, in table order. */
export const COMMANDS: readonly CommandSpec[] = all;

/** The command named `name` (any case), or undefined. */
export function lookupCommand(name: string): CommandSpec | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

/** The subcommand `sub` (any case) of a container command, or undefined. */
export function lookupSubcommand(parent: CommandSpec, sub: string): CommandSpec | undefined {
  return parent.subcommands?.get(sub.toLowerCase());
}
