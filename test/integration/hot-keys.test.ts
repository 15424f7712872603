/**
 * Hot keys on a real ringcache-server: RINGCACHE.HOTKEYS [COUNT n] under any maxmemory policy
 * (RESP2 and RESP3, argument errors, `hotkeys-sampling` on and off, its COMMAND INFO), real
 * Redis's answer to it (unknown command: the dashboard's "not available"), and the real
 * `redis-cli --hotkeys` listing a key hammered by redis-benchmark under allkeys-lfu.
 */

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childFrames, RawClient } from '../helpers/raw-client.js';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

let srv: ServerProcess;
const clients: RawClient[] = [];

async function client(port = srv.port): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

/** RINGCACHE.HOTKEYS's RESP2 reply as [key, count] pairs. */
function pairs(reply: string): [string, number][] {
  return childFrames(reply).map((pair) => {
    const [k, n] = childFrames(pair);
    return [k!.split('\r\n')[1]!, Number(n!.slice(1, -2))];
  });
}

/** `n` GETs of `key` in one pipeline. */
async function hammer(c: RawClient, key: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) c.send(['GET', key]);
  for (let i = 0; i < n; i++) await c.next();
}

beforeAll(async () => {
  srv = await startRingcache();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await srv?.stop();
});

describe('RINGCACHE.HOTKEYS', () => {
  it('lists the hottest keys first with estimated counts, under noeviction', async () => {
    const c = await client();
    expect(await c.call('CONFIG', 'GET', 'maxmemory-policy')).toContain('noeviction');
    for (let i = 0; i < 200; i++) c.send(['SET', `cold:${i}`, 'v']);
    for (let i = 0; i < 200; i++) await c.next();
    await c.call('SET', 'hot', 'v');
    await c.call('SET', 'warm', 'v');
    for (let round = 0; round < 5; round++) {
      await hammer(c, 'hot', 1000);
      await hammer(c, 'warm', 300);
      for (let i = 0; i < 200; i++) c.send(['GET', `cold:${i}`]);
      for (let i = 0; i < 200; i++) await c.next();
    }
    const top = pairs(await c.call('RINGCACHE.HOTKEYS'));
    expect(top.length).toBeLessThanOrEqual(10);
    expect(top[0]![0]).toBe('hot');
    // 5,000 reads sampled one in 16 on average, each counting 16: the estimate is near 5,000.
    expect(top[0]![1]).toBeGreaterThan(2500);
    expect(top[0]![1]).toBeLessThan(10000);
    expect(top[1]![0]).toBe('warm');
    for (let i = 1; i < top.length; i++) expect(top[i - 1]![1]).toBeGreaterThanOrEqual(top[i]![1]);
    expect(pairs(await c.call('ringcache.hotkeys', 'count', '1'))).toEqual([top[0]]);
    expect(pairs(await c.call('RINGCACHE.HOTKEYS', 'COUNT', '1000')).length).toBeLessThanOrEqual(32);
    expect(await c.call('RINGCACHE.HOTKEYS', 'COUNT', '0')).toBe('*0\r\n');
  });

  it('answers RESP3 with the same array of [key, count] pairs', async () => {
    const c = await client();
    await c.call('HELLO', '3');
    await c.call('SET', 'resp3-hot', 'v');
    await hammer(c, 'resp3-hot', 2000);
    const reply = await c.call('RINGCACHE.HOTKEYS', 'COUNT', '2');
    expect(reply).toMatch(/^\*2\r\n(\*2\r\n\$\d+\r\n[^\r]+\r\n:\d+\r\n){2}$/);
    expect(reply).toContain('resp3-hot');
  });

  it('refuses bad arguments with Redis texts', async () => {
    const c = await client();
    expect(await c.call('RINGCACHE.HOTKEYS', 'COUNT')).toBe('-ERR syntax error\r\n');
    expect(await c.call('RINGCACHE.HOTKEYS', 'LIMIT', '3')).toBe('-ERR syntax error\r\n');
    expect(await c.call('RINGCACHE.HOTKEYS', 'COUNT', '-1')).toBe('-ERR value is out of range, must be positive\r\n');
    expect(await c.call('RINGCACHE.HOTKEYS', 'COUNT', 'x')).toBe('-ERR value is out of range, must be positive\r\n');
  });

  it('hotkeys-sampling 0 turns tracking off (and empties it); 1 counts every access', async () => {
    const c = await client();
    expect(await c.call('CONFIG', 'GET', 'hotkeys-sampling')).toBe('*2\r\n$16\r\nhotkeys-sampling\r\n$2\r\n16\r\n');
    expect(await c.call('CONFIG', 'SET', 'hotkeys-sampling', '0')).toBe('+OK\r\n');
    expect(await c.call('RINGCACHE.HOTKEYS')).toBe('*0\r\n');
    await c.call('SET', 'unseen', 'v');
    await hammer(c, 'unseen', 500);
    expect(await c.call('RINGCACHE.HOTKEYS')).toBe('*0\r\n');
    expect(await c.call('CONFIG', 'SET', 'hotkeys-sampling', '1')).toBe('+OK\r\n');
    await c.call('SET', 'exact', 'v');
    await hammer(c, 'exact', 123);
    await c.call('INCR', 'counter');
    await c.call('INCR', 'counter');
    // A key read while it does not exist counts too (a miss storm); EXISTS does not.
    await hammer(c, 'never-set', 77);
    for (let i = 0; i < 500; i++) await c.call('EXISTS', 'exists-only');
    const top = new Map(pairs(await c.call('RINGCACHE.HOTKEYS', 'COUNT', '32')));
    // Every access counted once (the Count-Min estimate can only add collisions).
    expect(top.get('exact')).toBeGreaterThanOrEqual(123);
    expect(top.get('counter')).toBeGreaterThanOrEqual(1);
    expect(top.get('never-set')).toBeGreaterThanOrEqual(77);
    expect(top.has('exists-only')).toBe(false);
    expect(await c.call('CONFIG', 'SET', 'hotkeys-sampling', '-1')).toMatch(/^-ERR CONFIG SET failed \(possibly related to argument 'hotkeys-sampling'\) - argument must be between 0 and/);
    expect(await c.call('CONFIG', 'SET', 'hotkeys-sampling', '16')).toBe('+OK\r\n');
  });

  it('is in the command table: readonly, fast, loading, stale, no keys', async () => {
    const c = await client();
    const info = await c.call('COMMAND', 'INFO', 'ringcache.hotkeys');
    expect(info).toContain('ringcache.hotkeys');
    for (const flag of ['readonly', 'fast', 'loading', 'stale']) expect(info).toContain(`+${flag}\r\n`);
    expect(info).toContain('@read');
    expect(await c.call('COMMAND', 'GETKEYS', 'RINGCACHE.HOTKEYS')).toMatch(/^-ERR/);
  });
});

