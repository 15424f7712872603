/** Command table: the list group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, numKeys, type CommandDraft } from '../spec.js';

export const LIST_COMMANDS: readonly CommandDraft[] = [
  cmd('lpush', -3, 'write denyoom fast', [1, 1, 1]),
  cmd('rpush', -3, 'write denyoom fast', [1, 1, 1]),
  cmd('lpushx', -3, 'write denyoom fast', [1, 1, 1], { since: '2.2.0' }),
  cmd('rpushx', -3, 'write denyoom fast', [1, 1, 1], { since: '2.2.0' }),
  cmd('lpop', -2, 'write fast', [1, 1, 1]),
  cmd('rpop', -2, 'write fast', [1, 1, 1]),
  cmd('llen', 2, 'readonly fast', [1, 1, 1], { cacheable: true }),
  cmd('lindex', 3, 'readonly', [1, 1, 1], { cacheable: true }),
  cmd('lrange', 4, 'readonly', [1, 1, 1], { cacheable: true }),
  cmd('lset', 4, 'write denyoom', [1, 1, 1]),
  cmd('lrem', 4, 'write', [1, 1, 1]),
  cmd('ltrim', 4, 'write', [1, 1, 1]),
  cmd('linsert', 5, 'write denyoom', [1, 1, 1], { since: '2.2.0' }),
  cmd('lpos', -3, 'readonly', [1, 1, 1], { since: '6.0.6' }),
  cmd('lmove', 5, 'write denyoom', [1, 2, 1], { since: '6.2.0' }),
  cmd('rpoplpush', 3, 'write denyoom', [1, 2, 1], { since: '1.2.0' }),
  cmd('blpop', -3, 'write noscript blocking', [1, -2, 1]),
  cmd('brpop', -3, 'write noscript blocking', [1, -2, 1]),
  cmd('blmove', 6, 'write denyoom noscript blocking', [1, 2, 1], { since: '6.2.0' }),
  cmd('brpoplpush', 4, 'write denyoom noscript blocking', [1, 2, 1], { since: '2.2.0' }),
  cmd('blmpop', -5, 'write blocking movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(2, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('lmpop', -4, 'write movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(1, 0, 1, 1, ['RW', 'access', 'delete'])] }),
];
