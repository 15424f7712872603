/**
 * `keyPrefix` against two real redis-servers: every key a command names lands on the server with
 * the prefix (single-key, fan-out, hash tags, EVAL's KEYS, pipelines, transactions, Buffer keys),
 * placement is by the prefixed key, SCAN/KEYS see only this client's keys (MATCH prefixed, glob
 * characters of the prefix escaped), and keys in replies (SCAN, KEYS, RANDOMKEY, BLPOP, XREAD)
 * come back without the prefix. A client without the prefix shows what the servers hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('keyPrefix on redis-server', () => {
  let nodes: ServerProcess[] = [];
  let c: RingClient;
  let plain: RingClient;
  beforeAll(async () => {
    nodes = await Promise.all([startRedis(), startRedis()]);
    const shards = nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` }));
    c = await RingClient.connect({ shards, keyPrefix: 'app[1]:' });
    plain = await RingClient.connect({ shards });
  });
  afterAll(async () => {
    await Promise.allSettled([c?.close(), plain?.close()]);
    await Promise.all(nodes.map((n) => n.stop()));
  });

  it('prefixes single keys, fan-out, Buffer keys and hash tags; places by the prefixed key', async () => {
    expect(await c.set('user:1', 'ann')).toBe('OK');
    expect(await plain.get('app[1]:user:1')).toBe('ann');
    expect(await plain.get('user:1')).toBeNull();
    expect(c.locate('user:1')).toBe(plain.locate('app[1]:user:1'));

    const keys = Array.from({ length: 20 }, (_, i) => `m:${i}`);
    expect(new Set(keys.map((k) => c.locate(k))).size).toBe(2); // the MSET/MGET fan out to both
    await c.mset(keys.map((k) => [k, `v-${k}`] as [string, string]));
    expect(await plain.mget(keys.map((k) => `app[1]:${k}`))).toEqual(keys.map((k) => `v-${k}`));
    expect(await c.mget(keys)).toEqual(keys.map((k) => `v-${k}`));
    expect(await c.exists(...keys)).toBe(20);
    expect(await c.del(...keys.slice(0, 10))).toBe(10);

    await c.set(Buffer.from('bin:1'), 'b');
    expect(await plain.get('app[1]:bin:1')).toBe('b');
    // A hash tag still co-locates: the tag is inside the prefixed key.
    expect(c.locate('{acct}:a')).toBe(c.locate('{acct}:b'));
  });

  it("prefixes EVAL's KEYS, pipelines and transactions", async () => {
    await c.set('e:1', 'x');
    expect(await c.call('EVAL', 'return {KEYS[1], redis.call("GET", KEYS[1])}', 1, 'e:1')).toEqual(['app[1]:e:1', 'x']);
    const res = await c.pipeline().set('p:1', 'one').get('p:1').exec();
    expect(res).toEqual([[null, 'OK'], [null, 'one']]);
    expect(await plain.get('app[1]:p:1')).toBe('one');
    const tx = await c.multi().set('{t}:a', '1').incr('{t}:a').exec();
    expect(tx).toEqual(['OK', 2]);
    expect(await plain.get('app[1]:{t}:a')).toBe('2');
    // watch(): WATCH, the scope's reads and the transaction all use the prefixed keys.
    await c.set('{w}:n', '5');
    const out = await c.watch('{w}:n', async (tx) => {
      const n = Number(await tx.get('{w}:n'));
      return tx.multi().set('{w}:n', String(n + 1));
    });
    expect(out).toEqual(['OK']);
    expect(await plain.get('app[1]:{w}:n')).toBe('6');
  });

  it('SCAN and KEYS see only prefixed keys and return them stripped; RANDOMKEY, BLPOP and XREAD too', async () => {
    await plain.set('other:1', 'not ours'); // written without the prefix
    await plain.set('app1:x', 'not ours either'); // would match an unescaped glob 'app[1]:*'
    const scanned: string[] = [];
    for await (const k of c.scanIterator({ match: 'user:*' })) scanned.push(k);
    expect(scanned).toEqual(['user:1']);
    const all: string[] = [];
    for await (const k of c.scanIterator()) all.push(k);
    expect(all).not.toContain('other:1');
    expect(all).not.toContain('app1:x');
    expect(all.every((k) => !k.startsWith('app[1]:'))).toBe(true);
    expect(all).toContain('user:1');
    expect((await c.keys('user:*')).sort()).toEqual(['user:1']);
    // RANDOMKEY's pick is often another client's key here; randomkey() still answers one of ours.
    for (let i = 0; i < 50; i++) await plain.set(`other:${i}`, 'not ours');
    for (let i = 0; i < 20; i++) expect(all).toContain(await c.randomkey());

    await c.rpush('queue', 'job');
    expect(await c.blpop(['queue'], 1)).toEqual({ key: 'queue', element: 'job' });
    expect(await plain.exists('app[1]:queue')).toBe(0);

    await c.xadd('events', '*', { a: '1' });
    const read = (await c.call('XREAD', 'STREAMS', 'events', '0')) as [string, unknown][] | Map<string, unknown>;
    const names = read instanceof Map ? [...read.keys()] : read.map((pair) => pair[0]);
    expect(names).toEqual(['events']);
    expect(await plain.xlen('app[1]:events')).toBe(1);
  });
});
