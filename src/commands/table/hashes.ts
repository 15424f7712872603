/** Command table: the hash group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, type CommandDraft } from '../spec.js';

export const HASH_COMMANDS: readonly CommandDraft[] = [
  cmd('hset', -4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0' }),
  cmd('hsetnx', 4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0' }),
  cmd('hget', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('hmget', -3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('hmset', -4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0' }),
  cmd('hgetall', 2, 'readonly', [1, 1, 1], { since: '2.0.0', cacheable: true, tips: ['nondeterministic_output_order'] }),
  cmd('hdel', -3, 'write fast', [1, 1, 1], { since: '2.0.0' }),
  cmd('hexists', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('hlen', 2, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('hstrlen', 3, 'readonly fast', [1, 1, 1], { since: '3.2.0', cacheable: true }),
  cmd('hkeys', 2, 'readonly', [1, 1, 1], { since: '2.0.0', cacheable: true, tips: ['nondeterministic_output_order'] }),
  cmd('hvals', 2, 'readonly', [1, 1, 1], { since: '2.0.0', cacheable: true, tips: ['nondeterministic_output_order'] }),
  cmd('hincrby', 4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0' }),
  cmd('hincrbyfloat', 4, 'write denyoom fast', [1, 1, 1], { since: '2.6.0' }),
  cmd('hrandfield', -2, 'readonly', [1, 1, 1], { since: '6.2.0', tips: ['nondeterministic_output'] }),
  cmd('hscan', -3, 'readonly', [1, 1, 1], { since: '2.8.0', tips: ['nondeterministic_output'] }),
];
