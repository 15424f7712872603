/**
 * Command table: the list group, as Redis 7.0 declares it (arity, flags, legacy key range, key
 * specs with their RW/RO/access/insert/delete flags, summaries). Data only; see ../spec.ts.
 * LMPOP/BLMPOP find their keys through a numkeys argument, hence `movablekeys` and keynum specs.
 */

import { cmd, numKeys, rangeKeys, type CommandDraft, type KeySpec } from '../spec.js';

const INSERT: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'insert'])];
const POP: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete'])];
const DELETE: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])];
const READ: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RO', 'access'])];
const READ_META: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RO'])];
/** LMOVE-like: pop from the source (argv[1]), push to the destination (argv[2]). */
const MOVE: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete']), rangeKeys(2, 0, 1, 0, ['RW', 'insert'])];

export const LIST_COMMANDS: readonly CommandDraft[] = [
  cmd('lpush', -3, 'write denyoom fast', [1, 1, 1], { keySpecs: INSERT, summary: 'Prepend one or multiple elements to a list' }),
  cmd('rpush', -3, 'write denyoom fast', [1, 1, 1], { keySpecs: INSERT, summary: 'Append one or multiple elements to a list' }),
  cmd('lpushx', -3, 'write denyoom fast', [1, 1, 1], { since: '2.2.0', keySpecs: INSERT, summary: 'Prepend an element to a list, only if the list exists' }),
  cmd('rpushx', -3, 'write denyoom fast', [1, 1, 1], { since: '2.2.0', keySpecs: INSERT, summary: 'Append an element to a list, only if the list exists' }),
  cmd('lpop', -2, 'write fast', [1, 1, 1], { keySpecs: POP, summary: 'Remove and get the first elements in a list' }),
  cmd('rpop', -2, 'write fast', [1, 1, 1], { keySpecs: POP, summary: 'Remove and get the last elements in a list' }),
  cmd('llen', 2, 'readonly fast', [1, 1, 1], { keySpecs: READ_META, cacheable: true, summary: 'Get the length of a list' }),
  cmd('lindex', 3, 'readonly', [1, 1, 1], { keySpecs: READ, cacheable: true, summary: 'Get an element from a list by its index' }),
  cmd('lrange', 4, 'readonly', [1, 1, 1], { keySpecs: READ, cacheable: true, summary: 'Get a range of elements from a list' }),
  cmd('lset', 4, 'write denyoom', [1, 1, 1], { summary: 'Set the value of an element in a list by its index' }),
  cmd('lrem', 4, 'write', [1, 1, 1], { keySpecs: DELETE, summary: 'Remove elements from a list' }),
  cmd('ltrim', 4, 'write', [1, 1, 1], { keySpecs: DELETE, summary: 'Trim a list to the specified range' }),
  cmd('linsert', 5, 'write denyoom', [1, 1, 1], { since: '2.2.0', keySpecs: INSERT, summary: 'Insert an element before or after another element in a list' }),
  cmd('lpos', -3, 'readonly', [1, 1, 1], { since: '6.0.6', keySpecs: READ, summary: 'Return the index of matching elements on a list' }),
  cmd('lmove', 5, 'write denyoom', [1, 2, 1], { since: '6.2.0', keySpecs: MOVE, summary: 'Pop an element from a list, push it to another list and return it' }),
  cmd('rpoplpush', 3, 'write denyoom', [1, 2, 1], {
    since: '1.2.0',
    keySpecs: MOVE,
    summary: 'Remove the last element in a list, prepend it to another list and return it',
  }),
  cmd('blpop', -3, 'write noscript blocking', [1, -2, 1], {
    since: '2.0.0',
    keySpecs: [rangeKeys(1, -2, 1, 0, ['RW', 'access', 'delete'])],
    summary: 'Remove and get the first element in a list, or block until one is available',
  }),
  cmd('brpop', -3, 'write noscript blocking', [1, -2, 1], {
    since: '2.0.0',
    keySpecs: [rangeKeys(1, -2, 1, 0, ['RW', 'access', 'delete'])],
    summary: 'Remove and get the last element in a list, or block until one is available',
  }),
  cmd('blmove', 6, 'write denyoom noscript blocking', [1, 2, 1], {
    since: '6.2.0',
    keySpecs: MOVE,
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  }),
  cmd('brpoplpush', 4, 'write denyoom noscript blocking', [1, 2, 1], {
    since: '2.2.0',
    keySpecs: MOVE,
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
  }),
  cmd('blmpop', -5, 'write blocking movablekeys', [0, 0, 0], {
    since: '7.0.0',
    keySpecs: [numKeys(2, 0, 1, 1, ['RW', 'access', 'delete'])],
    summary: 'Pop elements from a list, or block until one is available',
  }),
  cmd('lmpop', -4, 'write movablekeys', [0, 0, 0], {
    since: '7.0.0',
    keySpecs: [numKeys(1, 0, 1, 1, ['RW', 'access', 'delete'])],
    summary: 'Pop elements from a list',
  }),
];
