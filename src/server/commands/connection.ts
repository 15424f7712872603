/**
 * Connection commands: PING, ECHO, SELECT, QUIT (and, as they land: HELLO, AUTH, RESET, CLIENT …).
 */

import type { HandlerTable } from '../dispatch/context.js';
import { ClientFlag } from '../dispatch/context.js';
import * as R from '../dispatch/replies.js';

export const CONNECTION_HANDLERS: HandlerTable = {
  ping(c, argv) {
    if (argv.length > 2) return c.reply.error(R.WRONG_ARGS('ping'));
    if (c.flags & ClientFlag.PUBSUB && c.reply.proto === 2) {
      c.reply.array(2);
      c.reply.bulk('pong');
      c.reply.bulk(argv.length === 2 ? argv[1]! : '');
      return;
    }
    if (argv.length === 2) c.reply.bulk(argv[1]!);
    else c.reply.simple('PONG');
  },
  echo(c, argv) {
    c.reply.bulk(argv[1]!);
  },
  select(c, argv) {
    const n = /^-?\d+$/.test(argv[1]!) ? Number(argv[1]) : NaN;
    if (!Number.isInteger(n)) return c.reply.error(R.NOT_INTEGER);
    const db = c.server.keyspace.dbs[n];
    if (db === undefined) return c.reply.error(R.DB_INDEX_OUT_OF_RANGE);
    c.db = db;
    c.reply.ok();
  },
  quit(c) {
    c.reply.ok();
    c.flags |= ClientFlag.CLOSE_AFTER_REPLY;
  },
};
