/** Command table: ACL and its subcommands (Redis 7.0 arity, flags and categories). Data only. */

import { cmd, type CommandDraft } from '../spec.js';

const ADMIN = 'admin noscript loading stale sentinel';
const PLAIN = 'noscript loading stale sentinel';

export const ACL_COMMANDS: readonly CommandDraft[] = [
  cmd('acl', -2, 'sentinel', [0, 0, 0], {
    acl: [],
    since: '6.0.0',
    summary: 'A container for Access List Control commands',
    subcommands: [
      cmd('cat', -2, PLAIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('deluser', -3, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('dryrun', -4, ADMIN, [0, 0, 0], { acl: [], since: '7.0.0' }),
      cmd('genpass', -2, PLAIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('getuser', 3, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('help', 2, 'loading stale sentinel', [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('list', 2, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('load', 2, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('log', -2, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('save', 2, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('setuser', -3, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('users', 2, ADMIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
      cmd('whoami', 2, PLAIN, [0, 0, 0], { acl: [], since: '6.0.0' }),
    ],
  }),
];
