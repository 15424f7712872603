/**
 * The topology's small parts: the discovery gate (bounded waiting, coded errors), the replica link
 * checker (ROLE replies → health, as the store's overlay) and the store's reported-state overlay.
 */
import { describe, expect, it } from 'vitest';
import { DiscoveryGate } from '../../../../src/client/topology/discovery-gate.js';
import { ReplicaLinkChecker, replicaLinkUp } from '../../../../src/client/topology/replica-links.js';
import { staticShard } from '../../../../src/client/topology/snapshot.js';
import { TopologyStore } from '../../../../src/client/topology/store.js';
import { ClientClosedError, SentinelError } from '../../../../src/errors.js';
import type { RespValue } from '../../../../src/protocol/resp-types.js';

describe('DiscoveryGate', () => {
  it('holds callers until open, then lets later ones straight through', async () => {
    const g = new DiscoveryGate(10_000, 10);
    const w = g.wait();
    expect(w).not.toBeNull();
    expect(g.waiting).toBe(1);
    g.open();
    await expect(w).resolves.toBeUndefined();
    expect(g.wait()).toBeNull();
    expect(g.isOpen).toBe(true);
  });

  it('rejects with SentinelError naming the last failure after the wait, and bounds the waiters', async () => {
    const g = new DiscoveryGate(30, 2);
    g.failed(new SentinelError('no Sentinel reachable', 's1'));
    const a = g.wait()!;
    const b = g.wait()!;
    await expect(g.wait()).rejects.toMatchObject({ code: 'ERR_OFFLINE_QUEUE_FULL' });
    await expect(a).rejects.toMatchObject({ code: 'ERR_SENTINEL', master: 's1', message: expect.stringContaining('no Sentinel reachable') });
    await expect(b).rejects.toBeInstanceOf(SentinelError);
    expect(g.waiting).toBe(0);
  });

  it('close() rejects every waiter and every later caller', async () => {
    const g = new DiscoveryGate(10_000, 10);
    const w = g.wait()!;
    g.close(new ClientClosedError());
    await expect(w).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    await expect(g.wait()).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
  });
});

describe('replica link checker', () => {
  it('reads ROLE: a replica with its link connected is up; syncing, connecting, a master or garbage is not', () => {
    expect(replicaLinkUp(['slave', '127.0.0.1', 6381, 'connected', 30662])).toBe(true);
    expect(replicaLinkUp([Buffer.from('slave'), '127.0.0.1', 6381, Buffer.from('connected'), 1])).toBe(true);
    for (const state of ['connect', 'connecting', 'sync', 'handshake', 'none']) expect(replicaLinkUp(['slave', '127.0.0.1', 6381, state, -1])).toBe(false);
    expect(replicaLinkUp(['master', 0, []])).toBe(false);
    expect(replicaLinkUp(null)).toBe(false);
  });

  it('marks replicas whose probe says down (or fails) unhealthy through the overlay, and back', async () => {
    const answers = new Map<string, RespValue | Error>([
      ['r1:1', ['slave', 'm', 1, 'connected', 5]],
      ['r2:2', ['slave', 'm', 1, 'sync', -1]],
    ]);
    let changes = 0;
    const store = new TopologyStore(() => undefined);
    const links = new ReplicaLinkChecker({
      periodMs: 60_000,
      timeoutMs: 100,
      targets: () => ['r1:1', 'r2:2'],
      probe: async (a) => {
        const v = answers.get(a)!;
        if (v instanceof Error) throw v;
        return v;
      },
      changed: () => {
        changes++;
        store.refresh();
      },
    });
    store.overlay = links.overlay;
    store.put([staticShard('s', 'm:1', ['r1:1', 'r2:2'])]);
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
    links.round();
    await settle();
    expect(store.snapshot.shards.get('s')!.replicas).toEqual([
      { address: 'r1:1', healthy: true },
      { address: 'r2:2', healthy: false },
    ]);
    expect(store.reported('s')!.replicas[1]!.healthy).toBe(true);
    answers.set('r1:1', new SentinelError('timeout'));
    answers.set('r2:2', ['slave', 'm', 1, 'connected', 9]);
    links.round();
    await settle();
    expect(store.snapshot.shards.get('s')!.replicas.map((r) => r.healthy)).toEqual([false, true]);
    const before = changes;
    links.round();
    await settle();
    expect(changes).toBe(before);
    links.close();
  });
});

describe('TopologyStore overlay', () => {
  it('derives the snapshot from reported states; a source never sees the overlay in reported()', () => {
    const store = new TopologyStore(() => undefined);
    let down = false;
    store.overlay = (s) => (down ? { ...s, replicas: s.replicas.map((r) => ({ ...r, healthy: false })) } : s);
    store.put([staticShard('s', 'm:1', ['r:1'])]);
    const e1 = store.snapshot.epoch;
    down = true;
    const d = store.refresh()!;
    expect(d.changes[0]!.replicaHealth).toEqual([{ address: 'r:1', healthy: false }]);
    expect(store.snapshot.epoch).toBe(e1 + 1);
    expect(store.reported('s')!.replicas[0]!.healthy).toBe(true);
    expect(store.refresh()).toBeNull();
    store.update('s', (s) => ({ ...s, master: 'm:2' }));
    expect(store.snapshot.shards.get('s')).toMatchObject({ master: 'm:2', replicas: [{ address: 'r:1', healthy: false }] });
  });
});
