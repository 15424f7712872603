/** Command table: DUMP, RESTORE and MIGRATE (Redis 7.0 arity, flags, key specs, ACL categories). Data only. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const DANGEROUS = ['@keyspace', '@dangerous'];
const MOVED = ['RW', 'access', 'delete'];

export const DUMP_COMMANDS: readonly CommandDraft[] = [
  cmd('dump', 2, 'readonly', [1, 1, 1], { since: '2.6.0', tips: ['nondeterministic_output'] }),
  cmd('restore', -4, 'write denyoom', [1, 1, 1], { since: '2.6.0', acl: DANGEROUS, keySpecs: [rangeKeys(1, 0, 1, 0, ['OW', 'update'])] }),
  cmd('migrate', -6, 'write movablekeys', [3, 3, 1], {
    since: '2.6.0',
    acl: DANGEROUS,
    tips: ['nondeterministic_output'],
    keySpecs: [rangeKeys(3, 0, 1, 0, MOVED), rangeKeys({ keyword: 'KEYS', startFrom: -2 }, -1, 1, 0, [...MOVED, 'incomplete'])],
  }),
];
