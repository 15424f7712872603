/**
 * Differential test of pub/sub: three clients per server run the same script against
 * ringcache-server and redis-server; after each step every frame each client received is compared
 * byte for byte (confirmations, messages, pattern messages, subscribed-mode refusals), in RESP2
 * and RESP3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import { MultiDifferential } from '../helpers/multi-differential.js';

const skip = redisSkipReason();

type Step = [0 | 1 | 2, string[]];

const SCRIPT: Step[] = [
  [0, ['SUBSCRIBE', 'news', 'sports']],
  [1, ['PSUBSCRIBE', 'n*', 's?orts']],
  [2, ['PUBLISH', 'news', 'hello']],
  [2, ['PUBLISH', 'sports', 'x']],
  [2, ['PUBLISH', 'nobody', 'y']],
  [2, ['PUBLISH', 'nothing-here', 'z']],
  [0, ['GET', 'k']],
  [0, ['PING']],
  [0, ['PING', 'hi']],
  [0, ['SUBSCRIBE', 'news']],
  [2, ['PUBSUB', 'NUMSUB', 'news', 'sports', 'none']],
  [2, ['PUBSUB', 'NUMPAT']],
  [2, ['PUBSUB', 'CHANNELS', 'ne*']],
  [2, ['PUBSUB', 'CHANNELS', 'zz*']],
  [0, ['UNSUBSCRIBE', 'news']],
  [2, ['PUBLISH', 'news', 'after']],
  [0, ['UNSUBSCRIBE']],
  [0, ['UNSUBSCRIBE']],
  [0, ['GET', 'k']],
  [1, ['PUNSUBSCRIBE', 'n*']],
  [1, ['PUNSUBSCRIBE']],
  [1, ['PUNSUBSCRIBE', 'never']],
  [2, ['SSUBSCRIBE', 'sh1', 'sh2']],
  [0, ['SPUBLISH', 'sh1', 'm']],
  [0, ['PUBSUB', 'SHARDNUMSUB', 'sh1', 'sh3']],
  [0, ['PUBSUB', 'SHARDCHANNELS', 'sh1']],
  [2, ['SUNSUBSCRIBE', 'sh1']],
  [2, ['SUNSUBSCRIBE']],
  [1, ['SUBSCRIBE', 'a']],
  [1, ['RESET']],
  [2, ['PUBLISH', 'a', 'gone']],
  [1, ['SUBSCRIBE']],
  [1, ['PUBSUB', 'FOO']],
];

describe.skipIf(skip !== null)('differential: pub/sub vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const proto of [2, 3] as const) {
    it(`RESP${proto}: every frame on every client matches`, async () => {
      // Each step is followed by a PING marker on every client, so completeness needs no sleeps.
      const m = await MultiDifferential.open(d, [proto, proto, proto]);
      try {
        for (const [who, cmd] of SCRIPT) await m.step(who, cmd);
      } finally {
        m.close();
      }
      expect(m.mismatches.join('\n')).toBe('');
    });
  }
});
