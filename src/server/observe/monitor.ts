/**
 * MONITOR (Redis replicationFeedMonitors): every command executed after it — EXEC's queued
 * commands one by one between MULTI and EXEC, not admin or skip_monitor ones, redacted arguments
 * as `(redacted)` — is sent to each monitor as a status line
 * `+<sec>.<usec> [<db> <ip:port>] "arg" …` (`[<db> lua]` for a script's commands, `[<db>
 * unix:<path>]` over the Unix socket), arguments quoted and escaped as Redis's sdscatrepr.
 *
 * Scripting hook: a script's commands that go through the dispatcher are fed like any other;
 * the client they run as carries ClientFlag.SCRIPT, which prints `lua` as the origin.
 */

import { ClientFlag, type ClientContext, type ServerContext } from '../dispatch/context.js';
import { reprString } from '../util/repr.js';
import { observer } from './state.js';

/** Sends an executed command to every monitor. */
export function feedMonitors(server: ServerContext, c: ClientContext, argv: readonly string[]): void {
  const monitors = observer(server).monitors;
  if (monitors.size === 0 || server.loading) return;
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const origin = c.flags & ClientFlag.SCRIPT ? 'lua' : c.flags & ClientFlag.UNIX_SOCKET ? `unix:${server.config.str('unixsocket')}` : c.addr;
  let line = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')} [${c.db.id} ${origin}]`;
  for (const a of argv) line += ' ' + reprString(a);
  for (const m of monitors) {
    m.reply.simple(line);
    if (m !== c) m.requestFlush();
  }
}
