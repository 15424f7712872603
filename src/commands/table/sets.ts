/** Command table: the set group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, rangeKeys, numKeys, type CommandDraft } from '../spec.js';

const UNORDERED = ['nondeterministic_output_order'];

export const SET_COMMANDS: readonly CommandDraft[] = [
  cmd('sadd', -3, 'write denyoom fast', [1, 1, 1], { keyFlags: ['RW', 'INSERT'] }),
  cmd('srem', -3, 'write fast', [1, 1, 1], { keyFlags: ['RW', 'DELETE'] }),
  cmd('smembers', 2, 'readonly', [1, 1, 1], { tips: UNORDERED, cacheable: true }),
  cmd('sismember', 3, 'readonly fast', [1, 1, 1], { keyFlags: ['RO'], cacheable: true }),
  cmd('smismember', -3, 'readonly fast', [1, 1, 1], { since: '6.2.0', cacheable: true }),
  cmd('scard', 2, 'readonly fast', [1, 1, 1], { keyFlags: ['RO'], cacheable: true }),
  cmd('spop', -2, 'write fast', [1, 1, 1], { keyFlags: ['RW', 'ACCESS', 'DELETE'], tips: ['nondeterministic_output'] }),
  cmd('srandmember', -2, 'readonly', [1, 1, 1], { tips: ['nondeterministic_output'] }),
  cmd('smove', 4, 'write fast', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'ACCESS', 'DELETE']), rangeKeys(2, 0, 1, 0, ['RW', 'INSERT'])] }),
  cmd('sinter', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sintercard', -3, 'readonly movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(1, 0, 1, 1, ['RO', 'access'])] }),
  cmd('sunion', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sdiff', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sinterstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'UPDATE']), rangeKeys(2, -1, 1, 0, ['RO', 'ACCESS'])] }),
  cmd('sunionstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'UPDATE']), rangeKeys(2, -1, 1, 0, ['RO', 'ACCESS'])] }),
  cmd('sdiffstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'UPDATE']), rangeKeys(2, -1, 1, 0, ['RO', 'ACCESS'])] }),
  cmd('sscan', -3, 'readonly', [1, 1, 1], { since: '2.8.0', tips: ['nondeterministic_output'] }),
];
