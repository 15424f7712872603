/** The declarative command table, shared by the client and the server. */
export { cmd, rangeKeys, numKeys, buildSpec } from './spec.js';
export type { CommandSpec, CommandDraft, CommandGroup, CommandOptions, KeySpec, KeyBegin, ConnectionStateKind } from './spec.js';
export { connectionState } from './state-commands.js';
export { Flag, FLAG_NAMES, parseFlags } from './flags.js';
export type { FlagName } from './flags.js';
export { COMMANDS, lookupCommand, lookupSubcommand } from './registry.js';
export { keyPositions } from './key-positions.js';
export { aclCategories } from './acl-categories.js';
