/**
 * Third-party clients against the real ringcache-server: ioredis (RESP2, pipelines) and
 * node-redis (RESP2 and RESP3 handshakes via HELLO, CLIENT SETINFO).
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';

describe('third-party clients', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startRingcache();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('ioredis: commands, pipeline, INFO parsing', async () => {
    const r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    try {
      expect(await r.set('io:a', '1')).toBe('OK');
      expect(await r.incrby('io:a', 5)).toBe(6);
      expect(await r.mget('io:a', 'io:none')).toEqual(['6', null]);
      const res = await r.pipeline().set('io:b', 'x').get('io:b').del('io:a', 'io:b').exec();
      expect(res).toEqual([[null, 'OK'], [null, 'x'], [null, 2]]);
      await expect(r.call('NOSUCH')).rejects.toThrow(/unknown command/);
      expect(await r.info('server')).toMatch(/redis_version:7\.0\.15/);
      expect(await r.getBuffer('io:none')).toBeNull();
    } finally {
      r.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    it(`node-redis RESP${RESP}: handshake, commands, multi-key`, async () => {
      const c = createClient({ socket: { port: srv.port, host: '127.0.0.1', reconnectStrategy: false }, RESP });
      c.on('error', () => {});
      await c.connect();
      try {
        expect(await c.set(`nr${RESP}:k`, 'v', { EX: 100 })).toBe('OK');
        expect(await c.get(`nr${RESP}:k`)).toBe('v');
        expect(await c.ttl(`nr${RESP}:k`)).toBeGreaterThan(0);
        expect(await c.exists([`nr${RESP}:k`, `nr${RESP}:none`])).toBe(1);
        expect(await c.incrByFloat(`nr${RESP}:f`, 1.5)).toBeDefined();
        expect(await c.dbSize()).toBeGreaterThan(0);
      } finally {
        await c.quit().catch(() => c.disconnect());
      }
    });
  }
});
