/** Command table: the connection group (Redis 7.0 arity, flags and keys). Data only. */

import { cmd, type CommandDraft } from '../spec.js';

const CONN = 'noscript loading stale';

export const CONNECTION_COMMANDS: readonly CommandDraft[] = [
  cmd('ping', -1, 'fast', [0, 0, 0], { tips: ['request_policy:all_shards', 'response_policy:all_succeeded'] }),
  cmd('echo', 2, 'fast loading stale'),
  cmd('hello', -1, 'noscript loading stale fast no_auth allow_busy', [0, 0, 0], { since: '6.0.0', state: 'protocol' }),
  cmd('auth', -2, 'noscript loading stale fast no_auth allow_busy', [0, 0, 0], { state: 'auth' }),
  cmd('quit', -1, 'noscript loading stale fast no_auth allow_busy', [0, 0, 0], { state: 'quit' }),
  cmd('reset', 1, 'noscript loading stale fast no_auth allow_busy', [0, 0, 0], { since: '6.2.0', state: 'reset' }),
  cmd('select', 2, 'loading stale fast', [0, 0, 0], { state: 'database' }),
  cmd('client', -2, 'sentinel', [0, 0, 0], {
    acl: [],
    since: '2.4.0',
    subcommands: [
      cmd('id', 2, CONN, [0, 0, 0], { since: '5.0.0' }),
      cmd('setname', 3, CONN),
      cmd('getname', 2, CONN),
      cmd('list', -2, `admin ${CONN}`, [0, 0, 0], { tips: ['nondeterministic_output'] }),
      cmd('info', 2, CONN, [0, 0, 0], { since: '6.2.0', tips: ['nondeterministic_output'] }),
      cmd('kill', -3, `admin ${CONN}`),
      cmd('tracking', -3, CONN, [0, 0, 0], { since: '6.0.0', state: 'tracking' }),
      cmd('trackinginfo', 2, CONN, [0, 0, 0], { since: '6.2.0' }),
      cmd('getredir', 2, CONN, [0, 0, 0], { since: '6.0.0' }),
      cmd('caching', 3, CONN, [0, 0, 0], { since: '6.0.0', state: 'tracking' }),
      cmd('pause', -3, `admin ${CONN}`, [0, 0, 0], { since: '3.0.0' }),
      cmd('unpause', 2, `admin ${CONN}`, [0, 0, 0], { since: '6.2.0' }),
      cmd('reply', 3, CONN, [0, 0, 0], { since: '3.2.0', state: 'reply' }),
      cmd('no-evict', 3, `admin ${CONN}`, [0, 0, 0], { since: '7.0.0' }),
      cmd('setinfo', 4, CONN, [0, 0, 0], { since: '7.2.0' }),
      cmd('unblock', -3, `admin ${CONN}`, [0, 0, 0], { since: '5.0.0' }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '5.0.0' }),
    ],
  }),
];
