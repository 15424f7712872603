/** Command table: the hyperloglog group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

export const HYPERLOGLOG_COMMANDS: readonly CommandDraft[] = [
  cmd('pfadd', -2, 'write denyoom fast', [1, 1, 1], {
    since: '2.8.9',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'insert'])],
    summary: 'Adds the specified elements to the specified HyperLogLog.',
  }),
  // Read-only, yet it may write the cached cardinality and propagate it (RW key spec, as Redis).
  cmd('pfcount', -2, 'readonly may_replicate', [1, -1, 1], {
    since: '2.8.9',
    keySpecs: [rangeKeys(1, -1, 1, 0, ['RW', 'access'])],
    summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
  }),
  cmd('pfmerge', -2, 'write denyoom', [1, -1, 1], {
    since: '2.8.9',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'insert']), rangeKeys(2, -1, 1, 0, ['RO', 'access'])],
    summary: 'Merge N different HyperLogLogs into a single one.',
  }),
  cmd('pfdebug', 3, 'write denyoom admin', [2, 2, 1], {
    since: '2.8.9',
    keySpecs: [rangeKeys(2, 0, 1, 0, ['RW', 'access'])],
    summary: 'Internal commands for debugging HyperLogLog values',
  }),
  cmd('pfselftest', 1, 'admin', [0, 0, 0], { since: '2.8.9', summary: 'An internal command for testing HyperLogLog values' }),
];
