/** Generic keyspace commands: DEL, EXISTS, … (being filled in). */

import type { HandlerTable } from '../dispatch/context.js';

export const KEY_HANDLERS: HandlerTable = {
  del(c, argv) {
    let n = 0;
    for (let i = 1; i < argv.length; i++) {
      if (c.db.delete(argv[i]!)) {
        c.server.keyspace.signalModified(c.db, argv[i]!);
        n++;
      }
    }
    c.server.dirty += n;
    c.reply.integer(n);
  },
};
