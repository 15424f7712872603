/**
 * Differential test: string values around and above the size at which the node keeps them as
 * mutable bytes (keyspace/string-value.ts BYTES_MIN, 4096) — edited in place by APPEND, SETRANGE,
 * SETBIT, BITFIELD and BITOP (the destination's memory reused, or a source), and read back by
 * GET, GETRANGE, STRLEN, MGET, GETSET, GETDEL, the bit reads, OBJECT ENCODING (of big values), COPY, SORT GET,
 * DUMP/RESTORE across the two servers and the counters' type errors — against real redis-server, every reply compared
 * byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

const key = (rng: Rng): string => `k${rng.int(0, 3)}`;

function bytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.pick([0, 0xff, 0x41, rng.int(0, 255)]));
  return s;
}

/** Lengths on both sides of 4096, and small ones. */
function size(rng: Rng): number {
  return rng.pick([rng.int(0, 40), rng.int(4000, 4200), rng.int(4090, 4100), rng.int(8000, 9000)]);
}

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 21)) {
    case 0:
      return ['SET', k, bytes(rng, size(rng))];
    case 1:
    case 2:
      return ['APPEND', k, bytes(rng, rng.pick([1, 10, 200, 2100]))];
    case 3:
    case 4:
      return ['SETRANGE', k, String(rng.pick([0, rng.int(0, 5000), rng.int(4000, 4200), 9000])), bytes(rng, rng.int(0, 300))];
    case 5:
      return ['SETBIT', k, String(rng.pick([rng.int(0, 40000), rng.int(32700, 32800), rng.int(0, 80000)])), rng.pick(['0', '1'])];
    case 6:
      return ['GETBIT', k, String(rng.int(0, 80000))];
    case 7:
      return ['BITCOUNT', k, ...rng.pick([[], [String(rng.int(-5000, 5000)), String(rng.int(-5000, 5000))], [String(rng.int(0, 40000)), String(rng.int(0, 70000)), 'BIT']])];
    case 8:
      return ['BITPOS', k, rng.pick(['0', '1']), ...rng.pick([[], [String(rng.int(-5000, 5000))], [String(rng.int(0, 40000)), String(rng.int(0, 70000)), 'BIT']])];
    case 9:
    case 10:
      // The destination may be a source, the first source, or a bigger/smaller existing value.
      return ['BITOP', rng.pick(['AND', 'OR', 'XOR']), key(rng), key(rng), ...(rng.bool(0.5) ? [key(rng)] : []), ...(rng.bool(0.3) ? [key(rng)] : [])];
    case 11:
      return ['BITOP', 'NOT', key(rng), key(rng)];
    case 12:
      return ['BITFIELD', k, 'INCRBY', rng.pick(['u8', 'i16', 'u31']), String(rng.pick([rng.int(0, 40000), rng.int(32700, 32800)])), String(rng.int(-300, 300)), 'GET', 'u8', String(rng.int(0, 70000))];
    case 13:
      return ['GETRANGE', k, String(rng.int(-5000, 5000)), String(rng.int(-5000, 9000))];
    case 14:
      return rng.pick([['GET', k], ['STRLEN', k], ['MGET', k, key(rng)]]);
    case 15:
      return rng.pick([['GETSET', k, bytes(rng, size(rng))], ['GETDEL', k], ['SET', k, 'v', 'GET']]);
    case 16:
      // OBJECT ENCODING of small values differs by design (docs/server.md): big ones are `raw` in both.
      return ['EVAL', "local v = redis.call('STRLEN', KEYS[1]) if v >= 4096 then return redis.call('OBJECT', 'ENCODING', KEYS[1]) end return v", '1', k];
    case 17:
      return ['COPY', k, key(rng), 'REPLACE'];
    case 18:
      return rng.pick([['INCR', k], ['INCRBYFLOAT', k, '1.5'], ['DECRBY', k, '3']]);
    case 19:
      return ['SORT', 'l', 'BY', 'nosort', 'GET', `${k.slice(0, 1)}*`];
    case 20:
      return rng.pick([['RPUSH', 'l', k.slice(1)], ['EXISTS', k], ['TYPE', k]]);
    default:
      return ['BITFIELD_RO', k, 'GET', 'i64', String(rng.int(0, 70000))];
  }
}

describe.skipIf(skip !== null)('differential: big string values edited in place vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const seed of [501, 502]) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 1500, gen);
    });
  }
  it('RESP3, seed 503', async () => {
    await d.run(503, 1500, gen, { proto: 3 });
  });

  it('a value edited in place DUMPs to a payload both servers RESTORE to the same bytes', async () => {
    const [a, b] = await d.clients();
    try {
      for (const c of [a, b]) {
        await c.call('FLUSHALL');
        await c.call('SETRANGE', 'x', '5000', 'tail');
        await c.call('SETBIT', 'x', '100', '1');
        await c.call('APPEND', 'x', 'more');
        await c.call('BITOP', 'NOT', 'y', 'x');
      }
      for (const k of ['x', 'y']) {
        const raw = await a.call('DUMP', k);
        const payload = raw.slice(raw.indexOf('\r\n') + 2, -2);
        expect(await a.call('RESTORE', `${k}2`, '0', Buffer.from(payload, 'latin1'))).toBe('+OK\r\n');
        expect(await b.call('RESTORE', `${k}2`, '0', Buffer.from(payload, 'latin1'))).toBe('+OK\r\n');
        const original = await b.call('GET', k);
        expect(await a.call('GET', `${k}2`)).toBe(original);
        expect(await b.call('GET', `${k}2`)).toBe(original);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
