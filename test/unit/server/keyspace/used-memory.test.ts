/**
 * The incremental memory account: after a seeded random mix of writes of every type (overwrites,
 * growth and shrinking of collections, TTLs, renames, moves, copies, swaps, flushes, expiry), the
 * dataset total kept incrementally equals a full recount, and client buffers are released when
 * clients go away. Also the LRU/LFU access stamps (counter growth, decay, OBJECT FREQ/IDLETIME).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { lfuDecayed, lfuLogIncr, touchedStamp, initialStamp, LFU_INIT_VAL } from '../../../../src/server/keyspace/access-stamp.js';
import { RawClient } from '../../../helpers/raw-client.js';

/** mulberry32. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCommand(r: () => number): string[] {
  const k = `k${Math.floor(r() * 40)}`;
  const k2 = `k${Math.floor(r() * 40)}`;
  const v = 'x'.repeat(Math.floor(r() * 300));
  const n = String(Math.floor(r() * 1000));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const cmds: (() => string[])[] = [
    () => ['SET', k, v],
    () => ['SET', k, v, 'PX', String(1 + Math.floor(r() * 30))],
    () => ['APPEND', k, v],
    () => ['SETRANGE', k, n, 'abc'],
    () => ['INCRBY', k, n],
    () => ['GETDEL', k],
    () => ['DEL', k, k2],
    () => ['LPUSH', k, v, n],
    () => ['RPUSH', k, n],
    () => ['LPOP', k, '3'],
    () => ['LTRIM', k, '0', '2'],
    () => ['LSET', k, '0', v],
    () => ['HSET', k, `f${n}`, v],
    () => ['HDEL', k, `f${n}`],
    () => ['HINCRBY', k, 'c', n],
    () => ['SADD', k, n, v],
    () => ['SREM', k, n],
    () => ['SPOP', k],
    () => ['ZADD', k, n, `m${n}`],
    () => ['ZREM', k, `m${n}`],
    () => ['ZINCRBY', k, '1.5', `m${n}`],
    () => ['ZPOPMIN', k],
    () => ['EXPIRE', k, '100'],
    () => ['PERSIST', k],
    () => ['RENAME', k, k2],
    () => ['COPY', k, k2, 'REPLACE'],
    () => ['MOVE', k, '1'],
    () => ['SUNIONSTORE', k, k, k2],
    () => ['ZUNIONSTORE', k, '2', k, k2],
    () => ['LMOVE', k, k2, 'LEFT', 'RIGHT'],
    () => ['SMOVE', k, k2, n],
    () => ['MSET', k, v, k2, n],
    () => ['SETBIT', k, n, '1'],
    () => ['BITFIELD', k, 'OVERFLOW', 'FAIL', 'INCRBY', 'u4', n, '20'],
    () => ['BITOP', 'OR', k, k, k2],
    () => ['PFADD', k, n, v],
    () => ['PFCOUNT', k],
    () => ['PFMERGE', k, k2],
    () => ['PFDEBUG', 'TODENSE', k],
    () => ['SELECT', pick(['0', '1'])],
    () => ['SWAPDB', '0', '1'],
    () => (r() < 0.1 ? ['FLUSHDB'] : ['GET', k]),
  ];
  return pick(cmds)();
}

describe('used memory account', () => {
  let srv: RingcacheServer;
  let port: number;
  beforeAll(async () => {
    srv = createServer({ config: { port: 0, hz: 100 }, logSink: () => {} });
    port = await srv.listen();
  });
  afterAll(async () => {
    await srv.close();
  });

  it('the incremental dataset total equals a recount after random writes of every type', async () => {
    const c = await RawClient.connect(port);
    const r = rng(12345);
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 400; i++) await c.call(...randomCommand(r));
      await new Promise((res) => setTimeout(res, 20)); // let some PX keys expire actively
      const incremental = srv.keyspace.memory.dataset;
      expect(srv.keyspace.recountMemory()).toBe(incremental);
    }
    const keys = srv.keyspace.dbs.reduce((n, d) => n + d.size, 0);
    expect(keys).toBeGreaterThan(0);
    await c.call('FLUSHALL');
    expect(srv.keyspace.memory.dataset).toBe(0);
    c.close();
  });

  it('MEMORY USAGE is the accounted size, and INFO memory reports the account', async () => {
    const c = await RawClient.connect(port);
    await c.call('SET', 'sized', 'v'.repeat(1000));
    const usage = Number((await c.call('MEMORY', 'USAGE', 'sized')).slice(1));
    expect(usage).toBeGreaterThan(1000);
    expect(usage).toBeLessThan(1400);
    expect(srv.keyspace.dbs[0]!.dict.get('sized')!.mem).toBe(usage);
    const info = await c.call('INFO', 'memory');
    for (const f of ['used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_startup', 'used_memory_dataset', 'maxmemory', 'maxmemory_human', 'maxmemory_policy', 'mem_fragmentation_ratio', 'mem_not_counted_for_evict']) {
      expect(info).toMatch(new RegExp(`\r\n${f}:`));
    }
    const used = Number(/used_memory:(\d+)/.exec(info)![1]);
    const mem = srv.keyspace.memory;
    expect(used).toBeGreaterThanOrEqual(mem.startup + mem.dataset);
    c.close();
  });

  it('client buffers are counted while pending and released on disconnect', async () => {
    const before = srv.keyspace.memory.clients;
    const c = await RawClient.connect(port);
    // A partial command: a 200 kB bulk of which only the header and half the payload arrived.
    c.writeRaw(`*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$200000\r\n${'z'.repeat(100000)}`);
    await expect.poll(() => srv.keyspace.memory.clients - before).toBeGreaterThanOrEqual(100000);
    c.close();
    await expect.poll(() => srv.keyspace.memory.clients).toBe(before);
  });
});

describe('access stamps', () => {
  it('LFU: new keys start at LFU_INIT_VAL; the counter grows logarithmically and saturates', () => {
    const mode = { lfu: true, lfuLogFactor: 10, lfuDecayTime: 1 };
    const now = Date.now();
    let stamp = initialStamp(mode, now);
    expect(lfuDecayed(stamp, now, 1)).toBe(LFU_INIT_VAL);
    for (let i = 0; i < 1000; i++) stamp = touchedStamp(mode, stamp, now);
    const after1k = lfuDecayed(stamp, now, 1);
    // Redis's table for factor 10: ~18 at 1k hits; always far below linear. The counter is
    // random: reaching 25 within 1k hits has ~3% probability, reaching 40 ~1e-5, so bound at 40.
    expect(after1k).toBeGreaterThan(LFU_INIT_VAL + 2);
    expect(after1k).toBeLessThan(40);
    expect(lfuLogIncr(255, 10)).toBe(255);
    expect(lfuLogIncr(3, 10)).toBe(4); // below LFU_INIT_VAL an access always counts
  });

  it('LFU: the counter loses one per lfu-decay-time minutes idle, never below zero', () => {
    const t0 = Date.now();
    const counting = { lfu: true, lfuLogFactor: 0, lfuDecayTime: 1 };
    let stamp = initialStamp(counting, t0);
    for (let i = 0; i < 15; i++) stamp = touchedStamp(counting, stamp, t0);
    expect(lfuDecayed(stamp, t0, 1)).toBe(20);
    expect(lfuDecayed(stamp, t0 + 5 * 60000, 1)).toBe(15);
    expect(lfuDecayed(stamp, t0 + 5 * 60000, 2)).toBe(18);
    expect(lfuDecayed(stamp, t0 + 500 * 60000, 1)).toBe(0);
    expect(lfuDecayed(stamp, t0 + 500 * 60000, 0)).toBe(20);
  });

  it('OBJECT FREQ counts every access with lfu-log-factor 0, OBJECT IDLETIME errors under LFU', async () => {
    const srv = createServer({ config: { port: 0, 'maxmemory-policy': 'allkeys-lfu', 'lfu-log-factor': 0 }, logSink: () => {} });
    const port = await srv.listen();
    const c = await RawClient.connect(port);
    try {
      await c.call('SET', 'f', '1');
      for (let i = 0; i < 10; i++) await c.call('GET', 'f');
      expect(await c.call('OBJECT', 'FREQ', 'f')).toBe(':15\r\n');
      expect(await c.call('OBJECT', 'IDLETIME', 'f')).toMatch(/^-ERR An LFU maxmemory policy is selected, idle time not tracked/);
      await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      await c.call('GET', 'f');
      expect(await c.call('OBJECT', 'IDLETIME', 'f')).toBe(':0\r\n');
      expect(await c.call('OBJECT', 'FREQ', 'f')).toMatch(/^-ERR An LFU maxmemory policy is not selected/);
    } finally {
      c.close();
      await srv.close();
    }
  });
});
