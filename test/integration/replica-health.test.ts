/**
 * Static `shards` with replica reads: the client asks each replica ROLE every `replicaCheckMs`
 * and takes one whose link to its master is down out of the read set (reads go to the master),
 * then back once the link is up again. The link is broken deterministically: the replica is
 * pointed (REPLICAOF) at a port nobody listens on, then back at its master. ringcache-server nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { TopologyDiff } from '../../src/client/topology/diff.js';
import { deadPort, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { calls, infoField, raw, until } from '../helpers/sentinel-checks.js';

describe('replica link checks with static shards (ringcache-server)', () => {
  let m: ServerProcess;
  let r: ServerProcess;
  beforeAll(async () => {
    m = await startRingcache();
    r = await startRingcache({ args: { replicaof: `127.0.0.1 ${m.port}` } });
    await until('replication link up', async () => (await infoField(r.port, 'replication', /master_link_status:(\w+)/)) === 'up');
  });
  afterAll(async () => {
    await Promise.all([r?.stop(), m?.stop()]);
  });

  it("readFrom 'replica' skips a replica whose master link is down, and uses it again once it is up", async () => {
    const c = new RingClient({ shards: [{ name: 's', master: `127.0.0.1:${m.port}`, replicas: [`127.0.0.1:${r.port}`] }], readFrom: 'replica', replicaCheckMs: 100 });
    try {
      const health: boolean[] = [];
      c.on('topology', (d: TopologyDiff) => {
        for (const x of d.changes) for (const h of x.replicaHealth) health.push(h.healthy);
      });
      await c.set('k', 'v');
      await until('the replica has the key', async () => (await raw(r.port, 'GET', 'k')) === '$1\r\nv\r\n');
      const gets = async (n: number): Promise<{ master: number; replica: number }> => {
        const [m0, r0] = [await calls(m.port, 'get'), await calls(r.port, 'get')];
        for (let i = 0; i < n; i++) expect(await c.get('k')).toBe('v');
        return { master: (await calls(m.port, 'get')) - m0, replica: (await calls(r.port, 'get')) - r0 };
      };
      expect(await gets(20)).toEqual({ master: 0, replica: 20 });

      const dead = await deadPort();
      expect(await raw(r.port, 'REPLICAOF', '127.0.0.1', String(dead))).toBe('+OK\r\n');
      await until('the replica out of the read set', () => health.at(-1) === false);
      expect(c.topology().shards.get('s')?.replicas).toEqual([{ address: `127.0.0.1:${r.port}`, healthy: false }]);
      expect(await gets(20)).toEqual({ master: 20, replica: 0 });

      expect(await raw(r.port, 'REPLICAOF', '127.0.0.1', String(m.port))).toBe('+OK\r\n');
      await until('the replica back in the read set', () => health.at(-1) === true);
      expect(await gets(20)).toEqual({ master: 0, replica: 20 });
    } finally {
      await c.close();
    }
  });
});
