/**
 * Command table: Redis 7.0's cluster group. ringcache-server is not a cluster node and serves none
 * of these (no handler: "unknown command"); they are declared so ACL rules (`-cluster`,
 * `+@admin`…), ACL CAT and the ACL rule descriptions name exactly the commands Redis has. Data only.
 */

import { cmd, type CommandDraft } from '../spec.js';

const ADMIN = 'no_async_loading admin stale';
const NONDET = ['nondeterministic_output'];

export const CLUSTER_COMMANDS: readonly CommandDraft[] = [
  cmd('cluster', -2, '', [0, 0, 0], {
    acl: [],
    since: '3.0.0',
    subcommands: [
      cmd('addslots', -3, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('addslotsrange', -4, ADMIN, [0, 0, 0], { acl: [], since: '7.0.0' }),
      cmd('bumpepoch', 2, ADMIN, [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('count-failure-reports', 3, 'admin stale', [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('countkeysinslot', 3, 'stale', [0, 0, 0], { acl: [] }),
      cmd('delslots', -3, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('delslotsrange', -4, ADMIN, [0, 0, 0], { acl: [], since: '7.0.0' }),
      cmd('failover', -2, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('flushslots', 2, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('forget', 3, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('getkeysinslot', 4, 'stale', [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { acl: [], since: '5.0.0' }),
      cmd('info', 2, 'stale', [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('keyslot', 3, 'stale', [0, 0, 0], { acl: [] }),
      cmd('links', 2, 'stale', [0, 0, 0], { acl: [], since: '7.0.0', tips: NONDET }),
      cmd('meet', -4, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('myid', 2, 'stale', [0, 0, 0], { acl: [] }),
      cmd('nodes', 2, 'stale', [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('replicas', 3, 'admin stale', [0, 0, 0], { acl: [], since: '5.0.0', tips: NONDET }),
      cmd('replicate', 3, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('reset', -2, 'admin stale noscript', [0, 0, 0], { acl: [] }),
      cmd('saveconfig', 2, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('set-config-epoch', 3, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('setslot', -4, ADMIN, [0, 0, 0], { acl: [] }),
      cmd('shards', 2, 'stale', [0, 0, 0], { acl: [], since: '7.0.0', tips: NONDET }),
      cmd('slaves', 3, 'admin stale', [0, 0, 0], { acl: [], tips: NONDET }),
      cmd('slots', 2, 'stale', [0, 0, 0], { acl: [], tips: NONDET }),
    ],
  }),
  cmd('asking', 1, 'fast', [0, 0, 0], { acl: ['@connection'], since: '3.0.0' }),
  cmd('readonly', 1, 'fast loading stale', [0, 0, 0], { acl: ['@connection'], since: '3.0.0' }),
  cmd('readwrite', 1, 'fast loading stale', [0, 0, 0], { acl: ['@connection'], since: '3.0.0' }),
];
