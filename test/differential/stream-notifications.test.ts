/**
 * What stream commands tell other clients, differential against redis-server 7.0, every frame
 * compared:
 * - keyspace notifications (class `t`) to a RESP2 and a RESP3 pattern subscriber: xadd/xtrim
 *   (with trimming XADD), xdel, xsetid, the xgroup-* events, consumers created by
 *   XREADGROUP/XCLAIM, and the silent paths (XACK, an XDEL of nothing, a trim that trims nothing);
 * - client tracking: stream reads are tracked, XADD/XDEL/XTRIM invalidate, consumer-group changes
 *   (XREADGROUP, XACK, XCLAIM, XGROUP, XSETID) do not, as in Redis;
 * - WATCH: broken by XADD, not by consumer-group changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { MultiDifferential } from '../helpers/multi-differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
const s = (line: string): string[] => line.split(' ');

const SCRIPT: [number, string[]][] = [
  [0, s('PSUBSCRIBE __key*@0__:*')],
  [2, s('PSUBSCRIBE __keyevent@*__:*')],
  [1, s('CONFIG SET notify-keyspace-events KEgt')],
  [1, s('XADD st 1-0 a 1')],
  [1, s('XADD st 2-0 a 2')],
  [1, s('XADD st MAXLEN 1 3-0 a 3')],
  [1, s('XADD st MAXLEN 5 4-0 a 4')],
  [1, s('XADD nost NOMKSTREAM 1-0 a 1')],
  [1, s('XTRIM st MAXLEN 5')],
  [1, s('XTRIM st MINID 4-0')],
  [1, s('XDEL st 99-0')],
  [1, s('XDEL st 4-0')],
  [1, s('XSETID st 10-0')],
  [1, s('XGROUP CREATE st g 0')],
  [1, s('XGROUP CREATE st g 0')],
  [1, s('XGROUP CREATE mk g $ MKSTREAM')],
  [1, s('XGROUP SETID st g 0')],
  [1, s('XGROUP CREATECONSUMER st g c1')],
  [1, s('XGROUP CREATECONSUMER st g c1')],
  [1, s('XADD st 11-0 a 5')],
  [1, s('XREADGROUP GROUP g c2 STREAMS st >')],
  [1, s('XACK st g 11-0')],
  [1, s('XADD st 12-0 a 6')],
  [1, s('XREADGROUP GROUP g c2 STREAMS st >')],
  [1, s('XCLAIM st g c3 0 12-0')],
  [1, s('XAUTOCLAIM st g c4 0 0')],
  [1, s('XGROUP DELCONSUMER st g c1')],
  [1, s('XGROUP DELCONSUMER st g nobody')],
  [1, s('XGROUP DESTROY st g')],
  [1, s('XGROUP DESTROY st g')],
  [1, s('DEL st mk')],
  [1, ['CONFIG', 'SET', 'notify-keyspace-events', '']],
  [1, s('XADD st 1-0 a 1')],
];

/** Client 0 (RESP3) tracks; client 1 changes the stream; client 2 watches. */
const TRACKING: [number, string[]][] = [
  [0, s('CLIENT TRACKING on')],
  [1, s('XADD st 1-0 a 1')],
  [1, s('XGROUP CREATE st g 0')],
  [0, s('XRANGE st - +')],
  [0, s('XLEN st')],
  [1, s('XREADGROUP GROUP g c STREAMS st >')],
  [1, s('XACK st g 1-0')],
  [1, s('XGROUP SETID st g 0')],
  [1, s('XSETID st 5-0')],
  [1, s('XCLAIM st g d 0 1-0 FORCE')],
  [1, s('XADD st 6-0 a 2')],
  [0, s('XINFO STREAM st')],
  [1, s('XDEL st 6-0')],
  [0, s('XREVRANGE st + - COUNT 1')],
  [1, s('XTRIM st MAXLEN 0')],
  [2, s('WATCH st')],
  [1, s('XADD st 7-0 a 3')],
  [1, s('XREADGROUP GROUP g c STREAMS st >')],
  [2, s('MULTI')],
  [2, s('PING')],
  [2, s('EXEC')],
  [2, s('WATCH st')],
  [1, s('XREADGROUP GROUP g c2 STREAMS st 0')],
  [1, s('XGROUP CREATECONSUMER st g c3')],
  [2, s('MULTI')],
  [2, s('PING')],
  [2, s('EXEC')],
];

describe.skipIf(skip !== null)('differential: stream keyspace notifications vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('class t events, in Redis order, RESP2 and RESP3 subscribers', async () => {
    const m = await MultiDifferential.open(d, [2, 2, 3]);
    try {
      for (const [who, argv] of SCRIPT) await m.step(who, argv);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });

  it('client tracking and WATCH around stream changes', async () => {
    const m = await MultiDifferential.open(d, [3, 2, 2]);
    try {
      for (const [who, argv] of TRACKING) await m.step(who, argv);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });
});
