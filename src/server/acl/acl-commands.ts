/**
 * The ACL command (Redis aclCommand): SETUSER, DELUSER, GETUSER, LIST, USERS, WHOAMI, LOAD,
 * SAVE, CAT, GENPASS, LOG, DRYRUN, HELP, with Redis 7.0's replies and error texts. The users and
 * their rules live in AclState; this file only reads arguments and shapes replies.
 */

import { randomBytes } from 'node:crypto';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { getExt } from '../dispatch/context.js';
import { parseInteger } from '../dispatch/args.js';
import { cString } from '../util/c-parse.js';
import * as R from '../dispatch/replies.js';
import { helpReply } from '../handlers/help.js';
import { loadAclFile, saveAclFile } from './acl-file.js';
import { ACL_STATE, type AclState } from './acl-state.js';
import { CATEGORIES, CATEGORY_MASK, TOP, categoryIndex } from './catalog.js';
import { Acl, checkCommand } from './check.js';
import { describeChannels, describeCommandRules, describeKeys } from './describe.js';
import { hasSpaces, type Selector } from './selector.js';
import { USER_FLAG_NAMES } from './user.js';

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NO_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

const GENPASS_MAX_BITS = 4096;

function state(c: ClientContext): AclState {
  return getExt(c.server.ext, ACL_STATE)!;
}

/** Redis addReplySubcommandSyntaxError. */
function syntax(c: ClientContext, argv: readonly string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${cString(argv[1]!).slice(0, 128)}'. Try ACL HELP.`);
}

/** `commands`, `keys` and `channels` of one selector (Redis aclAddReplySelectorDescription). */
function selectorFields(c: ClientContext, s: Selector): void {
  const r = c.reply;
  r.bulk('commands');
  r.bulk(describeCommandRules(s));
  r.bulk('keys');
  r.bulk(describeKeys(s));
  r.bulk('channels');
  r.bulk(describeChannels(s));
}

function getUser(c: ClientContext, argv: string[]): void {
  const u = state(c).get(argv[2]!);
  const r = c.reply;
  if (u === undefined) return r.nullBulk();
  r.map(6);
  r.bulk('flags');
  const flags = USER_FLAG_NAMES.filter(([, bit]) => u.flags & bit);
  r.set(flags.length);
  for (const [name] of flags) r.bulk(name);
  r.bulk('passwords');
  r.array(u.passwords.length);
  for (const p of u.passwords) r.bulk(p);
  selectorFields(c, u.root);
  r.bulk('selectors');
  r.array(u.selectors.length - 1);
  for (let i = 1; i < u.selectors.length; i++) {
    r.map(3);
    selectorFields(c, u.selectors[i]!);
  }
}

function cat(c: ClientContext, argv: string[]): void {
  const r = c.reply;
  if (argv.length === 2) {
    r.array(CATEGORIES.length);
    for (const name of CATEGORIES) r.bulk(name);
    return;
  }
  const idx = categoryIndex(argv[2]!);
  if (idx < 0) return r.error(`ERR Unknown category '${cString(argv[2]!).slice(0, 128)}'`);
  const bit = 1 << idx;
  const names: string[] = [];
  for (const spec of TOP) {
    if (CATEGORY_MASK[spec.id]! & bit) names.push(spec.fullName);
    if (spec.subcommands !== null) for (const sub of spec.subcommands.values()) if (CATEGORY_MASK[sub.id]! & bit) names.push(sub.fullName);
  }
  r.array(names.length);
  for (const n of names) r.bulk(n);
}

