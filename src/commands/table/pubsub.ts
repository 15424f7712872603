/** Command table: the pubsub group (Redis 7.0 arity, flags and keys). Data only. */

import { cmd, rangeKeys, type CommandDraft, type KeySpec } from '../spec.js';

/** Shard channels sit where keys would (they route like keys) but are not keys. */
const CHANNELS: readonly KeySpec[] = [rangeKeys(1, -1, 1, 0, ['not_key'])];

const SUB = 'pubsub noscript loading stale';
const PUB = 'pubsub loading stale fast may_replicate';

export const PUBSUB_COMMANDS: readonly CommandDraft[] = [
  cmd('subscribe', -2, SUB, [0, 0, 0], { since: '2.0.0', state: 'subscribe' }),
  cmd('unsubscribe', -1, SUB, [0, 0, 0], { since: '2.0.0', state: 'subscribe' }),
  cmd('psubscribe', -2, SUB, [0, 0, 0], { since: '2.0.0', state: 'subscribe' }),
  cmd('punsubscribe', -1, SUB, [0, 0, 0], { since: '2.0.0', state: 'subscribe' }),
  cmd('publish', 3, PUB, [0, 0, 0], { since: '2.0.0' }),
  cmd('ssubscribe', -2, SUB, [1, -1, 1], { since: '7.0.0', state: 'subscribe', keySpecs: CHANNELS }),
  cmd('sunsubscribe', -1, SUB, [1, -1, 1], { since: '7.0.0', state: 'subscribe', keySpecs: CHANNELS }),
  cmd('spublish', 3, PUB, [1, 1, 1], { since: '7.0.0', keySpecs: [rangeKeys(1, 0, 1, 0, ['not_key'])] }),
  cmd('pubsub', -2, '', [0, 0, 0], {
    acl: [],
    since: '2.8.0',
    subcommands: [
      cmd('channels', -2, 'pubsub loading stale'),
      cmd('numsub', -2, 'pubsub loading stale'),
      cmd('numpat', 2, 'pubsub loading stale'),
      cmd('shardchannels', -2, 'pubsub loading stale', [0, 0, 0], { since: '7.0.0' }),
      cmd('shardnumsub', -2, 'pubsub loading stale', [0, 0, 0], { since: '7.0.0' }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { acl: [], since: '6.2.0' }),
    ],
  }),
];
