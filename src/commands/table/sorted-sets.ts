/** Command table: the sorted-set group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, numKeys, rangeKeys, type CommandDraft } from '../spec.js';

const STORE_KEYS = [rangeKeys(1, 0, 1, 0, ['OW', 'update']), numKeys(2, 0, 1, 1, ['RO', 'access'])];
const READ_KEYS = [numKeys(1, 0, 1, 1, ['RO', 'access'])];

export const SORTED_SET_COMMANDS: readonly CommandDraft[] = [
  cmd('zadd', -4, 'write denyoom fast', [1, 1, 1], { since: '1.2.0' }),
  cmd('zincrby', 4, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])], since: '1.2.0' }),
  cmd('zrem', -3, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])], since: '1.2.0' }),
  cmd('zscore', 3, 'readonly fast', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zmscore', -3, 'readonly fast', [1, 1, 1], { since: '6.2.0', cacheable: true }),
  cmd('zcard', 2, 'readonly fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO'])], since: '1.2.0', cacheable: true }),
  cmd('zcount', 4, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zlexcount', 4, 'readonly fast', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrange', -4, 'readonly', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zrangestore', -5, 'write denyoom', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update']), rangeKeys(2, 0, 1, 0, ['RO', 'access'])], since: '6.2.0' }),
  cmd('zrevrange', -4, 'readonly', [1, 1, 1], { since: '1.2.0', cacheable: true }),
  cmd('zrangebyscore', -4, 'readonly', [1, 1, 1], { since: '1.0.5', cacheable: true }),
  cmd('zrevrangebyscore', -4, 'readonly', [1, 1, 1], { since: '2.2.0', cacheable: true }),
  cmd('zrangebylex', -4, 'readonly', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrevrangebylex', -4, 'readonly', [1, 1, 1], { since: '2.8.9', cacheable: true }),
  cmd('zrank', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zrevrank', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', cacheable: true }),
  cmd('zremrangebyrank', 4, 'write', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])], since: '2.0.0' }),
  cmd('zremrangebyscore', 4, 'write', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])], since: '1.2.0' }),
  cmd('zremrangebylex', 4, 'write', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])], since: '2.8.9' }),
  cmd('zpopmin', -2, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete'])], since: '5.0.0' }),
  cmd('zpopmax', -2, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete'])], since: '5.0.0' }),
  cmd('zunionstore', -4, 'write denyoom movablekeys', [1, 1, 1], { since: '2.0.0', keySpecs: STORE_KEYS }),
  cmd('zinterstore', -4, 'write denyoom movablekeys', [1, 1, 1], { since: '2.0.0', keySpecs: STORE_KEYS }),
  cmd('zdiffstore', -4, 'write denyoom movablekeys', [1, 1, 1], { since: '6.2.0', keySpecs: STORE_KEYS }),
  cmd('zunion', -3, 'readonly movablekeys', [0, 0, 0], { since: '6.2.0', keySpecs: READ_KEYS }),
  cmd('zinter', -3, 'readonly movablekeys', [0, 0, 0], { since: '6.2.0', keySpecs: READ_KEYS }),
  cmd('zdiff', -3, 'readonly movablekeys', [0, 0, 0], { since: '6.2.0', keySpecs: READ_KEYS }),
  cmd('zintercard', -3, 'readonly movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: READ_KEYS }),
  cmd('zmpop', -4, 'write movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(1, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('bzpopmin', -3, 'write noscript blocking fast', [1, -2, 1], { keySpecs: [rangeKeys(1, -2, 1, 0, ['RW', 'access', 'delete'])], since: '5.0.0' }),
  cmd('bzpopmax', -3, 'write noscript blocking fast', [1, -2, 1], { keySpecs: [rangeKeys(1, -2, 1, 0, ['RW', 'access', 'delete'])], since: '5.0.0' }),
  cmd('bzmpop', -5, 'write blocking movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(2, 0, 1, 1, ['RW', 'access', 'delete'])] }),
  cmd('zrandmember', -2, 'readonly', [1, 1, 1], { since: '6.2.0', tips: ['nondeterministic_output'] }),
  cmd('zscan', -3, 'readonly', [1, 1, 1], { since: '2.8.0', tips: ['nondeterministic_output'] }),
];
