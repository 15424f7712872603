/**
 * Server administration: DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, DEBUG, MEMORY,
 * ROLE, and SCRIPT/FUNCTION FLUSH (accepted as no-ops: ringcache has no scripting).
 */

import { keyspaceDigest } from '../replication/digest.js';
import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { intOrReply, isWord, longOrReply, parseDouble } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { idleMs } from '../keyspace/access-stamp.js';
import { ValueType } from '../keyspace/entry.js';
import { entryBytes } from '../keyspace/used-memory.js';

function flushMode(c: ClientContext, argv: string[]): boolean {
  if (argv.length > 2 || (argv.length === 2 && !isWord(argv[1]!, 'sync') && !isWord(argv[1]!, 'async'))) {
    c.reply.error(R.SYNTAX);
    return false;
  }
  return true;
}

function isLoopback(addr: string): boolean {
  return addr.startsWith('127.') || addr.startsWith('::1') || addr.startsWith('[::1]');
}

const DEBUG_REFUSED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

export const ADMIN_HANDLERS: HandlerTable = {
  dbsize(c) {
    c.reply.integer(c.db.size);
  },

  flushdb(c, argv) {
    if (!flushMode(c, argv)) return;
    c.server.dirty += c.server.keyspace.flush(c.db) + 1;
    c.reply.ok();
  },

  flushall(c, argv) {
    if (!flushMode(c, argv)) return;
    c.server.dirty += c.server.keyspace.flush(null) + 1;
    c.reply.ok();
  },

  swapdb(c, argv) {
    const a = intOrReply(c, argv[1]!, 'invalid first DB index');
    if (a === null) return;
    const b = intOrReply(c, argv[2]!, 'invalid second DB index');
    if (b === null) return;
    const dbs = c.server.keyspace.dbs;
    if (dbs[a] === undefined || dbs[b] === undefined) return c.reply.error(R.DB_INDEX_OUT_OF_RANGE);
    if (a !== b) {
      dbs[a]!.swapWith(dbs[b]!);
      c.server.keyspace.swapped(dbs[a]!, dbs[b]!);
    }
    c.server.dirty++;
    c.reply.ok();
  },

  time(c) {
    const us = BigInt(Math.floor(performance.timeOrigin * 1000 + performance.now() * 1000));
    c.reply.array(2);
    c.reply.bulk((us / 1000000n).toString());
    c.reply.bulk((us % 1000000n).toString());
  },

  lastsave(c) {
    const last = (c.server.ext.get('persistence.lastsave') as number | undefined) ?? c.server.stats.startedAt;
    c.reply.integer(Math.floor(last / 1000));
  },

  shutdown(c, argv) {
    let save: boolean | null = null;
    for (let i = 1; i < argv.length; i++) {
      const o = argv[i]!.toLowerCase();
      if (o === 'nosave') save = false;
      else if (o === 'save') save = true;
      else if (o === 'now' || o === 'force') continue;
      else if (o === 'abort') return c.reply.error('ERR No shutdown in progress.');
      else return c.reply.error(R.SYNTAX);
    }
    c.server.shutdown({ save, reason: `User requested shutdown (client id=${c.id})` });
    // Redis closes the connection without a reply on success.
    c.close(false);
  },

  debug(c, argv) {
    const mode = c.server.config.str('enable-debug-command');
    if (mode === 'no' || (mode === 'local' && !isLoopback(c.addr))) return c.reply.error(DEBUG_REFUSED);
    const sub = argv[1]!.toLowerCase();
    if (sub === 'sleep' && argv.length === 3) {
      const secs = parseDouble(argv[2]!);
      if (secs === null) return c.reply.error(R.NOT_FLOAT);
      const until = Date.now() + Math.max(0, secs) * 1000;
      // DEBUG SLEEP deliberately blocks the event loop, exactly like Redis's.
      while (Date.now() < until) {
        /* busy wait */
      }
      return c.reply.ok();
    }
    if (sub === 'object' && argv.length === 3) {
      const e = c.db.peek(argv[2]!);
      if (e === undefined) return c.reply.error(R.NO_SUCH_KEY);
      return c.reply.simple(`Value at:0x0 refcount:1 encoding:${e.type === ValueType.STRING ? 'raw' : 'native'} serializedlength:${entryBytes(e)} lru:0 lru_seconds_idle:${Math.floor(idleMs(e.access, c.server.keyspace.now) / 1000)}`);
    }
    if (sub === 'digest' && argv.length === 2) return c.reply.bulk(keyspaceDigest(c.server.keyspace));
    if (sub === 'set-active-expire' && argv.length === 3) {
      c.server.ext.set('debug.activeExpire', argv[2] !== '0');
      return c.reply.ok();
    }
    c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`);
  },

  'memory|usage'(c, argv) {
    for (let j = 3; j < argv.length; j++) {
      if (!isWord(argv[j]!, 'samples') || j + 1 >= argv.length) return c.reply.error(R.SYNTAX);
      const samples = longOrReply(c, argv[++j]!);
      if (samples === null) return;
      if (samples < 0) return c.reply.error(R.SYNTAX);
    }
    const e = c.db.peek(argv[2]!);
    if (e === undefined) return c.reply.nullBulk();
    c.reply.integer(entryBytes(e));
  },

  'memory|stats'(c) {
    const mem = c.server.keyspace.memory;
    const fields: [string, number][] = [
      ['peak.allocated', mem.samplePeak()],
      ['total.allocated', mem.used],
      ['startup.allocated', mem.startup],
      ['clients.normal', mem.clients],
      ['keys.count', c.server.keyspace.dbs.reduce((n, d) => n + d.size, 0)],
      ['dataset.bytes', mem.dataset],
    ];
    c.reply.map(fields.length);
    for (const [k, v] of fields) {
      c.reply.bulk(k);
      c.reply.integer(v);
    }
  },

  'memory|doctor'(c) {
    c.reply.verbatim('Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.');
  },

  'memory|help'(c) {
    const lines = ['MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'DOCTOR', 'STATS', 'USAGE <key> [SAMPLES <count>]', 'HELP'];
    c.reply.statusArray(lines);
  },

  'script|flush'(c, argv) {
    if (argv.length > 2 && (argv.length > 3 || (!isWord(argv[2]!, 'sync') && !isWord(argv[2]!, 'async')))) {
      return c.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    }
    c.reply.ok();
  },

  'function|flush'(c, argv) {
    if (argv.length > 3) return c.reply.error(R.subcommandSyntaxError(argv));
    if (argv.length === 3 && !isWord(argv[2]!, 'sync') && !isWord(argv[2]!, 'async')) return c.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    c.reply.ok();
  },
};
