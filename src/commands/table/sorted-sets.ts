/** Command table: the sorted-set group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, type CommandDraft } from '../spec.js';

export const SORTED_SET_COMMANDS: readonly CommandDraft[] = [
  cmd('zadd', -4, 'write denyoom fast', [1, 1, 1], { since: '1.2.0' }),
  cmd('zincrby', 4, 'write denyoom fast', [1, 1, 1], { since: '1.2.0' }),
  cmd('zrem', -3, 'write fast', [1, 1, 1], { since: '1.2.0' }),
  cmd('zscore', 3, 'readonly fast', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zmscore', -3, 'readonly fast', [1, 1, 1], { since: '6.2.0', cacheable: true }),
  cmd('zcard', 2, 'readonly fast', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zcount', 4, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zlexcount', 4, 'readonly fast', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrange', -4, 'readonly', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zrevrange', -4, 'readonly', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zrangebyscore', -4, 'readonly', [1, 1, 1], { since: '1.0.5', cacheable: true }),
  cmd('zrevrangebyscore', -4, 'readonly', [1, 1, 1], { since: '2.2.0', cacheable: true }),
  cmd('zrangebylex', -4, 'readonly', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrevrangebylex', -4, 'readonly', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrank', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zrevrank', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zremrangebyrank', 4, 'write', [1, 1, 1], { since: '2.0.0' }),
  cmd('zremrangebyscore', 4, 'write', [1, 1, 1], { since: '1.2.0' }),
  cmd('zremrangebylex', 4, 'write', [1, 1, 1], { since: '2.8.9' }),
  cmd('zpopmin', -2, 'write fast', [1, 1, 1], { since: '5.0.0' }),
  cmd('zpopmax', -2, 'write fast', [1, 1, 1], { since: '5.0.0' }),
];
