/**
 * Keyspace notifications and WATCH for the geo, SORT and DUMP/RESTORE writes, frame for frame
 * against redis-server 7.0: a pattern subscriber sees `zadd` for GEOADD, `geosearchstore` /
 * `georadiusstore` and `sortstore` for STORE forms (`del` when an empty result removed the
 * destination), `restore` and `del` for RESTORE; a transaction watching a STORE destination or a
 * restored key is aborted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { MultiDifferential } from '../helpers/multi-differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
const s = (line: string): string[] => line.split(' ');

/** redis-server 7.0's DUMP of the string "hello". */
const HELLO = Buffer.from('000568656c6c6f0a006372df766534200a', 'hex').toString('latin1');

const SCRIPT: [number, string[]][] = [
  [0, s('PSUBSCRIBE __key*@0__:*')],
  [1, s('CONFIG SET notify-keyspace-events KEA')],
  [1, s('GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania')],
  [1, s('GEOADD g NX 13.361389 38.115556 Palermo')],
  [1, s('GEOADD g XX CH 13 38 Palermo')],
  [1, s('GEOADD nog XX 13 38 x')],
  [1, s('GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km')],
  [1, s('GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST')],
  [1, s('GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km')],
  [1, s('GEOSEARCHSTORE dst g FROMLONLAT 0 0 BYRADIUS 1 km')],
  [1, s('GEORADIUS g 15 37 200 km STORE dst2')],
  [1, s('GEORADIUS nog 15 37 200 km STORE dst2')],
  [1, s('GEORADIUSBYMEMBER g Palermo 300 km STOREDIST dst3')],
  [1, s('RPUSH l 3 1 2')],
  [1, s('SORT l STORE sl')],
  [1, s('SORT l LIMIT 5 5 STORE sl')],
  [1, s('SORT nokey STORE sl')],
  [1, s('SORT l BY nosort STORE sl')],
  [1, s('SORT l')],
  [1, s('SET str v')],
  [1, s('WATCH sl')],
  [1, s('SORT l DESC STORE sl')],
  [1, s('MULTI')],
  [1, s('PING')],
  [1, s('EXEC')],
  [1, ['RESTORE', 'r', '0', HELLO]],
  [1, ['RESTORE', 'r', '0', HELLO]],
  [1, ['RESTORE', 'r', '100000', HELLO, 'REPLACE']],
  [1, ['RESTORE', 'r', '1', HELLO, 'REPLACE', 'ABSTTL']],
  [1, ['RESTORE', 'r', '1', HELLO, 'ABSTTL']],
  [1, s('WATCH r2')],
  [1, ['RESTORE', 'r2', '0', HELLO]],
  [1, s('MULTI')],
  [1, s('PING')],
  [1, s('EXEC')],
];

describe.skipIf(skip !== null)('differential: events and WATCH of geo, SORT and RESTORE vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('publishes the same events and breaks the same WATCHes', async () => {
    const m = await MultiDifferential.open(d, [2, 2]);
    try {
      for (const [who, argv] of SCRIPT) await m.step(who, argv);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });
});
