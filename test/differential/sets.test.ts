/**
 * Differential test of set commands: seeded random sequences against ringcache-server and
 * redis-server in RESP2 and RESP3. Set replies are compared as sorted member lists (Redis's
 * hashtable order is arbitrary); everything else byte for byte. Random commands (SPOP,
 * SRANDMEMBER) are exercised only where their answer is deterministic.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();

function key(rng: Rng): string {
  return rng.pick(['s0', 's1', 's2', 'str', 'none']);
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
      return ['SSCAN', k, rng.pick(['0', 'x']), ...rng.pick([[], ['COUNT', '1000'], ['MATCH', '1*', 'COUNT', '1000'], ['COUNT', '0'], ['BAD']])];
    case 13:
      return rng.pick([['SPOP', 'nokey'], ['SPOP', 'nokey', '2'], ['SPOP', k, '0'], ['SPOP', k, '-1'], ['SPOP', 'strkey'], ['SPOP', k, '1', '2']]);
    case 14:
      return rng.pick([['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'], ['SRANDMEMBER', k, '0'], ['SRANDMEMBER', 'strkey', '2'], ['SRANDMEMBER', k, 'x']]);
    case 15:
      return rng.pick([['SET', 'str', 'v'], ['SET', 'strkey', 'v']]);
    case 16:
      return ['DEL', k];
    case 17:
      return ['TYPE', k];
    default:
      return rng.pick([['SADD', k], ['SISMEMBER', k], ['SMOVE', k, 'x']]);
  }
}

const SET_REPLIES = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF', 'SSCAN']);

/** Sorts the members of an unordered set reply (RESP2 `*`, RESP3 `~`), SSCAN's inner array too. */
function normalize(argv: readonly string[], reply: string): string {
  if (!SET_REPLIES.has(argv[0]!.toUpperCase()) || reply.startsWith('-')) return reply;
  const lines = reply.split('\r\n');
  const bulks = lines.filter((_, i) => i > 0 && lines[i - 1]!.startsWith('$'));
  return `${lines[0]!.slice(0, 1)}:${JSON.stringify(bulks.sort())}`;
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
      await d.run(seed, 2500, gen, { normalize });
    });
  }
  it('RESP3, seed 44', async () => {
    await d.run(44, 2500, gen, { normalize, proto: 3 });
  });
});
