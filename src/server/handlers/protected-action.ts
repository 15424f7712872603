/**
 * Redis 7.0's protected actions (allowProtectedAction): `enable-protected-configs` guards CONFIG
 * SET of `dir` and `dbfilename` (so "CONFIG SET dir + SAVE" cannot write a file anywhere), and
 * `enable-debug-command` guards DEBUG. Each is `no` (refused), `yes` (allowed) or `local`
 * (allowed from a Unix socket or a loopback address: Redis islocalClient).
 */

import { ClientFlag, type ClientContext } from '../dispatch/context.js';

/** The configs CONFIG SET refuses unless `enable-protected-configs` allows it (Redis PROTECTED_CONFIG). */
export const PROTECTED_CONFIGS: ReadonlySet<string> = new Set(['dir', 'dbfilename']);

function isLocal(c: ClientContext): boolean {
  if (c.flags & ClientFlag.UNIX_SOCKET) return true;
  const a = c.addr;
  return a.startsWith('127.') || a.startsWith('::1') || a.startsWith('[::1]') || a.startsWith('::ffff:127.');
}

/** True when a protected action guarded by the config `option` may run for `c`. */
export function allowProtectedAction(c: ClientContext, option: 'enable-protected-configs' | 'enable-debug-command'): boolean {
  const mode = c.server.config.str(option);
  return mode === 'yes' || (mode === 'local' && isLocal(c));
}
