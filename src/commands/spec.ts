/**
 * The shape of one command table entry, and the builders the table files use to declare them.
 *
 * An entry is data only: name, arity (negative = at least |arity|), flags (Redis 7.0 flag names),
 * legacy key range (first, last, step), key specs (Redis 7 begin-search/find-keys model, which also
 * covers "numkeys" commands), command tips (request/response policy for fan-out), the group
 * (which yields the ACL categories) and subcommands. Both sides read it: the server dispatches on
 * it; the client routes, fans out, picks replicas and decides cacheability from it.
 */

import { parseFlags, type FlagName } from './flags.js';

export type CommandGroup =
  | 'string'
  | 'generic'
  | 'list'
  | 'hash'
  | 'set'
  | 'sorted-set'
  | 'geo'
  | 'bitmap'
  | 'hyperloglog'
  | 'stream'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'cluster'
  | 'sentinel';

/**
 * The state of its connection a command changes, beyond its own reply: a client must never send it
 * on a connection other callers share (their commands would run inside the transaction, on the
 * other database, without replies…). The server ignores it.
 */
export type ConnectionStateKind =
  | 'transaction' // MULTI, EXEC, DISCARD
  | 'watch' // WATCH, UNWATCH
  | 'database' // SELECT
  | 'reply' // CLIENT REPLY
  | 'tracking' // CLIENT TRACKING, CLIENT CACHING
  | 'monitor' // MONITOR
  | 'reset' // RESET
  | 'protocol' // HELLO
  | 'auth' // AUTH
  | 'quit' // QUIT
  | 'subscribe' // (P|S)(UN)SUBSCRIBE
  | 'touch'; // CLIENT NO-TOUCH (Redis 7.2; not in this table, known by name)

/** Where a key spec's search starts: a fixed argument index, or after a keyword. */
export type KeyBegin = number | { keyword: string; startFrom: number };

export type KeySpec =
  | {
      readonly begin: KeyBegin;
      readonly find: 'range';
      /** Index of the last key relative to the begin index; -1 = last argument, -2 = one before … */
      readonly lastKey: number;
      readonly keyStep: number;
      /** When lastKey is -1: only 1/limit of the remaining arguments are keys (0 = all). */
      readonly limit: number;
      readonly flags: readonly string[];
    }
  | {
      readonly begin: KeyBegin;
      readonly find: 'keynum';
      /** The numkeys argument's index relative to the begin index. */
      readonly keynumIdx: number;
      /** The first key's index relative to the begin index. */
      readonly firstKey: number;
      readonly keyStep: number;
      readonly flags: readonly string[];
    }
  | {
      /** Keys no argument position describes (SORT's BY/GET patterns, its STORE anywhere). */
      readonly begin: 'unknown';
      readonly find: 'unknown';
      readonly flags: readonly string[];
      /** Redis's explanation, printed by COMMAND INFO. */
      readonly notes: string;
    };

