/** Command table: the set group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, rangeKeys, numKeys, type CommandDraft } from '../spec.js';

const UNORDERED = ['nondeterministic_output_order'];

export const SET_COMMANDS: readonly CommandDraft[] = [
  cmd('sadd', -3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'insert'])] }),
  cmd('srem', -3, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])] }),
  cmd('smembers', 2, 'readonly', [1, 1, 1], { tips: UNORDERED, cacheable: true }),
  cmd('sismember', 3, 'readonly fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO'])], cacheable: true }),
  cmd('smismember', -3, 'readonly fast', [1, 1, 1], { since: '6.2.0', cacheable: true }),
  cmd('scard', 2, 'readonly fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO'])], cacheable: true }),
  cmd('spop', -2, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete'])], tips: ['nondeterministic_output'] }),
  cmd('srandmember', -2, 'readonly', [1, 1, 1], { tips: ['nondeterministic_output'] }),
  cmd('smove', 4, 'write fast', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete']), rangeKeys(2, 0, 1, 0, ['RW', 'insert'])] }),
  cmd('sinter', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sintercard', -3, 'readonly movablekeys', [0, 0, 0], { since: '7.0.0', keySpecs: [numKeys(1, 0, 1, 1, ['RO', 'access'])] }),
  cmd('sunion', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sdiff', -2, 'readonly', [1, -1, 1], { tips: UNORDERED }),
  cmd('sinterstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'update']), rangeKeys(2, -1, 1, 0, ['RO', 'access'])] }),
  cmd('sunionstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update']), rangeKeys(2, -1, 1, 0, ['RO', 'access'])] }),
  cmd('sdiffstore', -3, 'write denyoom', [1, -1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update']), rangeKeys(2, -1, 1, 0, ['RO', 'access'])] }),
  cmd('sscan', -3, 'readonly', [1, 1, 1], { since: '2.8.0', tips: ['nondeterministic_output'] }),
];
