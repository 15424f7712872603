/**
 * RingClient.metrics() and registerMetrics(), against each backend: per-shard command counts,
 * errors by code (a server error reply, a timeout), reconnect attempts after the node dies, the
 * sampled latency histogram, the local cache's counters and hot keys, and the same figures read
 * through a real prom-client Registry.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { until } from '../helpers/poll.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`client metrics on ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    const shards = (): { name: string; master: string }[] => nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` }));
    beforeAll(async () => {
      nodes = await Promise.all([0, 1].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    it('counts commands and errors per shard, and samples latency', async () => {
      const c = new RingClient({ shards: shards() });
      try {
        for (let i = 0; i < 100; i++) await c.set(`m:${i}`, String(i));
        for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 100 }, (_, i) => c.get(`m:${i}`)));
        await c.lpush('m:list', 'x');
        await expect(c.get('m:list')).rejects.toMatchObject({ code: 'ERR_REPLY', prefix: 'WRONGTYPE' });
        const m = c.metrics();
        expect(m.shards.map((s) => s.shard)).toEqual(['s0', 's1']);
        const total = m.shards.reduce((n, s) => n + s.commands, 0);
        expect(total).toBeGreaterThanOrEqual(1102);
        for (const s of m.shards) expect(s.commands).toBeGreaterThan(0); // 100 keys land on both shards
        const wrongType = m.shards.reduce((n, s) => n + (s.errors['ERR_REPLY:WRONGTYPE'] ?? 0), 0);
        expect(wrongType).toBe(1);
        for (const s of m.shards) {
          const h = s.latency;
          expect(h.counts).toHaveLength(h.bounds.length + 1);
          expect(h.counts.reduce((a, b) => a + b, 0)).toBe(h.count);
          expect(h.count).toBeGreaterThanOrEqual(Math.floor(s.commands / h.sampleEvery) - 1);
          expect(h.count).toBeLessThanOrEqual(Math.ceil(s.commands / h.sampleEvery) + 1);
          expect(h.count).toBeGreaterThan(0);
          expect(h.sum).toBeGreaterThan(0);
        }
        expect(m.localCache).toBeNull();
      } finally {
        await c.close();
      }
    });

    it('counts a command timeout as a timeout and as ERR_COMMAND_TIMEOUT', async () => {
      const c = new RingClient({ shards: shards().slice(0, 1), commandTimeoutMs: 150 });
      const pauser = new RingClient({ shards: shards().slice(0, 1) });
      try {
        await c.set('t', '1');
        await pauser.call('CLIENT', 'PAUSE', '600', 'ALL');
        await expect(c.get('t')).rejects.toMatchObject({ code: 'ERR_COMMAND_TIMEOUT' });
        const s = c.metrics().shards[0]!;
        expect(s.timeouts).toBe(1);
        expect(s.errors.ERR_COMMAND_TIMEOUT).toBe(1);
      } finally {
        await pauser.call('CLIENT', 'UNPAUSE').catch(() => undefined);
        await Promise.all([c.close(), pauser.close()]);
      }
    });

    it('counts the local cache: hits, misses, hot keys', async () => {
      const c = new RingClient({ shards: shards(), localCache: { hotThreshold: 5, ttlMs: 30_000, jitter: 0 } });
      try {
        await c.set('hot', 'v');
        for (let i = 0; i < 200; i++) await c.get('hot');
        const lc = c.metrics().localCache;
        expect(lc).not.toBeNull();
        expect(lc!.hits).toBeGreaterThan(0);
        expect(lc!.misses).toBeGreaterThan(0);
        expect(lc!.hotKeys.map((h) => h.key)).toContain('hot');
        await c.set('hot', 'w');
        await until('the write invalidates the cached entry', () => c.metrics().localCache!.invalidations > 0);
      } finally {
        await c.close();
      }
    });

    it('registers the figures in a prom-client Registry, read at scrape time', async () => {
      const reg = new Registry();
      const c = new RingClient({ shards: shards() });
      const other = new RingClient({ shards: shards() });
      try {
        const unregister = c.registerMetrics(reg, { labels: { app: 'test' } });
        expect(() => other.registerMetrics(reg)).toThrow(/already been registered/);
        const removeOther = other.registerMetrics(reg, { prefix: 'other_client_' });
        await c.set('p', '1');
        await expect(c.incr('nope-not-a-number-key').then(() => c.call('INCRBY', 'p', 'x'))).rejects.toMatchObject({ code: 'ERR_REPLY' });
        const text = await reg.metrics();
        const line = (re: RegExp): number => Number(text.split('\n').find((l) => re.test(l))?.split(' ').pop());
        const commands = c.metrics().shards.reduce((n, s) => n + s.commands, 0);
        const scraped = text
          .split('\n')
          .filter((l) => l.startsWith('ringcache_client_commands_total{'))
          .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
        expect(scraped).toBe(commands);
        expect(text).toMatch(/^# TYPE ringcache_client_command_duration_seconds histogram$/m);
        expect(text).toMatch(/ringcache_client_command_duration_seconds_bucket\{shard="s[01]",le="\+Inf",app="test"\} \d+/);
        expect(line(/^ringcache_client_errors_total\{shard="s[01]",code="ERR_REPLY:ERR",app="test"\}/)).toBe(1);
        expect(text).toMatch(/^other_client_commands_total\{shard="s0"\} 0$/m);
        // Later scrapes see later commands: nothing is cached at registration.
        await c.set('p', '2');
        const again = await reg.metrics();
        const scrapedAgain = again
          .split('\n')
          .filter((l) => l.startsWith('ringcache_client_commands_total{'))
          .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
        expect(scrapedAgain).toBe(commands + 1);
        unregister();
        removeOther();
        expect(await reg.metrics()).not.toMatch(/ringcache_client_|other_client_/);
        expect(() => c.registerMetrics({} as Registry)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
      } finally {
        await Promise.all([c.close(), other.close()]);
      }
    });
  });
}

describe('client metrics: reconnects', () => {
  it('counts reconnect attempts after the node dies', async () => {
    const node = await startRingcache();
    const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${node.port}` }], reconnect: { baseDelayMs: 20, maxDelayMs: 50 } });
    c.on('error', () => undefined);
    try {
      await c.set('r', '1');
      expect(c.metrics().shards[0]!.reconnects).toBe(0);
      await node.kill();
      await until('the client tried to reconnect', () => c.metrics().shards[0]!.reconnects >= 2);
    } finally {
      await c.close();
      await node.stop();
    }
  });
});
