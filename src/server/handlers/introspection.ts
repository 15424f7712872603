/**
 * COMMAND and its subcommands, answered from the command table in Redis 7.0's reply shapes so that
 * clients' introspection (redis-cli hints, node-redis, ioredis) works. Only implemented commands
 * are listed.
 */

import { aclCategories } from '../../commands/acl-categories.js';
import { keyPositions } from '../../commands/key-positions.js';
import { lookupCommand, lookupSubcommand, COMMANDS } from '../../commands/registry.js';
import type { CommandSpec, KeySpec } from '../../commands/spec.js';
import { Flag } from '../../commands/flags.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { globMatch } from '../util/glob.js';
import { isWord, keyword } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';

function writeKeySpec(c: ClientContext, ks: KeySpec): void {
  const r = c.reply;
  const unknown = ks.find === 'unknown';
  r.map(unknown ? 4 : 3);
  if (unknown) {
    r.bulk('notes');
    r.bulk(ks.notes);
  }
  r.bulk('flags');
  r.set(ks.flags.length);
  for (const f of ks.flags) r.simple(f);
  if (unknown) {
    for (const part of ['begin_search', 'find_keys']) {
      r.bulk(part);
      r.map(2);
      r.bulk('type');
      r.bulk('unknown');
      r.bulk('spec');
      r.map(0);
    }
    return;
  }
  r.bulk('begin_search');
  r.map(2);
  r.bulk('type');
  if (typeof ks.begin === 'number') {
    r.bulk('index');
    r.bulk('spec');
    r.map(1);
    r.bulk('index');
    r.integer(ks.begin);
  } else {
    r.bulk('keyword');
    r.bulk('spec');
    r.map(2);
    r.bulk('keyword');
    r.bulk(ks.begin.keyword);
    r.bulk('startfrom');
    r.integer(ks.begin.startFrom);
  }
  r.bulk('find_keys');
  r.map(2);
  r.bulk('type');
  if (ks.find === 'range') {
    r.bulk('range');
    r.bulk('spec');
    r.map(3);
    r.bulk('lastkey');
    r.integer(ks.lastKey);
    r.bulk('keystep');
    r.integer(ks.keyStep);
    r.bulk('limit');
    r.integer(ks.limit);
  } else {
    r.bulk('keynum');
    r.bulk('spec');
    r.map(3);
    r.bulk('keynumidx');
    r.integer(ks.keynumIdx);
    r.bulk('firstkey');
    r.integer(ks.firstKey);
    r.bulk('keystep');
    r.integer(ks.keyStep);
  }
}

function implementedSubs(c: ClientContext, spec: CommandSpec): CommandSpec[] {
  return spec.subcommands === null ? [] : [...spec.subcommands.values()].filter((s) => c.server.dispatcher.implements(s));
}

/**
 * populateCommandLegacyRangeSpec's movablekeys rule: keys that the legacy (first, last, step)
 * range cannot cover — a spec that is not an index-begun range, a range with a step other than 1
 * or not following the previous one, or an incomplete spec.
 */
function movableKeys(spec: CommandSpec): boolean {
  const specs = spec.keySpecs;
  let prevLast = 0;
  let ranges = 0;
  for (const ks of specs) {
    if (ks.find !== 'range' || typeof ks.begin !== 'number') return true;
    if (ks.flags.includes('incomplete')) return true;
    if (specs.length === 1) return false;
    if (ks.keyStep !== 1 || (prevLast !== 0 && prevLast !== ks.begin - 1)) return true;
    const last = ks.lastKey >= 0 ? ks.lastKey + ks.begin : ks.lastKey;
    // Redis compares as unsigned: a negative (to the end) last key is the largest.
    prevLast = prevLast < 0 || (last >= 0 && last < prevLast) ? prevLast : last;
    ranges++;
  }
  return specs.length > 0 && ranges === 0;
}

/** The order COMMAND INFO lists flags in (Redis's flagNames table). */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale', 'skip_monitor',
  'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** The flags COMMAND INFO shows, in Redis's order. */
