/**
 * DEBUG LOADAOF (Redis debug.c): writes and fsyncs the AOF, empties every database and loads the
 * AOF again, as a restart would. Redis does it synchronously; here the file is read in the
 * loader's time-bounded slices, so meanwhile other clients get -LOADING and the caller's session
 * is parked (ClientFlag.BLOCKED) until its +OK. Nothing is propagated and `dirty` ends at 0.
 */

import { ClientFlag, type ClientContext } from '../dispatch/context.js';
import type { Persistence } from './persistence.js';
import { loadAof } from './startup-load.js';

export function debugLoadAof(p: Persistence, c: ClientContext): void {
  const server = p.server;
  if (p.aof === null) return c.reply.error('ERR DEBUG LOADAOF needs appendonly yes');
  p.aof.flushSync();
  server.keyspace.flush(null);
  server.loading = true;
  c.flags |= ClientFlag.BLOCKED;
  const done = (err: unknown): void => {
    server.loading = false;
    server.dirty = 0;
    c.flags &= ~ClientFlag.BLOCKED;
    if (err === null) {
      server.log.warning('Append Only File loaded by DEBUG LOADAOF');
      c.reply.ok();
    } else {
      server.log.warning(`DEBUG LOADAOF failed: ${String(err)}`);
      c.reply.error(`ERR DEBUG LOADAOF failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    c.requestFlush();
    c.resume();
  };
  loadAof(p).then(
    () => done(null),
    (err: unknown) => done(err),
  );
}
