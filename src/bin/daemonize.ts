/**
 * `daemonize yes` for a Node process, which cannot fork: the bin starts a detached copy of itself
 * (same arguments, stdio to /dev/null, marked by an environment variable so the copy runs the
 * node) and exits, as Redis's parent exits after fork(). The copy writes `pidfile`, by default
 * DEFAULT_PIDFILE when daemonized (Redis: /var/run/redis.pid), and logs to `logfile` (nowhere
 * when it is empty, as Redis's daemon logs to /dev/null).
 */

import { spawn } from 'node:child_process';
import type { RingcacheServer } from '../server/server.js';

const MARK = 'RINGCACHE_DAEMON_CHILD';
export const DEFAULT_PIDFILE = '/var/run/ringcache-server.pid';

/** True when this process must exit because a detached copy now runs the node. */
export function daemonize(server: RingcacheServer): boolean {
  if (!server.config.bool('daemonize')) return false;
  if (process.env[MARK] === '1') {
    if (server.config.str('pidfile') === '') server.config.set('pidfile', DEFAULT_PIDFILE, { startup: true });
    return false;
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [MARK]: '1' },
  });
  child.unref();
  return true;
}
