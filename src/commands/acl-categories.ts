/**
 * ACL categories derived from a command's flags and group, following Redis 7.0's
 * setImplicitACLCategories plus the per-group category, as COMMAND INFO reports them.
 */

import { Flag } from './flags.js';
import type { CommandGroup, CommandSpec } from './spec.js';

const GROUP_CATEGORY: Partial<Record<CommandGroup, string>> = {
  string: '@string',
  generic: '@keyspace',
  list: '@list',
  hash: '@hash',
  set: '@set',
  'sorted-set': '@sortedset',
  geo: '@geo',
  bitmap: '@bitmap',
  hyperloglog: '@hyperloglog',
  stream: '@stream',
  pubsub: '@pubsub',
  transactions: '@transaction',
  connection: '@connection',
  scripting: '@scripting',
};

/** Redis prints categories in the order of its ACLCommandCategories table. */
const ORDER = [
  '@keyspace', '@read', '@write', '@set', '@sortedset', '@list', '@hash', '@string', '@bitmap', '@hyperloglog',
  '@geo', '@stream', '@pubsub', '@admin', '@fast', '@slow', '@blocking', '@dangerous', '@connection', '@transaction', '@scripting',
];

export function aclCategories(spec: CommandSpec): string[] {
  const out: string[] = [];
  const f = spec.flags;
  if (f & Flag.WRITE) out.push('@write');
  if (f & Flag.READONLY && spec.group !== 'scripting') out.push('@read');
  if (f & Flag.ADMIN) out.push('@admin', '@dangerous');
  if (f & Flag.PUBSUB) out.push('@pubsub');
  if (f & Flag.FAST) out.push('@fast');
  if (f & Flag.BLOCKING) out.push('@blocking');
  if (!(f & Flag.FAST)) out.push('@slow');
  for (const g of spec.acl ?? [GROUP_CATEGORY[spec.group]]) if (g !== undefined && !out.includes(g)) out.push(g);
  return out.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}
