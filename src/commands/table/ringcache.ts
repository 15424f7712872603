/**
 * Command table: ringcache's own commands, which Redis does not have (real Redis answers them
 * "unknown command"; tools treat that as "not available"). Data only.
 */

import { cmd, type CommandDraft } from '../spec.js';

export const RINGCACHE_COMMANDS: readonly CommandDraft[] = [
  cmd('ringcache.hotkeys', -1, 'readonly fast loading stale', [0, 0, 0], {
    since: '0.1.0',
    summary: "Returns the node's hottest keys, sampled under any maxmemory policy, with their estimated access counts.",
    tips: ['nondeterministic_output'],
  }),
];