const skip = redisSkipReason();

describe.skipIf(skip !== null)('against real Redis', () => {
  it('real redis-server answers unknown command (the dashboard reads it as "not available")', async () => {
    const redis = await startRedis();
    try {
      const c = await client(redis.port);
      expect(await c.call('RINGCACHE.HOTKEYS')).toMatch(/^-ERR unknown command 'RINGCACHE\.HOTKEYS'/);
    } finally {
      await redis.stop();
    }
  });

  it('redis-cli --hotkeys lists a key hammered by redis-benchmark (allkeys-lfu)', async () => {
    const lfu = await startRingcache({ args: { 'maxmemory-policy': 'allkeys-lfu' } });
    try {
      const c = await client(lfu.port);
      for (let i = 0; i < 50; i++) await c.call('SET', `other:${i}`, 'v');
      // redis-benchmark -r 1 reads key:000000000000 only.
      await c.call('SET', 'key:000000000000', 'v');
      const bench = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(lfu.port), '-t', 'get', '-n', '20000', '-r', '1', '-c', '4', '-q'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(bench.status).toBe(0);
      const cli = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(lfu.port), '--hotkeys'], { encoding: 'utf8', timeout: 60_000 });
      expect(cli.status).toBe(0);
      const summary = cli.stdout.slice(cli.stdout.indexOf('-------- summary -------'));
      expect(summary).toContain('Sampled 51 keys in the keyspace!');
      const first = /hot key found with counter: (\d+)\tkeyname: "([^"]*)"/.exec(summary);
      expect(first?.[2]).toBe('key:000000000000');
      expect(Number(first?.[1])).toBeGreaterThan(5);
      // Under a policy that is not LFU, redis-cli stops with Redis's error, as against redis-server.
      await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      const refused = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(lfu.port), '--hotkeys'], { encoding: 'utf8', timeout: 60_000 });
      expect(refused.status).toBe(1);
      expect(refused.stdout + refused.stderr).toContain('ERR An LFU maxmemory policy is not selected, access frequency not tracked.');
    } finally {
      await lfu.stop();
    }
  }, 90_000);
});
