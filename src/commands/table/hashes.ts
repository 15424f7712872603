/**
 * Command table: the hash group, as Redis 7.0 declares it (arity, flags, legacy key range, key
 * specs with their RW/RO/access/insert/update/delete flags, tips, summaries). Data only; see
 * ../spec.ts.
 */

import { cmd, rangeKeys, type CommandDraft, type KeySpec } from '../spec.js';

const UPDATE: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'update'])];
const ACCESS_UPDATE: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])];
const READ: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RO', 'access'])];
const READ_META: readonly KeySpec[] = [rangeKeys(1, 0, 1, 0, ['RO'])];
const ORDER = ['nondeterministic_output_order'];

export const HASH_COMMANDS: readonly CommandDraft[] = [
  cmd('hset', -4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0', keySpecs: UPDATE, summary: 'Set the string value of a hash field' }),
  cmd('hsetnx', 4, 'write denyoom fast', [1, 1, 1], {
    since: '2.0.0',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'insert'])],
    summary: 'Set the value of a hash field, only if the field does not exist',
  }),
  cmd('hget', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', keySpecs: READ, cacheable: true, summary: 'Get the value of a hash field' }),
  cmd('hmget', -3, 'readonly fast', [1, 1, 1], { since: '2.0.0', keySpecs: READ, cacheable: true, summary: 'Get the values of all the given hash fields' }),
  cmd('hmset', -4, 'write denyoom fast', [1, 1, 1], { since: '2.0.0', keySpecs: UPDATE, summary: 'Set multiple hash fields to multiple values' }),
  cmd('hgetall', 2, 'readonly', [1, 1, 1], { since: '2.0.0', keySpecs: READ, cacheable: true, tips: ORDER, summary: 'Get all the fields and values in a hash' }),
  cmd('hdel', -3, 'write fast', [1, 1, 1], { since: '2.0.0', keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'delete'])], summary: 'Delete one or more hash fields' }),
  cmd('hexists', 3, 'readonly fast', [1, 1, 1], { since: '2.0.0', keySpecs: READ_META, cacheable: true, summary: 'Determine if a hash field exists' }),
  cmd('hlen', 2, 'readonly fast', [1, 1, 1], { since: '2.0.0', keySpecs: READ_META, cacheable: true, summary: 'Get the number of fields in a hash' }),
  cmd('hstrlen', 3, 'readonly fast', [1, 1, 1], { since: '3.2.0', keySpecs: READ_META, cacheable: true, summary: 'Get the length of the value of a hash field' }),
  cmd('hkeys', 2, 'readonly', [1, 1, 1], { since: '2.0.0', keySpecs: READ, cacheable: true, tips: ORDER, summary: 'Get all the fields in a hash' }),
  cmd('hvals', 2, 'readonly', [1, 1, 1], { since: '2.0.0', keySpecs: READ, cacheable: true, tips: ORDER, summary: 'Get all the values in a hash' }),
  cmd('hincrby', 4, 'write denyoom fast', [1, 1, 1], {
    since: '2.0.0',
    keySpecs: ACCESS_UPDATE,
    summary: 'Increment the integer value of a hash field by the given number',
  }),
  cmd('hincrbyfloat', 4, 'write denyoom fast', [1, 1, 1], {
    since: '2.6.0',
    keySpecs: ACCESS_UPDATE,
    summary: 'Increment the float value of a hash field by the given amount',
  }),
  cmd('hrandfield', -2, 'readonly', [1, 1, 1], {
    since: '6.2.0',
    keySpecs: READ,
    tips: ['nondeterministic_output'],
    summary: 'Get one or multiple random fields from a hash',
  }),
  cmd('hscan', -3, 'readonly', [1, 1, 1], {
    since: '2.8.0',
    keySpecs: READ,
    tips: ['nondeterministic_output'],
    summary: 'Incrementally iterate hash fields and associated values',
  }),
];
