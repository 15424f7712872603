/** Command table: the server group's observation commands, SLOWLOG and LATENCY (Redis 7.0 arity, flags and tips). Data only. */

import { cmd, type CommandDraft } from '../spec.js';

const ADMIN = 'admin noscript loading stale';
const ALL_NODES = 'request_policy:all_nodes';
const SPECIAL = ['nondeterministic_output', ALL_NODES, 'response_policy:special'];

export const SERVER_OBSERVE_COMMANDS: readonly CommandDraft[] = [
  cmd('slowlog', -2, '', [0, 0, 0], {
    since: '2.2.12',
    subcommands: [
      cmd('get', -2, 'admin loading stale', [0, 0, 0], { since: '2.2.12', tips: [ALL_NODES, 'nondeterministic_output'] }),
      cmd('len', 2, 'admin loading stale', [0, 0, 0], { since: '2.2.12', tips: [ALL_NODES, 'response_policy:agg_sum', 'nondeterministic_output'] }),
      cmd('reset', 2, 'admin loading stale', [0, 0, 0], { since: '2.2.12', tips: [ALL_NODES, 'response_policy:all_succeeded'] }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '6.2.0' }),
    ],
  }),
  cmd('latency', -2, '', [0, 0, 0], {
    since: '2.8.13',
    subcommands: [
      cmd('doctor', 2, ADMIN, [0, 0, 0], { since: '2.8.13', tips: SPECIAL }),
      cmd('graph', 3, ADMIN, [0, 0, 0], { since: '2.8.13', tips: SPECIAL }),
      cmd('history', 3, ADMIN, [0, 0, 0], { since: '2.8.13', tips: SPECIAL }),
      cmd('latest', 2, ADMIN, [0, 0, 0], { since: '2.8.13', tips: SPECIAL }),
      cmd('reset', -2, ADMIN, [0, 0, 0], { since: '2.8.13', tips: [ALL_NODES, 'response_policy:all_succeeded'] }),
      cmd('histogram', -2, ADMIN, [0, 0, 0], { since: '7.0.0', tips: SPECIAL }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '2.8.13' }),
    ],
  }),
];
