/**
 * The typed geo, SORT and DUMP/RESTORE methods against three real nodes, for each backend
 * (ringcache-server, redis-server) and each protocol (RESP2, RESP3): the same JS values in all
 * four combinations, and a DUMP from one backend restoring on the other. Keys that must share a
 * shard use {hash tags}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { CrossShardError, InvalidArgumentError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

const SICILY = [
  { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' },
  { longitude: 15.087269, latitude: 37.502669, member: 'Catania' },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`geo, SORT and DUMP methods on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    for (const protocol of [2, 3] as const) {
      describe(`RESP${protocol}`, () => {
        let c: RingClient;
        const t = (k: string): string => `{g${protocol}}:${k}`;
        beforeAll(() => {
          c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), protocol, commandTimeoutMs: 3000 });
        });
        afterAll(async () => {
          await c.close();
        });

        it('geo', async () => {
          const k = t('sicily');
          expect(await c.geoadd(k, SICILY)).toBe(2);
          expect(await c.geoadd(k, { longitude: 13.36, latitude: 38.11, member: 'Palermo' }, { xx: true, ch: true })).toBe(1);
          expect(await c.geoadd(k, SICILY[0]!, { nx: true })).toBe(0);
          const [pa, none] = await c.geopos(k, ['Catania', 'nowhere']);
          expect(pa!.longitude).toBeCloseTo(15.087269, 5);
          expect(pa!.latitude).toBeCloseTo(37.502669, 5);
          expect(none).toBeNull();
          expect(await c.geodist(k, 'Palermo', 'Catania', 'km')).toBeCloseTo(166.2, 0);
          expect(await c.geodist(k, 'Palermo', 'nowhere')).toBeNull();
          expect(await c.geohash(k, ['Catania', 'nowhere'])).toEqual(['sqdtr74hyu0', null]);
          expect(await c.geosearch(k, { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, { order: 'ASC' })).toEqual(['Catania', 'Palermo']);
          expect(await c.geosearch(k, { member: 'Palermo' }, { width: 400, height: 400, unit: 'km' }, { order: 'DESC', count: 1 })).toEqual(['Catania']);
          const withAll = await c.geosearchWith(k, { longitude: 15, latitude: 37 }, { radius: 100, unit: 'km' }, { withDist: true, withHash: true, withCoord: true });
          expect(withAll).toHaveLength(1);
          expect(withAll[0]!.member).toBe('Catania');
          expect(withAll[0]!.distance).toBeCloseTo(56.4413, 4);
          expect(withAll[0]!.hash).toBe(3479447370796909);
          expect(withAll[0]!.coordinates!.longitude).toBeCloseTo(15.087269, 5);
          expect(await c.geosearchstore(t('near'), k, { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, { storeDist: true })).toBe(2);
          expect(await c.zscore(t('near'), 'Catania')).toBeCloseTo(56.4413, 3);
          await expect(c.geoadd(k, { longitude: NaN, latitude: 0, member: 'x' })).rejects.toThrow(InvalidArgumentError);
          await expect(c.geosearch(k, { member: 'x' }, { radius: 1, unit: 'km' }, { any: true })).rejects.toThrow(InvalidArgumentError);
        });

        it('sort', async () => {
          const l = t('list');
          await c.rpush(l, '3', '1', '2');
          await c.mset({ [t('w_1')]: '30', [t('w_2')]: '20', [t('w_3')]: '10' });
          expect(await c.sort(l)).toEqual(['1', '2', '3']);
          expect(await c.sort(l, { order: 'DESC', limit: { offset: 0, count: 2 } })).toEqual(['3', '2']);
          expect(await c.sort(l, { by: t('w_*'), get: ['#', t('w_*'), t('none_*')] })).toEqual(['3', '10', null, '2', '20', null, '1', '30', null]);
          expect(await c.sortRo(l, { by: 'nosort', alpha: true })).toEqual(['3', '1', '2']);
          expect(await c.sortStore(l, t('sorted'), { by: t('w_*') })).toBe(3);
          expect(await c.lrange(t('sorted'), 0, -1)).toEqual(['3', '2', '1']);
        });

        it('refuses SORT … STORE and GEOSEARCHSTORE across shards', async () => {
          const keys = Array.from({ length: 50 }, (_, i) => `spread:${protocol}:${i}`);
          const a = keys[0]!;
          const b = keys.find((k) => c.locate(k) !== c.locate(a))!;
          await expect(c.sortStore(a, b)).rejects.toBeInstanceOf(CrossShardError);
          await expect(c.geosearchstore(a, b, { member: 'x' }, { radius: 1, unit: 'km' })).rejects.toBeInstanceOf(CrossShardError);
        });

        it('dump and restore', async () => {
          const h = t('hash');
          await c.hset(h, { f: 'v', n: '1' });
          const payload = await c.dump(h);
          expect(Buffer.isBuffer(payload)).toBe(true);
          expect(await c.dump(t('missing'))).toBeNull();
          expect(await c.restore(t('copy'), payload!, { ttl: 100_000 })).toBe('OK');
          expect(await c.hgetall(t('copy'))).toEqual({ f: 'v', n: '1' });
          expect(await c.pttl(t('copy'))).toBeGreaterThan(90_000);
          await expect(c.restore(t('copy'), payload!)).rejects.toMatchObject({ prefix: 'BUSYKEY' });
          expect(await c.restore(t('copy'), payload!, { replace: true, idleTime: 10 })).toBe('OK');
          await expect(c.restore(t('copy'), payload!, { idleTime: 1, freq: 1 })).rejects.toThrow(InvalidArgumentError);
        });
      });
    }
  });
}

describe.skipIf(!hasRedis())('DUMP payloads between the two backends through the client', () => {
  it('a payload dumped from redis-server restores on ringcache-server and back', async () => {
    const [ours, redis] = await Promise.all([startRingcache(), startRedis()]);
    const a = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${ours.port}` }] });
    const b = new RingClient({ shards: [{ name: 'b', master: `127.0.0.1:${redis.port}` }] });
    try {
      await b.zadd('z', { a: 1, b: 2.5 });
      await a.restore('z', (await b.dump('z'))!);
      expect(await a.zrange('z', 0, -1, { withScores: true })).toEqual([{ member: 'a', score: 1 }, { member: 'b', score: 2.5 }]);
      await a.rpush('l', 'x', 'y');
      await b.restore('l', (await a.dump('l'))!);
      expect(await b.lrange('l', 0, -1)).toEqual(['x', 'y']);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([ours.stop(), redis.stop()]);
    }
  });
});
