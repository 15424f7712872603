/**
 * Hash and set commands: argument builders (HSET entries, HRANDFIELD, SINTERCARD) and decoders of
 * their paired replies.
 */

import type { Arg } from '../../transport/command.js';
import { pushEntries, type Entries } from './strings.js';

export type { Entries } from './strings.js';

export function hsetArgs(name: string, key: Arg, fields: Entries): Arg[] {
  const argv: Arg[] = [name, key];
  pushEntries(argv, fields);
  return argv;
}

/** A LIMIT for the *INTERCARD commands. */
export interface LimitOption {
  /** Stop counting at this many (0 = no limit). */
  limit?: number;
}

/** `SINTERCARD numkeys key… [LIMIT n]` (ZINTERCARD has the same shape). */
export function intercardArgs(name: string, keys: readonly Arg[], o: LimitOption | undefined): Arg[] {
  const argv: Arg[] = [name, keys.length, ...keys];
  if (o?.limit !== undefined) argv.push('LIMIT', o.limit);
  return argv;
}
