/**
 * SAVE, BGSAVE [SCHEDULE] and BGREWRITEAOF with Redis 7.0's replies and error texts
 * (LASTSAVE lives with the other admin commands and reads `persistence.lastsave`).
 */

import { ClientFlag, type HandlerTable } from '../dispatch/context.js';
import { isWord } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { startRewrite } from './aof-rewrite.js';
import { persistenceOf } from './persistence.js';

export const PERSISTENCE_HANDLERS: HandlerTable = {
  save(c) {
    const p = persistenceOf(c.server);
    if (p.bg?.kind === 'rdb') return c.reply.error('ERR Background save already in progress');
    if (p.saveNow()) c.reply.ok();
    else c.reply.error('ERR');
  },

  bgsave(c, argv) {
    let schedule = false;
    if (argv.length > 1) {
      if (argv.length === 2 && isWord(argv[1]!, 'schedule')) schedule = true;
      else return c.reply.error(R.SYNTAX);
    }
    const p = persistenceOf(c.server);
    if (p.bg?.kind === 'rdb') return c.reply.error('ERR Background save already in progress');
    if (p.bg !== null || c.flags & ClientFlag.IN_EXEC) {
      if (!schedule && !(c.flags & ClientFlag.IN_EXEC)) {
        return c.reply.error('ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.');
      }
      p.rdbScheduled = true;
      return c.reply.simple('Background saving scheduled');
    }
    if (p.startBgsave()) c.reply.simple('Background saving started');
    else c.reply.error('ERR');
  },

  bgrewriteaof(c) {
    const p = persistenceOf(c.server);
    if (p.bg?.kind === 'aof') return c.reply.error('ERR Background append only file rewriting already in progress');
    if (p.bg !== null || c.flags & ClientFlag.IN_EXEC) {
      p.aofRewriteScheduled = true;
      p.aofRewriteFailures = 0;
      return c.reply.simple('Background append only file rewriting scheduled');
    }
    if (startRewrite(p)) c.reply.simple('Background append only file rewriting started');
    else c.reply.error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
  },
};
