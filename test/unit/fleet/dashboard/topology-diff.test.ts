/** Events between two polls of a node: down/up, promotion (failover), demotion, link, replicas. */
import { describe, expect, it } from 'vitest';
import type { NodeView } from '../../../../src/fleet/dashboard/node-poller.js';
import { topologyEvents } from '../../../../src/fleet/dashboard/topology-diff.js';

const base: NodeView = {
  addr: '127.0.0.1:7101', shard: 's1', up: true, role: 'replica', ops: 0, memory: 0, keys: 0, keysPerDb: {}, hitRate: null, clients: 1,
  master: '127.0.0.1:7001', link: 'up', lagBytes: null, lagSeconds: null, replicas: [], replicaLag: {}, hotKeys: null, offset: 0, error: null,
};
const kinds = (prev: Partial<NodeView>, next: Partial<NodeView>, everUp = true): string[] =>
  topologyEvents({ ...base, ...prev }, { ...base, ...next }, everUp).map((e) => e.kind);

describe('topologyEvents', () => {
  it('sees a replica promoted (failover) and a master demoted', () => {
    expect(kinds({}, { role: 'master', master: null, link: null })).toEqual(['failover']);
    expect(kinds({ role: 'master', master: null, link: null }, {})).toEqual(['role']);
    expect(kinds({}, { master: '127.0.0.1:7002' })).toEqual(['role']);
  });

  it('sees down and back up; a node never up before gives no "up"', () => {
    expect(kinds({}, { up: false, error: 'timeout' })).toEqual(['down']);
    expect(kinds({ up: false }, { up: false })).toEqual([]);
    expect(kinds({ up: false }, {})).toEqual(['up']);
    expect(kinds({ up: false, role: 'unknown' }, {}, false)).toEqual([]);
  });

  it('sees the master link change and replicas join and leave', () => {
    expect(kinds({}, { link: 'down' })).toEqual(['link']);
    const m = { role: 'master' as const, master: null, link: null };
    expect(kinds({ ...m, replicas: ['a:1', 'b:2'] }, { ...m, replicas: ['b:2', 'c:3'] })).toEqual(['replica-joined', 'replica-left']);
  });
});
