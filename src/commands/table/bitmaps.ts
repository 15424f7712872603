/** Command table: the bitmap group (Redis 7.0 arity, flags and keys). Data only; see ../spec.ts. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const READ = [rangeKeys(1, 0, 1, 0, ['RO', 'access'])];

export const BITMAP_COMMANDS: readonly CommandDraft[] = [
  cmd('setbit', 4, 'write denyoom', [1, 1, 1], {
    since: '2.2.0',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update'])],
    summary: 'Sets or clears the bit at offset in the string value stored at key',
  }),
  cmd('getbit', 3, 'readonly fast', [1, 1, 1], {
    since: '2.2.0',
    keySpecs: READ,
    cacheable: true,
    summary: 'Returns the bit value at offset in the string value stored at key',
  }),
  cmd('bitcount', -2, 'readonly', [1, 1, 1], { since: '2.6.0', keySpecs: READ, cacheable: true, summary: 'Count set bits in a string' }),
  cmd('bitpos', -3, 'readonly', [1, 1, 1], {
    since: '2.8.7',
    keySpecs: READ,
    cacheable: true,
    summary: 'Find first bit set or clear in a string',
  }),
  cmd('bitop', -4, 'write denyoom', [2, -1, 1], {
    since: '2.6.0',
    keySpecs: [rangeKeys(2, 0, 1, 0, ['OW', 'update']), rangeKeys(3, -1, 1, 0, ['RO', 'access'])],
    summary: 'Perform bitwise operations between strings',
  }),
  cmd('bitfield', -2, 'write denyoom', [1, 1, 1], {
    since: '3.2.0',
    keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'access', 'update', 'variable_flags'])],
    summary: 'Perform arbitrary bitfield integer operations on strings',
  }),
  cmd('bitfield_ro', -2, 'readonly fast', [1, 1, 1], {
    since: '6.0.0',
    keySpecs: READ,
    cacheable: true,
    summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
  }),
];
