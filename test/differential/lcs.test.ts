/**
 * Differential test of LCS: seeded random string pairs over small alphabets (so that matches and
 * ranges abound), every option combination (LEN, IDX, WITHMATCHLEN, MINMATCHLEN, bad options),
 * missing keys and wrong types, and the memory guard (proto-max-bulk-len lowered to 1 MB so that
 * long pairs are refused), against redis-server, byte for byte in RESP2 and RESP3.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Differential, type Rng } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

function text(rng: Rng): string {
  const alphabet = rng.pick(['ab', 'acgt', 'abcdefgh', '\x00\xff']);
  const n = rng.pick([0, 1, rng.int(0, 12), rng.int(0, 60), rng.int(0, 300), rng.int(400, 700)]);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

function options(rng: Rng): string[] {
  const out: string[] = [];
  const n = rng.int(0, 3);
  for (let i = 0; i < n; i++) {
    out.push(
      ...rng.pick([
        ['IDX'],
        ['idx'],
        ['LEN'],
        ['WITHMATCHLEN'],
        ['MINMATCHLEN', String(rng.int(-2, 6))],
        ['MINMATCHLEN', 'x'],
        ['MINMATCHLEN'],
        ['BOGUS'],
      ]),
    );
  }
  return out;
}

function gen(rng: Rng): string[] {
  const k = `k${rng.int(0, 3)}`;
  switch (rng.int(0, 9)) {
    case 0:
    case 1:
    case 2:
      return ['SET', k, text(rng)];
    case 3:
      return rng.pick([['LPUSH', k, 'x'], ['DEL', k], ['APPEND', k, text(rng)]]);
    default:
      return ['LCS', `k${rng.int(0, 3)}`, `k${rng.int(0, 3)}`, ...options(rng)];
  }
}

describe.skipIf(skip !== null)('differential: LCS vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const setup = [['CONFIG', 'SET', 'proto-max-bulk-len', '1048576']];
  for (const seed of (process.env.SWEEP ? Array.from({ length: 15 }, (_, i) => Number(process.env.SWEEP) + i) : [701, 702])) {
    it(`RESP2, seed ${seed}`, async () => {
      await d.run(seed, 1500, gen, { setup });
    });
  }
  it('RESP3, seed 703', async () => {
    await d.run(703, 1500, gen, { setup, proto: 3 });
  });
});
