/**
 * The typed command methods against three real nodes, for each backend (ringcache-server,
 * redis-server) and each protocol (RESP2, RESP3): every method must return the same JS types in
 * all four combinations. Keys that must share a shard use {hash tags}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { CrossShardError } from '../../src/errors.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`typed commands on 3 × ${backend.name}`, () => {
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
        const t = (k: string): string => `{p${protocol}}:${k}`;
        beforeAll(() => {
          c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), protocol, commandTimeoutMs: 3000 });
        });
        afterAll(async () => {
          await c.close();
        });

        it('strings', async () => {
          const k = `p${protocol}:str`;
          expect(await c.set(k, 'hello')).toBe('OK');
          expect(await c.set(k, 'x', { nx: true })).toBeNull();
          expect(await c.set(k, 'world', { get: true })).toBe('hello');
          expect(await c.append(k, '!')).toBe(6);
          expect(await c.strlen(k)).toBe(6);
          expect(await c.getrange(k, 0, 2)).toBe('wor');
          expect((await c.getrangeBuffer(k, 0, 2)).equals(Buffer.from('wor'))).toBe(true);
          expect(await c.setrange(k, 0, 'W')).toBe(6);
          expect(await c.getBuffer(k)).toEqual(Buffer.from('World!'));
          expect(await c.getex(k, { ex: 100 })).toBe('World!');
          expect(await c.ttl(k)).toBeGreaterThan(0);
          expect(await c.getex(k, { persist: true })).toBe('World!');
          expect(await c.ttl(k)).toBe(-1);
          expect(await c.getdel(k)).toBe('World!');
          expect(await c.get(k)).toBeNull();
          expect(await c.setnx(k, '1')).toBe(true);
          expect(await c.setnx(k, '2')).toBe(false);
          expect(await c.getset(k, '10')).toBe('1');
          expect(await c.incrby(k, 5)).toBe(15);
          expect(await c.decrby(k, 3)).toBe(12);
          expect(await c.decr(k)).toBe(11);
          expect(await c.incrbyfloat(k, 0.5)).toBe(11.5);
          expect(await c.setex(k, 100, 'v')).toBe('OK');
          expect(await c.psetex(k, 100_000, 'v')).toBe('OK');
          expect(await c.pttl(k)).toBeGreaterThan(0);
          expect(await c.set(Buffer.from(k), Buffer.from([0, 255, 1]))).toBe('OK');
          expect(await c.getBuffer(k)).toEqual(Buffer.from([0, 255, 1]));
          expect(await c.mset({ [t('a')]: 'ohmytext', [t('b')]: 'mynewtext' })).toBe('OK');
          if (backend.name === 'redis-server') {
            // ringcache-server does not implement LCS yet (the table declares it; the node answers unknown command).
            expect(await c.lcs(t('a'), t('b'))).toBe('mytext');
            expect(await c.lcsLen(t('a'), t('b'))).toBe(6);
          }
          expect(await c.msetnx([[t('a'), '1'], [t('c'), '2']])).toBe(false);
          expect(await c.msetnx(new Map([[t('d'), '1'], [t('e'), '2']]))).toBe(true);
          const spread = Array.from({ length: 20 }, (_, i) => `p${protocol}:nx${i}`);
          await expect(c.msetnx(spread.map((s) => [s, '1'] as const))).rejects.toBeInstanceOf(CrossShardError);
          expect(await c.mgetBuffer([t('d'), 'nope'])).toEqual([Buffer.from('1'), null]);
        });

        it('keys', async () => {
          const k = `p${protocol}:key`;
          await c.set(k, 'v');
          expect(await c.type(k)).toBe('string');
          expect(await c.type('nothing-here')).toBe('none');
          expect(await c.expire(k, 100, { nx: true })).toBe(true);
          expect(await c.expire(k, 50, { gt: true })).toBe(false);
          expect(await c.expire(k, 50, { lt: true })).toBe(true);
          expect(await c.pexpire(k, 200_000, { xx: true, gt: true })).toBe(true);
          const at = Math.floor(Date.now() / 1000) + 500;
          expect(await c.expireat(k, at)).toBe(true);
          expect(await c.expiretime(k)).toBe(at);
          expect(await c.pexpireat(k, at * 1000)).toBe(true);
          expect(await c.pexpiretime(k)).toBe(at * 1000);
          expect(await c.persist(k)).toBe(true);
          expect(await c.persist(k)).toBe(false);
          expect(await c.touch(k, 'nope')).toBe(1);
          await c.set(t('r1'), 'v');
          expect(await c.rename(t('r1'), t('r2'))).toBe('OK');
          await c.set(t('r3'), 'w');
          expect(await c.renamenx(t('r2'), t('r3'))).toBe(false);
          expect(await c.copy(t('r2'), t('r3'))).toBe(false);
          expect(await c.copy(t('r2'), t('r3'), { replace: true })).toBe(true);
          expect(await c.get(t('r3'))).toBe('v');
          expect(await c.unlink(t('r2'), t('r3'), k)).toBe(3);
          expect(typeof (await c.randomkey())).toBe('string');
        });

        it('scans every shard with an async iterator', async () => {
          const keys = Array.from({ length: 40 }, (_, i) => `p${protocol}:scan:${i}`);
          await c.mset(keys.map((k) => [k, 'v'] as const));
          expect(new Set(keys.map((k) => c.locate(k))).size).toBe(3);
          const seen = new Set<string>();
          for await (const k of c.scanIterator({ match: `p${protocol}:scan:*`, count: 7 })) seen.add(k);
          expect([...seen].sort()).toEqual([...keys].sort());
          expect((await c.keys(`p${protocol}:scan:*`)).sort()).toEqual([...keys].sort());
          const page = await c.scan('s0', 0, { match: `p${protocol}:scan:*`, type: 'string' });
          expect(typeof page.cursor).toBe('string');
          expect(await c.del(...keys)).toBe(40);
        });

        it('lists', async () => {
          const k = t('list');
          expect(await c.rpush(k, 'a', 'b', 'c', 'b')).toBe(4);
          expect(await c.lpushx(t('nolist'), 'x')).toBe(0);
          expect(await c.rpushx(k, 'd')).toBe(5);
          expect(await c.lpos(k, 'b')).toBe(1);
          expect(await c.lpos(k, 'b', { rank: -1 })).toBe(3);
          expect(await c.lpos(k, 'b', undefined, 0)).toEqual([1, 3]);
          expect(await c.lpos(k, 'zz')).toBeNull();
          expect(await c.linsert(k, 'before', 'c', 'x')).toBe(6);
          expect(await c.lindex(k, 2)).toBe('x');
          expect(await c.lindexBuffer(k, 2)).toEqual(Buffer.from('x'));
          expect(await c.lset(k, 2, 'y')).toBe('OK');
          expect(await c.lrem(k, 0, 'b')).toBe(2);
          expect(await c.lrange(k, 0, -1)).toEqual(['a', 'y', 'c', 'd']);
          expect(await c.lrangeBuffer(k, 0, 0)).toEqual([Buffer.from('a')]);
          expect(await c.ltrim(k, 0, 2)).toBe('OK');
          expect(await c.lmove(k, t('list2'), 'left', 'right')).toBe('a');
          expect(await c.rpoplpush(k, t('list2'))).toBe('c');
          expect(await c.lpop(k)).toBe('y');
          expect(await c.lpop(k)).toBeNull();
          expect(await c.rpush(k, '1', '2', '3')).toBe(3);
          expect(await c.lpop(k, 2)).toEqual(['1', '2']);
          expect(await c.rpop(k, 5)).toEqual(['3']);
          expect(await c.rpop(k, 5)).toBeNull();
          expect(await c.lmpop([k, t('list2')], 'left', { count: 1 })).toEqual({ key: t('list2'), elements: ['c'] });
          expect(await c.lmpop([k], 'right')).toBeNull();
          expect(await c.llen(t('list2'))).toBe(1);
          expect(await c.rpopBuffer(t('list2'))).toEqual(Buffer.from('a'));
        });

        it('blocking pops run on exclusive connections and honour their timeout', async () => {
          const k = t('bq');
          const waiting = c.blpop([k, t('bq2')], 5);
          const busy = c.brpop([t('other')], 0.2);
          await new Promise((r) => setTimeout(r, 50));
          expect(await c.set(t('free'), 'shared connection not blocked')).toBe('OK');
          await c.rpush(t('bq2'), 'job');
          expect(await waiting).toEqual({ key: t('bq2'), element: 'job' });
          expect(await busy).toBeNull();
          await c.rpush(k, 'm1');
          expect(await c.blmove(k, t('bq3'), 'left', 'left', 1)).toBe('m1');
          expect(await c.blmpop(0.1, [k], 'left')).toBeNull();
          await c.rpush(k, 'm2', 'm3');
          expect(await c.blmpop(1, [k], 'right', { count: 5 })).toEqual({ key: k, elements: ['m3', 'm2'] });
          expect(await c.brpoplpush(t('bq3'), k, 1)).toBe('m1');
          await c.zadd(t('bz'), [{ member: 'a', score: 1 }, { member: 'b', score: 2 }]);
          expect(await c.bzpopmin([t('bz')], 1)).toEqual({ key: t('bz'), member: 'a', score: 1 });
          expect(await c.bzpopmax([t('bz')], 1)).toEqual({ key: t('bz'), member: 'b', score: 2 });
          expect(await c.bzmpop(0.1, [t('bz')], 'min')).toBeNull();
          expect(c.stats().shards.some((s) => s.master.exclusive.size > 0)).toBe(true);
        });

        it('hashes', async () => {
          const k = t('hash');
          expect(await c.hset(k, { name: 'Ada', lang: 'en' })).toBe(2);
          expect(await c.hset(k, [['n', '1']])).toBe(1);
          expect(await c.hsetnx(k, 'n', '2')).toBe(false);
          expect(await c.hget(k, 'name')).toBe('Ada');
          expect(await c.hgetBuffer(k, 'name')).toEqual(Buffer.from('Ada'));
          expect(await c.hmget(k, ['name', 'nope'])).toEqual(['Ada', null]);
          expect(await c.hmgetBuffer(k, ['lang'])).toEqual([Buffer.from('en')]);
          expect(await c.hgetall(k)).toEqual({ name: 'Ada', lang: 'en', n: '1' });
          expect(await c.hgetallBuffer(k)).toEqual({ name: Buffer.from('Ada'), lang: Buffer.from('en'), n: Buffer.from('1') });
          expect(await c.hgetall('no-such-hash')).toEqual({});
          expect(await c.hexists(k, 'lang')).toBe(true);
          expect(await c.hlen(k)).toBe(3);
          expect(await c.hstrlen(k, 'name')).toBe(3);
          expect(await c.hkeys(k)).toEqual(['name', 'lang', 'n']);
          expect(await c.hvals(k)).toEqual(['Ada', 'en', '1']);
          expect(await c.hvalsBuffer(k)).toHaveLength(3);
          expect(await c.hincrby(k, 'n', 4)).toBe(5);
          expect(await c.hincrbyfloat(k, 'n', 0.25)).toBe(5.25);
          expect(['name', 'lang', 'n']).toContain(await c.hrandfield(k));
          expect((await c.hrandfield(k, 3)).sort()).toEqual(['lang', 'n', 'name']);
          const pairs = await c.hrandfield(k, 3, { withValues: true });
          expect(pairs.sort()).toEqual([['lang', 'en'], ['n', '5.25'], ['name', 'Ada']]);
          const page = await c.hscan(k, 0);
          expect(page.cursor).toBe('0');
          expect(page.items).toContainEqual(['name', 'Ada']);
          const all: [string, string][] = [];
          for await (const e of c.hscanIterator(k, { match: 'n*' })) all.push(e);
          expect(all.sort()).toEqual([['n', '5.25'], ['name', 'Ada']]);
          expect(await c.hdel(k, 'n', 'nope')).toBe(1);
        });

        it('sets', async () => {
          const a = t('set:a');
          const b = t('set:b');
          expect(await c.sadd(a, '1', '2', '3')).toBe(3);
          expect(await c.sadd(b, '2', '3', '4')).toBe(3);
          expect(await c.smismember(a, ['1', '4'])).toEqual([true, false]);
          expect((await c.sinter(a, b)).sort()).toEqual(['2', '3']);
          expect((await c.sunion(a, b)).sort()).toEqual(['1', '2', '3', '4']);
          expect(await c.sdiff(a, b)).toEqual(['1']);
          expect(await c.sinterstore(t('set:i'), [a, b])).toBe(2);
          expect(await c.sunionstore(t('set:u'), [a, b])).toBe(4);
          expect(await c.sdiffstore(t('set:d'), [a, b])).toBe(1);
          expect(await c.sintercard([a, b], { limit: 1 })).toBe(1);
          expect(await c.smove(a, b, '1')).toBe(true);
          expect(await c.scard(b)).toBe(4);
          expect(['2', '3']).toContain(await c.srandmember(a));
          expect((await c.srandmember(a, 5)).sort()).toEqual(['2', '3']);
          expect((await c.smembersBuffer(a)).map(String).sort()).toEqual(['2', '3']);
          expect(['2', '3']).toContain(await c.spop(a));
          expect(await c.spop(a, 5)).toHaveLength(1);
          expect(await c.spop(a)).toBeNull();
          const seen: string[] = [];
          for await (const m of c.sscanIterator(b)) seen.push(m);
          expect(seen.sort()).toEqual(['1', '2', '3', '4']);
          expect((await c.sscan(b, 0, { count: 100 })).items.sort()).toEqual(['1', '2', '3', '4']);
          const x = Array.from({ length: 20 }, (_, i) => `p${protocol}:sx${i}`);
          await expect(c.sinter(...x)).rejects.toMatchObject({ code: 'ERR_CROSS_SHARD' });
        });

        it('sorted sets', async () => {
          const z = t('z');
          expect(await c.zadd(z, { a: 1, b: 2, c: 3.5 })).toBe(3);
          expect(await c.zadd(z, [{ member: 'd', score: Infinity }, { member: 'a', score: 1.5 }], { ch: true })).toBe(2);
          expect(await c.zadd(z, { member: 'b', score: 1 }, { gt: true })).toBe(0);
          expect(await c.zadd(z, { member: 'b', score: 1 }, { incr: true })).toBe(3);
          expect(await c.zadd(z, { member: 'b', score: 1 }, { nx: true, incr: true })).toBeNull();
          expect(await c.zincrby(z, -0.5, 'b')).toBe(2.5);
          expect(await c.zscore(z, 'd')).toBe(Infinity);
          expect(await c.zscore(z, 'nope')).toBeNull();
          expect(await c.zmscore(z, ['a', 'nope'])).toEqual([1.5, null]);
          expect(await c.zcard(z)).toBe(4);
          expect(await c.zrange(z, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
          expect(await c.zrange(z, 0, 1, { withScores: true })).toEqual([{ member: 'a', score: 1.5 }, { member: 'b', score: 2.5 }]);
          expect(await c.zrange(z, '+inf', 2, { by: 'score', rev: true, limit: { offset: 1, count: 2 } })).toEqual(['c', 'b']);
          expect(await c.zrange(z, '(1.5', 3, { by: 'score', withScores: true })).toEqual([{ member: 'b', score: 2.5 }]);
          expect(await c.zrangeBuffer(z, 0, 0)).toEqual([Buffer.from('a')]);
          expect(await c.zrangeBufferWithScores(z, -1, -1)).toEqual([{ member: Buffer.from('d'), score: Infinity }]);
          expect(await c.zrank(z, 'c')).toBe(2);
          expect(await c.zrevrank(z, 'c')).toBe(1);
          expect(await c.zrank(z, 'nope')).toBeNull();
          expect(await c.zcount(z, 2, Infinity)).toBe(3);
          expect(await c.zcount(z, -Infinity, '(2.5')).toBe(1);
          const lex = t('lex');
          await c.zadd(lex, { a: 0, b: 0, c: 0, d: 0 });
          expect(await c.zlexcount(lex, '[b', '+')).toBe(3);
          expect(await c.zrange(lex, '[b', '(d', { by: 'lex' })).toEqual(['b', 'c']);
          expect(await c.zrangestore(t('dst'), lex, '-', '[b', { by: 'lex' })).toBe(2);
          expect(await c.zremrangebylex(lex, '[c', '+')).toBe(2);
          expect(await c.zpopmin(z)).toEqual({ member: 'a', score: 1.5 });
          expect(await c.zpopmax(z, 1)).toEqual([{ member: 'd', score: Infinity }]);
          expect(await c.zpopmin(t('empty'))).toBeNull();
          expect(await c.zpopmin(t('empty'), 2)).toEqual([]);
          expect(await c.zrandmember(z, 2, { withScores: true })).toHaveLength(2);
          expect(['b', 'c']).toContain(await c.zrandmember(z));
          expect((await c.zrandmember(z, 5)).sort()).toEqual(['b', 'c']);
          const y = t('y');
          await c.zadd(y, { b: 10, x: 1 });
          expect(await c.zunion([z, y], { weights: [1, 2], aggregate: 'max', withScores: true })).toEqual([
            { member: 'x', score: 2 },
            { member: 'c', score: 3.5 },
            { member: 'b', score: 20 },
          ]);
          expect(await c.zinter([z, y], { aggregate: 'min' })).toEqual(['b']);
          expect(await c.zinter([z, y], { withScores: true })).toEqual([{ member: 'b', score: 12.5 }]);
          expect(await c.zdiff([z, y])).toEqual(['c']);
          expect(await c.zdiff([z, y], { withScores: true })).toEqual([{ member: 'c', score: 3.5 }]);
          expect(await c.zunionstore(t('u'), [z, y])).toBe(3);
          expect(await c.zinterstore(t('i'), [z, y], { weights: [0, 1] })).toBe(1);
          expect(await c.zdiffstore(t('d'), [z, y])).toBe(1);
          expect(await c.zintercard([z, y])).toBe(1);
          expect(await c.zmpop([t('empty'), y], 'max', { count: 1 })).toEqual({ key: y, members: [{ member: 'b', score: 10 }] });
          expect(await c.zmpop([t('empty')], 'min')).toBeNull();
          const scanned: { member: string; score: number }[] = [];
          for await (const m of c.zscanIterator(z)) scanned.push(m);
          expect(scanned).toEqual([{ member: 'b', score: 2.5 }, { member: 'c', score: 3.5 }]);
          expect((await c.zscan(z, 0)).items).toHaveLength(2);
          expect(await c.zrem(z, 'b', 'nope')).toBe(1);
          expect(await c.zremrangebyscore(y, '-inf', '+inf')).toBe(1);
          await c.zadd(z, { q: 1, r: 2 });
          expect(await c.zremrangebyrank(z, 0, 0)).toBe(1);
        });
      });
    }
  });
}
