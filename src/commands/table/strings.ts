/** Command table: the string group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const MULTI_SHARD = ['request_policy:multi_shard'];

export const STRING_COMMANDS: readonly CommandDraft[] = [
  cmd('get', 2, 'readonly fast', [1, 1, 1], { cacheable: true, summary: 'Get the value of a key' }),
  cmd('set', -3, 'write denyoom', [1, 1, 1], {
    summary: 'Set the string value of a key',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update', 'variable_flags'])],
  }),
  cmd('setnx', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'insert'])] }),
  cmd('setex', 4, 'write denyoom', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update'])], since: '2.0.0' }),
  cmd('psetex', 4, 'write denyoom', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update'])], since: '2.6.0' }),
  cmd('getex', -2, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])], since: '6.2.0' }),
  cmd('getdel', 2, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete'])], since: '6.2.0' }),
  cmd('getset', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('mget', -2, 'readonly fast', [1, -1, 1], { tips: MULTI_SHARD }),
  cmd('mset', -3, 'write denyoom', [1, -1, 2], { keySpecs: [rangeKeys(1, -1, 2, 0, ['OW', 'update'])], tips: [...MULTI_SHARD, 'response_policy:all_succeeded'] }),
  cmd('msetnx', -3, 'write denyoom', [1, -1, 2], { keySpecs: [rangeKeys(1, -1, 2, 0, ['OW', 'insert'])], tips: [...MULTI_SHARD, 'response_policy:agg_min'] }),
  cmd('append', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'insert'])], since: '2.0.0' }),
  cmd('strlen', 2, 'readonly fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO'])], since: '2.2.0', cacheable: true }),
  cmd('getrange', 4, 'readonly', [1, 1, 1], { since: '2.4.0', cacheable: true }),
  cmd('substr', 4, 'readonly', [1, 1, 1]),
  cmd('setrange', 4, 'write denyoom', [1, 1, 1], { since: '2.2.0' }),
  cmd('incr', 2, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('decr', 2, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('incrby', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('decrby', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('incrbyfloat', 3, 'write denyoom fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])], since: '2.6.0' }),
  cmd('lcs', -3, 'readonly', [1, 2, 1], { since: '7.0.0' }),
];
