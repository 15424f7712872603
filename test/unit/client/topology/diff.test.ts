/** The topology diff and store: pure snapshot-to-snapshot changes, epochs, and dropped no-ops. */
import { describe, expect, it } from 'vitest';
import { diffTopology } from '../../../../src/client/topology/diff.js';
import { makeSnapshot, shardHealth, staticShard } from '../../../../src/client/topology/snapshot.js';
import { TopologyStore } from '../../../../src/client/topology/store.js';

const s1 = staticShard('s1', '127.0.0.1:7001', ['127.0.0.1:7101']);
const s2 = staticShard('s2', '127.0.0.1:7002', []);

describe('diffTopology', () => {
  it('is empty between equal snapshots', () => {
    expect(diffTopology(makeSnapshot(1, [s1, s2]), makeSnapshot(2, [s1, s2])).changes).toEqual([]);
  });

  it('reports added and removed shards with their replicas', () => {
    const d = diffTopology(makeSnapshot(1, [s1]), makeSnapshot(2, [s2]));
    expect(d).toMatchObject({ fromEpoch: 1, toEpoch: 2 });
    expect(d.changes).toEqual([
      { shard: 's1', kind: 'removed', replicasAdded: [], replicasRemoved: ['127.0.0.1:7101'], replicaHealth: [] },
      { shard: 's2', kind: 'added', replicasAdded: [], replicasRemoved: [], replicaHealth: [] },
    ]);
  });

  it('reports a failover: master moved, the promoted replica gone, the old master back as a replica', () => {
    const after = { ...s1, master: '127.0.0.1:7101', replicas: [{ address: '127.0.0.1:7001', healthy: false }] };
    const [c] = diffTopology(makeSnapshot(1, [s1, s2]), makeSnapshot(2, [after, s2])).changes;
    expect(c).toEqual({
      shard: 's1',
      kind: 'changed',
      master: { from: '127.0.0.1:7001', to: '127.0.0.1:7101' },
      replicasAdded: ['127.0.0.1:7001'],
      replicasRemoved: ['127.0.0.1:7101'],
      replicaHealth: [],
    });
  });

  it('reports replica health flips and shard health changes', () => {
    const sick = { ...s1, replicas: [{ address: '127.0.0.1:7101', healthy: false }], failingOver: true };
    const [c] = diffTopology(makeSnapshot(1, [s1]), makeSnapshot(2, [sick])).changes;
    expect(c!.replicaHealth).toEqual([{ address: '127.0.0.1:7101', healthy: false }]);
    expect(c!.health).toEqual({ from: 'ok', to: 'failover' });
    expect(shardHealth({ ...s1, masterDown: true })).toBe('down');
    expect(shardHealth({ ...s1, masterDown: true, failingOver: true })).toBe('failover');
  });
});

describe('TopologyStore', () => {
  it('stamps epochs, applies non-empty diffs synchronously and drops duplicates', () => {
    const applied: number[] = [];
    const store = new TopologyStore((next, diff) => applied.push(next.epoch, diff.changes.length));
    expect(store.put([s1, s2])).not.toBeNull();
    expect(applied).toEqual([1, 2]);
    const move = (s: typeof s1) => ({ ...s, master: '127.0.0.1:7101', replicas: [] });
    expect(store.update('s1', move)!.changes[0]!.master).toEqual({ from: '127.0.0.1:7001', to: '127.0.0.1:7101' });
    // The same +switch-master heard from a second Sentinel changes nothing.
    expect(store.update('s1', move)).toBeNull();
    expect(store.update('nope', move)).toBeNull();
    expect(applied).toEqual([1, 2, 2, 1]);
    expect(store.snapshot.epoch).toBe(2);
    expect(Object.isFrozen(store.snapshot)).toBe(true);
    expect(Object.isFrozen(store.shard('s1')!.replicas)).toBe(true);
  });
});
