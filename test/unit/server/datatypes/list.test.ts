/**
 * Lists and the blocking machinery on an embedded server: blocking pops served first-come
 * first-served per key, wake-ups by pushes, MULTI/EXEC, RENAME/MOVE/COPY and SWAPDB, keys of
 * another type skipped as Redis 7.0 does, timeouts (RESP2 and RESP3), non-blocking inside MULTI,
 * pipelined commands resuming after a wake-up, disconnects leaving no trace, INFO
 * blocked_clients, and what is propagated (a recording sink stands in for AOF/replicas).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { RawClient } from '../../../helpers/raw-client.js';

let srv: RingcacheServer;
let port: number;
const propagated: string[] = [];
const open: RawClient[] = [];

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(port);
  open.push(c);
  return c;
}

/** Resolves once the server reports `n` blocked clients (the parked command has arrived). */
async function blockedCount(c: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await c.call('INFO', 'clients')).includes(`blocked_clients:${n}\r\n`)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`blocked_clients never reached ${n}`);
}

function bulkArray(...items: string[]): string {
  return `*${items.length}\r\n${items.map((x) => `$${x.length}\r\n${x}\r\n`).join('')}`;
}

beforeAll(async () => {
  srv = createServer({ config: { port: 0 }, logSink: () => {} });
  port = await srv.listen();
  srv.sinks.push({ propagate: (db, argv) => propagated.push(`${db}:${argv.join(' ')}`) });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  const c = await RawClient.connect(port);
  await c.call('FLUSHALL');
  c.close();
  propagated.length = 0;
});

afterAll(async () => {
  await srv.close();
});

describe('list commands', () => {
  it('push, pop, range, trim, insert, remove and an emptied list deletes its key', async () => {
    const c = await client();
    expect(await c.call('RPUSH', 'l', 'a', 'b', 'c', 'b')).toBe(':4\r\n');
    expect(await c.call('LINSERT', 'l', 'BEFORE', 'c', 'x')).toBe(':5\r\n');
    expect(await c.call('LRANGE', 'l', '0', '-1')).toBe(bulkArray('a', 'b', 'x', 'c', 'b'));
    expect(await c.call('LREM', 'l', '-1', 'b')).toBe(':1\r\n');
    expect(await c.call('LTRIM', 'l', '1', '-1')).toBe('+OK\r\n');
    expect(await c.call('LRANGE', 'l', '0', '-1')).toBe(bulkArray('b', 'x', 'c'));
    expect(await c.call('LPOP', 'l', '5')).toBe(bulkArray('b', 'x', 'c'));
    expect(await c.call('EXISTS', 'l')).toBe(':0\r\n');
    expect(await c.call('LSET', 'l', '0', 'v')).toBe('-ERR no such key\r\n');
  });

  it('propagates LMPOP as LPOP/RPOP with the popped count, and nothing for no-op LTRIM', async () => {
    const c = await client();
    await c.call('RPUSH', 'l', 'a', 'b', 'c');
    expect(await c.call('LMPOP', '2', 'none', 'l', 'RIGHT', 'COUNT', '5')).toBe(`*2\r\n$1\r\nl\r\n${bulkArray('c', 'b', 'a')}`);
    await c.call('RPUSH', 'l', 'a', 'b');
    await c.call('LTRIM', 'l', '0', '-1');
    await c.call('LREM', 'l', '0', 'zz');
    expect(propagated).toEqual(['0:RPUSH l a b c', '0:RPOP l 3', '0:RPUSH l a b']);
  });
});

