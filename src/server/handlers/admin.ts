/**
 * Server administration: DBSIZE, FLUSHDB/FLUSHALL, SWAPDB, TIME, LASTSAVE, SHUTDOWN, MEMORY,
 * ROLE.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { parseShutdownFlags } from '../util/shutdown-flags.js';
import { intOrReply, isWord, keyword, longOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { entryBytes } from '../keyspace/used-memory.js';

function flushMode(c: ClientContext, argv: string[]): boolean {
  if (argv.length > 2 || (argv.length === 2 && !isWord(argv[1]!, 'sync') && !isWord(argv[1]!, 'async'))) {
    c.reply.error(R.SYNTAX);
    return false;
  }
  return true;
}

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
    let abort = false;
    const words: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const o = keyword(argv[i]!);
      if (o === 'abort') abort = true;
      else if (o === 'default' || parseShutdownFlags([o]) === null) return c.reply.error(R.SYNTAX);
      else words.push(o);
    }
    const req = parseShutdownFlags(words);
    if (req === null || (abort && words.length > 0)) return c.reply.error(R.SYNTAX);
    if (abort) {
      if (c.server.abortShutdown()) return c.reply.ok();
      return c.reply.error('ERR No shutdown in progress.');
    }
    if (!req.now && c.flags & ClientFlag.IN_EXEC) {
      return c.reply.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    }
    // A script past its time limit: only SHUTDOWN NOSAVE may stop the node under it (checked
    // after the DENY BLOCKING one, in Redis's order).
    const busy = c.server.keyspace.busy;
    if (busy !== null && !req.nosave) return c.reply.error(busy);
    // On success the connection closes without a reply, as Redis's; while replicas catch up the
    // caller stays blocked.
    const err = c.server.shutdown(req, c);
    if (err !== null) c.reply.error(err);
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
};