function infoFlags(spec: CommandSpec): string[] {
  const movable = movableKeys(spec);
  return FLAG_ORDER.filter((f) => spec.flagNames.includes(f as (typeof spec.flagNames)[number]) || (f === 'movablekeys' && movable));
}

function writeInfo(c: ClientContext, spec: CommandSpec): void {
  const r = c.reply;
  r.array(10);
  r.bulk(spec.fullName);
  r.integer(spec.arity);
  const flags = infoFlags(spec);
  r.set(flags.length);
  for (const f of flags) r.simple(f);
  r.integer(spec.firstKey);
  r.integer(spec.lastKey);
  r.integer(spec.step);
  const cats = aclCategories(spec);
  r.set(cats.length);
  for (const cat of cats) r.simple(cat);
  r.array(spec.tips.length);
  for (const t of spec.tips) r.bulk(t);
  r.array(spec.keySpecs.length);
  for (const ks of spec.keySpecs) writeKeySpec(c, ks);
  const subs = implementedSubs(c, spec);
  r.array(subs.length);
  for (const s of subs) writeInfo(c, s);
}

function writeDocs(c: ClientContext, spec: CommandSpec): void {
  const r = c.reply;
  const subs = implementedSubs(c, spec);
  r.map(subs.length > 0 ? 4 : 3);
  r.bulk('summary');
  r.bulk(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (subs.length > 0) {
    r.bulk('subcommands');
    r.map(subs.length);
    for (const s of subs) {
      r.bulk(s.fullName);
      writeDocs(c, s);
    }
  }
}

function implemented(c: ClientContext): CommandSpec[] {
  return COMMANDS.filter((s) => c.server.dispatcher.implements(s));
}

/** Resolves `name` or `parent|sub` to an implemented spec. */
function resolve(c: ClientContext, name: string): CommandSpec | undefined {
  const bar = name.indexOf('|');
  const top = lookupCommand(bar === -1 ? name : name.slice(0, bar));
  if (top === undefined) return undefined;
  const spec = bar === -1 ? top : lookupSubcommand(top, name.slice(bar + 1));
  return spec !== undefined && c.server.dispatcher.implements(spec) ? spec : undefined;
}

/**
 * The flags of one key as getKeysFromCommandWithSpecs reports them: SET and BITFIELD decide theirs
 * from their arguments (setGetKeys, bitfieldGetKeys); others take their key spec's flags, without
 * `incomplete` (Redis then answers from its getkeys procedure, whose flags never carry it).
 */
function keyFlags(spec: CommandSpec, specIndex: number, cmd: readonly string[]): readonly string[] {
  if (spec.fullName === 'set') {
    for (let i = 3; i < cmd.length; i++) if (cmd[i]!.length === 3 && cmd[i]!.toLowerCase() === 'get') return ['RW', 'access', 'update'];
    return ['OW', 'update'];
  }
  if (spec.fullName === 'bitfield') return bitfieldReadOnly(cmd) ? ['RO', 'access'] : ['RW', 'access', 'update'];
  return spec.keySpecs[specIndex]!.flags.filter((f) => f !== 'incomplete');
}

/** bitfieldGetKeys: only GET and OVERFLOW operations, well formed. */
function bitfieldReadOnly(cmd: readonly string[]): boolean {
  for (let i = 2; i < cmd.length; i++) {
    const more = cmd.length - i - 1;
    if (isWord(cmd[i]!, 'get') && more >= 2) i += 2;
    else if (isWord(cmd[i]!, 'overflow') && more >= 1) i += 1;
    else return false;
  }
  return true;
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS (getKeysSubcommandImpl), with Redis's checks in its order. */
function getKeys(c: ClientContext, argv: readonly string[], withFlags: boolean): void {
  const cmd = argv.slice(2);
  const top = lookupCommand(cmd[0]!);
  let spec = top;
  if (top !== undefined && top.subcommands !== null && cmd.length > 1) spec = lookupSubcommand(top, cmd[1]!) ?? top;
  if (spec === undefined || !c.server.dispatcher.implements(spec)) return c.reply.error('ERR Invalid command specified');
  if (!spec.keySpecs.some((ks) => !ks.flags.includes('not_key'))) return c.reply.error('ERR The command has no key arguments');
  if ((spec.arity > 0 && cmd.length !== spec.arity) || cmd.length < -spec.arity) {
    return c.reply.error('ERR Invalid number of arguments specified for command');
  }
  const specOf: number[] = [];
  const found = keyPositions(spec, cmd, (i) => cmd[i]!, specOf);
  // Channels of shard pub/sub sit in key positions but are not keys.
  const keys = found?.filter((_, k) => !spec.keySpecs[specOf[k]!]!.flags.includes('not_key')) ?? [];
  const keySpecOf = found === null ? [] : specOf.filter((s) => !spec.keySpecs[s]!.flags.includes('not_key'));
  if (keys.length === 0) {
    if (spec.flags & Flag.NO_MANDATORY_KEYS) return c.reply.array(0);
    return c.reply.error('ERR Invalid arguments specified for command');
  }
  c.reply.array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    if (!withFlags) {
      c.reply.bulk(cmd[keys[k]!]!);
      continue;
    }
    c.reply.array(2);
    c.reply.bulk(cmd[keys[k]!]!);
    const flags = keyFlags(spec, keySpecOf[k]!, cmd);
    c.reply.set(flags.length);
    for (const f of flags) c.reply.simple(f);
  }
}

export const INTROSPECTION_HANDLERS: HandlerTable = {
  command(c, argv) {
    if (argv.length > 1) return c.reply.error(R.unknownSubcommand(argv));
    const all = implemented(c);
    c.reply.array(all.length);
    for (const s of all) writeInfo(c, s);
  },

  'command|count'(c) {
    c.reply.integer(implemented(c).length);
  },

  'command|info'(c, argv) {
    const specs = argv.length === 2 ? implemented(c) : argv.slice(2).map((n) => resolve(c, n));
    c.reply.array(specs.length);
    for (const s of specs) {
      if (s === undefined) c.reply.nullBulk();
      else writeInfo(c, s);
    }
  },

  'command|docs'(c, argv) {
    const specs = argv.length === 2 ? implemented(c) : argv.slice(2).map((n) => resolve(c, n)).filter((s): s is CommandSpec => s !== undefined);
    c.reply.map(specs.length);
    for (const s of specs) {
      c.reply.bulk(s.fullName);
      writeDocs(c, s);
    }
  },

  'command|list'(c, argv) {
    // Every implemented command and subcommand by full name, as Redis lists them.
    let specs = implemented(c).flatMap((s) => [s, ...implementedSubs(c, s)]);
    if (argv.length === 5 && isWord(argv[2]!, 'filterby')) {
      const kind = keyword(argv[3]!);
      const v = argv[4]!;
      if (kind === 'pattern') specs = specs.filter((s) => globMatch(v, s.fullName, true));
      else if (kind === 'aclcat') specs = specs.filter((s) => aclCategories(s).includes(`@${v.toLowerCase()}`));
      else if (kind === 'module') specs = [];
      else return c.reply.error('ERR syntax error');
    } else if (argv.length !== 2) {
      return c.reply.error('ERR syntax error');
    }
    c.reply.bulkArray(specs.map((s) => s.fullName));
  },

  'command|getkeys'(c, argv) {
    getKeys(c, argv, false);
  },

  'command|getkeysandflags'(c, argv) {
    getKeys(c, argv, true);
  },

  'command|help'(c) {
    const lines = [
      'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
      'GETKEYSANDFLAGS <full-command>',
      '    Return the keys and the access flags from a full Redis command.',
      'HELP',
      '    Print this help.',
    ];
    c.reply.statusArray(lines);
  },
};
