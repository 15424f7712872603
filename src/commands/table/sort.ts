/** Command table: SORT and SORT_RO (Redis 7.0 arity, flags, key specs and ACL categories). Data only. */

import { cmd, rangeKeys, unknownKeys, type CommandDraft } from '../spec.js';

const ACL = ['@set', '@sortedset', '@list', '@dangerous'];
const SORTED = rangeKeys(1, 0, 1, 0, ['RO', 'access']);
const PATTERNS = unknownKeys(
  ['RO', 'access'],
  "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
);
const STORE = unknownKeys(
  ['OW', 'update'],
  "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
);

export const SORT_COMMANDS: readonly CommandDraft[] = [
  cmd('sort', -2, 'write denyoom movablekeys', [1, 1, 1], { acl: ACL, keySpecs: [SORTED, PATTERNS, STORE] }),
  cmd('sort_ro', -2, 'readonly movablekeys', [1, 1, 1], { since: '7.0.0', acl: ACL, keySpecs: [SORTED, PATTERNS] }),
];
