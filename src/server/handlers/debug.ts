/**
 * DEBUG (Redis debug.c), guarded by `enable-debug-command` (`local`: loopback clients only): the
 * subcommands Redis's own test suite and operators lean on — SLEEP, OBJECT, DIGEST, POPULATE,
 * PROTOCOL (one reply of each RESP type), ERROR, LOG, SET-ACTIVE-EXPIRE, RELOAD,
 * SET-DISABLE-DENY-SCRIPTS, HELP. Others answer
 * Redis's unknown-subcommand error.
 */

import { allowProtectedAction } from './protected-action.js';
import { aclUsers } from '../acl/users-view.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { parseDouble, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { idleMs } from '../keyspace/access-stamp.js';
import { ValueType } from '../keyspace/entry.js';
import { entryBytes } from '../keyspace/used-memory.js';
import { keyspaceDigest } from '../replication/digest.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import { helpReply } from './help.js';
import { debugReload } from '../persistence/debug-reload.js';
import { persistenceOf } from '../persistence/persistence.js';
import { scripting } from '../scripting/scripting-state.js';

const REFUSED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

const PROTOCOL_TYPES = 'string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';

/** DEBUG PROTOCOL <type>: one test value of each RESP type, as Redis's. */
function protocol(c: ClientContext, type: string): void {
  const r = c.reply;
  const resp3 = r.proto === 3;
  switch (type.toLowerCase()) {
    case 'string':
      return r.bulk('Hello World');
    case 'integer':
      return r.integer(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      if (resp3) return r.raw(Buffer.from('(1234567999999999999999999999999999999\r\n', 'latin1'));
      return r.bulk('1234567999999999999999999999999999999');
    case 'null':
      return r.nullBulk();
    case 'array':
    case 'set':
      if (type.toLowerCase() === 'array') r.array(3);
      else r.set(3);
      for (let j = 0; j < 3; j++) r.integer(j);
      return;
    case 'map':
      r.map(3);
      for (let j = 0; j < 3; j++) {
        r.integer(j);
        r.boolean(j === 1);
      }
      return;
    case 'attrib':
      // An attribute is no reply of its own: a real reply follows it.
      if (resp3) r.raw(Buffer.from('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n', 'latin1'));
      return r.bulk('Some real reply following the attribute');
    case 'push':
      if (!resp3) return r.error('ERR RESP2 is not supported by this command');
      r.push(2);
      r.bulk('server-cpu-usage');
      r.integer(42);
      return r.bulk('Some real reply following the push reply');
    case 'true':
      return r.boolean(true);
    case 'false':
      return r.boolean(false);
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring');
    default:
      return r.error(`ERR Wrong protocol type name. Please use one of the following: ${PROTOCOL_TYPES}`);
  }
}

/** DEBUG POPULATE count [prefix] [size]: string keys `prefix:N` = `value:N` (padded to size). */
function populate(c: ClientContext, argv: string[]): void {
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) return c.reply.error('ERR value is out of range, must be positive');
  let size = 0;
  if (argv.length === 5) {
    const n = parseInteger(argv[4]!);
    if (n === null || n < 0) return c.reply.error('ERR value is out of range, must be positive');
    size = n;
  }
  const prefix = argv.length >= 4 ? argv[3]! : 'key';
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (c.db.lookupWrite(key) !== undefined) continue;
    const base = `value:${j}`;
    const value = size === 0 ? base : size <= base.length ? base.slice(0, size) : base + '\0'.repeat(size - base.length);
    c.db.add(key, ValueType.STRING, value);
    c.server.keyspace.signalModified(c.db, key);
  }
  c.reply.ok();
}

const HELP = [
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Options: MERGE (keep what is',
  '    loaded over what exists), NOFLUSH (do not empty the dataset first), NOSAVE (load',
  '    the file as it is).',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

export const DEBUG_HANDLERS: HandlerTable = {
  debug(c, argv) {
    if (!allowProtectedAction(c, 'enable-debug-command')) return c.reply.error(REFUSED);
    const sub = argv[1]!.toLowerCase();
    const n = argv.length;
    if (sub === 'help' && n === 2) return helpReply(c, 'DEBUG', HELP);
    if (sub === 'sleep' && n === 3) {
      const secs = parseDouble(argv[2]!);
      if (secs === null) return c.reply.error(R.NOT_FLOAT);
      const until = performance.now() + Math.max(0, secs) * 1000;
      // DEBUG SLEEP deliberately blocks the event loop, exactly like Redis's.
      while (performance.now() < until) {
        /* busy wait */
      }
      return c.reply.ok();
    }
    if (sub === 'object' && n === 3) {
      // Redis's DEBUG OBJECT looks the key up without expiring it.
      const e = c.db.dict.get(argv[2]!);
      if (e === undefined) return c.reply.error(R.NO_SUCH_KEY);
      const idle = Math.floor(idleMs(e.access, c.server.keyspace.now) / 1000);
      return c.reply.simple(`Value at:0x0 refcount:1 encoding:${e.type === ValueType.STRING ? 'raw' : 'native'} serializedlength:${entryBytes(e)} lru:0 lru_seconds_idle:${idle}`);
    }
    if (sub === 'digest' && n === 2) return c.reply.bulk(keyspaceDigest(c.server.keyspace));
    if (sub === 'loadaof' && n === 2) {
      const load = c.server.ext.get('debug.loadaof') as ((cl: ClientContext) => void) | undefined;
      if (load !== undefined) return load(c);
    }
    if (sub === 'set-active-expire' && n === 3) {
      c.server.ext.set('debug.activeExpire', argv[2] !== '0');
      return c.reply.ok();
    }
    if (sub === 'protocol' && n === 3) return protocol(c, argv[2]!);
    if (sub === 'reload') {
      const err = debugReload(persistenceOf(c.server), argv.slice(2));
      return err === null ? c.reply.ok() : c.reply.error(err);
    }
    if (sub === 'set-disable-deny-scripts' && n === 3) {
      scripting(c.server).runner.allowNoscript = argv[2] !== '0';
      return c.reply.ok();
    }
    if (sub === 'populate' && n >= 3 && n <= 5) return populate(c, argv);
    if (sub === 'error' && n === 3) return c.reply.error(argv[2]!);
    if (sub === 'config-rewrite-force-all' && n === 2) {
      const file = c.server.config.file;
      if (file === null) return c.reply.error('ERR The server is running without a config file');
      try {
        rewriteConfigFile(c.server.config, file, true, aclUsers(c.server)?.configLines() ?? []);
      } catch (err) {
        return c.reply.error(`ERR CONFIG-REWRITE-FORCE-ALL failed: ${(err as Error).message}`);
      }
      return c.reply.ok();
    }
    if (sub === 'log' && n === 3) {
      c.server.log.warning(`DEBUG LOG: ${argv[2]}`);
      return c.reply.ok();
    }
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`);
  },
};
