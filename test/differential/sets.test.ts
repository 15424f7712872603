/**
 * Differential test of set commands: seeded random sequences against ringcache-server and
 * redis-server in RESP2 and RESP3. Set replies are compared as sorted member lists (Redis's
 * hashtable order is arbitrary); everything else byte for byte. Random commands (SPOP,
 * SRANDMEMBER) are exercised only where their answer is deterministic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import type { RawClient } from '../helpers/raw-client.js';

const skip = redisSkipReason();

function key(rng: Rng): string {
  return rng.pick(['s0', 's1', 's2', 'str', 'none', 'big', 'ints']);
}
function member(rng: Rng): string {
  return rng.pick(['a', 'b', 'c', '1', '2', '10', '-3', 'x y', '']);
}

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 18)) {
    case 0: case 1: case 2:
      return ['SADD', k, ...Array.from({ length: rng.int(1, 4) }, () => member(rng))];
    case 3:
      return ['SREM', k, member(rng), member(rng)];
    case 4:
      return ['SMEMBERS', k];
    case 5:
      return ['SISMEMBER', k, member(rng)];
    case 6:
      return ['SMISMEMBER', k, member(rng), member(rng)];
    case 7:
      return ['SCARD', k];
    case 8:
      return ['SMOVE', k, key(rng), member(rng)];
    case 9:
      return [rng.pick(['SINTER', 'SUNION', 'SDIFF']), k, key(rng), ...rng.pick([[], [key(rng)]])];
    case 10:
      return [rng.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), rng.pick(['d0', 's2', 'str']), k, key(rng)];
    case 11:
      return ['SINTERCARD', rng.pick(['2', '1', '0', '5', 'x']), k, key(rng), ...rng.pick([[], ['LIMIT', '1'], ['LIMIT', '-1'], ['BAD']])];
    case 12:
      return ['SSCAN', k, rng.pick(['0', 'x', '', '-1', '+0']),
        ...rng.pick([[], ['COUNT', '1000'], ['MATCH', '1*', 'COUNT', '1000'], ['MATCH', '*', 'COUNT', '1000'], ['COUNT', '0'], ['COUNT', 'x'], ['BAD']])];
    case 13:
      return rng.pick([['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', k, '0'], ['SPOP', k, '-1'], ['SPOP', 'strkey'], ['SPOP', k, '1', '2']]);
    case 14:
      return rng.pick([['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'], ['SRANDMEMBER', k, '0'], ['SRANDMEMBER', 'strkey', '2'], ['SRANDMEMBER', k, 'x']]);
    case 15:
      return rng.pick([['SET', 'str', 'v'], ['SET', 'strkey', 'v']]);
    case 16:
      return [k === 'big' || k === 'ints' ? 'SCARD' : 'DEL', k];
    case 17:
      return rng.pick([['TYPE', k], ['OBJECT', 'ENCODING', k]]);
    default:
      return rng.pick([['SADD', k], ['SISMEMBER', k], ['SMOVE', k, 'x']]);
  }
}

const SET_REPLIES = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SSCAN']);

/**
 * Sorts the members of an unordered set reply (RESP2 `*`, RESP3 `~`), SSCAN's inner array too.
 * Cursors into a Redis hashtable depend on its hash function, and any set may be one: an SSCAN is
 * compared only when one reply surely holds it all (COUNT above any set's size, from cursor 0).
 */
function normalize(argv: readonly string[], reply: string): string {
  if (!SET_REPLIES.has(argv[0]!.toUpperCase()) || reply.startsWith('-')) return reply;
  if (argv[0] === 'SSCAN' && !(argv.includes('1000') && ['0', '', '+0'].includes(argv[2]!))) return '<partial scan>';
  const lines = reply.split('\r\n');
  const bulks = lines.filter((_, i) => i > 0 && lines[i - 1]!.startsWith('$'));
  return `${lines[0]!.slice(0, 1)}:${JSON.stringify(bulks.sort())}`;
}

/** 'big' is a hashtable from the start (non-integers); 'ints' an intset until it passes 512 members. */
const SETUP = [
  ['SADD', 'big', ...Array.from({ length: 40 }, (_, i) => `b${i}`)],
  ['SADD', 'ints', ...Array.from({ length: 510 }, (_, i) => String(i * 3 - 700))],
];

/** The cursor and members of an SSCAN reply in RESP2. */
function scanReply(reply: string): [string, string[]] {
  const lines = reply.split('\r\n');
  const bulks = lines.filter((_, i) => i > 0 && lines[i - 1]!.startsWith('$'));
  return [bulks[0]!, bulks.slice(1)];
}

describe.skipIf(skip !== null)('differential: sets vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const seed of [41, 42, 43]) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 2500, gen, { normalize, setup: SETUP });
    });
  }
  it('RESP3, seed 44', async () => {
    await d.run(44, 2500, gen, { normalize, proto: 3, setup: SETUP });
  });

  it('a full SSCAN of a large set returns every member, as Redis does, while it changes', async () => {
    const [a, b] = await d.clients();
    try {
      for (const c of [a, b]) {
        await c.call('DEL', 'ss');
        for (let i = 0; i < 1000; i += 100) await c.call('SADD', 'ss', ...Array.from({ length: 100 }, (_, j) => `m:${i + j}`));
      }
      const sweep = async (c: RawClient): Promise<Set<string>> => {
        const seen = new Set<string>();
        let cursor = '0';
        let rounds = 0;
        do {
          const [next, members] = scanReply(await c.call('SSCAN', 'ss', cursor, 'COUNT', '20'));
          cursor = next;
          for (const m of members) seen.add(m);
          // Growth and shrinkage during the sweep: members 0..499 stay throughout.
          await c.call('SADD', 'ss', `new:${rounds}`);
          await c.call('SREM', 'ss', `m:${999 - rounds}`);
          rounds++;
        } while (cursor !== '0' && rounds < 10_000);
        return seen;
      };
      const [ours, theirs] = await Promise.all([sweep(a), sweep(b)]);
      for (let i = 0; i < 500; i++) {
        expect(ours.has(`m:${i}`)).toBe(true);
        expect(theirs.has(`m:${i}`)).toBe(true);
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
