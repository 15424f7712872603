/** Command table: the transactions group (Redis 7.0 arity, flags and keys). Data only. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const TX = 'noscript loading stale fast allow_busy';

export const TRANSACTION_COMMANDS: readonly CommandDraft[] = [
  cmd('multi', 1, TX, [0, 0, 0], { since: '1.2.0', state: 'transaction' }),
  cmd('exec', 1, 'noscript loading stale skip_slowlog', [0, 0, 0], { since: '1.2.0', state: 'transaction' }),
  cmd('discard', 1, TX, [0, 0, 0], { since: '2.0.0', state: 'transaction' }),
  cmd('watch', -2, TX, [1, -1, 1], { since: '2.2.0', state: 'watch', keySpecs: [rangeKeys(1, -1, 1, 0, ['RO'])] }),
  cmd('unwatch', 1, TX, [0, 0, 0], { since: '2.2.0', state: 'watch' }),
];