describe('blocking pops', () => {
  it('serves waiters first-come first-served per key, one element each', async () => {
    const [a, b, p] = [await client(), await client(), await client()];
    a.send(['BLPOP', 'q', '0']);
    await blockedCount(p, 1);
    b.send(['BLPOP', 'q', 'other', '0']);
    await blockedCount(p, 2);
    expect(await p.call('RPUSH', 'q', '1')).toBe(':1\r\n');
    expect((await a.next()).toString()).toBe(bulkArray('q', '1'));
    expect(await p.call('RPUSH', 'q', '2', '3')).toBe(':2\r\n');
    expect((await b.next()).toString()).toBe(bulkArray('q', '2'));
    expect(await p.call('LRANGE', 'q', '0', '-1')).toBe(bulkArray('3'));
    expect(propagated).toEqual(['0:RPUSH q 1', '0:LPOP q', '0:RPUSH q 2 3', '0:LPOP q']);
  });

  it('times out with a null array, in RESP2 and RESP3, and propagates nothing', async () => {
    const [a, b] = [await client(), await client()];
    expect(await a.call('BLPOP', 'none', '0.05')).toBe('*-1\r\n');
    expect(await a.call('BLMOVE', 'none', 'd', 'LEFT', 'LEFT', '0.05')).toBe('*-1\r\n');
    await b.call('HELLO', '3');
    expect(await b.call('BLMPOP', '0.05', '1', 'none', 'LEFT')).toBe('_\r\n');
    expect(propagated).toEqual([]);
  });

  it('answers at once inside MULTI/EXEC instead of blocking, and wakes waiters on EXEC', async () => {
    const [a, w, p] = [await client(), await client(), await client()];
    if ((await a.call('MULTI')).startsWith('-ERR unknown command')) return;
    await a.call('BLPOP', 'none', '0');
    await a.call('BRPOPLPUSH', 'none', 'd', '0');
    expect(await a.call('EXEC')).toBe('*2\r\n*-1\r\n$-1\r\n');
    w.send(['BRPOP', 'src', '0']);
    await blockedCount(p, 1);
    await p.call('MULTI');
    await p.call('RPUSH', 'src', 'x', 'y');
    await p.call('LPOP', 'src');
    expect(await p.call('EXEC')).toBe('*2\r\n:2\r\n$1\r\nx\r\n');
    expect((await w.next()).toString()).toBe(bulkArray('src', 'y'));
    expect(await p.call('EXISTS', 'src')).toBe(':0\r\n');
  });

  it('wakes on RENAME, COPY, MOVE and SWAPDB targets', async () => {
    const [w, p] = [await client(), await client()];
    const cases: [string[], string[]][] = [
      [['RPUSH', 'tmp', 'r'], ['RENAME', 'tmp', 'k']],
      [['RPUSH', 'tmp', 'c'], ['COPY', 'tmp', 'k']],
      [['SELECT', '1'], ['RPUSH', 'k', 'm']],
    ];
    for (const [setup, trigger] of cases) {
      w.send(['BLPOP', 'k', '0']);
      await blockedCount(p, 1);
      await p.call(...setup);
      await p.call(...trigger);
      if (trigger[0] === 'RPUSH') await p.call('MOVE', 'k', '0');
      expect((await w.next()).toString()).toMatch(/^\*2\r\n\$1\r\nk\r\n/);
      await p.call('SELECT', '0');
    }
    w.send(['BLPOP', 'k', '0']);
    await blockedCount(p, 1);
    await p.call('SELECT', '1');
    await p.call('RPUSH', 'k', 's');
    await p.call('SWAPDB', '0', '1');
    expect((await w.next()).toString()).toBe(bulkArray('k', 's'));
  });

  it('keeps waiting when its key becomes another type, as Redis 7.0 does', async () => {
    const [w, p] = [await client(), await client()];
    w.send(['BLPOP', 'k', '0']);
    await blockedCount(p, 1);
    await p.call('SET', 'k', 'string');
    await p.call('DEL', 'k');
    await p.call('SADD', 'k', 'member');
    await blockedCount(p, 1);
    await p.call('DEL', 'k');
    await p.call('LPUSH', 'k', 'v');
    expect((await w.next()).toString()).toBe(bulkArray('k', 'v'));
  });

  it('BLMOVE: moves and propagates LMOVE; a wrong-typed destination answers WRONGTYPE', async () => {
    const [w, p] = [await client(), await client()];
    w.send(['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0']);
    await blockedCount(p, 1);
    await p.call('RPUSH', 'src', 'a', 'b');
    expect((await w.next()).toString()).toBe('$1\r\nb\r\n');
    expect(await w.call('BLMOVE', 'src', 'dst', 'Left', 'left', '0')).toBe('$1\r\na\r\n');
    expect(propagated).toEqual(['0:RPUSH src a b', '0:LMOVE src dst right left', '0:LMOVE src dst Left left']);
    await p.call('SET', 'str', 'v');
    w.send(['BRPOPLPUSH', 'src', 'str', '0']);
    await blockedCount(p, 1);
    await p.call('RPUSH', 'src', 'z');
    expect((await w.next()).toString()).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    expect(await p.call('LRANGE', 'src', '0', '-1')).toBe(bulkArray('z'));
  });

  it('BLMPOP served later pops from the key that became ready and propagates the count', async () => {
    const [w, p] = [await client(), await client()];
    w.send(['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '2']);
    await blockedCount(p, 1);
    await p.call('RPUSH', 'b', '1', '2', '3');
    expect((await w.next()).toString()).toBe(`*2\r\n$1\r\nb\r\n${bulkArray('3', '2')}`);
    expect(propagated).toEqual(['0:RPUSH b 1 2 3', '0:RPOP b 2']);
  });

  it('runs the pipelined commands behind a blocked one once it is served', async () => {
    const [w, p] = [await client(), await client()];
    w.send(['BLPOP', 'k', '0']);
    w.send(['LLEN', 'k']);
    w.send(['PING']);
    await blockedCount(p, 1);
    await p.call('RPUSH', 'k', 'a', 'b');
    expect((await w.next()).toString()).toBe(bulkArray('k', 'a'));
    expect((await w.next()).toString()).toBe(':1\r\n');
    expect((await w.next()).toString()).toBe('+PONG\r\n');
  });

  it('a blocked client that disconnects leaves no trace; INFO counts blocked clients', async () => {
    const [a, p] = [await RawClient.connect(port), await client()];
    a.send(['BLPOP', 'gone', '0']);
    await blockedCount(p, 1);
    expect(await p.call('INFO', 'clients')).toMatch(/clients_in_timeout_table:\d+\r\n/);
    a.close();
    await blockedCount(p, 0);
    expect(await p.call('RPUSH', 'gone', 'x')).toBe(':1\r\n');
    expect(await p.call('LLEN', 'gone')).toBe(':1\r\n');
  });

  it('a timeout longer than a timer can hold keeps waiting', async () => {
    const [w, p] = [await client(), await client()];
    w.send(['BLPOP', 'k', String(40 * 24 * 3600)]);
    await blockedCount(p, 1);
    await new Promise((r) => setTimeout(r, 30));
    await blockedCount(p, 1);
    await p.call('RPUSH', 'k', 'late');
    expect((await w.next()).toString()).toBe(bulkArray('k', 'late'));
  });

  it('rejects bad timeouts with Redis texts', async () => {
    const c = await client();
    expect(await c.call('BLPOP', 'k', 'x')).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(await c.call('BLPOP', 'k', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(await c.call('BLPOP', 'k', 'inf')).toBe('-ERR timeout is negative\r\n');
    expect(await c.call('BRPOP', 'k', '0x0.1p-3')).toBe('*-1\r\n');
    expect(await c.call('BLMPOP', 'x', '0', 'k', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
  });
});
