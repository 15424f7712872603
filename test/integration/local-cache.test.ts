/**
 * The hot-key local cache against real nodes (redis-server, and ringcache-server): hot reads stop
 * reaching the server, another connection's write reaches the cached copy through tracking
 * invalidation (not the TTL), own writes invalidate at once (program order kept, a plain SET written
 * through and tracking re-established after it), and a RESP2-only client falls back to
 * TTL-bounded staleness and says so in stats().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { RawClient } from '../helpers/raw-client.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'redis-server', start: startRedis, available: hasRedis() },
  { name: 'ringcache-server', start: startRingcache, available: true },
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until it returns `want` (bounded); returns the elapsed ms, or -1 when it never did. */
async function waitFor(read: () => Promise<string | null>, want: string, limitMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if ((await read()) === want) return performance.now() - t0;
    await sleep(1);
  }
  return -1;
}

async function getCalls(raw: RawClient): Promise<number> {
  const info = String(await raw.call('INFO', 'commandstats'));
  const m = /cmdstat_get:calls=(\d+)/.exec(info);
  return m === null ? 0 : Number(m[1]);
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`local cache on ${backend.name}`, () => {
    let node: ServerProcess;
    let raw: RawClient;
    let client: RingClient;
    beforeAll(async () => {
      node = await backend.start();
      raw = await RawClient.connect(node.port);
      client = new RingClient({
        shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }],
        localCache: { hotThreshold: 20, ttlMs: 30_000, jitter: 0 },
      });
    });
    afterAll(async () => {
      await client?.close();
      raw?.close();
      await node?.stop();
    });

    it('serves a hot key from memory and sees another writer through invalidation', async () => {
      await raw.call('SET', 'hot', 'v1');
      for (let i = 0; i < 100; i++) expect(await client.get('hot')).toBe('v1');
      const before = await getCalls(raw);
      for (let i = 0; i < 500; i++) expect(await client.get('hot')).toBe('v1');
      const after = await getCalls(raw);
      const stats = client.stats().localCache!;
      expect(stats.hits).toBeGreaterThanOrEqual(500);
      expect(after - before).toBe(0);
      const tracking = stats.modes.a === 'tracking';
      // Both backends support RESP3 client tracking: the link must be in tracking mode.
      expect(stats.modes.a).toBe('tracking');
      await raw.call('SET', 'hot', 'v2');
      // With tracking the push arrives within milliseconds; the TTL here is 30 s.
      if (tracking) expect(await waitFor(() => client.get('hot'), 'v2', 5000)).toBeGreaterThanOrEqual(0);
      else expect(await client.get('hot')).toBe('v1');
    });

    it('writes inside a pipeline and a multi() drop the cached copy; a refused write releases its hold', async () => {
      await client.set('{b}hot', 'a');
      for (let i = 0; i < 100; i++) await client.get('{b}hot');
      expect(await client.get('{b}hot')).toBe('a');
      expect(await client.pipeline().set('{b}hot', 'p').get('{b}hot').exec()).toEqual([
        [null, 'OK'],
        [null, 'p'],
      ]);
      expect(await client.get('{b}hot')).toBe('p');
      expect(await client.multi().set('{b}hot', 't').get('{b}hot').exec()).toEqual(['OK', 't']);
      expect(await client.get('{b}hot')).toBe('t');
      // A write the server refuses: the reads that waited for it are answered.
      await expect(client.call('SET', '{b}hot', 'x', 'NX', 'XX')).rejects.toMatchObject({ code: 'ERR_REPLY' });
      expect(await client.get('{b}hot')).toBe('t');
    });

    it('a write refused before it is sent (keys on two shards) does not hold the hot key', async () => {
      const two = new RingClient({
        shards: ['x', 'y'].map((name) => ({ name, master: `127.0.0.1:${node.port}` })),
        localCache: { hotThreshold: 20, ttlMs: 30_000, jitter: 0 },
      });
      try {
        const other = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'].find((k) => two.locate(k) !== two.locate('hot2'))!;
        await two.set('hot2', 'v');
        for (let i = 0; i < 100; i++) await two.get('hot2');
        await expect(two.call('RENAME', 'hot2', other)).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
        expect(await two.get('hot2')).toBe('v');
      } finally {
        await two.close();
      }
    });

    it('drops the cached copy at once on its own write', async () => {
      await client.set('mine', 'a');
      for (let i = 0; i < 100; i++) await client.get('mine');
      expect(await client.get('mine')).toBe('a');
      await client.set('mine', 'b');
      expect(await client.get('mine')).toBe('b');
    });

    it('keeps program order for its own writes of a hot key: a read issued after a write sees it', async () => {
      await client.set('order', '0');
      for (let i = 0; i < 100; i++) await client.get('order');
      let want = 0;
      for (let i = 1; i <= 200; i++) {
        // Not awaited: the read is issued right after the write, as on one pipelined connection.
        // Plain SETs are written through; INCR is held back until it settles.
        const incr = i % 3 === 0;
        want = incr ? want + 1 : i * 10;
        const w = incr ? client.incr('order') : client.set('order', String(want));
        const r = client.get('order');
        await w;
        expect(await r).toBe(String(want));
      }
      expect(client.stats().localCache!.hits).toBeGreaterThan(0);
    });

    it('still sees another writer after writing a hot key through (tracking is re-established)', async () => {
      await client.set('wt', 'a');
      for (let i = 0; i < 100; i++) await client.get('wt');
      for (let round = 0; round < 5; round++) {
        await client.set('wt', `mine${round}`);
        expect(await client.get('wt')).toBe(`mine${round}`);
        // Let the refresh (a tracked re-read) settle, then write from elsewhere.
        expect(await waitFor(async () => (client.stats().localCache!.loads > 0 ? 'x' : 'y'), 'x', 5000)).toBeGreaterThanOrEqual(0);
        await sleep(20);
        await raw.call('SET', 'wt', `theirs${round}`);
        expect(await waitFor(() => client.get('wt'), `theirs${round}`, 5000)).toBeGreaterThanOrEqual(0);
      }
    });

    it('flushes on FLUSHALL from elsewhere (null invalidation)', async () => {
      await raw.call('SET', 'f', '1');
      for (let i = 0; i < 100; i++) await client.get('f');
      if (client.stats().localCache!.modes.a !== 'tracking') return;
      await raw.call('FLUSHALL');
      expect(await waitFor(() => client.get('f'), null as unknown as string, 5000)).toBeGreaterThanOrEqual(0);
    });

    it.runIf(backend.name === 'redis-server')('falls back to TTL-only on a RESP2-only server and says so', async () => {
      const old = await backend.start({ extra: ['--rename-command', 'HELLO', ''] });
      const c2 = new RingClient({
        shards: [{ name: 'a', master: `127.0.0.1:${old.port}` }],
        localCache: { hotThreshold: 20, ttlMs: 300, jitter: 0 },
      });
      const raw = await RawClient.connect(old.port);
      try {
        await raw.call('SET', 'ttl', 'x');
        for (let i = 0; i < 100; i++) await c2.get('ttl');
        expect(c2.stats().localCache!.modes.a).toBe('ttl-only');
        await raw.call('SET', 'ttl', 'y');
        expect(await c2.get('ttl')).toBe('x');
        expect(await waitFor(() => c2.get('ttl'), 'y', 5000)).toBeGreaterThanOrEqual(0);
      } finally {
        await c2.close();
        raw.close();
        await old.stop();
      }
    });
  });
}
