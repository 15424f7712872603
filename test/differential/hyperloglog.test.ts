/**
 * Differential test of HyperLogLog against redis-server: seeded random PFADD/PFCOUNT/PFMERGE/
 * PFDEBUG sequences with corruption by SETRANGE/APPEND, wrong types and changing
 * hll-sparse-max-bytes, where GET compares the representation itself byte for byte (sparse
 * opcodes, dense registers, cached cardinality and its stale bit); RESP2 and RESP3. Then values
 * carried between the servers (GET on one, SET on the other) for sparse and dense HLLs must count
 * the same on both and keep counting the same after more adds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import type { RawClient } from '../helpers/raw-client.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

function element(rng: Rng): string {
  return rng.pick([`e${rng.int(0, 3000)}`, String(rng.int(-50, 50)), '', `x${rng.int(0, 10)}`, String.fromCharCode(rng.int(0, 255)).repeat(rng.int(1, 9))]);
}

function elements(rng: Rng): string[] {
  const n = rng.pick([0, 1, 3, rng.int(0, 20), rng.int(50, 400)]);
  return Array.from({ length: n }, () => element(rng));
}

const key = (rng: Rng): string => `h${rng.int(0, 3)}`;

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 20)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return ['PFADD', k, ...elements(rng)];
    case 5:
    case 6:
      return ['PFCOUNT', k];
    case 7:
      return ['PFCOUNT', k, key(rng), ...(rng.bool() ? [key(rng)] : [])];
    case 8:
      return ['PFMERGE', k, ...Array.from({ length: rng.int(0, 3) }, () => key(rng))];
    case 9:
    case 10:
      return ['GET', k];
    case 11:
      return ['GETRANGE', k, '15', '15'];
    case 12:
      return ['PFDEBUG', rng.pick(['GETREG', 'DECODE', 'ENCODING', 'TODENSE', 'encoding', 'nope']), k];
    case 13:
      return ['SETRANGE', k, String(rng.pick([rng.int(0, 20), rng.int(16, 120), rng.int(0, 12310)])), String.fromCharCode(rng.int(0, 255))];
    case 14:
      return rng.pick([['APPEND', k, 'hello'], ['SET', k, 'notanhll'], ['LPUSH', k, 'x'], ['DEL', k], ['SET', k, 'HYLL']]);
    case 15:
      return ['CONFIG', 'SET', 'hll-sparse-max-bytes', rng.pick(['3000', '200', '40', '0', '10000'])];
    default:
      return ['PFADD', k, element(rng)];
  }
}

async function must(c: RawClient, ...args: string[]): Promise<string> {
  const r = await c.call(...args);
  if (r.startsWith('-')) throw new Error(`${args.join(' ')}: ${r}`);
  return r;
}

/** The bulk payload of a `$n\r\n…\r\n` reply. */
function bulkBody(reply: string): string {
  const nl = reply.indexOf('\r\n');
  return reply.slice(nl + 2, reply.length - 2);
}

describe.skipIf(skip !== null)('differential: HyperLogLog vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const setup = [['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']];
  for (const seed of (process.env.SWEEP ? Array.from({ length: 15 }, (_, i) => Number(process.env.SWEEP) + i) : [1901, 1902, 1903])) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 1500, gen, { setup });
    });
  }
  it('RESP3, seed 1904', async () => {
    await d.run(1904, 1500, gen, { setup, proto: 3 });
  });

  it('values moved between the servers (GET → SET) count the same, sparse and dense, both ways', async () => {
    const [ours, redis] = await d.clients();
    try {
      for (const c of [ours, redis]) {
        await must(c, 'FLUSHALL');
        await must(c, 'CONFIG', 'SET', 'hll-sparse-max-bytes', '3000');
      }
      for (const [from, to] of [
        [redis, ours],
        [ours, redis],
      ] as const) {
        for (const n of [5, 300, 5000, 60000]) {
          const k = `moved:${n}`;
          await must(from, 'DEL', k);
          await must(to, 'DEL', k);
          for (let i = 0; i < n; i += 500) {
            await must(from, 'PFADD', k, ...Array.from({ length: Math.min(500, n - i) }, (_, j) => `m${i + j}`));
          }
          const encoding = await must(from, 'PFDEBUG', 'ENCODING', k);
          expect(encoding).toBe(n <= 300 ? '+sparse\r\n' : '+dense\r\n');
          const value = bulkBody(await must(from, 'GET', k));
          await must(to, 'SET', k, value);
          expect(await must(to, 'PFCOUNT', k)).toBe(await must(from, 'PFCOUNT', k));
          // Both keep evolving identically after the move.
          await must(from, 'PFADD', k, 'after1', 'after2', 'after3');
          await must(to, 'PFADD', k, 'after1', 'after2', 'after3');
          expect(await must(to, 'PFCOUNT', k)).toBe(await must(from, 'PFCOUNT', k));
          expect(await must(to, 'GET', k)).toBe(await must(from, 'GET', k));
        }
      }
    } finally {
      ours.close();
      redis.close();
    }
  });
});
