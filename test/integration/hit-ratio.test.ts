/**
 * allkeys-lru against real Redis: the same seeded Zipf-like GET / SET-on-miss workload runs against
 * ringcache-server and redis-server with the same maxmemory, and the hit ratios (after a warm-up)
 * must be within a few points. A smaller version of bench/eviction.mjs's hit-ratio part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const KEYS = 100_000;
const OPS = 200_000;
const BATCH = 500;
const skip = redisSkipReason();

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

/** Zipf(0.99) key ids by inverse CDF, scattered over the id space. */
function zipf(n: number, seed: number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, 0.99);
  for (let i = 0; i < n; i++) cdf[i]! /= sum;
  const r = rng(seed);
  return () => {
    const u = r();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return (lo * 2654435761) % 4294967291;
  };
}

async function hitRatio(port: number): Promise<number> {
  const c = await RawClient.connect(port);
  const next = zipf(KEYS, 7);
  let hits = 0;
  let gets = 0;
  try {
    for (let done = 0; done < OPS; done += BATCH) {
      const ids = Array.from({ length: BATCH }, next);
      for (const id of ids) c.send(['GET', `key:${id}`]);
      const misses: number[] = [];
      for (const id of ids) {
        const hit = !(await c.next(20_000)).equals(Buffer.from('$-1\r\n'));
        if (done >= OPS / 5) {
          gets++;
          if (hit) hits++;
        }
        if (!hit) misses.push(id);
      }
      for (const id of misses) c.send(['SET', `key:${id}`, 'v'.repeat(64 + (id % 449))]);
      for (let i = 0; i < misses.length; i++) await c.next(20_000);
    }
  } finally {
    c.close();
  }
  return hits / gets;
}

describe.skipIf(skip !== null)('allkeys-lru hit ratio vs redis-server', () => {
  let ours: ServerProcess;
  let redis: ServerProcess;
  const args = { maxmemory: '6mb', 'maxmemory-policy': 'allkeys-lru' };
  beforeAll(async () => {
    [ours, redis] = await Promise.all([startRingcache({ args }), startRedis({ args })]);
  });
  afterAll(async () => {
    await Promise.all([ours?.stop(), redis?.stop()]);
  });

  it('is within a few points of Redis under a skewed workload', async () => {
    const [a, b] = await Promise.all([hitRatio(ours.port), hitRatio(redis.port)]);
    console.log(`hit ratio: ringcache ${(a * 100).toFixed(2)}%, redis ${(b * 100).toFixed(2)}%`);
    expect(a).toBeGreaterThan(0.3);
    expect(Math.abs(a - b)).toBeLessThan(0.05);
  });
});
