/**
 * The dashboard's collector against real processes: a ringcache-server master with a replica (and
 * real redis-server when installed), under a little load: every node present with its role and
 * shard, ops/s > 0, keys counted, the replica found through its master with its lag, the key read
 * most first in RINGCACHE.HOTKEYS (null, "n/a", on real Redis), and a killed node
 * shown down and in the timeline while the others keep updating. Also `ringcache-fleet dashboard
 * --nodes` as a process: its page answers and it stops on SIGTERM. And a real Redis fleet (2
 * masters, replicas, 3 redis-sentinel) followed through `--sentinels`: shards discovered, hot keys
 * n/a, and a SIGKILLed master's +switch-master in the timeline (skipped without redis-sentinel).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { Collector } from '../../src/fleet/dashboard/collector.js';
import { fromNodeList, fromSentinels } from '../../src/fleet/dashboard/targets.js';
import { until } from '../helpers/poll.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { sentinelSkipReason, startSentinelFleet, type SentinelFleet } from '../helpers/sentinel.js';

const FLEET_BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'dist', 'bin', 'ringcache-fleet.js');
const procs: ServerProcess[] = [];
const stops: (() => unknown)[] = [];
afterAll(async () => {
  for (const s of stops.splice(0).reverse()) await s();
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

describe('dashboard collector with real nodes', () => {
  it('shows every node, ops, keys, replication and a node going down', async () => {
    const master = await startRingcache();
    procs.push(master);
    const replica = await startRingcache({ args: { replicaof: `127.0.0.1 ${master.port}` } });
    procs.push(replica);
    const redis = hasRedis() ? await startRedis() : null;
    if (redis !== null) procs.push(redis);
    const list = [`s1=127.0.0.1:${master.port}`, ...(redis === null ? [] : [`s2=127.0.0.1:${redis.port}`])].join(',');
    const c = new Collector(fromNodeList(list), { intervalMs: 300 });
    stops.push(() => c.stop());
    c.start();
    const client = new RingClient({ shards: [{ name: 's1', master: `127.0.0.1:${master.port}` }] });
    stops.push(() => client.close());
    await client.set('hot', 'v'); // a node counts reads of keys that exist
    let load = true;
    const loader = (async () => {
      for (let i = 0; load; i++) {
        await client.set(`k${i % 50}`, 'v');
        await client.get('hot');
      }
    })();
    const view = (port: number) => c.snapshot().nodes.find((n) => n.addr === `127.0.0.1:${port}`);
    try {
      await until('the master shows ops, keys and its replica', () => {
        const m = view(master.port);
        return m !== undefined && m.up && m.ops > 0 && m.keys >= 50 && m.replicas.length === 1;
      });
      await until('the replica shows up with its lag', () => {
        const r = view(replica.port);
        return r !== undefined && r.up && r.role === 'replica' && r.shard === 's1' && r.lagBytes !== null;
      });
      const m = view(master.port)!;
      expect(m).toMatchObject({ shard: 's1', role: 'master' });
      expect(m.hitRate).not.toBeNull();
      await until('the hot key first in the master\'s RINGCACHE.HOTKEYS', () => view(master.port)?.hotKeys?.[0]?.[0] === 'hot');
      if (redis !== null) {
        await until('real Redis shows up', () => view(redis.port)?.up === true);
        expect(view(redis.port)).toMatchObject({ shard: 's2', role: 'master', hotKeys: null });
      }
    } finally {
      load = false;
      await loader;
    }
    await replica.kill();
    await until('the killed replica shows down in the timeline', () => view(replica.port)?.up === false && c.timeline.since(0).some((e) => e.kind === 'down' && e.node === `127.0.0.1:${replica.port}`));
    const t0 = c.snapshot().time;
    await until('the others keep updating', () => c.snapshot().time > t0 && view(master.port)?.up === true);
  });

  it('ringcache-fleet dashboard --nodes serves the page and stops on SIGTERM', async () => {
    const node = await startRingcache();
    procs.push(node);
    const child = spawn(process.execPath, [FLEET_BIN, 'dashboard', '--nodes', `a=127.0.0.1:${node.port}`, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    stops.push(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await until('the dashboard prints its address', () => /dashboard on http:\/\/127\.0\.0\.1:\d+\//.test(out));
    const url = /dashboard on (\S+)/.exec(out)![1]!;
    await until('its state shows the node up', async () => {
      const state = (await (await fetch(`${url}api/state`)).json()) as { nodes: { shard: string; up: boolean }[] };
      return state.nodes.length === 1 && state.nodes[0]!.up && state.nodes[0]!.shard === 'a';
    });
    expect(await (await fetch(url)).text()).toContain('ringcache fleet');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

const skipSentinel = sentinelSkipReason();
if (skipSentinel !== null) console.warn(skipSentinel);

describe.skipIf(skipSentinel !== null)('dashboard collector with real redis-sentinel', () => {
  it('discovers the shards through Sentinels and records a failover', async () => {
    const fleet: SentinelFleet = await startSentinelFleet({ masters: ['alpha', 'beta'] });
    stops.push(() => fleet.stop());
    const c = new Collector(fromSentinels(fleet.sentinelAddresses.join(','), 'alpha,beta'), { intervalMs: 300 });
    stops.push(() => c.stop());
    c.start();
    const alpha = fleet.masters.get('alpha')!;
    const alphaAddr = `127.0.0.1:${alpha.port}`;
    const replicaAddr = `127.0.0.1:${fleet.replicas.get('alpha')![0]!.port}`;
    await until('both shards with their master and replica', () => {
      const n = c.snapshot().nodes;
      return n.length === 4 && n.every((v) => v.up) && n.filter((v) => v.role === 'master').map((v) => v.shard).join() === 'alpha,beta';
    }, 20_000);
    expect(c.snapshot().nodes.every((v) => v.hotKeys === null)).toBe(true);
    expect(c.ringView().ring.shards.map((s) => s.name)).toEqual(['alpha', 'beta']);
    await alpha.kill();
    await until('the failover of alpha in the timeline and the replica promoted', () => {
      const failovers = c.timeline.since(0).filter((e) => e.kind === 'failover' && e.shard === 'alpha');
      const promoted = c.snapshot().nodes.find((v) => v.addr === replicaAddr);
      return failovers.some((e) => e.text.includes('+switch-master')) && promoted?.role === 'master';
    }, 30_000);
    expect(c.snapshot().nodes.find((v) => v.addr === alphaAddr)?.up).toBe(false);
  });
});
