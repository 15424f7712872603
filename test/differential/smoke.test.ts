import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

describe.skipIf(skip !== null)('differential harness smoke', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('GET/SET/DEL/unknown/arity agree byte for byte', async () => {
    await d.run(1, 200, (rng) => {
      const k = `k${rng.int(0, 5)}`;
      switch (rng.int(0, 4)) {
        case 0:
          return ['SET', k, `v${rng.int(0, 100)}`];
        case 1:
          return ['GET', k];
        case 2:
          return ['DEL', k, `k${rng.int(0, 5)}`];
        case 3:
          return ['GET'];
        default:
          return ['NOSUCHCMD', k];
      }
    });
    expect(true).toBe(true);
  });
});
