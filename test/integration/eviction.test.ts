/**
 * maxmemory eviction on a real ringcache-server process (maxmemory 4mb), one scenario per policy:
 * what may and may not be evicted, -OOM when nothing may be, nothing stored lost on refusal,
 * WATCH broken by an eviction, and the memory account staying under the limit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const MAXMEMORY = 4 * 1024 * 1024;
const VALUE = 'v'.repeat(200);
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

/** Sends commands pipelined in batches; returns every reply. */
async function pipeline(c: RawClient, cmds: string[][]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < cmds.length; i += 500) {
    const batch = cmds.slice(i, i + 500);
    for (const cmd of batch) c.send(cmd);
    for (let j = 0; j < batch.length; j++) out.push((await c.next(20_000)).toString('latin1'));
  }
  return out;
}

function range(prefix: string, n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${from + i}`);
}

async function setAll(c: RawClient, keys: string[], ...opts: string[]): Promise<string[]> {
  return pipeline(c, keys.map((k) => ['SET', k, VALUE, ...opts]));
}

async function present(c: RawClient, keys: string[]): Promise<number> {
  const replies = await pipeline(c, keys.map((k) => ['EXISTS', k]));
  return replies.filter((r) => r === ':1\r\n').length;
}

async function info(c: RawClient, field: string): Promise<number> {
  const text = await c.call('INFO', 'everything');
  const m = new RegExp(`\r\n${field}:([^\r]*)`).exec(text);
  return Number(m![1]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('maxmemory eviction', () => {
  let srv: ServerProcess;
  let c: RawClient;
  beforeAll(async () => {
    srv = await startRingcache({ args: { maxmemory: '4mb', 'maxmemory-policy': 'noeviction' } });
    c = await RawClient.connect(srv.port);
  });
  afterAll(async () => {
    c?.close();
    await srv?.stop();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
    await c.call('CONFIG', 'RESETSTAT');
  });

  it('INFO reports the limit and the policy with Redis field names', async () => {
    const text = await c.call('INFO', 'memory');
    expect(text).toContain(`\r\nmaxmemory:${MAXMEMORY}\r\n`);
    expect(text).toContain('\r\nmaxmemory_human:4.00M\r\n');
    expect(text).toContain('\r\nmaxmemory_policy:noeviction\r\n');
    expect(text).toMatch(/\r\nused_memory_human:[\d.]+[KM]\r\n/);
    expect(text).toMatch(/\r\nmem_fragmentation_ratio:[\d.]+\r\n/);
  });

  it('noeviction: denyoom commands get -OOM, nothing stored is lost, reads and deletes still work', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    const replies = await setAll(c, range('k:', 20_000));
    const stored = replies.filter((r) => r === '+OK\r\n').length;
    expect(stored).toBeGreaterThan(5000);
    expect(replies.slice(stored).every((r) => r === OOM)).toBe(true);
    expect(await c.call('DBSIZE')).toBe(`:${stored}\r\n`);
    expect(await present(c, range('k:', stored))).toBe(stored);
    expect(await c.call('GET', 'k:0')).toBe(`$200\r\n${VALUE}\r\n`);
    expect(await c.call('LPUSH', 'list', 'x')).toBe(OOM);
    expect(await c.call('DEL', 'k:0', 'k:1', 'k:2')).toBe(':3\r\n');
    expect(await c.call('SET', 'k:0', 'small')).toBe('+OK\r\n');
    expect(await info(c, 'evicted_keys')).toBe(0);
  });

  it('allkeys-lru: evicts the least recently used keys first and breaks WATCH on an evicted key', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    const cold = range('cold:', 3000);
    const hot = range('hot:', 3000);
    await setAll(c, cold);
    await sleep(20);
    await setAll(c, hot);
    await sleep(20);
    await pipeline(c, hot.map((k) => ['GET', k]));
    await sleep(20);
    const watcher = await RawClient.connect(srv.port);
    expect(await watcher.call('WATCH', ...cold.slice(0, 200))).toBe('+OK\r\n');
    const filler = await setAll(c, range('new:', 6000));
    expect(filler.every((r) => r === '+OK\r\n')).toBe(true);
    const evicted = await info(c, 'evicted_keys');
    const hotLeft = await present(c, hot);
    const coldLeft = await present(c, cold);
    expect(evicted).toBeGreaterThan(1000);
    expect(hotLeft).toBeGreaterThanOrEqual(2700);
    expect(coldLeft).toBeLessThan(3000 - evicted / 2);
    await watcher.call('MULTI');
    await watcher.call('SET', 'x', '1');
    expect(await watcher.call('EXEC')).toBe('*-1\r\n');
    watcher.close();
    const used = await info(c, 'used_memory');
    const startup = await info(c, 'used_memory_startup');
    expect(used - startup).toBeLessThanOrEqual(MAXMEMORY * 1.05);
  });

  it('allkeys-lfu: keeps frequently read keys', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await c.call('CONFIG', 'SET', 'lfu-log-factor', '0');
    const freq = range('freq:', 3000);
    await setAll(c, freq);
    for (let i = 0; i < 3; i++) await pipeline(c, freq.map((k) => ['GET', k]));
    expect(await c.call('OBJECT', 'FREQ', 'freq:0')).toMatch(/^:(7|8)\r\n$/);
    const rare = range('rare:', 3000);
    await setAll(c, rare);
    await setAll(c, range('new:', 6000));
    expect(await info(c, 'evicted_keys')).toBeGreaterThan(1000);
    expect(await present(c, freq)).toBeGreaterThanOrEqual(2900);
    expect(await present(c, rare)).toBeLessThan(3000);
    await c.call('CONFIG', 'SET', 'lfu-log-factor', '10');
  });

  it('allkeys-random: evicts old and new keys alike', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    const first = range('first:', 3000);
    await setAll(c, first);
    const later = range('later:', 12_000);
    const replies = await setAll(c, later);
    expect(replies.every((r) => r === '+OK\r\n')).toBe(true);
    const evicted = await info(c, 'evicted_keys');
    expect(evicted).toBeGreaterThan(3000);
    const firstLeft = await present(c, first);
    const laterLeft = await present(c, later);
    expect(firstLeft).toBeGreaterThan(0);
    expect(firstLeft).toBeLessThan(3000);
    expect(laterLeft).toBeLessThan(12_000);
  });

  it('lowering maxmemory at run time evicts in the background, without any write', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await setAll(c, range('k:', 12_000));
    await c.call('CONFIG', 'SET', 'maxmemory', '2mb');
    await srv.waitFor(/WARNING: the new maxmemory value set via CONFIG SET \(2097152\) is smaller than the current memory usage/);
    await expect.poll(async () => (await info(c, 'used_memory')) - (await info(c, 'used_memory_startup')), { timeout: 10_000 }).toBeLessThanOrEqual(2 * 1024 * 1024 + 64 * 1024);
    expect(await info(c, 'evicted_keys')).toBeGreaterThan(5000);
    await c.call('CONFIG', 'SET', 'maxmemory', '4mb');
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy}: evicts only keys with a TTL, then refuses with -OOM`, async () => {
      await c.call('CONFIG', 'SET', 'maxmemory-policy', policy);
      const persistent = range('p:', 4000);
      const volatile = range('v:', 4000);
      await setAll(c, persistent);
      await setAll(c, volatile, 'EX', '100000');
      const filler = await setAll(c, range('f:', 20_000));
      const stored = filler.filter((r) => r === '+OK\r\n').length;
      expect(stored).toBeGreaterThan(1000);
      expect(filler.slice(stored).every((r) => r === OOM)).toBe(true);
      expect(await present(c, persistent)).toBe(4000);
      expect(await present(c, range('f:', stored))).toBe(stored);
      expect(await present(c, volatile)).toBe(0);
      expect(await info(c, 'evicted_keys')).toBe(4000);
    });
  }

  it('volatile-ttl: evicts the nearest expiry first', async () => {
    await c.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    await c.call('CONFIG', 'SET', 'maxmemory-samples', '10');
    const soon = range('soon:', 3000);
    const late = range('late:', 3000);
    await pipeline(c, soon.map((k, i) => ['SET', k, VALUE, 'EX', String(1000 + i)]));
    await pipeline(c, late.map((k, i) => ['SET', k, VALUE, 'EX', String(100_000 + i)]));
    await setAll(c, range('p:', 5500));
    const evicted = await info(c, 'evicted_keys');
    expect(evicted).toBeGreaterThan(500);
    expect(evicted).toBeLessThan(2500);
    expect(await present(c, late)).toBeGreaterThanOrEqual(2950);
    expect(await present(c, soon)).toBeLessThanOrEqual(3000 - evicted + 50);
    await c.call('CONFIG', 'SET', 'maxmemory-samples', '5');
  });
});