export interface CommandSpec {
  /**
   * A small integer unique to this (sub)command, given in table order as specs are built: the
   * index of per-command tables such as the ACL permission bitmaps (Redis's command id).
   * `LEARNED_COMMAND_ID` (-1) for an entry not built from this process's table (learned from a
   * server's COMMAND INFO by the client).
   */
  readonly id: number;
  /** Lower-case name; for a subcommand, its own word (`list`). */
  readonly name: string;
  /** `get`, or `client|list` for a subcommand (Redis's "full name"). */
  readonly fullName: string;
  readonly arity: number;
  readonly flags: number;
  readonly flagNames: readonly FlagName[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly keySpecs: readonly KeySpec[];
  /**
   * Only the server can find this command's keys (COMMAND GETKEYS): a command the client learned
   * from COMMAND INFO whose keys no key spec describes (command-info.ts). Absent in the table.
   */
  readonly keysFromServer?: boolean;
  readonly tips: readonly string[];
  readonly group: CommandGroup;
  /** ACL categories Redis declares for this command instead of its group's (e.g. SORT's). */
  readonly acl: readonly string[] | null;
  readonly since: string;
  readonly summary: string;
  /** Local-cacheable read (client hot-key cache): deterministic, read-only, single key. */
  readonly cacheable: boolean;
  /**
   * The connection state it changes (never sent on a shared connection), or null. Optional so an
   * entry built elsewhere (a command learned from a server) may leave it out: read it through
   * `connectionState()` (state-commands.ts), which also knows state commands newer than the table.
   */
  readonly state?: ConnectionStateKind | null;
  readonly subcommands: ReadonlyMap<string, CommandSpec> | null;
  readonly parent: CommandSpec | null;
}

export interface CommandOptions {
  group?: CommandGroup;
  since?: string;
  summary?: string;
  tips?: readonly string[];
  keySpecs?: readonly KeySpec[];
  /**
   * Redis's key-spec flags (`RW`, `ACCESS`, `DELETE`…) for the one spec derived from the legacy
   * [first, last, step] range, when they differ from the default (`RW update` for writes, `RO
   * access` for reads). ACL key permissions are read from these flags.
   */
  keyFlags?: readonly string[];
  /** Explicit ACL categories (`@list`…), replacing the group's. */
  acl?: readonly string[];
  cacheable?: boolean;
  /** The connection state the command changes (see ConnectionStateKind). */
  state?: ConnectionStateKind;
  subcommands?: readonly CommandDraft[];
}

/** A declared entry before the registry links parents and groups. */
export interface CommandDraft {
  readonly name: string;
  readonly arity: number;
  readonly flags: string;
  readonly keys: readonly [number, number, number];
  readonly options: CommandOptions;
}

/**
 * Declares a command. `flags` is a space-separated list of Redis flag names;
 * `keys` is the legacy [first, last, step] (all 0 for keyless commands).
 */
export function cmd(
  name: string,
  arity: number,
  flags: string,
  keys: readonly [number, number, number] = [0, 0, 0],
  options: CommandOptions = {},
): CommandDraft {
  return { name, arity, flags, keys, options };
}

/** A key spec covering keys from `begin` to `lastKey` (relative; -1 = to the end) every `keyStep`. */
export function rangeKeys(begin: KeyBegin, lastKey = 0, keyStep = 1, limit = 0, flags: readonly string[] = []): KeySpec {
  return { begin, find: 'range', lastKey, keyStep, limit, flags };
}

/** A key spec for `numkeys key [key …]` argument groups. */
export function numKeys(begin: KeyBegin, keynumIdx = 0, firstKey = 1, keyStep = 1, flags: readonly string[] = []): KeySpec {
  return { begin, find: 'keynum', keynumIdx, firstKey, keyStep, flags };
}

/** A key spec for keys that no argument position describes. */
export function unknownKeys(flags: readonly string[], notes: string): KeySpec {
  return { begin: 'unknown', find: 'unknown', flags, notes };
}

/** Derives a key spec from a legacy [first, last, step] triple. */
function legacyKeySpec(first: number, last: number, step: number, write: boolean, given?: readonly string[]): KeySpec[] {
  if (first <= 0) return [];
  const flags = given ?? (write ? ['RW', 'update'] : ['RO', 'access']);
  return [rangeKeys(first, last < 0 ? last : last - first, step, 0, flags)];
}

/** The id of an entry learned from a server rather than built from the table. */
export const LEARNED_COMMAND_ID = -1;

/** The id the next built spec gets. */
let nextId = 0;

/** How many (sub)command ids have been given: every spec's `id` is below this. */
export function commandIdCount(): number {
  return nextId;
}

export function buildSpec(draft: CommandDraft, group: CommandGroup, parent: CommandSpec | null): CommandSpec {
  const { flags, names } = parseFlags(draft.flags);
  const [first, last, step] = draft.keys;
  const o = draft.options;
  const subs = new Map<string, CommandSpec>();
  const spec: CommandSpec = {
    id: nextId++,
    name: draft.name,
    fullName: parent === null ? draft.name : `${parent.name}|${draft.name}`,
    arity: draft.arity,
    flags,
    flagNames: names,
    firstKey: first,
    lastKey: last,
    step,
    keySpecs: o.keySpecs ?? legacyKeySpec(first, last, step, names.includes('write'), o.keyFlags),
    tips: o.tips ?? [],
    group: o.group ?? group,
    acl: o.acl ?? null,
    since: o.since ?? '1.0.0',
    summary: o.summary ?? '',
    cacheable: o.cacheable ?? false,
    state: o.state ?? null,
    subcommands: o.subcommands !== undefined ? subs : null,
    parent,
  };
  for (const sub of o.subcommands ?? []) subs.set(sub.name, buildSpec(sub, spec.group, spec));
  return spec;
}
