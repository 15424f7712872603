/**
 * Differential test of hash commands: seeded random sequences against ringcache-server and
 * redis-server, byte for byte in RESP2 and RESP3. Hashes stay small with short values, so Redis
 * keeps them as listpacks, whose field order (insertion order) ringcache reproduces exactly.
 * HRANDFIELD is only exercised where its answer is deterministic.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();

function key(rng: Rng): string {
  return rng.pick(['h0', 'h1', 'h2', 'str', 'none']);
}
function field(rng: Rng): string {
  return rng.pick(['f0', 'f1', 'f2', 'f3', 'f4', 'a b', '']);
}
function val(rng: Rng): string {
  return rng.pick(['1', '10', '-5', 'x', '3.5', '', '9223372036854775807', '0.1']);
}

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 20)) {
    case 0: case 1: case 2: {
      const n = rng.int(1, 3);
      const args = Array.from({ length: n }, () => [field(rng), val(rng)]).flat();
      if (rng.bool(0.1)) args.pop();
      return [rng.pick(['HSET', 'HMSET']), k, ...args];
    }
    case 3:
      return ['HSETNX', k, field(rng), val(rng)];
    case 4: case 5:
      return ['HGET', k, field(rng)];
    case 6:
      return ['HMGET', k, field(rng), field(rng)];
    case 7: case 8:
      return [rng.pick(['HGETALL', 'HKEYS', 'HVALS']), k];
    case 9:
      return ['HDEL', k, field(rng), ...rng.pick([[], [field(rng)]])];
    case 10:
      return [rng.pick(['HEXISTS', 'HSTRLEN']), k, field(rng)];
    case 11:
      return ['HLEN', k];
    case 12:
      return ['HINCRBY', k, field(rng), rng.pick(['1', '-3', '100', 'x', '1.5', '9223372036854775807'])];
    case 13:
      return ['HINCRBYFLOAT', k, field(rng), rng.pick(['0.5', '1.25', '-3', '0.1', 'x', '', 'inf'])];
    case 14:
      return ['HRANDFIELD', rng.pick(['nokey', 'strkey']), ...rng.pick([[], ['2'], ['-2', 'WITHVALUES'], ['x'], ['0']])];
    case 15:
      return ['HSCAN', k, rng.pick(['0', 'x']), ...rng.pick([[], ['MATCH', 'f*'], ['COUNT', '100'], ['COUNT', '0'], ['BAD']])];
    case 16:
      return rng.pick([['SET', 'str', 'v'], ['SET', 'strkey', 'v']]);
    case 17:
      return ['DEL', k];
    case 18:
      return ['TYPE', k];
    case 19:
      return rng.pick([['HSET', k, 'f'], ['HGET', k], ['HDEL', k]]);
    default:
      return ['EXISTS', k];
  }
}

describe.skipIf(skip !== null)('differential: hashes vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const seed of [31, 32, 33]) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 2500, gen);
    });
  }
  it('RESP3, seed 34', async () => {
    await d.run(34, 2500, gen, { proto: 3 });
  });
});
