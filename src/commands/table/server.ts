/** Command table: the server group (Redis 7.0 arity, flags and keys). Data only. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const ADMIN = 'admin noscript loading stale';
const ALL_SHARDS_SUM = ['request_policy:all_shards', 'response_policy:agg_sum'];
const ALL_SUCCEEDED = ['request_policy:all_shards', 'response_policy:all_succeeded'];

export const SERVER_COMMANDS: readonly CommandDraft[] = [
  cmd('info', -1, 'loading stale sentinel', [0, 0, 0], { acl: ['@dangerous'], tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'] }),
  cmd('config', -2, '', [0, 0, 0], {
    since: '2.0.0',
    subcommands: [
      cmd('get', -3, ADMIN),
      cmd('set', -4, `${ADMIN} may_replicate`, [0, 0, 0], { tips: ALL_SUCCEEDED }),
      cmd('resetstat', 2, ADMIN, [0, 0, 0], { tips: ALL_SUCCEEDED }),
      cmd('rewrite', 2, ADMIN, [0, 0, 0], { tips: ALL_SUCCEEDED }),
      cmd('help', 2, 'loading stale'),
    ],
  }),
  cmd('command', -1, 'loading stale sentinel', [0, 0, 0], {
    acl: ['@connection'],
    since: '2.8.13',
    tips: ['nondeterministic_output_order'],
    subcommands: [
      cmd('count', 2, 'loading stale', [0, 0, 0], { acl: ['@connection'] }),
      cmd('info', -2, 'loading stale', [0, 0, 0], { acl: ['@connection'], tips: ['nondeterministic_output_order'] }),
      cmd('docs', -2, 'loading stale', [0, 0, 0], { acl: ['@connection'], tips: ['nondeterministic_output_order'] }),
      cmd('getkeys', -4, 'loading stale', [0, 0, 0], { acl: ['@connection'] }),
      cmd('getkeysandflags', -4, 'loading stale', [0, 0, 0], { acl: ['@connection'], since: '7.0.0' }),
      cmd('list', -2, 'loading stale', [0, 0, 0], { acl: ['@connection'], tips: ['nondeterministic_output_order'] }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { acl: ['@connection'] }),
    ],
  }),
  cmd('dbsize', 1, 'readonly fast', [0, 0, 0], { acl: ['@keyspace'], tips: ALL_SHARDS_SUM }),
  cmd('flushdb', -1, 'write', [0, 0, 0], { acl: ['@keyspace', '@dangerous'], tips: ALL_SUCCEEDED }),
  cmd('flushall', -1, 'write', [0, 0, 0], { acl: ['@keyspace', '@dangerous'], tips: ALL_SUCCEEDED }),
  cmd('swapdb', 3, 'write fast', [0, 0, 0], { acl: ['@keyspace', '@dangerous'], since: '4.0.0' }),
  cmd('time', 1, 'loading stale fast', [0, 0, 0], { since: '2.6.0', tips: ['nondeterministic_output'] }),
  cmd('lastsave', 1, 'loading stale fast', [0, 0, 0], { acl: ['@admin', '@dangerous'], tips: ['nondeterministic_output'] }),
  cmd('save', 1, 'admin noscript no_async_loading no_multi'),
  cmd('bgsave', -1, 'admin noscript no_async_loading'),
  cmd('bgrewriteaof', 1, 'admin noscript no_async_loading'),
  cmd('shutdown', -1, 'admin noscript loading stale no_multi sentinel allow_busy'),
  cmd('debug', -2, ADMIN),
  cmd('monitor', 1, ADMIN, [0, 0, 0], { state: 'monitor' }),
  cmd('role', 1, 'noscript loading stale fast sentinel', [0, 0, 0], { acl: ['@admin', '@dangerous'], since: '2.8.12' }),
  cmd('replicaof', 3, 'admin noscript stale no_async_loading', [0, 0, 0], { since: '5.0.0' }),
  cmd('slaveof', 3, 'admin noscript stale no_async_loading'),
  cmd('sync', 1, 'admin noscript no_async_loading no_multi'),
  cmd('psync', -3, 'admin noscript no_async_loading no_multi', [0, 0, 0], { since: '2.8.0' }),
  cmd('replconf', -1, 'admin noscript loading stale allow_busy', [0, 0, 0], { since: '3.0.0' }),
  cmd('memory', -2, '', [0, 0, 0], {
    since: '4.0.0',
    subcommands: [
      cmd('usage', -3, 'readonly', [2, 2, 1], { keySpecs: [rangeKeys(2, 0, 1, 0, ['RO'])] }),
      cmd('stats', 2, '', [0, 0, 0], { tips: ['nondeterministic_output'] }),
      cmd('doctor', 2, '', [0, 0, 0], { tips: ['nondeterministic_output'] }),
      cmd('malloc-stats', 2, '', [0, 0, 0], { tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'] }),
      cmd('purge', 2, '', [0, 0, 0], { tips: ['request_policy:all_shards', 'response_policy:all_succeeded'] }),
      cmd('help', 2, 'loading stale'),
    ],
  }),
  // Declared for ACL rules and categories; not served (no handler: "unknown command").
  cmd('module', -2, '', [0, 0, 0], {
    since: '4.0.0',
    subcommands: [
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '5.0.0' }),
      cmd('list', 2, 'admin noscript', [0, 0, 0], { tips: ['nondeterministic_output_order'] }),
      cmd('load', -3, 'no_async_loading admin noscript'),
      cmd('loadex', -3, 'no_async_loading admin noscript', [0, 0, 0], { since: '7.0.0' }),
      cmd('unload', 3, 'no_async_loading admin noscript'),
    ],
  }),
  cmd('failover', -1, 'admin noscript stale', [0, 0, 0], { since: '6.2.0' }),
  cmd('lolwut', -1, 'readonly fast', [0, 0, 0], { since: '5.0.0' }),
  cmd('restore-asking', -4, 'write denyoom', [1, 1, 1], {
    acl: ['@keyspace', '@dangerous'],
    since: '3.0.0',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'UPDATE'])],
  }),
];
