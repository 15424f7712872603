/** String commands (being filled in). */

import type { HandlerTable } from '../dispatch/context.js';
import { ValueType } from '../keyspace/entry.js';
import * as R from '../dispatch/replies.js';

export const STRING_HANDLERS: HandlerTable = {
  get(c, argv) {
    const e = c.db.lookupRead(argv[1]!);
    if (e === undefined) return c.reply.nullBulk();
    if (e.type !== ValueType.STRING) return c.reply.error(R.WRONGTYPE);
    c.reply.bulk(e.value as string);
  },
  set(c, argv) {
    c.db.setString(argv[1]!, argv[2]!);
    c.server.keyspace.signalModified(c.db, argv[1]!);
    c.server.dirty++;
    c.reply.ok();
  },
};
