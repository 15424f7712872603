/**
 * Which command an argv is, and where its keys are, from the shared command table: the first
 * thing the route asks of every command. Pure: no I/O, no state.
 */

import { keyPositions } from '../../commands/key-positions.js';
import { lookupCommand, lookupSubcommand } from '../../commands/registry.js';
import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import { UnknownCommandError } from '../../errors.js';
import type { Arg } from '../transport/command.js';

/** The command-table entry of argv (a subcommand's own entry when it has one). */
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

/** Argument indexes of the keys of a command (argv[0] is the name); null when malformed. */
export function keysOf(spec: CommandSpec, argv: readonly Arg[]): readonly number[] | null {
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
