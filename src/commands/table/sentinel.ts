/**
 * Command table: the SENTINEL command of Sentinel mode (Redis 7.0 arity and flags). Data only.
 * Only a node started with `--sentinel` binds handlers for it (server/sentinel/), so a storage
 * node answers "unknown command", as redis-server does.
 */

import { cmd, type CommandDraft } from '../spec.js';

const S = 'admin sentinel only_sentinel';

export const SENTINEL_COMMANDS: readonly CommandDraft[] = [
  cmd('sentinel', -2, S, [0, 0, 0], {
    since: '2.8.4',
    subcommands: [
      cmd('ckquorum', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('config', -3, S, [0, 0, 0], { since: '6.2.0' }),
      cmd('debug', -2, S, [0, 0, 0], { since: '7.0.0' }),
      cmd('failover', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('flushconfig', 2, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('get-master-addr-by-name', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('help', 2, 'loading stale sentinel only_sentinel', [0, 0, 0], { since: '6.2.0' }),
      cmd('info-cache', -3, S, [0, 0, 0], { since: '3.2.0' }),
      cmd('is-master-down-by-addr', 6, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('master', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('masters', 2, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('monitor', 6, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('myid', 2, S, [0, 0, 0], { since: '6.2.0' }),
      cmd('pending-scripts', 2, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('remove', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('replicas', 3, S, [0, 0, 0], { since: '5.0.0' }),
      cmd('reset', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('sentinels', 3, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('set', -5, S, [0, 0, 0], { since: '2.8.4' }),
      cmd('simulate-failure', -3, S, [0, 0, 0], { since: '3.2.0' }),
      cmd('slaves', 3, S, [0, 0, 0], { since: '2.8.0' }),
    ],
  }),
];
