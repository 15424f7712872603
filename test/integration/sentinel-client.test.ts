/**
 * RingClient in Sentinel mode against real redis-server + redis-sentinel 7.0 (3 Sentinels, quorum
 * 2, down-after 1000 ms, 2 shards of master + 1 replica): discovery with the synchronous
 * constructor (masters and replicas), readFrom 'replica' (GETs reach the replica, none the
 * master), a replica that goes down leaving the read set on Sentinel's +sdown and coming back on
 * -sdown, and a manual SENTINEL failover (no write reaches the demoted master once the client
 * switched; a subscription follows the shard to its new master). The SIGKILL/SIGSTOP failovers
 * under load are in sentinel-faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { RingClientOptions } from '../../src/client/options.js';
import type { TopologyDiff } from '../../src/client/topology/diff.js';
import { calls, fleetReady, keyOn, raw, sleep, until } from '../helpers/sentinel-checks.js';
import { sentinelSkipReason, startSentinelFleet, type SentinelFleet } from '../helpers/sentinel.js';

const skip = sentinelSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('RingClient with Sentinel (real redis-sentinel)', () => {
  let fleet: SentinelFleet;
  const clients: RingClient[] = [];
  const client = (extra: Partial<RingClientOptions> = {}): RingClient => {
    const c = new RingClient({ sentinels: fleet.sentinelAddresses, masters: ['s1', 's2'], commandTimeoutMs: 1000, connectTimeoutMs: 5000, sentinelTimeoutMs: 500, ...extra });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    fleet = await startSentinelFleet({ masters: ['s1', 's2'], replicas: 1, sentinels: 3, quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 3000 });
    await fleetReady(fleet, ['s1', 's2']);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await fleet?.stop();
  });
  const addr = (p: { port: number }): string => `127.0.0.1:${p.port}`;

  it('new RingClient finds masters and replicas through Sentinel; commands wait for it, keys go by shard name', async () => {
    const c = client();
    const topo: TopologyDiff[] = [];
    c.on('topology', (d: TopologyDiff) => topo.push(d));
    const a = keyOn(c, 's1', 'a');
    const b = keyOn(c, 's2', 'b');
    // Issued in the same tick as the constructor: they wait for discovery.
    expect(await Promise.all([c.set(a, '1'), c.set(b, '2')])).toEqual(['OK', 'OK']);
    expect(await raw(fleet.masters.get('s1')!.port, 'GET', a)).toBe('$1\r\n1\r\n');
    expect(await raw(fleet.masters.get('s2')!.port, 'GET', b)).toBe('$1\r\n2\r\n');
    expect(await c.mget([a, b])).toEqual(['1', '2']);
    for (const s of ['s1', 's2']) {
      expect(c.topology().shards.get(s)).toMatchObject({
        master: addr(fleet.masters.get(s)!),
        replicas: [{ address: addr(fleet.replicas.get(s)![0]!), healthy: true }],
      });
    }
    expect(topo.flatMap((d) => d.changes.map((x) => `${x.shard}:${x.kind}`)).sort()).toEqual(['s1:added', 's2:added']);
  });

  it("readFrom 'replica': GETs go to the replica Sentinel reports, none to the master", async () => {
    const c = client({ readFrom: 'replica' });
    const m = fleet.masters.get('s2')!;
    const r = fleet.replicas.get('s2')![0]!;
    const key = keyOn(c, 's2', 'rf');
    await c.set(key, 'x');
    await until('the replica has the key', async () => (await raw(r.port, 'GET', key)) === '$1\r\nx\r\n');
    const [m0, r0] = [await calls(m.port, 'get'), await calls(r.port, 'get')];
    console.log("DEBUG", JSON.stringify([...c.topology().shards.values()]), JSON.stringify(c.stats().shards.map((s) => s.replicas)));
    for (let i = 0; i < 50; i++) expect(await c.get(key)).toBe('x');
    expect((await calls(m.port, 'get')) - m0).toBe(0);
    expect((await calls(r.port, 'get')) - r0).toBe(50);
  });

  it('a replica Sentinel sees down leaves the read set (+sdown) and comes back (-sdown)', async () => {
    // Link checks off: only what Sentinel reports moves the replica.
    const c = client({ readFrom: 'replica', replicaCheckMs: 0 });
    await c.ping();
    const m = fleet.masters.get('s1')!;
    const r = fleet.replicas.get('s1')![0]!;
    const key = keyOn(c, 's1', 'rd');
    await c.set(key, 'y');
    await until('the replica has the key', async () => (await raw(r.port, 'GET', key)) === '$1\r\ny\r\n');
    const health: boolean[] = [];
    c.on('topology', (d: TopologyDiff) => {
      for (const x of d.changes) for (const h of x.replicaHealth) if (h.address === addr(r)) health.push(h.healthy);
    });
    expect(c.topology().shards.get('s1')?.replicas).toEqual([{ address: addr(r), healthy: true }]);
    const t0 = performance.now();
    r.signal('SIGSTOP');
    try {
      await until('the replica marked unhealthy', () => health.includes(false), 15_000);
      const tDown = performance.now() - t0;
      const m0 = await calls(m.port, 'get');
      for (let i = 0; i < 20; i++) expect(await c.get(key)).toBe('y');
      expect((await calls(m.port, 'get')) - m0).toBe(20);
      r.signal('SIGCONT');
      const t1 = performance.now();
      await until('the replica healthy again', () => health.at(-1) === true, 15_000);
      console.log(`[sentinel replica health] SIGSTOP → out of the read set ${Math.round(tDown)} ms (down-after 1000 ms); SIGCONT → back ${Math.round(performance.now() - t1)} ms`);
      const r0 = await calls(r.port, 'get');
      for (let i = 0; i < 20; i++) expect(await c.get(key)).toBe('y');
      expect((await calls(r.port, 'get')) - r0).toBe(20);
    } finally {
      r.signal('SIGCONT');
    }
  }, 40_000);

  it('manual SENTINEL failover: no write reaches the demoted master after the switch; the subscription follows', async () => {
    const c = client();
    const oldM = fleet.masters.get('s2')!;
    const newM = fleet.replicas.get('s2')![0]!;
    const key = keyOn(c, 's2', 'mf');
    await c.set(key, '0');
    const channel = keyOn(c, 's2', 'mf-chan');
    const sub = await c.subscribe(channel);
    const got: string[] = [];
    sub.on('message', (_ch: string, m: string) => got.push(m));
    let switchedAt = -1;
    c.on('topology', (d: TopologyDiff) => {
      if (switchedAt < 0 && d.changes.some((x) => x.shard === 's2' && x.master?.to === addr(newM))) switchedAt = performance.now();
    });
    expect(await raw(fleet.sentinels[0]!.port, 'SENTINEL', 'failover', 's2')).toBe('+OK\r\n');
    const t0 = performance.now();
    let failed = 0;
    let setsAfterSwitch: number | null = null;
    for (let i = 0; i < 2000; i++) {
      await c.set(key, `w${i}`).catch(() => failed++);
      // Commands sent before the switch may still land on the old master; count from 200 ms after.
      if (switchedAt > 0 && setsAfterSwitch === null && performance.now() - switchedAt > 200) setsAfterSwitch = await calls(oldM.port, 'set');
      if (setsAfterSwitch !== null && performance.now() - switchedAt > 1500) break;
      await sleep(10);
    }
    expect(switchedAt).toBeGreaterThan(0);
    expect(setsAfterSwitch).not.toBeNull();
    expect(await calls(oldM.port, 'set')).toBe(setsAfterSwitch);
    expect(c.topology().shards.get('s2')?.master).toBe(addr(newM));
    await until('a message published after the failover arrives', async () => {
      await c.publish(channel, 'after');
      return got.includes('after');
    });
    const numsub = async (port: number): Promise<number> => Number(/:(\d+)\r\n$/.exec(await raw(port, 'PUBSUB', 'NUMSUB', channel))?.[1] ?? -1);
    await until('the subscriber moved to the new master', async () => (await numsub(newM.port)) === 1 && (await numsub(oldM.port)) === 0);
    console.log(`[sentinel manual failover] SENTINEL failover → client switched ${Math.round(switchedAt - t0)} ms; ${failed} failed writes; no SET reached the demoted master after the switch; subscription on the new master`);
    await sub.close();
  }, 40_000);
});
