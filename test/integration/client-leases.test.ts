/**
 * Blocking commands lease an exclusive connection each, at most `pool.maxExclusive` (default 8)
 * per node. Against real redis-server: with eight BLPOPs blocked on one shard the ninth fails at
 * once with ERR_POOL naming the limit and the option (it does not wait behind pops that may block
 * forever); once one is served its lease is free again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { PoolExhaustedError } from '../../src/errors.js';
import { redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { until } from '../helpers/sentinel-checks.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('blocking-command leases', () => {
  let node: ServerProcess;
  beforeAll(async () => {
    node = await startRedis();
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('the ninth concurrent BLPOP on a shard fails at once with ERR_POOL naming pool.maxExclusive', async () => {
    const c = await RingClient.connect({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }] });
    try {
      const blocked = Array.from({ length: 8 }, (_, i) => c.blpop([`lease:${i}`], 0));
      for (const b of blocked) b.catch(() => undefined); // awaited below; never unhandled if a check fails first
      await until('eight leases lent out', () => c.stats().shards[0]!.master.exclusive.borrowed === 8);
      const err = (await c.blpop(['lease:9'], 0).catch((e: unknown) => e)) as PoolExhaustedError;
      expect(err).toBeInstanceOf(PoolExhaustedError);
      expect(err).toMatchObject({ code: 'ERR_POOL', limit: 8, option: 'pool.maxExclusive' });
      expect(err.message).toContain('BLPOP');
      expect(err.message).toContain('pool.maxExclusive = 8');

      // Serve one: its lease comes back, and a new blocking pop can start.
      await c.rpush('lease:0', 'x');
      expect(await blocked[0]).toEqual({ key: 'lease:0', element: 'x' });
      await until('a lease returned', () => c.stats().shards[0]!.master.exclusive.borrowed === 7);
      const next = c.blpop(['lease:9'], 0);
      await c.rpush('lease:9', 'y');
      expect(await next).toEqual({ key: 'lease:9', element: 'y' });
      await c.close();
      for (const b of blocked.slice(1)) await expect(b).rejects.toMatchObject({ code: 'ERR_CONNECTION_CLOSED' });
    } finally {
      await c.close();
    }
  });
});
