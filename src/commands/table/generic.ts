/** Command table: the generic (keyspace) group (Redis 7.0 arity, flags and keys). Data only. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const SUM = ['request_policy:multi_shard', 'response_policy:agg_sum'];

export const GENERIC_COMMANDS: readonly CommandDraft[] = [
  cmd('del', -2, 'write', [1, -1, 1], { tips: SUM, keySpecs: [rangeKeys(1, -1, 1, 0, ['RM', 'delete'])] }),
  cmd('unlink', -2, 'write fast', [1, -1, 1], { tips: SUM, since: '4.0.0', keySpecs: [rangeKeys(1, -1, 1, 0, ['RM', 'delete'])] }),
  cmd('exists', -2, 'readonly fast', [1, -1, 1], { keySpecs: [rangeKeys(1, -1, 1, 0, ['RO'])], tips: SUM }),
  cmd('touch', -2, 'readonly fast', [1, -1, 1], { keySpecs: [rangeKeys(1, -1, 1, 0, ['RO'])], tips: SUM, since: '3.2.1' }),
  cmd('type', 2, 'readonly fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO'])] }),
  cmd('expire', -3, 'write fast', [1, 1, 1]),
  cmd('pexpire', -3, 'write fast', [1, 1, 1], { since: '2.6.0' }),
  cmd('expireat', -3, 'write fast', [1, 1, 1], { since: '1.2.0' }),
  cmd('pexpireat', -3, 'write fast', [1, 1, 1], { since: '2.6.0' }),
  cmd('ttl', 2, 'readonly fast', [1, 1, 1], { tips: ['nondeterministic_output'] }),
  cmd('pttl', 2, 'readonly fast', [1, 1, 1], { since: '2.6.0', tips: ['nondeterministic_output'] }),
  cmd('expiretime', 2, 'readonly fast', [1, 1, 1], { since: '7.0.0' }),
  cmd('pexpiretime', 2, 'readonly fast', [1, 1, 1], { since: '7.0.0' }),
  cmd('persist', 2, 'write fast', [1, 1, 1], { since: '2.2.0' }),
  cmd('rename', 3, 'write', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete']), rangeKeys(2, 0, 1, 0, ['OW', 'update'])] }),
  cmd('renamenx', 3, 'write fast', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'delete']), rangeKeys(2, 0, 1, 0, ['OW', 'insert'])] }),
  cmd('copy', -3, 'write denyoom', [1, 2, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RO', 'access']), rangeKeys(2, 0, 1, 0, ['OW', 'update'])], since: '6.2.0' }),
  cmd('move', 3, 'write fast', [1, 1, 1], { keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])] }),
  cmd('keys', 2, 'readonly', [0, 0, 0], { acl: ['@keyspace', '@dangerous'], tips: ['request_policy:all_shards', 'nondeterministic_output_order'] }),
  cmd('scan', -2, 'readonly', [0, 0, 0], { tips: ['nondeterministic_output', 'request_policy:special'], since: '2.8.0' }),
  cmd('randomkey', 1, 'readonly', [0, 0, 0], { tips: ['request_policy:all_shards', 'nondeterministic_output'] }),
  cmd('object', -2, '', [0, 0, 0], {
    acl: [],
    since: '2.2.3',
    subcommands: [
      cmd('encoding', 3, 'readonly', [2, 2, 1], { keySpecs: [rangeKeys(2, 0, 1, 0, ['RO'])], tips: ['nondeterministic_output'] }),
      cmd('freq', 3, 'readonly', [2, 2, 1], { keySpecs: [rangeKeys(2, 0, 1, 0, ['RO'])], tips: ['nondeterministic_output'], since: '4.0.0' }),
      cmd('idletime', 3, 'readonly', [2, 2, 1], { keySpecs: [rangeKeys(2, 0, 1, 0, ['RO'])], tips: ['nondeterministic_output'] }),
      cmd('refcount', 3, 'readonly', [2, 2, 1], { keySpecs: [rangeKeys(2, 0, 1, 0, ['RO'])], tips: ['nondeterministic_output'] }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '6.2.0' }),
    ],
  }),
  cmd('wait', 3, 'noscript', [0, 0, 0], { acl: ['@connection'], since: '3.0.0', tips: ['request_policy:all_shards', 'response_policy:agg_min'] }),
];
