/**
 * The commands ACL rules talk about: every (sub)command of the command table (Redis's
 * orig_commands, so renames and unimplemented commands do not change what a rule means), their
 * ACL categories as bit masks, their key and channel arguments, and the lookup rules of
 * `+cmd`, `-cmd` and `+cmd|sub` (Redis ACLLookupCommand).
 *
 * Invariants: `ALL[spec.id] === spec` for every spec of the table; a bitmap of `WORDS` 32-bit
 * words holds one bit per command id plus the reserved FUTURE_BIT, which only `+@all` /
 * `allcommands` set (commands a newer table would add: Redis's "future commands").
 */

import { aclCategories } from '../../commands/acl-categories.js';
import { Flag } from '../../commands/flags.js';
import { COMMANDS } from '../../commands/registry.js';
import { commandIdCount, type CommandSpec } from '../../commands/spec.js';

/** Redis's ACLCommandCategories, in its order (ACL CAT, the describe heuristic). */
export const CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;

/** Every (sub)command, indexed by id (holes for ids given outside the table stay undefined). */
export const BY_ID: (CommandSpec | undefined)[] = [];
/**
 * Top-level commands in table order; each container's subcommands follow it in `walk`. Commands
 * of Sentinel mode only (SENTINEL) are left out: a storage node has no such command, so ACL rules
 * and categories cover exactly what redis-server's do.
 */
export const TOP: readonly CommandSpec[] = COMMANDS.filter((s) => (s.flags & Flag.ONLY_SENTINEL) === 0);

for (const spec of TOP) {
  BY_ID[spec.id] = spec;
  if (spec.subcommands !== null) for (const sub of spec.subcommands.values()) BY_ID[sub.id] = sub;
}

export const ID_COUNT = Math.max(commandIdCount(), BY_ID.length);
/** Set only by `+@all`/`allcommands`: the selector may run commands added later. */
export const FUTURE_BIT = ID_COUNT;
export const WORDS = (ID_COUNT + 1 + 31) >>> 5;

/** Category bits (bit i = CATEGORIES[i]) by command id. */
export const CATEGORY_MASK = new Uint32Array(ID_COUNT);
for (const spec of BY_ID) {
  if (spec === undefined) continue;
  let mask = 0;
  for (const name of aclCategories(spec)) {
    const i = (CATEGORIES as readonly string[]).indexOf(name.slice(1));
    if (i >= 0) mask |= 1 << i;
  }
  CATEGORY_MASK[spec.id] = mask;
}

/** The category's index (case-insensitive, without `@`), or -1. */
export function categoryIndex(name: string): number {
  return (CATEGORIES as readonly string[]).indexOf(name.toLowerCase());
}

const TOP_BY_NAME = new Map<string, CommandSpec>(TOP.map((s) => [s.name, s]));

/**
 * Redis lookupCommandBySdsLogic in strict mode: `name` or `container|sub` (any case); a plain
 * command with `|sub`, or more than one `|`, finds nothing.
 */
export function lookupAclCommand(name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = TOP_BY_NAME.get(parts[0]!);
  if (base === undefined || parts.length === 1) return base;
  return base.subcommands?.get(parts[1]!);
}

/** Channel access a command's arguments make (Redis CMD_CHANNEL_*). */
export const ChannelUse = { PATTERN: 1, SUBSCRIBE: 2, UNSUBSCRIBE: 4, PUBLISH: 8 } as const;

/** Redis's commands_with_channels: first channel argument, count (-1 = to the end), use. */
const CHANNEL_COMMANDS: Readonly<Record<string, readonly [number, number, number]>> = {
  subscribe: [1, -1, ChannelUse.SUBSCRIBE],
  ssubscribe: [1, -1, ChannelUse.SUBSCRIBE],
  unsubscribe: [1, -1, ChannelUse.UNSUBSCRIBE],
  sunsubscribe: [1, -1, ChannelUse.UNSUBSCRIBE],
  psubscribe: [1, -1, ChannelUse.PATTERN | ChannelUse.SUBSCRIBE],
  punsubscribe: [1, -1, ChannelUse.PATTERN | ChannelUse.UNSUBSCRIBE],
  publish: [1, 1, ChannelUse.PUBLISH],
  spublish: [1, 1, ChannelUse.PUBLISH],
};

/** The channel arguments ACL checks (publish and subscribe, not unsubscribe), or null. */
export function checkedChannels(spec: CommandSpec): readonly [number, number, number] | null {
  if (spec.parent !== null) return null;
  const c = CHANNEL_COMMANDS[spec.name];
  return c !== undefined && c[2] & (ChannelUse.PUBLISH | ChannelUse.SUBSCRIBE) ? c : null;
}

/** Redis doesCommandHaveKeys: a key spec that is not NOT_KEY (movable-key commands have one). */
export function commandHasKeys(spec: CommandSpec): boolean {
  return spec.keySpecs.some((ks) => !ks.flags.some((f) => f.toUpperCase() === 'NOT_KEY'));
}

/** Commands any authenticated user may run whatever its rules (AUTH, HELLO, QUIT, RESET). */
export function noAuth(spec: CommandSpec): boolean {
  return (spec.flags & Flag.NO_AUTH) !== 0;
}
