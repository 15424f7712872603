/** Command table: the scripting group (Redis 7.0 arity, flags, key specs and tips). Data only. */

import { cmd, numKeys, type CommandDraft } from '../spec.js';

const ALL_SHARDS_OK = ['request_policy:all_shards', 'response_policy:all_succeeded'];
const ALL_NODES_OK = ['request_policy:all_nodes', 'response_policy:all_succeeded'];
const ONE_SUCCEEDED = ['request_policy:all_shards', 'response_policy:one_succeeded'];
const RW_KEYS = [numKeys(2, 0, 1, 1, ['RW', 'access', 'update'])];
const RO_KEYS = [numKeys(2, 0, 1, 1, ['RO', 'access'])];
const RUN = 'noscript skip_monitor may_replicate no_mandatory_keys stale';
const RUN_RO = 'noscript skip_monitor no_mandatory_keys stale readonly';

export const SCRIPTING_COMMANDS: readonly CommandDraft[] = [
  cmd('eval', -3, RUN, [0, 0, 0], { since: '2.6.0', keySpecs: RW_KEYS }),
  cmd('evalsha', -3, RUN, [0, 0, 0], { since: '2.6.0', keySpecs: RW_KEYS }),
  cmd('eval_ro', -3, RUN_RO, [0, 0, 0], { since: '7.0.0', keySpecs: RO_KEYS }),
  cmd('evalsha_ro', -3, RUN_RO, [0, 0, 0], { since: '7.0.0', keySpecs: RO_KEYS }),
  cmd('fcall', -3, RUN, [0, 0, 0], { since: '7.0.0', keySpecs: RW_KEYS }),
  cmd('fcall_ro', -3, RUN_RO, [0, 0, 0], { since: '7.0.0', keySpecs: RO_KEYS }),
  cmd('script', -2, '', [0, 0, 0], {
    acl: [],
    since: '2.6.0',
    subcommands: [
      cmd('load', 3, 'noscript stale', [0, 0, 0], { tips: ALL_NODES_OK }),
      cmd('exists', -3, 'noscript', [0, 0, 0], { tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'] }),
      cmd('flush', -2, 'noscript', [0, 0, 0], { tips: ALL_NODES_OK }),
      cmd('kill', 2, 'noscript allow_busy', [0, 0, 0], { tips: ONE_SUCCEEDED }),
      cmd('debug', 3, 'noscript', [0, 0, 0], { since: '3.2.0' }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '5.0.0' }),
    ],
  }),
  cmd('function', -2, '', [0, 0, 0], {
    acl: [],
    since: '7.0.0',
    subcommands: [
      cmd('load', -3, 'noscript write denyoom', [0, 0, 0], { tips: ALL_SHARDS_OK }),
      cmd('delete', 3, 'noscript write', [0, 0, 0], { tips: ALL_SHARDS_OK }),
      cmd('flush', -2, 'noscript write', [0, 0, 0], { tips: ALL_SHARDS_OK }),
      cmd('list', -2, 'noscript', [0, 0, 0], { tips: ['nondeterministic_output_order'] }),
      cmd('dump', 2, 'noscript'),
      cmd('restore', -3, 'noscript write denyoom', [0, 0, 0], { tips: ALL_SHARDS_OK }),
      cmd('stats', 2, 'noscript allow_busy', [0, 0, 0], { tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'] }),
      cmd('kill', 2, 'noscript allow_busy', [0, 0, 0], { tips: ONE_SUCCEEDED }),
      cmd('help', 2, 'loading stale'),
    ],
  }),
];