function genpass(c: ClientContext, argv: string[]): void {
  let bits = 256;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === null) return c.reply.error(R.NOT_INTEGER);
    bits = n;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return c.reply.error(`ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);
  }
  const chars = Math.floor((bits + 3) / 4);
  c.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

function log(c: ClientContext, argv: string[]): void {
  const acl = state(c);
  let count = 10;
  if (argv.length === 3) {
    if (argv[2]!.toLowerCase() === 'reset') {
      acl.log.reset();
      return c.reply.ok();
    }
    const n = parseInteger(argv[2]!);
    if (n === null) return c.reply.error(R.NOT_INTEGER);
    count = Math.max(0, n);
  }
  acl.log.reply(c.reply, count);
}

function dryrun(c: ClientContext, argv: string[]): void {
  const acl = state(c);
  const u = acl.get(argv[2]!);
  if (u === undefined) return c.reply.error(`ERR User '${cString(argv[2]!)}' not found`);
  const cmdArgv = argv.slice(3);
  // Redis lookupCommand: a container alone is itself; with more arguments, its subcommand.
  const top = c.server.dispatcher.lookup(cmdArgv[0]!);
  const spec = top?.subcommands != null && cmdArgv.length >= 2 ? top.subcommands.get(cmdArgv[1]!.toLowerCase()) : top;
  if (spec === undefined) return c.reply.error(`ERR Command '${cString(cmdArgv[0]!)}' not found`);
  if ((spec.arity > 0 && spec.arity !== cmdArgv.length) || cmdArgv.length < -spec.arity) {
    return c.reply.error(`ERR wrong number of arguments for '${spec.fullName}' command`);
  }
  const v = checkCommand(u, spec, cmdArgv);
  if (v.code === Acl.OK) return c.reply.ok();
  if (v.code === Acl.DENIED_CMD) return c.reply.bulk(`This user has no permissions to run the '${spec.fullName}' command`);
  const what = v.code === Acl.DENIED_KEY ? 'key' : 'channel';
  c.reply.bulk(`This user has no permissions to access the '${cString(cmdArgv[v.pos]!)}' ${what}`);
}

export const ACL_HANDLERS: HandlerTable = {
  'acl|setuser'(c, argv) {
    for (let j = 2; j < argv.length; j++) c.server.dispatcher.redact(j);
    const name = argv[2]!;
    if (hasSpaces(name)) return c.reply.error("ERR Usernames can't contain spaces or null characters");
    const err = state(c).setUser(name, argv.slice(3));
    if (err === null) c.reply.ok();
    else c.reply.error(err);
  },

  'acl|deluser'(c, argv) {
    const names = argv.slice(2);
    if (names.includes('default')) return c.reply.error("ERR The 'default' user cannot be removed");
    c.reply.integer(state(c).deleteUsers(names));
  },

  'acl|getuser'(c, argv) {
    getUser(c, argv);
  },

  'acl|list'(c) {
    c.reply.bulkArray(state(c).configLines());
  },

  'acl|users'(c) {
    const users = state(c).sorted();
    c.reply.array(users.length);
    for (const u of users) c.reply.bulk(u.name);
  },

  'acl|whoami'(c) {
    if (c.user === null) c.reply.nullBulk();
    else c.reply.bulk(c.user.name);
  },

  'acl|load'(c) {
    const file = c.server.config.str('aclfile');
    if (file === '') return c.reply.error(NO_FILE);
    const acl = state(c);
    const loaded = loadAclFile(file, (n) => acl.newUser(n), acl.pubsubDefault);
    if ('error' in loaded) return c.reply.error(`ERR ${loaded.error}`);
    acl.replaceUsers(loaded.users);
    c.reply.ok();
  },

  'acl|save'(c) {
    const file = c.server.config.str('aclfile');
    if (file === '') return c.reply.error(NO_FILE);
    const err = saveAclFile(file, state(c).configLines());
    if (err === null) return c.reply.ok();
    c.server.log.warning(`Writing ACL file for ACL SAVE: ${err}`);
    c.reply.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
  },

  'acl|cat'(c, argv) {
    if (argv.length > 3) return syntax(c, argv);
    cat(c, argv);
  },

  'acl|genpass'(c, argv) {
    if (argv.length > 3) return syntax(c, argv);
    genpass(c, argv);
  },

  'acl|log'(c, argv) {
    if (argv.length > 3) return syntax(c, argv);
    log(c, argv);
  },

  'acl|dryrun'(c, argv) {
    dryrun(c, argv);
  },

  'acl|help'(c) {
    helpReply(c, 'acl', HELP);
  },
};
