/**
 * Differential test of list commands: seeded random sequences against ringcache-server and
 * redis-server, every reply compared byte for byte in RESP2 and RESP3 (lists are ordered, so no
 * normalisation is needed). A string key exercises WRONGTYPE everywhere.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();

function key(rng: Rng): string {
  return rng.pick(['l0', 'l1', 'l2', 'l3', 'str', 'none']);
}
function el(rng: Rng): string {
  return rng.pick(['a', 'b', 'c', 'd', '1', '', 'hello world']);
}
function idx(rng: Rng): string {
  return rng.pick([String(rng.int(-8, 8)), String(rng.int(-8, 8)), '100', '-100', 'x']);
}

function gen(rng: Rng): string[] {
  const k = key(rng);
  switch (rng.int(0, 22)) {
    case 0: case 1: case 2:
      return [rng.pick(['LPUSH', 'RPUSH']), k, ...Array.from({ length: rng.int(1, 4) }, () => el(rng))];
    case 3:
      return [rng.pick(['LPUSHX', 'RPUSHX']), k, el(rng)];
    case 4: case 5:
      return [rng.pick(['LPOP', 'RPOP']), k, ...rng.pick([[], [], ['2'], ['0'], ['-1'], ['x'], ['10'], ['1', '2']])];
    case 6:
      return ['LLEN', k];
    case 7:
      return ['LINDEX', k, idx(rng)];
    case 8: case 9:
      return ['LRANGE', k, idx(rng), idx(rng)];
    case 10:
      return ['LSET', k, idx(rng), el(rng)];
    case 11:
      return ['LREM', k, rng.pick(['0', '1', '-1', '2', '-2', 'x']), el(rng)];
    case 12:
      return ['LTRIM', k, idx(rng), idx(rng)];
    case 13:
      return ['LINSERT', k, rng.pick(['BEFORE', 'AFTER', 'after', 'MIDDLE']), el(rng), el(rng)];
    case 14:
      return ['LPOS', k, el(rng), ...rng.pick([[], ['RANK', '2'], ['RANK', '-1'], ['RANK', '0'], ['COUNT', '0'], ['COUNT', '2'], ['COUNT', '-1'],
        ['MAXLEN', '2'], ['MAXLEN', '-1'], ['RANK', '-2', 'COUNT', '0'], ['FOO', '1'], ['RANK']])];
    case 15:
      return ['LMOVE', k, key(rng), rng.pick(['LEFT', 'RIGHT', 'left', 'UP']), rng.pick(['LEFT', 'RIGHT'])];
    case 16:
      return ['RPOPLPUSH', k, key(rng)];
    case 17:
      return ['LMPOP', rng.pick(['1', '2', '0', 'x', '5']), k, key(rng), rng.pick(['LEFT', 'RIGHT', 'BAD']), ...rng.pick([[], ['COUNT', '2'], ['COUNT', '0'], ['COUNT']])];
    case 18:
      return ['SET', 'str', 'v'];
    case 19:
      return ['TYPE', k];
    case 20:
      return ['DEL', k];
    case 21:
      return ['EXISTS', k];
    default:
      return rng.pick([['LPUSH', k], ['LRANGE', k, '0'], ['LINDEX', k]]);
  }
}

describe.skipIf(skip !== null)('differential: lists vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const seed of [21, 22, 23]) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 2500, gen);
    });
  }
  it('RESP3, seed 24', async () => {
    await d.run(24, 2500, gen, { proto: 3 });
  });
});
