/**
 * Where a command's keys are, from its command-table entry (which entry an argv is: the catalog,
 * command-catalog.ts). No I/O. Its one piece of state: the key positions the
 * server reported for argvs of commands only it can find the keys of (held weakly by argv).
 */

import { keyPositions } from '../../commands/key-positions.js';
import { lookupCommand, lookupSubcommand } from '../../commands/registry.js';
import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import { UnknownCommandError } from '../../errors.js';
import type { Arg } from '../transport/command.js';

/**
 * The built-in table's entry of argv (a subcommand's own entry when it has one), for pure helpers
 * that need no learned command (miss-reply.ts); the route asks the catalog instead.
 */
export function resolveSpec(argv: readonly Arg[]): CommandSpec {
  const name = String(argv[0]);
  const top = lookupCommand(name);
  if (top === undefined) throw new UnknownCommandError(name);
  if (top.subcommands !== null && argv.length > 1) return lookupSubcommand(top, String(argv[1])) ?? top;
  return top;
}

function argText(a: Arg): string {
  return typeof a === 'string' ? a : Buffer.isBuffer(a) ? a.toString('utf8') : String(a);
}

/** Key positions the server reported (COMMAND GETKEYS) for one argv of a `keysFromServer` command. */
const serverKeys = new WeakMap<readonly Arg[], readonly number[]>();

/** Records the key positions COMMAND GETKEYS gave for `argv` (command-catalog.ts). */
export function rememberServerKeys(argv: readonly Arg[], positions: readonly number[]): void {
  serverKeys.set(argv, positions);
}

/**
 * Argument indexes of the keys of a command (argv[0] is the name); null when malformed, or when
 * only the server can find them and it has not been asked yet (`spec.keysFromServer`).
 */
export function keysOf(spec: CommandSpec, argv: readonly Arg[]): readonly number[] | null {
  if (spec.keySpecs.length === 0 && spec.keysFromServer === true) return serverKeys.get(argv) ?? null;
  return keyPositions(spec, argv, (i) => argText(argv[i]!));
}

const SPECIAL_ROUTE = Flag.PUBSUB | Flag.BLOCKING;

/**
 * Fast path for the common case: a command with exactly one key at a fixed index (GET, SET, HGET…)
 * and no special route. Returns the key's argument index without allocating, or -1 to take the
 * general route.
 */
export function directKeyIndex(spec: CommandSpec, argv: readonly Arg[]): number {
  if ((spec.flags & SPECIAL_ROUTE) !== 0 || spec.keySpecs.length !== 1) return -1;
  const ks = spec.keySpecs[0]!;
  if (ks.find !== 'range' || typeof ks.begin !== 'number' || ks.lastKey !== 0 || ks.begin >= argv.length) return -1;
  return ks.begin;
}
