/**
 * RingClient against three real nodes, once with ringcache-server and once with redis-server:
 * routing, fan-out order, pipelines across shards, one-shard transactions, timeouts on a frozen
 * node, reconnect after a restart, and the bounded offline queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { CommandTimeoutError, CrossShardError, ReplyError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`RingClient on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    let client: RingClient;
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
      client = new RingClient({
        shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })),
        commandTimeoutMs: 2000,
      });
    });
    afterAll(async () => {
      await client?.close();
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('places keys by shard name and reads them back', async () => {
      for (let i = 0; i < 60; i++) expect(await client.set(`user:${i}`, `v${i}`, { ex: 100 })).toBe('OK');
      for (let i = 0; i < 60; i++) expect(await client.get(`user:${i}`)).toBe(`v${i}`);
      const owners = new Set(Array.from({ length: 60 }, (_, i) => client.locate(`user:${i}`)));
      expect(owners).toEqual(new Set(['s0', 's1', 's2']));
      expect(await client.dbsize()).toBe(60);
      expect(await client.ttl('user:1')).toBeGreaterThan(0);
    });

    it('fans multi-key commands out per shard and answers in argument order', async () => {
      const keys = Array.from({ length: 30 }, (_, i) => `fan:${i}`);
      await client.mset(keys.map((k, i) => [k, String(i)] as const));
      const vals = await client.mget([...keys, 'fan:missing']);
      expect(vals).toEqual([...keys.map((_, i) => String(i)), null]);
      expect(await client.exists(...keys, 'fan:missing')).toBe(30);
      expect(await client.del(...keys)).toBe(30);
    });

    it('runs pipelines across shards in call order', async () => {
      const p = client.pipeline();
      for (let i = 0; i < 20; i++) p.set(`p:${i}`, String(i)).incr(`p:${i}`);
      p.call('NOSUCHCOMMAND');
      const res = await p.exec();
      expect(res.length).toBe(41);
      for (let i = 0; i < 20; i++) {
        expect(res[2 * i]).toEqual([null, 'OK']);
        expect(res[2 * i + 1]).toEqual([null, i + 1]);
      }
      expect(res[40]![0]).toBeInstanceOf(Error);
    });

    it('mixes direct, fanned-out, refused and failing commands in one pipeline, in call order', async () => {
      const keys = Array.from({ length: 12 }, (_, i) => `pm:${i}`);
      const spread = keys.filter((k, i, a) => a.findIndex((x) => client.locate(x) === client.locate(k)) === i);
      const p = client.pipeline().set('pm:str', 'x').mget(keys).call('RENAME', spread[0]!, spread[1]!).incr('pm:str').call('LPUSH', 'pm:str', 'v').get('pm:str').call('DBSIZE');
      const res = await p.exec();
      expect(res[0]).toEqual([null, 'OK']);
      expect(res[1]).toEqual([null, keys.map(() => null)]);
      expect(res[2]![0]).toMatchObject({ code: 'ERR_CROSS_SHARD' });
      expect(res[3]![0]).toMatchObject({ code: 'ERR_REPLY' });
      expect((res[4]![0] as { prefix?: string }).prefix).toBe('WRONGTYPE');
      expect(res[5]).toEqual([null, 'x']);
      expect(res[6]![0]).toBeNull();
      expect(typeof res[6]![1]).toBe('number');
      expect(await client.pipeline().exec()).toEqual([]);
    });

    it('runs MULTI/EXEC on one shard and refuses keys on different shards', async () => {
      const r = await client.multi().set('{acct:1}:balance', '10').incrby('{acct:1}:balance', 5).get('{acct:1}:balance').exec();
      expect(r).toEqual(['OK', 15, '15']);
      const keys = Array.from({ length: 10 }, (_, i) => `tx:${i}`);
      const spread = keys.filter((k, i, a) => a.findIndex((x) => client.locate(x) === client.locate(k)) === i);
      const tx = client.multi();
      for (const k of spread) tx.set(k, '1');
      await expect(tx.exec()).rejects.toBeInstanceOf(CrossShardError);
      await expect(client.call('RENAME', spread[0]!, spread[1]!)).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
    });

    it('speaks lists, hashes and sets with typed methods', async () => {
      expect(await client.rpush('q', 'a', 'b', 'c')).toBe(3);
      expect(await client.lpop('q')).toBe('a');
      expect(await client.lrange('q', 0, -1)).toEqual(['b', 'c']);
      expect(await client.hset('h', { name: 'Ada', lang: 'en' })).toBe(2);
      expect(await client.hgetall('h')).toEqual({ name: 'Ada', lang: 'en' });
      expect(await client.sadd('tags', 'x', 'y', 'x')).toBe(2);
      expect((await client.smembers('tags')).sort()).toEqual(['x', 'y']);
      expect(await client.sismember('tags', 'y')).toBe(true);
    });

    it('surfaces server errors as ReplyError values with a prefix', async () => {
      await client.set('str', 'x');
      await expect(client.incr('str')).rejects.toBeInstanceOf(ReplyError);
      // Unknown to the table and to the servers: the server's own error.
      await expect(client.call('NOSUCH')).rejects.toMatchObject({ code: 'ERR_REPLY', prefix: 'ERR' });
      await expect(client.call('NOSUCH')).rejects.toThrow(/unknown command 'NOSUCH'/);
    });

    it('times out commands on a frozen node, and only that shard fails', async () => {
      const frozen = nodes[0]!;
      const key = Array.from({ length: 100 }, (_, i) => `f:${i}`).find((k) => client.locate(k) === 's0')!;
      const other = Array.from({ length: 100 }, (_, i) => `g:${i}`).find((k) => client.locate(k) === 's1')!;
      frozen.signal('SIGSTOP');
      try {
        await expect(client.get(key)).rejects.toBeInstanceOf(CommandTimeoutError);
        expect(await client.set(other, 'fine')).toBe('OK');
      } finally {
        frozen.signal('SIGCONT');
      }
      // Late replies from the thawed node are consumed and dropped: the next command matches its own reply.
      expect(await client.set(key, 'after')).toBe('OK');
      expect(await client.get(key)).toBe('after');
    });
  });
}

describe('RingClient reconnects and bounds its offline queue', () => {
  it('reconnects after a node restart on the same port', async () => {
    const node = await startRingcache();
    const client = new RingClient({ shards: [{ name: 'only', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 500, reconnect: { maxDelayMs: 200 } });
    try {
      expect(await client.set('k', 'v')).toBe('OK');
      await node.stop();
      const again = await startRingcache({ port: node.port });
      try {
        let ok = false;
        for (let i = 0; i < 50 && !ok; i++) {
          ok = await client.ping().then(() => true, () => false);
          if (!ok) await new Promise((r) => setTimeout(r, 100));
        }
        expect(ok).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      await client.close();
    }
  });

  it('rejects with ERR_OFFLINE_QUEUE_FULL when a node stays unreachable', async () => {
    const client = new RingClient({ shards: [{ name: 'gone', master: '127.0.0.1:1' }], offlineQueueMax: 5, commandTimeoutMs: 500 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => client.get(`k${i}`)));
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'));
      expect(codes.filter((c) => c === 'ERR_OFFLINE_QUEUE_FULL').length).toBe(3);
      expect(codes.every((c) => c !== 'ok')).toBe(true);
    } finally {
      await client.close();
    }
  });
});
