/**
 * Keyspace behaviour through a real (embedded) server: lazy and active expiry, SCAN's guarantee
 * under concurrent writes, SWAPDB and the per-db isolation of SELECT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { RawClient } from '../../../helpers/raw-client.js';

function bulks(frame: string): string[] {
  return frame.split('\r\n').filter((_, i, a) => i > 0 && a[i - 1]!.startsWith('$'));
}

describe('keyspace', () => {
  let srv: RingcacheServer;
  let port: number;
  let c: RawClient;
  beforeAll(async () => {
    srv = createServer({ config: { port: 0, hz: 100 }, logSink: () => {} });
    port = await srv.listen();
    c = await RawClient.connect(port);
  });
  afterAll(async () => {
    c.close();
    await srv.close();
  });

  it('expires lazily on access and actively in the background', async () => {
    await c.call('FLUSHALL');
    await c.call('SET', 'lazy', 'v', 'PX', '20');
    for (let i = 0; i < 200; i++) await c.call('SET', `active:${i}`, 'v', 'PX', '20');
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.call('DBSIZE')).toBe(':0\r\n');
    expect(await c.call('GET', 'lazy')).toBe('$-1\r\n');
    expect(srv.keyspace.stats.expiredKeys).toBeGreaterThanOrEqual(201);
  });

  it('SCAN returns every key present for the whole iteration despite concurrent adds and deletes', async () => {
    await c.call('FLUSHALL');
    for (let i = 0; i < 2000; i++) await c.call('SET', `stable:${i}`, 'v');
    for (let i = 0; i < 500; i++) await c.call('SET', `churn:${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let step = 0;
    do {
      const r = await c.call('SCAN', cursor, 'COUNT', '50');
      const items = bulks(r);
      cursor = items[0]!;
      for (const k of items.slice(1)) seen.add(k);
      // Churn between calls: delete some, add new ones that may reuse freed slots.
      await c.call('DEL', `churn:${step}`, `churn:${step + 250}`);
      await c.call('SET', `new:${step}`, 'v');
      step++;
    } while (cursor !== '0' && step < 10_000);
    for (let i = 0; i < 2000; i++) expect(seen.has(`stable:${i}`)).toBe(true);
  });

  it('SCAN filters by MATCH and TYPE and validates its arguments', async () => {
    await c.call('FLUSHALL');
    await c.call('MSET', 'a1', '1', 'a2', '2', 'b1', '3');
    const r = await c.call('SCAN', '0', 'MATCH', 'a*', 'COUNT', '100', 'TYPE', 'string');
    expect(bulks(r).slice(1).sort()).toEqual(['a1', 'a2']);
    expect(await c.call('SCAN', 'x')).toBe('-ERR invalid cursor\r\n');
    expect(await c.call('SCAN', '0', 'COUNT', '0')).toBe('-ERR syntax error\r\n');
  });

  it('keeps databases apart and swaps them', async () => {
    await c.call('FLUSHALL');
    await c.call('SET', 'k', 'zero');
    await c.call('SELECT', '1');
    expect(await c.call('GET', 'k')).toBe('$-1\r\n');
    await c.call('SET', 'k', 'one');
    await c.call('SWAPDB', '0', '1');
    expect(await c.call('GET', 'k')).toBe('$4\r\nzero\r\n');
    await c.call('SELECT', '0');
    expect(await c.call('GET', 'k')).toBe('$3\r\none\r\n');
  });
});
