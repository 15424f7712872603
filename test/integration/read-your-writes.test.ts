/**
 * readYourWrites against a real master + replica (ringcache-server, and redis-server when
 * installed), with readFrom 'replica'. Where each read went is read from the nodes' own INFO
 * commandstats: a GET right after this client's SET goes to the master and answers the new value;
 * once the window passed (window mode) or WAIT reported the replica (wait mode, long window), the
 * key's reads are on the replica again; keys this client did not write never leave the replica.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { RingClientOptions } from '../../src/client/options.js';
import { HarnessError } from '../helpers/harness-error.js';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const redisSkip = redisSkipReason();
if (redisSkip !== null) console.log(`read-your-writes: ${redisSkip}`);

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: redisSkip === null },
];

/** An admin client of one node (a one-shard ring with the node as master). */
function admin(node: ServerProcess): RingClient {
  return new RingClient({ shards: [{ name: 'admin', master: `127.0.0.1:${node.port}` }] });
}

async function info(c: RingClient, section: string): Promise<string> {
  return String(await c.call('INFO', section));
}

/** Calls of one command on a node so far (INFO commandstats). */
async function calls(c: RingClient, command: string): Promise<number> {
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(await info(c, 'commandstats'));
  return m === null ? 0 : Number(m[1]);
}

/** Polls until the replica's link to its master is up (bounded). */
async function linkUp(replica: RingClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await info(replica, 'replication')).includes('master_link_status:up')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new HarnessError('replica link never came up');
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`readYourWrites on ${backend.name} master + replica`, () => {
    let master: ServerProcess;
    let replica: ServerProcess;
    let onMaster: RingClient;
    let onReplica: RingClient;
    const clients: RingClient[] = [];

    beforeAll(async () => {
      master = await backend.start({ args: { 'repl-diskless-sync-delay': 0 } });
      replica = await backend.start({ args: { replicaof: `127.0.0.1 ${master.port}` } });
      onMaster = admin(master);
      onReplica = admin(replica);
      await linkUp(onReplica);
    });
    afterAll(async () => {
      await Promise.all([onMaster, onReplica, ...clients].map((c) => c?.close()));
      await Promise.all([replica, master].map((p) => p?.stop()));
    });

    function client(readYourWrites: RingClientOptions['readYourWrites']): RingClient {
      const c = new RingClient({
        shards: [{ name: 'a', master: `127.0.0.1:${master.port}`, replicas: [`127.0.0.1:${replica.port}`] }],
        readFrom: 'replica',
        readYourWrites,
      });
      clients.push(c);
      return c;
    }

    /** GET calls on [master, replica] since `before`. */
    async function getsSince(before: readonly [number, number]): Promise<[number, number]> {
      return [(await calls(onMaster, 'get')) - before[0], (await calls(onReplica, 'get')) - before[1]];
    }
    async function gets(): Promise<[number, number]> {
      return [await calls(onMaster, 'get'), await calls(onReplica, 'get')];
    }

    it('window mode: a written key reads from the master until the window passed, then from the replica', async () => {
      const windowMs = 1500;
      const c = client({ windowMs });
      let before = await gets();
      expect(await c.get('ryw:untouched')).toBeNull();
      expect(await getsSince(before)).toEqual([0, 1]);

      before = await gets();
      expect(await c.set('ryw:w', 'v1')).toBe('OK');
      expect(await c.get('ryw:w')).toBe('v1');
      expect(await c.get('ryw:untouched')).toBeNull();
      expect(await getsSince(before)).toEqual([1, 1]);
      // Per call, readYourWrites: false reads where readFrom says.
      before = await gets();
      await c.callWith({ readYourWrites: false }, 'GET', 'ryw:w');
      expect(await getsSince(before)).toEqual([0, 1]);

      await new Promise((r) => setTimeout(r, windowMs + 200));
      before = await gets();
      expect(await c.get('ryw:w')).toBe('v1');
      expect(await getsSince(before)).toEqual([0, 1]);
      expect(c.stats().readYourWrites).toEqual({ pinnedReads: 1, waits: 0, waitsShort: 0 });
    });

    it('window mode covers multi-key writes and fanned-out reads, and pipelines', async () => {
      const c = client({ windowMs: 60_000 });
      await c.mset([
        ['ryw:m1', '1'],
        ['ryw:m2', '2'],
      ]);
      const before = await gets();
      expect(await c.mget(['ryw:m1', 'ryw:m2'])).toEqual(['1', '2']);
      const res = await c.pipeline().set('ryw:p', 'x').get('ryw:p').exec();
      expect(res).toEqual([
        [null, 'OK'],
        [null, 'x'],
      ]);
      expect(await getsSince(before)).toEqual([1, 0]);
      expect(await calls(onMaster, 'mget')).toBeGreaterThan(0);
    });

    it('wait mode: WAIT after the write releases the key to the replica long before the window ends', async () => {
      const c = client({ windowMs: 60_000, wait: { timeoutMs: 10_000 } });
      const waits = await calls(onMaster, 'wait');
      expect(await c.set('ryw:wait', 'fresh')).toBe('OK');
      // Whichever node answers, it has the write: the master, or a replica WAIT has confirmed.
      expect(await c.get('ryw:wait')).toBe('fresh');
      // PING rides the master connection behind the WAIT, so the WAIT has answered once it is back.
      await c.ping();
      const before = await gets();
      expect(await c.get('ryw:wait')).toBe('fresh');
      expect(await getsSince(before)).toEqual([0, 1]);
      expect((await calls(onMaster, 'wait')) - waits).toBe(1);
      expect(c.stats().readYourWrites).toMatchObject({ waits: 1, waitsShort: 0 });
    });
  });
}
