/** The timeline: increasing seq, bounded, the same event from several sources kept once. */
import { describe, expect, it } from 'vitest';
import { Timeline } from '../../../../src/fleet/dashboard/timeline.js';
import { sentinelEvent } from '../../../../src/fleet/dashboard/sentinel-feed.js';

describe('Timeline', () => {
  it('numbers events, keeps the last `limit`, answers since(seq)', () => {
    const t = new Timeline(3, 0);
    for (let i = 0; i < 5; i++) t.add({ kind: 'down', node: `n${i}`, shard: 's1', text: `e${i}` }, 1000 + i);
    expect(t.lastSeq).toBe(5);
    expect(t.since(0).map((e) => e.text)).toEqual(['e2', 'e3', 'e4']);
    expect(t.since(4).map((e) => e.seq)).toEqual([5]);
    expect(t.since(5)).toEqual([]);
  });

  it('drops a repeat within dedupeMs, keeps it after', () => {
    const t = new Timeline(100, 10_000);
    const e = { kind: 'failover' as const, node: 'a:1', shard: 's1', text: 'failover of s1' };
    expect(t.add(e, 0)).not.toBeNull();
    expect(t.add(e, 5_000)).toBeNull();
    expect(t.add({ ...e, text: 'other' }, 5_000)).not.toBeNull();
    expect(t.add(e, 10_000)).not.toBeNull();
    expect(t.since(0)).toHaveLength(3);
  });
});

describe('sentinelEvent', () => {
  it('maps +switch-master to a failover and instance events to sentinel events', () => {
    expect(sentinelEvent('+switch-master', 's1 127.0.0.1 7001 127.0.0.1 7101')).toEqual({
      kind: 'failover', node: '127.0.0.1:7101', shard: 's1', text: 'failover of s1: 127.0.0.1:7001 → 127.0.0.1:7101 (Sentinel +switch-master)',
    });
    expect(sentinelEvent('+sdown', 'master s1 127.0.0.1 7001')).toMatchObject({ kind: 'sentinel', node: '127.0.0.1:7001', shard: 's1' });
    expect(sentinelEvent('+slave', 'slave 127.0.0.1:7102 127.0.0.1 7102 @ s2 127.0.0.1 7002')).toMatchObject({ node: '127.0.0.1:7102', shard: 's2' });
    expect(sentinelEvent('+tilt', '#tilt mode entered')).toBeNull();
  });
});
